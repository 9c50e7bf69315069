"""A person's own data: the download holds what copkit keeps about them, from every cohort;
deleting an account takes their name off every shared page, keeps the results' counts, and
can only be done by the person themselves."""

import io
import json
import zipfile

from django.urls import reverse
from django.utils import timezone

from cohorts.models import Activity
from copkit.models import OutboxMessage, User
from planning.meetings.models import Attendance
from planning.surveys.models import Answer, Response
from planning.surveys.results import survey_results
from tests import factories
from tests.matrix_workspace import PDF, file_of, reply_of, thread_of


def answered_survey(world):
    question = factories.QuestionFactory(survey__cohort=world.cohort)
    for person in (world.leader_participant, world.participant_participant):
        response = Response.objects.create(
            survey=question.survey, participant=person, submitted_at=timezone.now()
        )
        Answer.objects.create(response=response, question=question, value="Staff")
    return question.survey


def pats_things(world):
    survey = answered_survey(world)
    thread = thread_of(world)
    reply_of(world, thread=thread, author=world.leader)
    reply_of(world, thread=thread_of(world, author=world.leader))
    shared = file_of(world)
    meeting = factories.MeetingFactory(community=world.community)
    Attendance.objects.create(
        meeting=meeting, participant=world.participant_participant, status="present"
    )
    # Pat also belongs to a second cohort.
    elsewhere = factories.ParticipantFactory(
        cohort=world.other_cohort,
        user=world.participant,
        name="Pat P.",
        email=world.participant.email,
    )
    # And a third cohort invited Pat's address; Pat has not joined it yet.
    pending = factories.InvitationFactory(
        participant=factories.ParticipantFactory(
            cohort=factories.CohortFactory(), name="Pat Participant", email="Pat@Pantry.example"
        )
    )
    return {
        "survey": survey,
        "thread": thread,
        "file": shared,
        "elsewhere": elsewhere,
        "pending": pending.participant,
    }


def test_download_holds_my_data_from_every_cohort(world, client_for):
    things = pats_things(world)
    response = client_for("participant").get(reverse("my-data-download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    zipped = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(zipped.read("data.json"))
    assert data["account"]["email"] == world.participant.email
    cohorts = {r["cohort"] for r in data["people"]["participant_records"]}
    assert cohorts == {world.cohort.name, world.other_cohort.name}
    assert [m["community"] for m in data["people"]["memberships"]] == [world.community.name]
    answers = data["planning"]["survey_and_poll_answers"]
    assert [(a["survey"], a["answer"]) for a in answers] == [(things["survey"].title, "Staff")]
    assert {p.get("title") for p in data["planning"]["posts"]} >= {things["thread"].title}
    assert [a["status"] for a in data["planning"]["attendance"]] == ["present"]
    (path,) = [f["file"] for f in data["planning"]["files"]]
    assert zipped.read(path) == PDF
    # Only Pat's own: Lee's answer is not in it.
    assert len(answers) == 1


def test_deleting_my_account_removes_my_name_and_keeps_the_counts(world, client_for):
    things = pats_things(world)
    before = survey_results(things["survey"])
    client = client_for("participant")
    page = client.get(reverse("account-delete"))
    assert page.status_code == 200

    # A wrong address: the error beside the field, nothing deleted.
    wrong = client.post(reverse("account-delete"), {"email": "lee@pantry.example"})
    assert wrong.status_code == 200
    assert "not the address of your account" in wrong.content.decode()
    assert User.objects.get(pk=world.participant.pk).is_active

    done = client.post(reverse("account-delete"), {"email": "PAT@pantry.example"})
    assert done.status_code == 200
    user = User.objects.get(pk=world.participant.pk)
    assert not user.is_active and not user.has_usable_password()
    assert "pat" not in user.email and user.name == ""
    # The confirmation goes to the address the account had, through the outbox.
    mail = OutboxMessage.objects.get(kind="account_deleted")
    assert mail.to_email == "pat@pantry.example"
    assert mail.subject == "Your copkit account has been deleted"
    assert "Pat" not in mail.body_text and "no longer log in" in mail.body_text
    # Logged out, and cannot log in again.
    assert client.get(reverse("my-data")).status_code == 302
    assert not client.login(email="pat@pantry.example", password=world.password)

    # The results' counts are unchanged; no answer points at a person any more.
    after = survey_results(things["survey"])
    assert after.responses == before.responses == 2
    assert [r.count for r in after.tallies[0].rows] == [r.count for r in before.tallies[0].rows]
    assert Response.objects.filter(participant__user=world.participant).count() == 0
    assert Response.objects.filter(survey=things["survey"], participant__isnull=True).count() == 1

    # What the other members see: no trace of Pat's name.
    lee = client_for("leader")
    for url in (
        reverse("cohorts:community-detail", args=[world.cohort.slug, world.community.slug]),
        reverse("planning:workspace", args=[world.cohort.slug, world.community.slug]),
        reverse(
            "planning:workspace-thread",
            args=[world.cohort.slug, world.community.slug, things["thread"].public_id],
        ),
        reverse("planning:workspace-files", args=[world.cohort.slug, world.community.slug]),
    ):
        body = lee.get(url).content.decode()
        assert "Pat Participant" not in body and "pat@pantry.example" not in body, url
    # The posts stay for the community, without an author.
    things["thread"].refresh_from_db()
    assert things["thread"].author_id is None
    # The activity log says a former member did it, never Pat.
    deleted = Activity.objects.get(cohort=world.cohort, verb="deleted account")
    assert deleted.sentence == "Former member deleted their account"
    # The other cohort forgot Pat too.
    things["elsewhere"].refresh_from_db()
    assert things["elsewhere"].name == "Former member" and things["elsewhere"].user_id is None
    things["pending"].refresh_from_db()
    assert things["pending"].name == "Former member"
    assert not hasattr(things["pending"], "invitation")


def test_staff_cannot_delete_someone_else(world, client_for):
    staff = client_for("staff")
    response = staff.post(reverse("account-delete"), {"email": world.participant.email})
    assert response.status_code == 200
    assert "not the address of your account" in response.content.decode()
    assert User.objects.get(pk=world.participant.pk).is_active
    assert User.objects.get(pk=world.staff.pk).is_active
    # The form takes no one's id: the only account it deletes is the logged-in one.
    assert staff.post(reverse("account-delete"), {"email": world.staff.email}).status_code == 200
    assert not User.objects.get(pk=world.staff.pk).is_active
    assert User.objects.get(pk=world.participant.pk).is_active


def test_my_data_page_links_download_and_delete(world, client_for):
    body = client_for("participant").get(reverse("my-data")).content.decode()
    assert reverse("my-data-download") in body and reverse("account-delete") in body
