"""Cohort pages of the planning app, under /c/<cohort_slug>/ beside the cohorts app's."""

from django.urls import include, path

from .views import (
    answering,
    calendar,
    interviews,
    inventory,
    live,
    meetings,
    plan_review,
    plans,
    results,
    surveys,
    voting,
)

app_name = "planning"

# -- surveys (issue 3: builder, sending, reminders) --
survey_urls = [
    path("", surveys.survey_detail, name="survey-detail"),
    path("edit/", surveys.survey_edit, name="survey-edit"),
    path("copy/", surveys.survey_copy, name="survey-copy"),
    path("status/", surveys.survey_status, name="survey-status"),
    path("delete/", surveys.survey_delete, name="survey-delete"),
    path("questions/new/", surveys.question_add, name="question-add"),
    path("questions/<uuid:question_id>/", surveys.question_edit, name="question-edit"),
    path("questions/<uuid:question_id>/delete/", surveys.question_delete, name="question-delete"),
    path("questions/<uuid:question_id>/move/", surveys.question_move, name="question-move"),
    path("recipients/", surveys.survey_recipients, name="survey-recipients"),
    path("send/", surveys.survey_send, name="survey-send"),
    path("remind/", surveys.survey_remind, name="survey-remind"),
    # -- results --
    path("results/", results.survey_results, name="survey-results"),
    path("results.csv", results.survey_export, name="survey-export"),
    # -- live polls --
    path("live/", live.live_start, name="live-start"),
]

live_urls = [
    path("", live.live_present, name="live-present"),
    path("results/", live.live_results, name="live-results"),
    path("control/", live.live_control, name="live-control"),
]

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
    # -- the action plan (issue 4): editing parts, review, versions, print --
    path("plan/", plans.plan, name="plan"),
    path("plan/print/", plan_review.plan_print, name="plan-print"),
    path("plan/plan.pdf", plan_review.plan_pdf, name="plan-pdf"),
    path("plan/versions/", plan_review.plan_versions, name="plan-versions"),
    path("plan/submit/", plan_review.plan_submit, name="plan-submit"),
    path("plan/review/", plan_review.plan_review, name="plan-review"),
    path("plan/comments/", plan_review.plan_comment, name="plan-comment"),
    path("plan/<slug:part_key>/", plans.plan_part, name="plan-part"),
    path("plan/<slug:part_key>/save/", plans.plan_part_save, name="plan-part-save"),
    # -- meetings --
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/schedule/", meetings.meeting_schedule, name="meeting-schedule"),
    path("meetings/settings/", meetings.meeting_settings, name="meeting-settings"),
    path("meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/reminders/", calendar.meeting_reminders, name="meeting-reminders"),
    path("meetings/<uuid:meeting_id>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<uuid:meeting_id>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path(
        "meetings/<uuid:meeting_id>/attendance/",
        meetings.meeting_attendance,
        name="meeting-attendance",
    ),
    path("meetings/<uuid:meeting_id>/meeting.ics", calendar.meeting_ics, name="meeting-ics"),
]

urlpatterns = [
    path("surveys/", surveys.survey_list, name="survey-list"),
    path("surveys/new/", surveys.survey_create, name="survey-create"),
    path("surveys/mine/", answering.my_surveys, name="my-surveys"),
    path("surveys/<uuid:survey_id>/", include(survey_urls)),
    path("live/<uuid:session_id>/", include(live_urls)),
    path("plans/", plan_review.plan_list, name="plan-list"),
    path("plans/template/", plans.plan_template, name="plan-template"),
    path("plans/template/<slug:part_key>/", plans.plan_template_part, name="plan-template-part"),
    path("calendar/", calendar.my_calendar, name="my-calendar"),
    path("calendar/reset/", calendar.calendar_reset, name="calendar-reset"),
    path("communities/<slug:community_slug>/", include(community_urls)),
]

# Pages reached without a cohort in the URL: a personal survey link and the live poll a
# participant joins with a short code. Included at the site root by copkit.urls.
public_urlpatterns = [
    path("s/<str:token>/", answering.answer, name="survey-answer"),
    path("s/<str:token>/save/", answering.answer_save, name="survey-answer-save"),
    path("p/", live.live_join, name="live-join"),
    path("p/<str:code>/", live.live_vote, name="live-vote"),
    path("p/<str:code>/state/", live.live_vote_state, name="live-vote-state"),
    path("cal/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
]
