"""The archive export: the ZIP's contents checked against the database, the signed link,
who may make and download which archive, the progress bar, and flat query counts."""

import csv
import io
import json
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cohorts.models import Activity
from copkit import later
from planning.meetings import ical
from planning.meetings.models import Attendance
from planning.sunset.archive import build
from planning.sunset.archive.models import Archive
from planning.surveys.models import Answer, Response
from tests import factories
from tests.matrix_archive import ready_archive
from tests.matrix_knowledge import item_of
from tests.matrix_workspace import PDF, file_of, reply_of
from tests.queries import count_queries


def fill(world):
    """Board Builders with a plan, two meetings with attendance, a knowledge item with a PDF,
    a thread with a reply, a shared file, and a survey Lee and Pat answered."""
    plan = factories.ActionPlanFactory(community=world.community)
    factories.PlanPartFactory(plan=plan, key="goals", data={"goals": "Recruit two board members"})
    meetings = [factories.MeetingFactory(community=world.community) for _ in range(2)]
    for meeting in meetings:
        for person in (world.leader_participant, world.participant_participant):
            Attendance.objects.create(meeting=meeting, participant=person, status="present")
    item = item_of(world)
    item_of(world, shared=False)  # a draft: its author's, not in the archive
    attached = file_of(world, to=item)
    shared = file_of(world)
    reply = reply_of(world)
    question = factories.QuestionFactory(survey__cohort=world.cohort, survey__community=None)
    for person, value in (
        (world.leader_participant, "Staff"),
        (world.participant_participant, "Staff"),
    ):
        response = Response.objects.create(
            survey=question.survey, participant=person, submitted_at=timezone.now()
        )
        Answer.objects.create(response=response, question=question, value=value)
    return {
        "plan": plan,
        "meetings": meetings,
        "item": item,
        "attached": attached,
        "shared": shared,
        "reply": reply,
        "survey": question.survey,
    }


def open_zip(archive):
    archive.refresh_from_db()
    with archive.stored.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_staff_start_the_cohort_archive_and_its_contents_match_the_database(
    world, client_for, django_capture_on_commit_callbacks
):
    rows = fill(world)
    client = client_for("staff")
    with (
        mock.patch.object(build.build_archive, "delay_on_commit") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("planning:cohort-export-start", args=[world.cohort.slug]))
    assert response.status_code == 302
    archive = Archive.objects.get(cohort=world.cohort)
    queued.assert_called_once_with(archive.pk)
    assert archive.state == Archive.State.QUEUED and archive.audience == "staff"
    # A second click while it is queued makes no second archive.
    client.post(reverse("planning:cohort-export-start", args=[world.cohort.slug]))
    assert Archive.objects.filter(cohort=world.cohort).count() == 1

    build.build_archive(archive.pk)
    archive.refresh_from_db()
    assert archive.state == Archive.State.READY and archive.progress == 100
    zipped = open_zip(archive)
    names = set(zipped.namelist())
    folder = f"communities/{world.community.slug}/"

    # The plan's JSON is its parts; its PDF is a PDF.
    plan = json.loads(zipped.read(folder + "plans/action-plan.json"))
    assert plan["parts"] == {p.key: p.data for p in rows["plan"].parts.all()}
    assert plan["status"] == rows["plan"].status
    assert zipped.read(folder + "plans/action-plan.pdf").startswith(b"%PDF")

    # The calendar parses and has every meeting; attendance has one row per record.
    cal = Calendar.from_ical(zipped.read(folder + "meetings/meetings.ics"))
    events = list(cal.walk("VEVENT"))
    assert sorted(str(e["summary"]) for e in events) == sorted(
        ical.summary(m) for m in rows["meetings"]
    )
    attendance = list(
        csv.DictReader(io.StringIO(zipped.read(folder + "meetings/attendance.csv").decode()))
    )
    assert len(attendance) == Attendance.objects.filter(meeting__community=world.community).count()
    assert {a["person"] for a in attendance} == {"Lee Leader", "Pat Participant"}
    meetings_csv = list(
        csv.reader(io.StringIO(zipped.read(folder + "meetings/meetings.csv").decode()))
    )
    assert len(meetings_csv) == 1 + len(rows["meetings"])

    # The knowledge item's file and the shared file, byte for byte.
    items = json.loads(zipped.read(folder + "knowledge/items.json"))
    assert [i["title"] for i in items] == [rows["item"].title]
    (attached_path,) = items[0]["files"]
    assert zipped.read(attached_path) == PDF
    shared = [n for n in names if n.startswith(folder + "files/")]
    assert len(shared) == 1 and zipped.read(shared[0]) == PDF

    # The discussion with its reply.
    threads = json.loads(zipped.read(folder + "discussions/threads.json"))
    assert threads[0]["title"] == rows["reply"].thread.title
    assert threads[0]["replies"][0]["body"] == rows["reply"].body
    assert rows["reply"].body in zipped.read(folder + "discussions/threads.txt").decode()

    # Cohort-wide survey: figures, and (for staff) every response.
    base = f"cohort/surveys/{rows['survey'].public_id.hex[:8]}"
    results = json.loads(zipped.read(base + "-results.json"))
    assert results["responses"] == 2
    assert {r["label"]: r["count"] for r in results["questions"][0]["rows"]}["Staff"] == 2
    assert base + "-responses.csv" in names

    # The manifest lists every other file.
    manifest = zipped.read("MANIFEST.txt").decode()
    assert all(name in manifest for name in names - {"MANIFEST.txt"})

    # Building was logged; so is a download through the page's link.
    assert Activity.objects.filter(cohort=world.cohort, verb="started archive").count() == 1
    page = client.get(reverse("planning:cohort-export", args=[world.cohort.slug]))
    link = reverse("planning:export-download", args=[world.cohort.slug, build.token_for(archive)])
    assert link in page.content.decode()
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert Activity.objects.filter(cohort=world.cohort, verb="downloaded archive").count() == 1


def test_a_leaders_archive_has_figures_only_and_no_personal_answers(world, client_for):
    rows = fill(world)
    rows["survey"].community = world.community
    rows["survey"].save()
    client = client_for("leader")
    url = reverse("planning:community-export-start", args=[world.cohort.slug, world.community.slug])
    with mock.patch.object(build.build_archive, "delay_on_commit"):
        assert client.post(url).status_code == 302
    archive = Archive.objects.get(community=world.community)
    assert archive.audience == Archive.Audience.LEADERS
    build.build(archive)
    zipped = open_zip(archive)
    names = zipped.namelist()
    assert not [n for n in names if n.endswith("-responses.csv")]
    results = json.loads(zipped.read(f"surveys/{rows['survey'].public_id.hex[:8]}-results.json"))
    # The figures of their own community, with no one's answer.
    assert results["responses"] == 2 and results["hidden"] is False
    assert {r["label"]: r["count"] for r in results["questions"][0]["rows"]}["Staff"] == 2
    assert (
        "Lee Leader"
        not in zipped.read(f"surveys/{rows['survey'].public_id.hex[:8]}-results.json").decode()
    )
    # The leader downloads it through the link; a staff archive of the same community is not theirs.
    leader_link = reverse(
        "planning:export-download", args=[world.cohort.slug, build.token_for(archive)]
    )
    assert client.get(leader_link).status_code == 200
    staff_archive = ready_archive(world, community=world.community)
    staff_link = reverse(
        "planning:export-download", args=[world.cohort.slug, build.token_for(staff_archive)]
    )
    assert client.get(staff_link).status_code == 403
    assert client_for("staff").get(staff_link).status_code == 200


def test_the_signed_link_is_refused_when_tampered_or_expired(world, client_for):
    archive = ready_archive(world)
    client = client_for("staff")
    token = build.token_for(archive)
    url = reverse("planning:export-download", args=[world.cohort.slug, token])
    tampered = reverse("planning:export-download", args=[world.cohort.slug, token[:-2] + "xx"])
    assert client.get(tampered).status_code == 410
    other = signing.TimestampSigner(salt="something else").sign(str(archive.public_id))
    assert (
        client.get(reverse("planning:export-download", args=[world.cohort.slug, other])).status_code
        == 410
    )
    assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + build.KEEP_FOR + timedelta(minutes=1)):
        client.force_login(world.staff)  # the session itself is younger than the link
        response = client.get(url)
        assert response.status_code == 410
        assert "no longer works" in response.content.decode()
    # The same link, in time, still works: the refusal came from the clock.
    assert client.get(url).status_code == 200


def test_the_sweep_deletes_expired_files(world):
    archive = ready_archive(world)
    name = archive.stored.name
    storage = archive.stored.storage
    assert storage.exists(name)
    sweep = build.expired_archives
    assert sweep.name in {s.name for s in later.registered()}
    sweep.run(timezone.now())
    assert storage.exists(name)
    sweep.run(timezone.now() + build.KEEP_FOR + timedelta(seconds=1))
    archive.refresh_from_db()
    assert archive.state == Archive.State.EXPIRED and not archive.stored
    assert not storage.exists(name)


def test_progress_fragment_polls_while_building_and_refreshes_when_done(world, client_for):
    archive = Archive.objects.create(cohort=world.cohort, audience="staff")
    Archive.objects.filter(pk=archive.pk).update(state="building", progress=40)
    url = reverse("planning:cohort-export-progress", args=[world.cohort.slug, archive.public_id])
    client = client_for("staff")
    response = client.get(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body and "40%" in body
    assert "HX-Refresh" not in response
    build.build(archive)
    response = client.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    assert "ready" in response.content.decode()


def test_a_failed_build_says_so(world):
    archive = Archive.objects.create(cohort=world.cohort, audience="staff")
    with (
        mock.patch.object(build, "build", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        build.build_archive(archive.pk)
    archive.refresh_from_db()
    assert archive.state == Archive.State.FAILED


@pytest.mark.parametrize(
    ("name", "persona"),
    [("planning:cohort-export", "staff"), ("planning:community-export", "leader")],
)
def test_query_count_is_flat(name, persona, world, client_for):
    client = client_for(persona)
    community = world.community if name.startswith("planning:community") else None
    args = [world.cohort.slug] + ([world.community.slug] if community else [])
    url = reverse(name, args=args)
    audience = "staff" if persona == "staff" else "leaders"

    def grow(n):
        for _ in range(n):
            Archive.objects.create(
                cohort=world.cohort,
                community=community,
                requested_by=world.staff,
                audience=audience,
                state="ready",
                progress=100,
                expires_at=timezone.now() + timedelta(days=1),
                stored="archives/x.zip",
            )

    grow(1)
    small, _ = count_queries(client, url)
    grow(20)
    large, response = count_queries(client, url)
    assert small == large
    assert response.content.decode().count("Download</a>") == 10


def test_a_build_that_never_finished_stops_blocking_after_a_while(world, client_for):
    stuck = Archive.objects.create(cohort=world.cohort, audience="staff", state="building")
    url = reverse("planning:cohort-export-start", args=[world.cohort.slug])
    client = client_for("staff")
    with mock.patch.object(build.build_archive, "delay_on_commit"):
        client.post(url)
        assert Archive.objects.filter(cohort=world.cohort).count() == 1
        with time_machine.travel(timezone.now() + build.STALE_AFTER + timedelta(minutes=1)):
            client.force_login(world.staff)
            client.post(url)
    stuck.refresh_from_db()
    assert stuck.state == Archive.State.FAILED
    assert Archive.objects.filter(cohort=world.cohort, state="queued").count() == 1
