"""The needs stage's pages: the needs-and-expertise inventory and its web, dot voting on the
top three needs, and the appreciative interviews."""

from django.urls import path

from planning.needs.views import interviews, inventory, voting

cohort_urls = []

# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    # -- needs and expertise inventory, the web --
    path("needs/", inventory.inventory, name="inventory"),
    path("needs/entries/new/", inventory.entry_add, name="inventory-entry-add"),
    path(
        "needs/entries/<uuid:entry_id>/delete/",
        inventory.entry_delete,
        name="inventory-entry-delete",
    ),
    path("needs/connections/new/", inventory.connection_add, name="connection-add"),
    path(
        "needs/connections/<uuid:connection_id>/delete/",
        inventory.connection_delete,
        name="connection-delete",
    ),
    path("web/", inventory.web, name="web"),
    path("web.svg", inventory.web_svg, name="web-svg"),
    # -- dot voting on the top three needs --
    path("top-needs/", voting.common_needs, name="common-needs"),
    path("top-needs/new/", voting.common_need_add, name="common-need-add"),
    path("top-needs/vote/", voting.common_need_vote, name="common-need-vote"),
    path("top-needs/choose/", voting.common_needs_choose, name="common-needs-choose"),
    # -- appreciative interviews --
    path("interviews/", interviews.interviews, name="interviews"),
    path("interviews/setup/", interviews.interviews_setup, name="interviews-setup"),
    path("interviews/<uuid:pair_id>/notes/", interviews.interview_notes, name="interview-notes"),
]

public_urls = []
