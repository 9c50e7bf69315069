"""cohorts' URL patterns, served under `c/` in the `cohorts` namespace together with the hub's
(`copkit.hub.urls`): the cohort dashboard (`c/<cohort>/`) and a community's page
(`c/<cohort>/communities/<community>/`) are hub pages. Formation's own patterns are in
`cohorts.formation.urls`, under `c/<cohort>/formation/`."""

from django.urls import include, path

from .views import (
    closing,
    cohorts,
    communities,
    emails,
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

cohort_urls = [
    path("edit/", cohorts.cohort_edit, name="cohort-edit"),
    path("close/", closing.cohort_close, name="cohort-close"),
    path("closed/", closing.closed_notice, name="closed-notice"),
    path("team/", cohorts.team, name="team"),
    path("team/<uuid:role_id>/remove/", cohorts.team_remove, name="team-remove"),
    path("team/coaches/", cohorts.team_coaches, name="team-coaches"),
    path("emails/", emails.email_list, name="emails"),
    path("emails/retry/", emails.email_retry, name="emails-retry"),
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
    path("participants/import/skipped/", roster.roster_skipped, name="roster-skipped"),
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
    path("formation/", include("cohorts.formation.urls")),
    path("communities/", communities.community_list, name="community-list"),
    path("communities/new/", communities.community_create, name="community-create"),
    path("communities/<slug:community_slug>/", include(community_urls)),
]

urlpatterns = [
    path("new/", cohorts.cohort_create, name="cohort-create"),
    path("<slug:cohort_slug>/", include(cohort_urls)),
]
