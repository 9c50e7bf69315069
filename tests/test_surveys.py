"""The survey builder: the ready templates, creating, editing, copying and deleting surveys,
and adding, editing, moving and deleting questions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Activity
from planning.models import Answer, Question, Response, Survey
from planning.surveys import banks
from planning.surveys.forms import QuestionForm
from planning.surveys.services import surveys as services
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

Kind = Question.Kind


def url(name, survey=None, question=None, cohort=None):
    kwargs = {"cohort_slug": (cohort or survey.cohort).slug}
    if survey is not None:
        kwargs["survey_id"] = survey.public_id
    if question is not None:
        kwargs["question_id"] = question.public_id
    return reverse(f"planning:{name}", kwargs=kwargs)


@pytest.fixture
def staff(client_for):
    return client_for("staff")


@pytest.fixture
def survey(world):
    survey = factories.SurveyFactory(
        cohort=world.cohort, title="Spring needs", status=Survey.Status.DRAFT
    )
    for text in ("First?", "Second?", "Third?"):
        factories.QuestionFactory(survey=survey, text=text)
    return survey


def texts(survey):
    return list(survey.questions.order_by("position", "pk").values_list("text", flat=True))


# -- the templates -------------------------------------------------------------------------


def test_the_two_templates_use_all_seven_kinds_and_fill_the_inventory():
    kinds = {
        q["kind"]
        for key in (banks.NEEDS, banks.EXPERTISE)
        for q in banks.STARTING_POINTS[key]["questions"]
    }
    assert kinds == set(Kind.values)
    needs = banks.STARTING_POINTS[banks.NEEDS]["questions"]
    assert 8 <= len(needs) <= 10
    assert needs[0]["kind"] == Kind.PICK_N and needs[0]["fills"] == Question.Fills.NEEDS
    expertise = banks.STARTING_POINTS[banks.EXPERTISE]["questions"]
    assert expertise[0]["fills"] == Question.Fills.EXPERTISE


def test_template_options_are_the_cohort_topics(world):
    factories.TopicFactory(cohort=world.cohort, name="Raising funds")
    factories.TopicFactory(cohort=world.cohort, name="Youth programs")
    questions = banks.questions_for(banks.NEEDS, world.cohort)
    assert questions[0]["choices"] == ["Board development", "Raising funds", "Youth programs"]
    assert questions[0]["max_picks"] == 3
    # Every value is a plain string, ready for a JSONField and the database.
    for question in questions:
        for value in question.values():
            assert isinstance(value, str | int | bool | list)


def test_a_cohort_without_topics_gets_the_default_practice_areas(world):
    world.cohort.topics.all().delete()
    questions = banks.questions_for(banks.NEEDS, world.cohort)
    assert "Board development" in questions[0]["choices"]
    assert "Volunteer management" in questions[0]["choices"]
    assert len(questions[0]["choices"]) >= 8


def test_a_cohort_with_few_topics_gets_them_first_then_the_usual_areas(world):
    factories.TopicFactory(cohort=world.cohort, name="Youth programs")
    choices = banks.questions_for(banks.NEEDS, world.cohort)[0]["choices"]
    assert choices[:2] == ["Board development", "Youth programs"]
    assert choices.count("Board development") == 1
    assert "Raising funds" in choices


# -- the list --------------------------------------------------------------------------------


def test_empty_list_explains_what_surveys_are_for(world, staff):
    response = staff.get(url("survey-list", cohort=world.cohort))
    content = response.content.decode()
    assert "No surveys yet" in content
    assert "needs assessment" in content
    assert "?start=needs" in content


def test_list_shows_counts(world, staff, survey):
    community_survey = factories.SurveyFactory(
        cohort=world.cohort, community=world.community, title="Board Builders check"
    )
    factories.QuestionFactory(survey=community_survey)
    recipient = factories.SurveyRecipientFactory(
        survey=community_survey, participant=world.participant_participant
    )
    Response.objects.create(
        survey=community_survey, recipient=recipient, submitted_at=timezone.now()
    )
    factories.SurveyRecipientFactory(survey=community_survey, participant=world.leader_participant)
    factories.SurveyFactory(cohort=world.other_cohort, title="Not ours")

    response = staff.get(url("survey-list", cohort=world.cohort))

    rows = {s.title: s for s in response.context["surveys"]}
    assert set(rows) == {"Spring needs", "Board Builders check"}
    assert (rows["Spring needs"].question_count, rows["Spring needs"].recipient_count) == (3, 0)
    checked = rows["Board Builders check"]
    assert (checked.question_count, checked.recipient_count, checked.submitted_count) == (1, 2, 1)
    content = response.content.decode()
    assert "Board Builders" in content
    assert "Draft" in content


def grow_surveys(world, n):
    for _ in range(n):
        survey = factories.SurveyFactory(cohort=world.cohort, community=world.community)
        factories.QuestionFactory(survey=survey)
        factories.QuestionFactory(survey=survey)
        recipient = factories.SurveyRecipientFactory(
            survey=survey, participant=world.participant_participant
        )
        Response.objects.create(survey=survey, recipient=recipient, submitted_at=timezone.now())


def test_list_query_count_is_flat(world, staff):
    list_url = url("survey-list", cohort=world.cohort)
    grow_surveys(world, 1)
    small, _ = count_queries(staff, list_url)
    grow_surveys(world, 49)
    large, response = count_queries(staff, list_url)
    assert len(response.context["surveys"]) == 50
    assert large == small, f"{small} queries for 1 survey, {large} for 50"


# -- creating --------------------------------------------------------------------------------


def test_create_from_the_needs_template(world, staff):
    factories.TopicFactory(cohort=world.cohort, name="Volunteer management")
    response = staff.post(
        url("survey-create", cohort=world.cohort),
        {
            "starting_point": "needs",
            "title": "",
            "intro": "",
            "community": "",
            "closes_at": "",
            "reminder_limit": "2",
            "reminder_interval_days": "3",
        },
    )
    survey = Survey.objects.get(cohort=world.cohort)
    assert response.status_code == 302
    assert response["Location"] == survey.get_absolute_url()
    assert survey.kind == Survey.Kind.NEEDS
    assert survey.status == Survey.Status.DRAFT
    assert survey.title == "Needs assessment"
    assert "organization needs" in survey.intro
    assert survey.created_by == world.staff
    questions = list(survey.questions.order_by("position"))
    assert [q.position for q in questions] == list(range(len(questions)))
    first = questions[0]
    assert first.kind == Kind.PICK_N
    assert first.choices[:2] == ["Board development", "Volunteer management"]
    assert "Raising funds" in first.choices
    assert first.max_picks == 3
    assert first.fills == "needs"
    assert Activity.objects.filter(cohort=world.cohort, verb="created survey").exists()


def test_create_blank_for_a_community_with_a_closing_time(world, staff):
    closes = (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    staff.post(
        url("survey-create", cohort=world.cohort),
        {
            "starting_point": "blank",
            "title": "  Our   check-in ",
            "intro": "Why we ask.",
            "community": str(world.community.public_id),
            "closes_at": closes,
            "reminder_limit": "0",
            "reminder_interval_days": "5",
        },
    )
    survey = Survey.objects.get(cohort=world.cohort)
    assert survey.title == "Our check-in"
    assert survey.kind == Survey.Kind.OTHER
    assert survey.community == world.community
    assert survey.closes_at > timezone.now()
    assert survey.reminder_limit == 0
    assert not survey.questions.exists()


def test_create_live_poll_kind(world, staff):
    staff.post(
        url("survey-create", cohort=world.cohort),
        {"starting_point": "poll", "reminder_limit": "2", "reminder_interval_days": "3"},
    )
    survey = Survey.objects.get(cohort=world.cohort)
    assert (survey.kind, survey.title) == (Survey.Kind.POLL, "Live poll")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("starting_point", "nonsense", "Select a valid choice"),
        ("closes_at", "2020-01-01T10:00", "Choose a moment in the future"),
        ("reminder_limit", "50", "At most 10 reminders"),
        ("reminder_interval_days", "0", "Choose from 1 to 60 days"),
        ("community", "not-a-community", "Select a valid choice"),
    ],
)
def test_create_with_bad_input_shows_the_error_and_saves_nothing(
    world, staff, field, value, message
):
    data = {
        "starting_point": "needs",
        "title": "",
        "reminder_limit": "2",
        "reminder_interval_days": "3",
        field: value,
    }
    response = staff.post(url("survey-create", cohort=world.cohort), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not Survey.objects.exists()
    # The same request with good input goes through.
    data[field] = {"starting_point": "needs", "community": ""}.get(field, "2")
    if field == "closes_at":
        data[field] = ""
    response = staff.post(url("survey-create", cohort=world.cohort), data)
    assert response.status_code == 302
    assert Survey.objects.count() == 1


def test_community_of_another_cohort_is_refused(world, staff):
    elsewhere = factories.CommunityFactory(cohort=world.other_cohort)
    response = staff.post(
        url("survey-create", cohort=world.cohort),
        {
            "starting_point": "blank",
            "title": "x",
            "community": str(elsewhere.public_id),
            "reminder_limit": "2",
            "reminder_interval_days": "3",
        },
    )
    assert response.status_code == 200
    assert "community" in response.context["form"].errors
    assert not Survey.objects.exists()


def test_create_page_preselects_the_template_asked_for(world, staff):
    response = staff.get(url("survey-create", cohort=world.cohort) + "?start=expertise")
    content = response.content.decode()
    assert (
        'value="expertise" id="start-expertise" aria-describedby="start-expertise-help" checked'
        in content
    )
    assert "Expertise inventory" in content


# -- the builder page ------------------------------------------------------------------------


def test_builder_page_shows_questions_and_actions(world, staff, survey):
    question = survey.questions.order_by("position").first()
    question.required = True
    question.help_text = "Pick the closest."
    question.save()
    response = staff.get(survey.get_absolute_url())
    content = response.content.decode()
    assert content.index("First?") < content.index("Second?") < content.index("Third?")
    assert "Pick the closest." in content
    assert "required" in content
    assert "Raising funds" in content  # the options
    assert url("live-start", survey) in content
    assert url("survey-results", survey) in content
    assert url("survey-recipients", survey) in content
    assert "Open for answers" in content
    assert "Delete this survey? Any answers are deleted too." in content
    assert "data-confirm" in content


def test_another_cohorts_survey_is_404(world, staff):
    other = factories.QuestionFactory(survey__cohort=world.other_cohort).survey
    assert staff.get(url("survey-detail", other, cohort=world.cohort)).status_code == 404
    assert staff.post(url("survey-delete", other, cohort=world.cohort)).status_code == 404
    assert Survey.objects.filter(pk=other.pk).exists()


def test_edit_settings(world, staff, survey):
    response = staff.post(
        url("survey-edit", survey),
        {
            "title": "Autumn needs",
            "kind": "expertise",
            "intro": "Hello",
            "community": "",
            "closes_at": "",
            "reminder_limit": "3",
            "reminder_interval_days": "7",
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.title, survey.kind, survey.reminder_limit, survey.reminder_interval_days) == (
        "Autumn needs",
        "expertise",
        3,
        7,
    )
    assert Activity.objects.filter(verb="updated survey").exists()


def test_edit_settings_bad_input_saves_nothing(world, staff, survey):
    response = staff.post(
        url("survey-edit", survey),
        {"title": "", "kind": "needs", "reminder_limit": "2", "reminder_interval_days": "3"},
    )
    assert response.status_code == 200
    assert "This field is required" in str(response.context["form"].errors["title"])
    survey.refresh_from_db()
    assert survey.title == "Spring needs"


def test_status_open_close_reopen(world, staff, survey):
    staff.post(url("survey-status", survey), {"status": "open"})
    survey.refresh_from_db()
    assert survey.status == "open"
    staff.post(url("survey-status", survey), {"status": "closed"})
    survey.refresh_from_db()
    assert survey.status == "closed"
    response = staff.post(url("survey-status", survey), {"status": "open"}, follow=True)
    survey.refresh_from_db()
    assert survey.status == "open"
    assert "personal links take answers" in response.content.decode()


def test_a_survey_without_questions_cannot_open(world, staff):
    empty = factories.SurveyFactory(cohort=world.cohort, status=Survey.Status.DRAFT)
    response = staff.post(url("survey-status", empty), {"status": "open"}, follow=True)
    empty.refresh_from_db()
    assert empty.status == "draft"
    assert "Add at least one question first" in response.content.decode()


def test_reopen_after_the_closing_time_asks_for_a_later_one(world, staff, survey):
    survey.status = Survey.Status.CLOSED
    survey.closes_at = timezone.now() - timedelta(days=1)
    survey.save()
    response = staff.post(url("survey-status", survey), {"status": "open"}, follow=True)
    survey.refresh_from_db()
    assert survey.status == "closed"
    assert "has passed" in response.content.decode()


def test_status_without_a_choice_or_a_wrong_transition(world, staff, survey):
    response = staff.post(url("survey-status", survey), follow=True)
    assert "Choose whether to open or close" in response.content.decode()
    response = staff.post(url("survey-status", survey), {"status": "closed"}, follow=True)
    assert "cannot be set to closed" in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == "draft"


def test_copy_makes_a_draft_with_all_questions(world, staff, survey):
    survey.status = Survey.Status.OPEN
    survey.community = world.community
    survey.closes_at = timezone.now() + timedelta(days=3)
    survey.save()
    factories.SurveyRecipientFactory(survey=survey, participant=world.participant_participant)
    response = staff.post(url("survey-copy", survey))
    copy = Survey.objects.exclude(pk=survey.pk).get()
    assert response["Location"] == copy.get_absolute_url()
    assert copy.title == "Copy of Spring needs"
    assert copy.status == "draft"
    assert copy.community == world.community
    assert copy.closes_at is None
    assert texts(copy) == texts(survey)
    assert not copy.recipients.exists()
    first = copy.questions.order_by("position").first()
    assert first.choices == ["Board development", "Raising funds", "Staff"]


def test_delete_survey_with_its_responses(world, staff, survey):
    recipient = factories.SurveyRecipientFactory(
        survey=survey, participant=world.participant_participant
    )
    response_row = Response.objects.create(
        survey=survey, recipient=recipient, submitted_at=timezone.now()
    )
    Answer.objects.create(response=response_row, question=survey.questions.first(), value="Staff")
    response = staff.post(url("survey-delete", survey), follow=True)
    assert not Survey.objects.filter(pk=survey.pk).exists()
    assert not Response.objects.exists()
    assert "Its 1 response went with it." in response.content.decode()
    assert Activity.objects.filter(verb="deleted survey", target="Spring needs").exists()


# -- questions -------------------------------------------------------------------------------


def question_data(**overrides):
    data = {
        "kind": "single",
        "text": "How would you prefer to meet?",
        "help_text": "",
        "options": "In person\nVirtually\n\nEither",
        "max_picks": "",
        "scale_min": "1",
        "scale_max": "5",
        "scale_min_label": "",
        "scale_max_label": "",
        "fills": "",
    }
    data.update(overrides)
    return data


def test_add_a_question_at_the_end(world, staff, survey):
    response = staff.post(url("question-add", survey), question_data(required="on"))
    question = survey.questions.get(text="How would you prefer to meet?")
    assert response["Location"].endswith(f"#question-{question.public_id}")
    assert question.choices == ["In person", "Virtually", "Either"]
    assert question.required
    assert question.position > max(q.position for q in survey.questions.exclude(pk=question.pk))
    assert texts(survey)[-1] == "How would you prefer to meet?"


def test_add_and_write_another(world, staff, survey):
    response = staff.post(url("question-add", survey), {**question_data(), "then": "add"})
    assert response["Location"] == url("question-add", survey)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"options": "Only one"}, "options", "at least two different options"),
        ({"options": "Yes\nyes"}, "options", "listed twice"),
        ({"options": ""}, "options", "at least two different options"),
        ({"kind": "pick_n", "max_picks": ""}, "max_picks", "how many options a person may pick"),
        ({"kind": "pick_n", "max_picks": "4"}, "max_picks", "from 1 to 3"),
        ({"kind": "pick_n", "max_picks": "0"}, "max_picks", "from 1 to 3"),
        ({"kind": "rating", "scale_min": "5", "scale_max": "5"}, "scale_max", "above the lowest"),
        ({"kind": "rating", "scale_min": "0", "scale_max": "11"}, "scale_max", "at most 11"),
        ({"kind": "rating", "scale_max": ""}, "scale_max", "highest point"),
        ({"text": "  "}, "text", "This field is required"),
    ],
)
def test_bad_question_shows_the_error_next_to_the_field_and_saves_nothing(
    world, staff, survey, overrides, field, message
):
    response = staff.post(url("question-add", survey), question_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in str(errors[field])
    assert survey.questions.count() == 3


def test_rating_question_keeps_its_scale_and_drops_options(world, staff, survey):
    staff.post(
        url("question-add", survey),
        question_data(
            kind="rating",
            text="How ready are you?",
            scale_min="0",
            scale_max="10",
            scale_min_label="Not ready",
            scale_max_label="Ready",
            fills="needs",
        ),
    )
    question = survey.questions.get(text="How ready are you?")
    assert (question.scale_min, question.scale_max) == (0, 10)
    assert (question.scale_min_label, question.scale_max_label) == ("Not ready", "Ready")
    assert question.choices == []
    assert question.fills == ""


def test_text_question_drops_what_does_not_apply(world, staff, survey):
    staff.post(
        url("question-add", survey),
        question_data(kind="long_text", text="Your hopes?", max_picks="2", scale_min_label="x"),
    )
    question = survey.questions.get(text="Your hopes?")
    assert (question.choices, question.max_picks, question.scale_min_label) == ([], None, "")


def test_pick_n_question(world, staff, survey):
    staff.post(
        url("question-add", survey),
        question_data(
            kind="pick_n", text="Top needs?", options="A\nB\nC\nD", max_picks="3", fills="needs"
        ),
    )
    question = survey.questions.get(text="Top needs?")
    assert (question.max_picks, question.fills, question.choices) == (3, "needs", list("ABCD"))


def test_question_form_page_marks_fields_by_type(world, staff, survey):
    response = staff.get(url("question-add", survey) + "?kind=rating")
    content = response.content.decode()
    assert 'data-show-for="rating"' in content
    assert 'data-show-for="single multiple pick_n ranking"' in content
    assert 'data-show-for="pick_n"' in content
    assert "js/survey-builder.js" in content
    assert response.context["form"]["kind"].value() == "rating"


def test_edit_a_question(world, staff, survey):
    question = survey.questions.get(text="Second?")
    response = staff.get(url("question-edit", survey, question))
    assert "Board development\nRaising funds\nStaff" in response.content.decode()
    staff.post(
        url("question-edit", survey, question),
        question_data(text="Second, reworded?", options="Board development\nRaising funds"),
    )
    question.refresh_from_db()
    assert question.text == "Second, reworded?"
    assert question.choices == ["Board development", "Raising funds"]
    assert texts(survey) == ["First?", "Second, reworded?", "Third?"]
    assert Activity.objects.filter(verb="edited question").exists()


def answered(question, participant, value):
    recipient = factories.SurveyRecipientFactory(survey=question.survey, participant=participant)
    response = Response.objects.create(
        survey=question.survey, recipient=recipient, submitted_at=timezone.now()
    )
    return Answer.objects.create(response=response, question=question, value=value)


def test_editing_an_answered_question_warns_and_keeps_its_type(world, staff, survey):
    question = survey.questions.get(text="First?")
    answered(question, world.participant_participant, "Staff")
    response = staff.get(url("question-edit", survey, question))
    assert "1 person has answered this question already" in response.content.decode()

    response = staff.post(
        url("question-edit", survey, question), question_data(kind="multiple", text="First?")
    )
    assert response.status_code == 200
    assert "its type cannot change" in str(response.context["form"].errors["kind"])
    question.refresh_from_db()
    assert question.kind == "single"
    # Rewording it is fine.
    response = staff.post(
        url("question-edit", survey, question), question_data(text="First, clearer?")
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "First, clearer?"


def test_another_surveys_question_is_404(world, staff, survey):
    stranger = factories.QuestionFactory(survey__cohort=world.cohort)
    assert staff.get(url("question-edit", survey, stranger)).status_code == 404
    assert staff.post(url("question-delete", survey, stranger)).status_code == 404
    assert Question.objects.filter(pk=stranger.pk).exists()


def test_move_questions(world, staff, survey):
    third = survey.questions.get(text="Third?")
    staff.post(url("question-move", survey, third), {"direction": "up"})
    assert texts(survey) == ["First?", "Third?", "Second?"]
    staff.post(url("question-move", survey, third), {"direction": "up"})
    assert texts(survey) == ["Third?", "First?", "Second?"]
    response = staff.post(url("question-move", survey, third), {"direction": "up"}, follow=True)
    assert texts(survey) == ["Third?", "First?", "Second?"]
    assert "already the first one" in response.content.decode()
    staff.post(url("question-move", survey, third), {"direction": "down"})
    assert texts(survey) == ["First?", "Third?", "Second?"]
    positions = list(survey.questions.order_by("position").values_list("position", flat=True))
    assert positions == [0, 1, 2]


def test_move_without_a_direction_says_so(world, staff, survey):
    third = survey.questions.get(text="Third?")
    response = staff.post(url("question-move", survey, third), follow=True)
    assert "up or down" in response.content.decode()
    assert texts(survey) == ["First?", "Second?", "Third?"]


def test_delete_a_question_renumbers(world, staff, survey):
    first = survey.questions.get(text="First?")
    answered(first, world.participant_participant, "Staff")
    response = staff.post(url("question-delete", survey, first), follow=True)
    assert texts(survey) == ["Second?", "Third?"]
    assert list(survey.questions.values_list("position", flat=True).order_by("position")) == [0, 1]
    assert "Its 1 answer went with it." in response.content.decode()


def test_question_form_clean_options_returns_a_list():
    form = QuestionForm(data=question_data(options="  A  \n\nB   b\n"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["options"] == ["A", "B b"]


def test_copy_service_records_activity(world, survey):
    copy = services.copy_survey(survey, actor=world.staff)
    assert Activity.objects.filter(verb="copied survey", target=copy.title).exists()


# -- the services take domain values ---------------------------------------------------------


def test_the_survey_services_take_values_not_forms(world):
    """What a task or a command would do: no form, only the values."""
    from planning.surveys.services import questions

    survey = services.create_survey(
        cohort=world.cohort,
        actor=world.staff,
        starting_point=banks.BLANK,
        title="",
        intro="Why we ask",
        community=None,
        closes_at=None,
        reminder_limit=1,
        reminder_interval_days=4,
    )
    assert (survey.title, survey.kind, survey.intro) == ("Survey", Survey.Kind.OTHER, "Why we ask")
    assert survey.status == Survey.Status.DRAFT

    services.update_survey(survey, actor=world.staff, title="Spring needs", reminder_limit=1)
    survey.refresh_from_db()
    assert survey.title == "Spring needs"
    assert Activity.objects.get(verb="updated survey").data["fields"] == ["title"]

    question = questions.save_question(
        survey, actor=world.staff, kind=Kind.SINGLE, text="Which?", choices=["A", "B"]
    )
    assert (question.position, question.choices) == (0, ["A", "B"])
    questions.save_question(survey, actor=world.staff, question=question, text="Which one?")
    question.refresh_from_db()
    assert question.text == "Which one?"
    assert Activity.objects.get(verb="edited question").data["fields"] == ["text"]

    with pytest.raises(TypeError):
        services.update_survey(survey, actor=world.staff, status=Survey.Status.OPEN)
