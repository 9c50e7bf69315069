"""Publishing to people as they are: who has not joined copkit yet gets their invitation's
link (a usable one), the wording says whether they answered the round or were placed by
staff, and the review board shows who has not joined."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.formation.services.proposals import save_solution
from cohorts.formation.services.publishing import publish
from cohorts.models import FormationProposal, FormationRound, Invitation
from copkit.models import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db


def pid(person):
    return str(person.public_id)


def grouped_round(world, people, *, method=FormationRound.Method.PREASSIGN, split=None):
    rnd = factories.FormationRoundFactory(
        cohort=world.cohort, method=method, size_min=2, size_max=5
    )
    for person in people:
        factories.FormationEntryFactory(round=rnd, participant=person)
    split = split or [people]
    solution = {
        "groups": [
            {"id": f"g{i + 1}", "members": [pid(p) for p in group]} for i, group in enumerate(split)
        ],
        "scores": {},
    }
    save_solution(
        rnd, {}, solution, actor=world.users["staff"], source=FormationProposal.Source.ENGINE
    )
    return rnd


def person(world, name, **kwargs):
    return factories.ParticipantFactory(
        cohort=world.cohort, name=name, email=f"{name.lower()}@example.org", **kwargs
    )


def email_to(person):
    return OutboxMessage.objects.get(kind="formation", to_email=person.email)


def test_people_who_have_not_joined_get_a_usable_invitation_link(world):
    joined = world.participant_participant  # Pat has an account
    never = person(world, "Never")  # never invited
    waiting = person(world, "Waiting")  # invited, link still good
    expired = person(world, "Expired")  # invited, link expired
    good = factories.InvitationFactory(participant=waiting)
    old = factories.InvitationFactory(
        participant=expired, expires_at=timezone.now() - timedelta(days=1)
    )
    old_token = old.token
    rnd = grouped_round(world, [joined, never, waiting, expired])

    publish(rnd, actor=world.users["staff"])

    to_pat = email_to(joined)
    assert "/communities/" in to_pat.body_text or "Open your community" in to_pat.body_html
    assert "/invitations/" not in to_pat.body_text and "Accept your invitation" not in (
        to_pat.body_html
    )
    for someone in (never, waiting, expired):
        invitation = Invitation.objects.get(participant=someone)
        assert not invitation.is_expired and invitation.accepted_at is None
        message = email_to(someone)
        assert invitation.get_accept_url() in message.body_text
        assert invitation.get_accept_url() in message.body_html
        assert "not joined copkit yet" in message.body_text
        assert "Open your community" not in message.body_html
    # The good link is the one sent; the expired one was replaced.
    assert Invitation.objects.get(participant=waiting).token == good.token
    assert Invitation.objects.get(participant=expired).token != old_token
    assert Invitation.objects.get(participant=waiting).send_count == 2
    # No second email about the invitation: the community's email carries the link.
    assert not OutboxMessage.objects.filter(kind="invitation").exists()


def test_a_used_invitation_whose_account_is_gone_gets_a_new_link(world):
    gone = person(world, "Gone")
    used = factories.InvitationFactory(participant=gone, accepted_at=timezone.now())
    rnd = grouped_round(world, [gone, person(world, "Other")])
    publish(rnd, actor=world.users["staff"])
    fresh = Invitation.objects.get(participant=gone)
    assert fresh.token != used.token and fresh.accepted_at is None
    assert fresh.get_accept_url() in email_to(gone).body_text


def test_wording_says_answered_or_placed_by_staff(world):
    answered = person(world, "Answered")
    placed = person(world, "Placed")
    rnd = grouped_round(world, [answered, placed], method=FormationRound.Method.MATCHING)
    rnd.entries.filter(participant=answered).update(submitted_at=timezone.now())
    publish(rnd, actor=world.users["staff"])
    assert "you answered" in email_to(answered).body_text
    assert "took part" not in email_to(answered).body_text
    assert "placed you" in email_to(placed).body_text
    assert "answered" not in email_to(placed).body_text
    assert "placed you" in email_to(placed).body_html


def test_a_round_that_asks_nothing_says_staff_placed_everyone(world):
    a, b = person(world, "Alpha"), person(world, "Beta")
    rnd = grouped_round(world, [a, b])
    rnd.entries.update(submitted_at=timezone.now())  # preassign: nothing was asked
    publish(rnd, actor=world.users["staff"])
    assert "placed you" in email_to(a).body_text


def test_review_board_marks_who_has_not_joined_and_counts_them(world, client_for):
    joined = world.participant_participant
    waiting = [person(world, "Waiting"), person(world, "Later")]
    rnd = grouped_round(world, [joined, *waiting])
    staff = client_for("staff")
    response = staff.get(
        reverse(
            "cohorts:formation-review",
            kwargs={"cohort_slug": world.cohort.slug, "round_id": rnd.public_id},
        )
    )
    html = response.content.decode()
    assert html.count("Not joined yet</span>") == 2
    assert "2 people in these groups have not joined copkit yet" in html
    marked = html.split(f'id="m-{joined.public_id}"')[1].split("</li>")[0]
    assert "Not joined yet" not in marked
    marked = html.split(f'id="m-{waiting[0].public_id}"')[1].split("</li>")[0]
    assert "Not joined yet" in marked
