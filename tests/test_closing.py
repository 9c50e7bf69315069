"""Closing a cohort (issue 16): staff close and reopen it; a closed cohort refuses every write
across every URL of the permission matrix and changes nothing; its pages stay readable with a
banner; later work leaves it alone; the library items it shared beyond itself stay."""

from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from cohorts.models import Activity, Cohort, Community
from cohorts.services import closing
from copkit import later
from copkit.hub.closing import ALLOWED_WHEN_CLOSED, TOKEN_LINKS
from copkit.models import OutboxMessage
from planning.knowledge.models import Scope
from planning.meetings.services import reminders
from tests import factories
from tests.matrix_knowledge import item_of
from tests.test_permissions import MATRIX, _all_url_names, _url_for

WRITERS = ("staff", "leader", "participant")

# URL names that name no cohort and no token of one: nothing in them is a cohort's data.
NOT_ABOUT_A_COHORT = {
    "home": "the person's own home page across cohorts",
    "healthz": "the load balancer's check",
    "cohorts:cohort-create": "creates a new cohort, never a closed one",
    "my-email-settings": "a person's own email preferences",
    "email-settings": "the same, through an email's link",
    "email-unsubscribe": "the same, one kind off",
    "live-join": "finds a poll by its code and redirects to live-vote (guarded)",
    "calendar-feed": "a read-only calendar feed (GET only)",
    "library": "the library's list, read-only",
    "library-item": "a library item, read-only",
    "library-resource": "a library resource, read-only",
    "library-public": "a public library item, read-only",
    # On main since this branch began (knowledge attachments): a download, read-only.
    "library-file": "a library item's file, a download (read-only)",
    "my-data": "a person's own data page, across every cohort",
    "my-data-download": "a person's own data, a download across every cohort (read-only)",
    "account-delete": "a person's right to be forgotten holds in a closed cohort too",
}


def close(cohort, actor):
    return closing.close_cohort(cohort, actor=actor, early=True)


# -- the guard covers every URL ---------------------------------------------------------------


def test_every_url_without_a_cohort_slug_is_resolved_or_declared():
    """A new token link must say how it finds its cohort, or why it holds no cohort data."""
    from django.urls import get_resolver

    def routes(resolver, prefix="", namespace=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                if entry.namespace == "admin":
                    continue
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from routes(entry, prefix + str(entry.pattern), inner)
            elif entry.name and not entry.name.startswith("account_"):
                yield f"{namespace}{entry.name}", prefix + str(entry.pattern)

    without_slug = {name for name, route in routes(get_resolver()) if "cohort_slug" not in route}
    undeclared = (
        without_slug - set(TOKEN_LINKS) - set(NOT_ABOUT_A_COHORT) - set(ALLOWED_WHEN_CLOSED)
    )
    assert not undeclared, f"say how these find their cohort (TOKEN_LINKS): {sorted(undeclared)}"
    assert set(_all_url_names()) >= set(TOKEN_LINKS)


def _snapshot():
    """Every row of every table of copkit's apps (sessions aside: logging in writes one)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "admin"}:
            continue
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (a model's own table)
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def _clients(world):
    clients = {}
    for persona in WRITERS:
        clients[persona] = Client()
        clients[persona].force_login(world.users[persona])
    return clients


GUARDED = sorted(
    name for name in MATRIX if name not in NOT_ABOUT_A_COHORT and name not in ALLOWED_WHEN_CLOSED
)


@pytest.mark.parametrize("name", GUARDED)
def test_a_closed_cohort_refuses_every_post_and_changes_nothing(name, world):
    """Every matrix URL that names the cohort or one of its tokens, POSTed to by staff, a
    leader and a participant of the closed cohort: 409 with the closed page, no row changed."""
    clients = _clients(world)
    url = _url_for(name, world)
    close(world.cohort, world.staff)
    before = _snapshot()
    for persona, client in clients.items():
        response = client.post(url, {"title": "x", "body": "x", "name": "x"})
        assert response.status_code == 409, (name, persona, response.status_code)
        page = response.content.decode()
        assert "is read-only" in page and world.cohort.name in page, (name, persona)
    assert _snapshot() == before, name


@pytest.mark.parametrize("name", sorted(n for n in ALLOWED_WHEN_CLOSED if n in MATRIX))
def test_the_allow_list_still_answers_in_a_closed_cohort(name, world):
    client = _clients(world)["staff"]
    url = _url_for(name, world) if name != "cohorts:cohort-close" else None
    close(world.cohort, world.staff)
    if url is None:
        url = reverse(name, kwargs={"cohort_slug": world.cohort.slug})
    assert client.post(url).status_code != 409


def test_a_refused_write_goes_through_once_the_cohort_is_reopened(world, client_for):
    topic = factories.TopicFactory(cohort=world.cohort, name="Fundraising")
    url = reverse("cohorts:topic-delete", args=[world.cohort.slug, topic.slug])
    close(world.cohort, world.staff)
    client = client_for("staff")
    assert client.post(url).status_code == 409
    assert world.cohort.topics.filter(pk=topic.pk).exists()
    closing.reopen_cohort(world.cohort, actor=world.staff)
    assert client.post(url).status_code == 302
    assert not world.cohort.topics.filter(pk=topic.pk).exists()


def test_an_outsider_learns_nothing_of_a_closed_cohort(world, client_for):
    close(world.cohort, world.staff)
    response = client_for("outsider").post(reverse("cohorts:invite", args=[world.cohort.slug]))
    assert response.status_code == 404
    response = Client().post(reverse("cohorts:invite", args=[world.cohort.slug]))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_an_htmx_write_is_sent_to_the_closed_notice(world, client_for):
    close(world.cohort, world.staff)
    client = client_for("leader")
    url = reverse(
        "planning:plan-part-save", args=[world.cohort.slug, world.community.slug, "goals"]
    )
    response = client.post(url, {"goals": "x"}, headers={"HX-Request": "true"})
    notice = reverse("cohorts:closed-notice", args=[world.cohort.slug])
    assert response.status_code == 409 and response["HX-Redirect"] == notice
    page = client.get(notice).content.decode()
    assert "is read-only" in page and "Closed on" in page


def test_a_closed_cohort_stays_readable_and_exportable(world, client_for):
    close(world.cohort, world.staff)
    staff = client_for("staff")
    assert staff.get(reverse("cohorts:dashboard", args=[world.cohort.slug])).status_code == 200
    survey = factories.QuestionFactory(survey__cohort=world.cohort).survey
    export = reverse("planning:survey-export", args=[world.cohort.slug, survey.public_id])
    assert staff.get(export).status_code == 200
    page = client_for("participant").get(world.community.get_absolute_url())
    assert page.status_code == 200


# -- closing and reopening --------------------------------------------------------------------


def test_staff_close_with_a_confirmation_and_reopen(world, client_for, settings):
    client = client_for("staff")
    url = reverse("cohorts:cohort-close", args=[world.cohort.slug])
    page = client.get(url).content.decode()
    assert "What closing means" in page and "read-only" in page
    # Without the confirmation (and, before the end date, the early box): the form says why.
    world.cohort.ends_on = world.cohort.starts_on
    world.cohort.starts_on = world.cohort.starts_on - timedelta(days=30)
    Cohort.objects.filter(pk=world.cohort.pk).update(starts_on=world.cohort.starts_on)
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Tick the box to confirm" in response.content.decode()
    assert not Cohort.objects.get(pk=world.cohort.pk).is_closed
    with_early = client.post(url, {"confirm": "on", "early": "on"})
    assert with_early.status_code == 302
    cohort = Cohort.objects.get(pk=world.cohort.pk)
    assert cohort.is_closed and cohort.closed_by == world.staff
    assert Activity.objects.filter(cohort=cohort, verb="closed cohort").exists()
    page = client.get(url).content.decode()
    assert "Reopen the cohort" in page
    # The Close form sent a second time does not reopen it.
    again = client.post(url, {"confirm": "on", "early": "on", "action": "close"})
    assert again.status_code == 200 and "closed already" in again.content.decode()
    assert Cohort.objects.get(pk=world.cohort.pk).is_closed
    assert client.post(url, {"action": "reopen"}).status_code == 302
    assert not Cohort.objects.get(pk=world.cohort.pk).is_closed
    assert Activity.objects.filter(cohort=cohort, verb="reopened cohort").exists()


def test_the_close_page_names_the_communities_that_go_on_here(world, client_for):
    url = reverse("cohorts:cohort-close", args=[world.cohort.slug])
    client = client_for("staff")
    assert "continuing-note" not in client.get(url).content.decode()
    Community.objects.filter(pk=world.community.pk).update(phase=Community.Phase.CONTINUING)
    page = client.get(url).content.decode()
    assert "1 community continues on its own here:" in page
    assert world.community.name in page and "read-only too" in page


def test_closing_early_asks_for_the_early_box(world):
    cohort = world.cohort
    now = datetime(cohort.ends_on.year, cohort.ends_on.month, cohort.ends_on.day, tzinfo=UTC)
    with pytest.raises(closing.ServiceError, match="Tick the box"):
        closing.close_cohort(cohort, actor=world.staff, now=now - timedelta(days=3))
    closing.close_cohort(cohort, actor=world.staff, now=now + timedelta(days=3))
    assert cohort.is_closed
    with pytest.raises(closing.ServiceError, match="closed already"):
        closing.close_cohort(cohort, actor=world.staff, early=True)


def test_only_staff_close(world, client_for):
    url = reverse("cohorts:cohort-close", args=[world.cohort.slug])
    for persona in ("observer", "leader", "participant"):
        assert client_for(persona).post(url, {"confirm": "on", "early": "on"}).status_code == 403
    assert not Cohort.objects.get(pk=world.cohort.pk).is_closed


def test_closing_cancels_the_cohorts_unsent_emails(world):
    State = OutboxMessage.State
    for n, state in enumerate((State.PENDING, State.HELD, State.SENT)):
        OutboxMessage.objects.create(
            key=f"k{n}",
            kind="x",
            to_email="a@example.org",
            subject="s",
            body_text="b",
            state=state,
            cohort_ref=world.cohort.pk,
        )
    OutboxMessage.objects.create(
        key="other",
        kind="x",
        to_email="a@example.org",
        subject="s",
        body_text="b",
        cohort_ref=world.other_cohort.pk,
    )
    close(world.cohort, world.staff)
    states = dict(OutboxMessage.objects.values_list("key", "state"))
    assert states == {
        "k0": State.CANCELLED,
        "k1": State.CANCELLED,
        "k2": State.SENT,
        "other": State.PENDING,
    }


# -- the banner -------------------------------------------------------------------------------


def test_a_closed_cohorts_pages_show_the_banner(world, client_for):
    pages = [
        reverse("cohorts:dashboard", args=[world.cohort.slug]),
        world.community.get_absolute_url(),
        reverse("planning:plan", args=[world.cohort.slug, world.community.slug]),
    ]
    staff = client_for("staff")
    assert all("Closed on" not in staff.get(url).content.decode() for url in pages)
    close(world.cohort, world.staff)
    for url in pages:
        page = staff.get(url).content.decode()
        assert "Closed on" in page and ": read-only" in page, url
        assert "data-cohort-closed" in page
    dashboard = staff.get(pages[0]).content.decode()
    assert "Import roster" not in dashboard and "Reopen cohort" in dashboard
    other = factories.CohortRoleFactory(cohort=world.other_cohort, user=world.staff)
    assert (
        other
        and "Closed on" not in staff.get(world.other_cohort.get_absolute_url()).content.decode()
    )


# -- later work --------------------------------------------------------------------------------


def test_every_sweep_says_how_its_rows_reach_a_cohort():
    unset = [
        sweep.name
        for sweep in later.registered()
        if sweep.cohort is later.UNSET and not sweep.handle.__module__.startswith("tests.")
    ]
    assert not unset, f"set cohort= on these sweeps (None if no cohort): {unset}"


def test_sweeps_hold_a_closed_cohorts_rows_until_it_reopens(world):
    meeting = factories.MeetingFactory(community=world.community)
    now = meeting.starts_at - timedelta(hours=1)
    close(world.cohort, world.staff)
    swept = reminders.meeting_reminders.run(now)
    assert swept.held == 1 and swept.queued == 0
    assert not OutboxMessage.objects.filter(kind="meeting_reminder").exists()
    # Closed between the read and the claim: the claim's UPDATE holds it too.
    assert reminders.meeting_reminders.take(meeting, now) is None
    closing.reopen_cohort(world.cohort, actor=world.staff)
    assert reminders.meeting_reminders.run(now).queued == 2


# -- the library ----------------------------------------------------------------------------


def test_items_shared_beyond_the_cohort_stay_for_future_cohorts(world, client):
    provider_item = item_of(world, scope=Scope.PROVIDER)
    public_item = item_of(world, scope=Scope.PUBLIC)
    cohort_item = item_of(world, scope=Scope.COHORT)
    close(world.cohort, world.staff)
    future = factories.CohortFactory(name="Next Year's Cohort")
    reader = factories.UserFactory(email="nia@later.example", name="Nia Newcomer")
    factories.ParticipantFactory(cohort=future, user=reader, name=reader.name, email=reader.email)
    client.force_login(reader)
    assert client.get(provider_item.get_library_url()).status_code == 200
    assert provider_item.title in client.get(reverse("library")).content.decode()
    assert client.get(cohort_item.get_library_url()).status_code == 404
    client.logout()
    assert client.get(public_item.get_public_url()).status_code == 200
