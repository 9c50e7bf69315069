"""The surveys stage's pages: the builder, sending and reminders, results, live polls, and
the pages a participant reaches from a personal link or a live poll's code."""

from django.urls import include, path

from planning.surveys.views import answering, live, live_screen, results, surveys

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
    path("screen/", live_screen.live_screen, name="live-screen"),
    path("results/", live.live_results, name="live-results"),
    path("control/", live.live_control, name="live-control"),
]

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("surveys/", surveys.survey_list, name="survey-list"),
    path("surveys/new/", surveys.survey_create, name="survey-create"),
    path("surveys/mine/", answering.my_surveys, name="my-surveys"),
    path("surveys/<uuid:survey_id>/", include(survey_urls)),
    path("live/<uuid:session_id>/", include(live_urls)),
]

# Under /c/<cohort_slug>/communities/<community_slug>/: none.
community_urls = []

# At the site root: a personal survey link and the live poll a participant joins by code.
public_urls = [
    path("s/<str:token>/", answering.answer, name="survey-answer"),
    path("s/<str:token>/save/", answering.answer_save, name="survey-answer-save"),
    path("p/", live.live_join, name="live-join"),
    path("p/<str:code>/", live.live_vote, name="live-vote"),
    path("p/<str:code>/state/", live.live_vote_state, name="live-vote-state"),
]
