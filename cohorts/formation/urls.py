"""Formation's URL patterns, included by `cohorts.urls` under `c/<cohort>/formation/` in the
`cohorts` namespace (same names and paths as before the package had its own)."""

from django.urls import include, path

from .views import method_setup, review, rounds

round_urls = [
    # Setting up a round and collecting what participants say (views/rounds.py and
    # views/method_setup.py).
    path("", rounds.round_detail, name="formation-detail"),
    path("edit/", rounds.round_edit, name="formation-edit"),
    path("delete/", rounds.round_delete, name="formation-delete"),
    path("people/", rounds.round_people, name="formation-people"),
    path("topics/", method_setup.round_topics, name="formation-topics"),
    path(
        "topics/<uuid:topic_id>/delete/",
        method_setup.round_topic_delete,
        name="formation-topic-delete",
    ),
    path("criteria/", method_setup.round_criteria, name="formation-criteria"),
    path("send/", rounds.round_send, name="formation-send"),
    path("entries/<uuid:entry_id>/", method_setup.entry_edit, name="formation-entry"),
    # Forming, reviewing and publishing the groups (views/review.py).
    path("run/", review.run, name="formation-run"),
    path("progress/", review.progress, name="formation-progress"),
    path("review/", review.review, name="formation-review"),
    path("move/", review.move, name="formation-move"),
    path("groups/new/", review.group_add, name="formation-group-add"),
    path("groups/<uuid:group_id>/", review.group_rename, name="formation-group-rename"),
    path("groups/<uuid:group_id>/leaders/", review.group_leaders, name="formation-group-leaders"),
    path("locks/", review.lock_add, name="formation-lock-add"),
    path("locks/<uuid:lock_id>/delete/", review.lock_delete, name="formation-lock-delete"),
    path("upload/", review.upload, name="formation-upload"),
    path("publish/", review.publish, name="formation-publish"),
]

urlpatterns = [
    path("", rounds.round_list, name="formation-list"),
    path("new/", rounds.round_create, name="formation-create"),
    path("<uuid:round_id>/", include(round_urls)),
]
