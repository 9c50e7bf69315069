"""cohorts' URL patterns, served under `c/` in the `cohorts` namespace together with the hub's
(`copkit.hub.urls`): the cohort dashboard (`c/<cohort>/`) and a community's page
(`c/<cohort>/communities/<community>/`) are hub pages."""

from django.urls import include, path

from .formation.views import review as formation_review
from .formation.views import rounds as formation
from .views import (
    cohorts,
    communities,
    invitations,
    participants,
    roster,
)

app_name = "cohorts"

community_urls = [
    path("edit/", communities.community_edit, name="community-edit"),
    path("archive/", communities.community_archive, name="community-archive"),
    path("members/add/", communities.membership_add, name="membership-add"),
    path("members/<uuid:membership_id>/", communities.membership_edit, name="membership-edit"),
]

round_urls = [
    # Setting up a round and collecting what participants say (formation/views/rounds.py).
    path("", formation.round_detail, name="formation-detail"),
    path("edit/", formation.round_edit, name="formation-edit"),
    path("delete/", formation.round_delete, name="formation-delete"),
    path("people/", formation.round_people, name="formation-people"),
    path("topics/", formation.round_topics, name="formation-topics"),
    path(
        "topics/<uuid:topic_id>/delete/",
        formation.round_topic_delete,
        name="formation-topic-delete",
    ),
    path("criteria/", formation.round_criteria, name="formation-criteria"),
    path("send/", formation.round_send, name="formation-send"),
    path("entries/<uuid:entry_id>/", formation.entry_edit, name="formation-entry"),
    # Forming, reviewing and publishing the groups (formation/views/review.py).
    path("run/", formation_review.run, name="formation-run"),
    path("progress/", formation_review.progress, name="formation-progress"),
    path("review/", formation_review.review, name="formation-review"),
    path("move/", formation_review.move, name="formation-move"),
    path("groups/new/", formation_review.group_add, name="formation-group-add"),
    path(
        "groups/<uuid:group_id>/",
        formation_review.group_rename,
        name="formation-group-rename",
    ),
    path("locks/", formation_review.lock_add, name="formation-lock-add"),
    path(
        "locks/<uuid:lock_id>/delete/",
        formation_review.lock_delete,
        name="formation-lock-delete",
    ),
    path("upload/", formation_review.upload, name="formation-upload"),
    path("publish/", formation_review.publish, name="formation-publish"),
]

cohort_urls = [
    path("edit/", cohorts.cohort_edit, name="cohort-edit"),
    path("team/", cohorts.team, name="team"),
    path("team/<uuid:role_id>/remove/", cohorts.team_remove, name="team-remove"),
    path("topics/", cohorts.topic_list, name="topic-list"),
    path("topics/<slug:topic_slug>/", cohorts.topic_edit, name="topic-edit"),
    path("topics/<slug:topic_slug>/delete/", cohorts.topic_delete, name="topic-delete"),
    path("organizations/", cohorts.organization_list, name="organization-list"),
    path(
        "organizations/<uuid:organization_id>/",
        cohorts.organization_edit,
        name="organization-edit",
    ),
    path("profile/", cohorts.my_profile, name="my-profile"),
    path("participants/", participants.participant_list, name="participant-list"),
    path("participants/import/", roster.roster_import, name="roster-import"),
    path("participants/invite/", invitations.invite, name="invite"),
    path(
        "participants/<uuid:participant_id>/",
        participants.participant_edit,
        name="participant-edit",
    ),
    path(
        "participants/<uuid:participant_id>/remove/",
        participants.participant_remove,
        name="participant-remove",
    ),
    path(
        "participants/<uuid:participant_id>/resend/",
        invitations.invitation_resend,
        name="invitation-resend",
    ),
    path("formation/", formation.round_list, name="formation-list"),
    path("formation/new/", formation.round_create, name="formation-create"),
    path("formation/<uuid:round_id>/", include(round_urls)),
    path("communities/", communities.community_list, name="community-list"),
    path("communities/new/", communities.community_create, name="community-create"),
    path("communities/<slug:community_slug>/", include(community_urls)),
]

urlpatterns = [
    path("new/", cohorts.cohort_create, name="cohort-create"),
    path("<slug:cohort_slug>/", include(cohort_urls)),
]
