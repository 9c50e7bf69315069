"""No lost updates: every edit form notices a change saved since it was opened.

The parametrized test walks the eleven edit forms: load the page, let someone else save a
change to the record, post the page as it was loaded. The other person's change stays, the
page names the field with its value now and the one typed; posting the page again (it now
carries the new fingerprint) saves. Then unit tests of copkit.concurrency itself.
"""

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django import forms
from django.db import transaction
from django.urls import reverse

from cohorts.models import Cohort, Community, Organization, Participant, Topic
from copkit import concurrency
from planning.models import InterviewRotation, Meeting, MeetingSettings, Question, Survey
from planning.plans.parts import PARTS
from planning.plans.services import plans as plan_services
from tests import factories

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The fields of the page's form that carries an edit fingerprint, as a browser would
    post them (first option of a select when none is selected, ticked boxes only)."""

    def __init__(self):
        super().__init__()
        self.forms, self._fields, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._fields = []
        elif self._fields is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self._fields.append([attrs["name"], attrs.get("value", "")])
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            self._fields.append(self._textarea)
        elif tag == "select":
            self._select = [attrs["name"], None]
            self._fields.append(self._select)
        elif (
            tag == "option"
            and self._select is not None
            and (self._select[1] is None or "selected" in attrs)
        ):
            self._select[1] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":  # a browser drops the newline right after <textarea>
            self._textarea[1] = self._textarea[1].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._fields is not None:
            self.forms.append(dict(self._fields))
            self._fields = None


def form_data(response):
    parser = _FormFields()
    parser.feed(response.content.decode())
    found = [data for data in parser.forms if concurrency.FIELD_NAME in data]
    assert len(found) == 1, "the page has one edit form with a fingerprint"
    data = found[0]
    data.pop("csrfmiddlewaretoken", None)
    return {name: value or "" for name, value in data.items()}


@dataclass
class Case:
    persona: str
    url: Callable  # world -> (url, record)
    field: str  # the form field both people change
    label: str  # how the page names it
    underneath: Callable  # (world, record) -> None: the other person's save
    stored: Callable  # (world, record) -> the field's value as saved now
    theirs: str = "Changed by the other person"
    yours: str = "Typed by this person"


def _update(model, field):
    def change(world, record):
        model.objects.filter(pk=record.pk).update(**{field: "Changed by the other person"})

    return change


def _value(model, field):
    return lambda world, record: getattr(model.objects.get(pk=record.pk), field)


def _cohort(world):
    return reverse("cohorts:cohort-edit", args=[world.cohort.slug]), world.cohort


def _topic(world):
    topic = world.topic
    return reverse("cohorts:topic-edit", args=[world.cohort.slug, topic.slug]), topic


def _organization(world):
    org = world.organization
    return reverse("cohorts:organization-edit", args=[world.cohort.slug, org.public_id]), org


def _participant(world):
    person = world.participant_participant
    return reverse("cohorts:participant-edit", args=[world.cohort.slug, person.public_id]), person


def _community(world):
    url = reverse("cohorts:community-edit", args=[world.cohort.slug, world.community.slug])
    return url, world.community


def _meeting(world):
    meeting = factories.MeetingFactory(community=world.community)
    args = [world.cohort.slug, world.community.slug, meeting.public_id]
    return reverse("planning:meeting-edit", args=args), meeting


def _meeting_settings(world):
    settings_row = MeetingSettings.objects.create(community=world.community, location="Room 1")
    args = [world.cohort.slug, world.community.slug]
    return reverse("planning:meeting-settings", args=args), settings_row


def _survey(world):
    survey = factories.SurveyFactory(cohort=world.cohort, status=Survey.Status.DRAFT)
    return reverse("planning:survey-edit", args=[world.cohort.slug, survey.public_id]), survey


def _question(world):
    survey = factories.SurveyFactory(cohort=world.cohort, status=Survey.Status.DRAFT)
    question = factories.QuestionFactory(survey=survey)
    args = [world.cohort.slug, survey.public_id, question.public_id]
    return reverse("planning:question-edit", args=args), question


def _interviews(world):
    rotation = factories.InterviewRotationFactory(community=world.community)
    args = [world.cohort.slug, world.community.slug]
    return reverse("planning:interviews-setup", args=args), rotation


PART = PARTS[0]


def _wording(world):
    return reverse("planning:plan-template-part", args=[world.cohort.slug, PART.key]), None


def _reword(world, record):
    plan_services.save_wording(
        world.cohort, PART.key, title="Changed by the other person", actor=world.staff
    )


def _worded(world, record):
    return plan_services.wording(world.cohort, PART)["title"]


CASES = {
    "participant": Case(
        "staff",
        _participant,
        "job_title",
        "Role in their organization",
        _update(Participant, "job_title"),
        _value(Participant, "job_title"),
    ),
    "community": Case(
        "leader",
        _community,
        "description",
        "Description",
        _update(Community, "description"),
        _value(Community, "description"),
    ),
    "organization": Case(
        "staff",
        _organization,
        "name",
        "Name",
        _update(Organization, "name"),
        _value(Organization, "name"),
    ),
    "cohort settings": Case(
        "staff",
        _cohort,
        "description",
        "Description",
        _update(Cohort, "description"),
        _value(Cohort, "description"),
    ),
    "topic": Case(
        "staff",
        _topic,
        "description",
        "Description",
        _update(Topic, "description"),
        _value(Topic, "description"),
    ),
    "meeting": Case(
        "leader",
        _meeting,
        "title",
        "Title",
        _update(Meeting, "title"),
        _value(Meeting, "title"),
    ),
    "meeting settings": Case(
        "leader",
        _meeting_settings,
        "location",
        "Usual place or call link",
        _update(MeetingSettings, "location"),
        _value(MeetingSettings, "location"),
    ),
    "survey settings": Case(
        "staff",
        _survey,
        "title",
        "Title",
        _update(Survey, "title"),
        _value(Survey, "title"),
    ),
    "question": Case(
        "staff",
        _question,
        "text",
        "Question",
        _update(Question, "text"),
        _value(Question, "text"),
    ),
    "interview set-up": Case(
        "leader",
        _interviews,
        "questions",
        "Questions for each interview",
        _update(InterviewRotation, "questions"),
        _value(InterviewRotation, "questions"),
    ),
    "plan-template wording": Case("staff", _wording, "title", "Title", _reword, _worded),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_stale_edit_form_keeps_the_other_change_and_says_what_changed(world, client_for, name):
    case = CASES[name]
    client = client_for(case.persona)
    url, record = case.url(world)
    loaded = client.get(url)
    assert loaded.status_code == 200
    data = form_data(loaded)
    data[case.field] = case.yours

    case.underneath(world, record)
    response = client.post(url, data)

    assert response.status_code == 200, "the stale form is not saved"
    assert case.stored(world, record) == case.theirs
    page = response.content.decode()
    assert "Someone else changed this since you opened it" in page
    assert f"{case.label}: now “{case.theirs}”, you had “{case.yours}”" in page
    again = form_data(response)
    assert again[case.field] == case.yours, "what the person typed is still in the form"
    assert again[concurrency.FIELD_NAME] != data[concurrency.FIELD_NAME]

    # Having read it, the person saves again: the refreshed form is saved.
    response = client.post(url, again)
    assert response.status_code == 302
    assert case.stored(world, record) == case.yours


@pytest.mark.parametrize("name", ["participant", "meeting", "plan-template wording"])
def test_an_edit_form_posted_unchanged_underneath_saves_at_once(world, client_for, name):
    case = CASES[name]
    client = client_for(case.persona)
    url, record = case.url(world)
    data = form_data(client.get(url))
    data[case.field] = case.yours
    assert client.post(url, data).status_code == 302
    assert case.stored(world, record) == case.yours


def test_the_other_person_saving_what_this_one_typed_is_no_conflict(world, client_for):
    client = client_for("staff")
    url, topic = _topic(world)
    data = form_data(client.get(url))
    Topic.objects.filter(pk=topic.pk).update(description="Same words")
    data["description"] = "Same words"
    assert client.post(url, data).status_code == 302


def test_a_change_between_reading_and_writing_is_caught_under_the_lock(
    world, client_for, monkeypatch
):
    """The row changes after the form's clean() passed and before the save: the lock taken
    in the save's transaction sees it and the form is shown again, nothing written."""
    client = client_for("staff")
    url, topic = _topic(world)
    data = form_data(client.get(url))
    data["description"] = "Typed by this person"
    real_clean = concurrency.EditConflictMixin.clean

    def clean_then_someone_saves(form):
        cleaned = real_clean(form)
        Topic.objects.filter(pk=topic.pk).update(description="Changed by the other person")
        return cleaned

    monkeypatch.setattr(concurrency.EditConflictMixin, "clean", clean_then_someone_saves)
    response = client.post(url, data)
    assert response.status_code == 200
    assert Topic.objects.get(pk=topic.pk).description == "Changed by the other person"
    page = response.content.decode()
    assert "Description: now “Changed by the other person”, you had “Typed by this person”" in page


# -- the mixin and the helpers ------------------------------------------------------------------


class NoteForm(concurrency.EditConflictMixin, forms.Form):
    title = forms.CharField()
    size = forms.ChoiceField(choices=[("s", "Small"), ("l", "Large")])


def _loaded(stored, **data):
    token = NoteForm(stored=stored).fields[concurrency.FIELD_NAME].initial
    return {concurrency.FIELD_NAME: token, **data}


def test_the_fingerprint_is_signed_and_per_field():
    token = concurrency.fingerprint({"title": "A", "size": "s"})
    assert concurrency.changed_names(token, {"title": "A", "size": "s"}) == []
    assert concurrency.changed_names(token, {"title": "B", "size": "s"}) == ["title"]
    assert concurrency.changed_names(token + "x", {"title": "A"}) == ["title"]
    assert concurrency.changed_names("made up", {"title": "A"}) == ["title"]


def test_the_mixin_names_the_field_with_both_values_and_refreshes_the_fingerprint():
    data = _loaded({"title": "Old", "size": "s"}, title="Mine", size="s")
    form = NoteForm(data, stored={"title": "Theirs", "size": "l"})
    assert not form.is_valid()
    message = form.non_field_errors()[0]
    assert "Title: now “Theirs”, you had “Mine”" in message
    assert "Size: now “Large”, you had “Small”" in message
    assert form.errors["title"] == ["Now “Theirs” (changed by someone else)."]
    assert form.edit_conflicts[0][0] == "title"
    # The re-rendered form carries the fingerprint of the record as it is now.
    assert form[concurrency.FIELD_NAME].value() == concurrency.fingerprint(
        {"title": "Theirs", "size": "l"}
    )
    again = NoteForm(form.data, stored={"title": "Theirs", "size": "l"})
    assert again.is_valid()
    assert concurrency.FIELD_NAME not in again.cleaned_data
    assert concurrency.FIELD_NAME not in again.changed_data


def test_the_mixin_lets_through_a_form_without_a_record_or_fingerprint():
    assert NoteForm({"title": "New", "size": "s"}).is_valid()  # creating
    assert NoteForm({"title": "x", "size": "s"}, stored={"title": "y", "size": "s"}).is_valid()


def test_a_model_form_fingerprints_its_instance(world):
    class TopicForm(concurrency.EditConflictMixin, forms.ModelForm):
        class Meta:
            model = Topic
            fields = ["name", "description"]

    topic = world.topic
    token = TopicForm(instance=topic).fields[concurrency.FIELD_NAME].initial
    assert token == concurrency.fingerprint({"name": topic.name, "description": ""})
    Topic.objects.filter(pk=topic.pk).update(name="Renamed")
    stale = {concurrency.FIELD_NAME: token, "name": "Mine", "description": ""}
    form = TopicForm(stale, instance=Topic.objects.get(pk=topic.pk))
    assert not form.is_valid()
    assert "Name: now “Renamed”, you had “Mine”" in form.non_field_errors()[0]


def test_hold_unchanged_locks_and_refuses_a_changed_row(world):
    topic = world.topic
    token = concurrency.fingerprint(concurrency.record_values(topic, ["name", "description"]))
    with transaction.atomic():
        assert concurrency.hold_unchanged(topic, token).pk == topic.pk
    Topic.objects.filter(pk=topic.pk).update(description="Changed")
    with pytest.raises(concurrency.EditConflict) as caught, transaction.atomic():
        concurrency.hold_unchanged(topic, token)
    assert caught.value.names == ["description"]
    assert caught.value.current.description == "Changed"


def test_hold_for_saving_sees_a_change_since_the_form_read_the_row(world):
    class TopicForm(concurrency.EditConflictMixin, forms.ModelForm):
        class Meta:
            model = Topic
            fields = ["name", "description"]

    token = TopicForm(instance=world.topic).fields[concurrency.FIELD_NAME].initial
    data = {concurrency.FIELD_NAME: token, "name": "Mine", "description": ""}
    form = TopicForm(data, instance=Topic.objects.get(pk=world.topic.pk))
    assert form.is_valid()
    with transaction.atomic():
        assert concurrency.hold_for_saving(form, world.topic)
    Topic.objects.filter(pk=world.topic.pk).update(name="Renamed")
    with transaction.atomic():
        assert not concurrency.hold_for_saving(form, world.topic)
    assert "Name: now “Renamed”" in form.non_field_errors()[0]


def test_save_wording_refuses_a_stale_fingerprint(world):
    part = PARTS[0]
    token = concurrency.fingerprint(plan_services.wording(world.cohort, part))
    plan_services.save_wording(world.cohort, part.key, title="First", actor=world.staff)
    with pytest.raises(concurrency.EditConflict):
        plan_services.save_wording(
            world.cohort, part.key, title="Second", actor=world.staff, unchanged_since=token
        )
    assert plan_services.wording(world.cohort, part)["title"] == "First"
