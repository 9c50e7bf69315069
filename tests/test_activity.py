"""The activity log: typed actions, targets kept as references, `about`, the translated feed."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from cohorts.models import Activity
from cohorts.services import communities as community_services
from cohorts.services.activity import record
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def recorded_verbs():
    """Every verb written as a literal in a `record(...)` or `verb=` call of the application."""
    verbs = {}
    for package in ("copkit", "cohorts", "planning"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                values = [kw.value for kw in node.keywords if kw.arg == "verb"]
                if name == "record" and len(node.args) >= 3:
                    values.append(node.args[2])
                for value in values:
                    if isinstance(value, ast.JoinedStr):  # f"set survey {status}": see below
                        continue
                    for leaf in ast.walk(value):
                        if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                            verbs[leaf.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return verbs


def test_every_verb_the_code_records_is_an_action():
    verbs = recorded_verbs()
    assert len(verbs) > 60
    unknown = {verb: where for verb, where in verbs.items() if verb not in Activity.Action.values}
    assert unknown == {}


def test_the_actions_built_from_a_value_are_actions_too():
    # Verbs the services build from a value: f"set survey {status}", f"added {kind}", ...
    for status in ("draft", "open", "closed"):
        assert f"set survey {status}" in Activity.Action.values
    for kind in ("need", "expertise"):
        assert f"added {kind}" in Activity.Action.values
        assert f"removed {kind}" in Activity.Action.values
    for action in ("reveal", "hide", "next", "previous", "goto", "close"):
        assert f"live poll: {action}" in Activity.Action.values


def test_record_refuses_a_verb_that_is_not_an_action(world):
    with pytest.raises(ValueError, match="'did a thing' is not an activity action"):
        record(world.cohort, world.staff, "did a thing", world.community)
    assert not Activity.objects.exists()
    # The same call with an action is recorded.
    record(world.cohort, world.staff, Activity.Action.UPDATED_COMMUNITY, world.community)
    assert Activity.objects.get().verb == "updated community"


def test_every_label_is_a_translatable_sentence_with_the_actor():
    for action in Activity.Action:
        assert isinstance(action.label, Promise), action
        assert "%(actor)s" in str(action.label), action
        # The label formats with the two names the feed gives it.
        str(action.label) % {"actor": "Ann", "target": "X"}


def test_the_target_is_kept_as_a_reference_and_as_text(world):
    row = record(world.cohort, world.staff, "updated community", world.community, fields=["name"])
    row.refresh_from_db()
    assert row.target_object == world.community
    assert row.target == "Board Builders"
    assert row.community == world.community
    assert row.data == {"fields": ["name"]}
    # A text target has no reference.
    text = record(world.cohort, world.staff, "invited participants", "", count=3)
    assert text.target_type is None and text.target_pk == "" and text.target == ""


def test_a_deleted_target_still_reads_as_it_did(world):
    topic = factories.TopicFactory(cohort=world.cohort, name="Fundraising")
    row = record(world.cohort, world.staff, "updated topic", topic)
    topic.delete()
    row = Activity.objects.get(pk=row.pk)
    assert row.target_object is None
    assert row.target == "Fundraising"
    assert row.sentence == "Sam Staff changed the topic Fundraising"


def test_about_a_community_gathers_what_happened_in_it(world):
    other = factories.CommunityFactory(cohort=world.cohort, name="Grant Writers")
    meeting = factories.MeetingFactory(community=world.community)
    record(world.cohort, world.staff, "updated community", world.community)
    record(world.cohort, world.staff, "changed a meeting of", meeting)
    community_services.remove_member(world.member_membership, actor=world.staff)
    record(world.cohort, world.staff, "updated community", other)
    record(world.cohort, world.staff, "created cohort", world.cohort)

    about = Activity.objects.about(world.community)
    assert sorted(about.values_list("verb", flat=True)) == [
        "changed a meeting of",
        "removed member",
        "updated community",
    ]
    # The member's row still names the community in its data, as it did.
    assert about.get(verb="removed member").data == {"community": "Board Builders"}
    assert list(Activity.objects.about(world.cohort).values_list("verb", flat=True)) == [
        "created cohort"
    ]
    assert list(Activity.objects.about(meeting).values_list("verb", flat=True)) == [
        "changed a meeting of"
    ]


def test_an_unknown_old_verb_still_reads(world):
    row = factories.ActivityFactory(cohort=world.cohort, actor=None, verb="waved", target="Bo")
    assert row.sentence == "copkit waved Bo"


def test_the_dashboard_feed_shows_the_sentences(world, client_for):
    record(world.cohort, world.staff, "created community", world.community)
    record(world.cohort, None, "sent survey reminders", "Spring needs")
    response = client_for("staff").get(
        reverse("cohorts:dashboard", kwargs={"cohort_slug": world.cohort.slug})
    )
    page = response.content.decode()
    assert "Sam Staff created the community Board Builders" in page
    assert "copkit sent reminders for the survey Spring needs" in page


def test_the_sentence_is_read_through_gettext_when_shown(world, monkeypatch):
    row = record(world.cohort, world.staff, "created community", world.community)
    french = {"%(actor)s created the community %(target)s": "%(actor)s a créé %(target)s"}
    real = translation.gettext
    # A stand-in catalog: the labels are lazy, so they are translated when read, not stored.
    monkeypatch.setattr(
        translation._trans,
        "gettext",
        lambda message: french.get(message) or real(message),
        raising=False,
    )
    assert Activity.objects.get(pk=row.pk).sentence == "Sam Staff a créé Board Builders"


def test_answers_through_a_personal_link_are_told_as_the_persons_own(world):
    """Someone with no account answers through their link: the feed names them, not copkit,
    and the inventory filled from their answers is told as theirs (not "the answers to")."""
    ivy = factories.ParticipantFactory(cohort=world.cohort, name="Ivy Tran", user=None)
    survey = factories.SurveyFactory(cohort=world.cohort, title="Needs assessment")
    answered = record(
        world.cohort, ivy.user, "submitted survey answers", survey, participant=ivy.name
    )
    filled = record(world.cohort, None, "filled inventory from answers", ivy, entries=["need"])
    assert answered.sentence == "Ivy Tran answered the survey Needs assessment"
    assert filled.sentence == "copkit filled the inventory of Ivy Tran"
    # Someone with an account is named by it; a row with no one named is still copkit's.
    assert record(world.cohort, world.participant, "submitted survey answers", survey).sentence == (
        "Pat Participant answered the survey Needs assessment"
    )
    assert record(world.cohort, None, "sent survey reminders", survey).sentence == (
        "copkit sent reminders for the survey Needs assessment"
    )
