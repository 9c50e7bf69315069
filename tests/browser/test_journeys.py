"""The main user journeys, driven through the real pages in headless Chromium.

Every page a journey visits is checked with axe-core (`check_a11y`): a serious or critical
violation fails the journey.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail

from cohorts.models import Cohort, Invitation, Membership
from cohorts.services.invitations import invite_participants
from copkit import outbox
from copkit.models import OutboxMessage
from tests import factories
from tests.browser.conftest import check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

ROSTER = Path(__file__).resolve().parent.parent / "data" / "browser_roster.csv"
ROSTER_EMAILS = {
    "ana.ruiz@riverbend-pantry.example",
    "marcus.lee@capitol-youth.example",
    "dana.kim@harbor-housing.example",
    "luis.ortega@harbor-housing.example",
}
NEW_PASSWORD = "river-otter-lantern-42"
PASSWORD_LABEL = re.compile(r"^\W*Password\W*$")  # "Password*", not "Password again*"


def test_staff_creates_a_cohort_imports_a_roster_invites_and_creates_a_community(
    world, live_server, page, sweeps
):
    login(page, live_server, world.staff.email, world.password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Sam")
    check_a11y(page, "home (staff)")

    # A new cohort.
    submit(page, page.get_by_role("link", name="New cohort"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New cohort")
    check_a11y(page, "new cohort")
    page.get_by_label("Name").fill("Chesapeake Nonprofit Network 2026")
    page.get_by_label("Description").fill("Food, youth and housing organizations of the region.")
    page.get_by_label("Program starts").fill("2026-09-01")
    page.get_by_label("Program ends").fill("2027-06-30")
    submit(page, page.get_by_role("button", name="Create cohort"))

    cohort = Cohort.objects.get(name="Chesapeake Nonprofit Network 2026")
    assert cohort.roles.filter(user=world.staff, role="staff").exists()
    expect(page).to_have_url(re.compile(rf"/c/{cohort.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(cohort.name)
    expect(page.locator(".messages")).to_contain_text("Cohort created")
    check_a11y(page, "dashboard of the new cohort")

    # Import the roster: upload, preview, confirm.
    submit(page, page.get_by_role("link", name="Import roster"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import participants")
    check_a11y(page, "roster import")
    page.get_by_label("Roster file", exact=False).and_(
        page.locator("input[type=file]")
    ).set_input_files(ROSTER)
    submit(page, page.get_by_role("button", name="Check the file"))
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    preview = page.locator("table", has=page.locator("caption"))
    for email in ROSTER_EMAILS:
        expect(preview).to_contain_text(email)
    expect(preview).to_contain_text("Baltimore")  # 21201, found from the ZIP code
    assert cohort.participants.count() == 0, "the preview must not save anything"
    check_a11y(page, "roster preview")
    submit(page, page.get_by_role("button", name="Import 4 participants"))

    expect(page).to_have_url(re.compile(rf"/c/{cohort.slug}/participants/"))
    expect(page.locator(".messages")).to_contain_text("4 new participants")
    assert set(cohort.participants.values_list("email", flat=True)) == ROSTER_EMAILS
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(4)
    for name in ("Ana Ruiz", "Marcus Lee", "Dana Kim", "Luis Ortega"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    check_a11y(page, "participant list after import")

    # Select all, leave one out, invite the selected ones.
    page.get_by_label("Select all on this page").check()
    boxes = page.locator('input[type="checkbox"][name="participants"]')
    for index in range(4):
        expect(boxes.nth(index)).to_be_checked()
    page.get_by_label("Select Luis Ortega").uncheck()
    submit(page, page.get_by_role("button", name="Invite selected"))
    expect(page.locator(".messages")).to_contain_text("Invitations on their way to 3 participants.")
    expect(page.locator("tbody tr", has_text="Ana Ruiz")).to_contain_text("Invited")
    expect(page.locator("tbody tr", has_text="Luis Ortega")).to_contain_text("Not invited")
    check_a11y(page, "participant list after inviting")

    # The dashboard's button invites the one left, after a confirm() dialog.
    submit(page, page.locator(".cohort-bar").get_by_role("link", name=cohort.name))
    questions = []
    page.on("dialog", lambda dialog: questions.append(dialog.message))
    submit(page, page.get_by_role("button", name="Invite the 1 participant not yet invited"))
    assert questions == ["Send an invitation to 1 participant?"]
    expect(page.locator(".messages")).to_contain_text("Invitation on its way to 1 participant.")
    check_a11y(page, "participant list after the dashboard invite")

    invited = OutboxMessage.objects.filter(kind="invitation")
    assert sorted(invited.values_list("to_email", flat=True)) == sorted(ROSTER_EMAILS)
    assert Invitation.objects.filter(cohort=cohort).count() == 4
    assert sweeps, "queueing invitations should ask for a sweep after commit"
    assert outbox.send_due()["sent"] == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(ROSTER_EMAILS)

    # A community, then a leader for it.
    submit(
        page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Communities")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Communities of practice")
    check_a11y(page, "community list (empty)")
    submit(page, page.get_by_role("link", name="New community"))
    check_a11y(page, "new community")
    page.get_by_label("Name").fill("Volunteer Power")
    page.get_by_label("Description").fill("Recruiting and keeping volunteers.")
    page.get_by_label("Distilling best practices", exact=False).check()
    page.get_by_label("Meeting format").select_option("in_person")
    submit(page, page.get_by_role("button", name="Create community"))

    community = cohort.communities.get(name="Volunteer Power")
    expect(page).to_have_url(re.compile(rf"/communities/{community.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Volunteer Power")
    expect(page.locator(".messages")).to_contain_text("Community created")
    check_a11y(page, "new community's page")

    dana = cohort.participants.get(name="Dana Kim")
    add_member = page.locator("form", has=page.get_by_role("button", name="Add", exact=True))
    add_member.get_by_label("Participant").select_option(str(dana.public_id))
    add_member.get_by_label("Role").select_option("leader")
    submit(page, page.get_by_role("button", name="Add", exact=True))
    members = page.locator("section[aria-labelledby=members-heading] tbody tr")
    expect(members).to_have_count(1)
    expect(members.first).to_contain_text("Dana Kim")
    expect(page.get_by_label("Role of Dana Kim", exact=True)).to_have_value("leader")
    membership = community.memberships.get()
    assert (membership.participant, membership.role) == (dana, Membership.Role.LEADER)
    check_a11y(page, "community page with its leader")


def test_participant_accepts_an_invitation_on_a_phone(
    world, live_server, phone_page, new_page, sweeps
):
    page = phone_page
    nia = factories.ParticipantFactory(
        cohort=world.cohort,
        organization=world.organization,
        name="Nia Brooks",
        email="nia.brooks@pantry.example",
    )
    counts = invite_participants(world.cohort, [nia], world.staff)
    assert counts["invited"] == 1
    outbox.send_due()
    (email,) = mail.outbox
    assert email.to == ["nia.brooks@pantry.example"]
    invitation = Invitation.objects.get(participant=nia)
    link = re.search(r"https?://\S+/invite/\S+/", email.body).group(0)
    path = urlsplit(link).path
    assert path == invitation.get_accept_url()

    response = page.goto(live_server.url + path)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Riverbend Capacity Cohort")
    expect(page.get_by_label("Email")).to_have_value("nia.brooks@pantry.example")
    check_a11y(page, "accept invitation (phone)")

    # A mismatch first: the form says so next to the field and nothing is created.
    page.get_by_label("Your name").fill("Nia Brooks")
    page.get_by_label(PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD + "x")
    submit(page, page.get_by_role("button", name="Create my account and join"))
    expect(page.get_by_text("The two passwords differ.")).to_be_visible()
    nia.refresh_from_db()
    assert nia.user_id is None
    check_a11y(page, "accept invitation with an error (phone)")

    page.get_by_label(PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    submit(page, page.get_by_role("button", name="Create my account and join"))

    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".messages")).to_contain_text("Welcome to Riverbend Capacity Cohort!")
    expect(page.get_by_role("heading", level=2, name="Riverbend Capacity Cohort")).to_be_visible()
    expect(page.get_by_role("heading", name="Asked of you")).to_be_visible()
    expect(page.get_by_role("link", name="Complete your profile")).to_be_visible()
    expect(page.get_by_role("link", name="See the communities")).to_be_visible()
    nia.refresh_from_db()
    assert nia.user is not None and nia.user.email == "nia.brooks@pantry.example"
    assert nia.user.check_password(NEW_PASSWORD)
    check_a11y(page, "home of a new participant (phone)")

    # The same link again, logged in: used already, with the way home.
    response = page.goto(live_server.url + path)
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This invitation has already been used"
    )
    expect(page.get_by_role("link", name="Go to your home page")).to_be_visible()
    check_a11y(page, "used invitation, logged in (phone)")

    # And from another phone, not logged in: used already, with the way to log in.
    stranger = new_page("phone")
    response = stranger.goto(live_server.url + path)
    assert response.status == 410
    expect(stranger.get_by_role("heading", level=1)).to_have_text(
        "This invitation has already been used"
    )
    expect(stranger.get_by_role("link", name="Log in")).to_be_visible()
    check_a11y(stranger, "used invitation, anonymous (phone)")

    # The new password works on the login form.
    stranger.goto(live_server.url + "/accounts/login/")
    login(stranger, live_server, "nia.brooks@pantry.example", NEW_PASSWORD)
    expect(stranger.get_by_role("heading", name="Asked of you")).to_be_visible()


def test_anonymous_is_sent_to_log_in_and_an_outsider_gets_404(world, live_server, new_page):
    dashboard = f"{live_server.url}/c/{world.cohort.slug}/"

    anonymous = new_page("desktop")
    anonymous.goto(dashboard)
    expect(anonymous).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("Log in to copkit")
    check_a11y(anonymous, "login page after a redirect")
    # Logging in from there goes back to the cohort.
    anonymous.fill('input[name="login"]', world.staff.email)
    anonymous.fill('input[name="password"]', world.password)
    submit(anonymous, anonymous.locator("main form").get_by_role("button", name="Log in"))
    expect(anonymous).to_have_url(dashboard)
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("Riverbend Capacity Cohort")

    outsider = new_page("desktop")
    login(outsider, live_server, world.outsider.email, world.password)
    for url in (dashboard, dashboard + f"communities/{world.community.slug}/"):
        response = outsider.goto(url)
        assert response.status == 404, url
        expect(outsider.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(outsider.locator("main")).not_to_contain_text("Riverbend")
        check_a11y(outsider, f"404 for an outsider at {url}")
    # The outsider's own cohort still opens: the 404 came from the cohort rule.
    own = outsider.goto(f"{live_server.url}/c/{world.other_cohort.slug}/")
    assert own.status == 200
    expect(outsider.get_by_role("heading", level=1)).to_have_text(world.other_cohort.name)
