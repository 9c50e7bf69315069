"""Cohort, team, topics, profile and participant pages: what a person can do with them."""

import pytest
from django.urls import reverse

from cohorts.models import Activity, Cohort, CohortRole, Participant
from copkit.models import OutboxMessage, User
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, world, **kwargs):
    return reverse(name, kwargs={"cohort_slug": world.cohort.slug, **kwargs})


class TestCreateCohort:
    def test_staff_creates_a_cohort_and_becomes_its_staff(self, world, client_for):
        client = client_for("staff")
        response = client.post(
            reverse("cohorts:cohort-create"),
            {
                "name": "Lakeside 2027",
                "description": "",
                "starts_on": "2027-01-10",
                "ends_on": "2027-12-15",
            },
        )
        cohort = Cohort.objects.get(name="Lakeside 2027")
        assert response.status_code == 302
        assert response.url == reverse("cohorts:dashboard", args=[cohort.slug])
        assert cohort.roles.get().user == world.staff
        assert cohort.roles.get().role == CohortRole.Role.STAFF
        assert Activity.objects.filter(cohort=cohort, verb="created cohort").exists()

    def test_end_before_start_is_refused_next_to_the_field(self, world, client_for):
        client = client_for("staff")
        data = {"name": "Backwards", "starts_on": "2027-05-01", "ends_on": "2027-04-01"}
        response = client.post(reverse("cohorts:cohort-create"), data)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "ends_on" in errors
        assert "end on or after" in errors["ends_on"][0]
        assert not Cohort.objects.filter(name="Backwards").exists()
        # The same request with the dates in order goes through.
        data["ends_on"] = "2027-06-01"
        assert client.post(reverse("cohorts:cohort-create"), data).status_code == 302
        assert Cohort.objects.filter(name="Backwards").exists()

    def test_two_cohorts_with_one_name_get_distinct_slugs(self, world, client_for):
        client = client_for("staff")
        data = {"name": "Same Name", "starts_on": "2027-01-01", "ends_on": "2027-02-01"}
        client.post(reverse("cohorts:cohort-create"), data)
        client.post(reverse("cohorts:cohort-create"), data)
        slugs = sorted(Cohort.objects.filter(name="Same Name").values_list("slug", flat=True))
        assert slugs == ["same-name", "same-name-2"]

    def test_edit_cohort(self, world, client_for):
        response = client_for("staff").post(
            url("cohorts:cohort-edit", world),
            {"name": "Riverbend Renamed", "starts_on": "2026-09-01", "ends_on": "2027-06-30"},
        )
        assert response.status_code == 302
        world.cohort.refresh_from_db()
        assert world.cohort.name == "Riverbend Renamed"


class TestDashboard:
    def test_staff_sees_figures_names_and_unplaced_people(self, world, client_for):
        lonely = factories.ParticipantFactory(cohort=world.cohort, name="Lonely Lou")
        factories.InvitationFactory(participant=lonely)
        response = client_for("staff").get(url("cohorts:dashboard", world))
        figures = response.context["figures"]
        assert figures == {
            "total": 3,
            "joined": 2,
            "invited": 1,
            "not_invited": 0,
            "organizations": 2,
        }
        assert [p.name for p in response.context["unplaced"]] == ["Lonely Lou"]
        assert b"Lee Leader" in response.content  # leaders of each community

    def test_observer_sees_figures_but_no_names(self, world, client_for):
        factories.ParticipantFactory(cohort=world.cohort, name="Lonely Lou")
        response = client_for("observer").get(url("cohorts:dashboard", world))
        assert response.status_code == 200
        assert response.context["figures"]["total"] == 3
        content = response.content.decode()
        assert "Lonely Lou" not in content
        assert "Lee Leader" not in content
        assert "Board Builders" in content


class TestTeam:
    def test_adding_a_new_person_creates_an_account_and_queues_a_welcome(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            response = client_for("staff").post(
                url("cohorts:team", world),
                {"email": "Nia@Funder.example", "name": "Nia", "role": "observer"},
            )
        assert response.status_code == 302
        user = User.objects.get(email="nia@funder.example")
        assert not user.has_usable_password()
        assert world.cohort.roles.get(user=user).role == "observer"
        message = OutboxMessage.objects.get(to_email="nia@funder.example")
        assert "/accounts/password/reset/key/" in message.body_text
        assert len(callbacks) >= 1  # the sweep is queued for after the commit

    def test_existing_member_of_the_team_is_refused_next_to_the_email(self, world, client_for):
        client = client_for("staff")
        response = client.post(
            url("cohorts:team", world), {"email": "olive@funder.example", "role": "staff"}
        )
        assert response.status_code == 200
        assert "already has a role" in response.context["form"].errors["email"][0]
        assert world.cohort.roles.get(user=world.observer).role == "observer"

    def test_the_last_staff_member_cannot_be_removed(self, world, client_for):
        client = client_for("staff")
        own = world.cohort.roles.get(user=world.staff)
        client.post(url("cohorts:team-remove", world, role_id=own.public_id))
        assert world.cohort.roles.filter(user=world.staff).exists()
        # With a second staff member, removing oneself is allowed.
        factories.CohortRoleFactory(cohort=world.cohort, role="staff")
        client.post(url("cohorts:team-remove", world, role_id=own.public_id))
        assert not world.cohort.roles.filter(user=world.staff).exists()

    def test_removing_an_observer(self, world, client_for):
        role = world.cohort.roles.get(user=world.observer)
        client_for("staff").post(url("cohorts:team-remove", world, role_id=role.public_id))
        assert not world.cohort.roles.filter(user=world.observer).exists()
        assert client_for("observer").get(url("cohorts:dashboard", world)).status_code == 404


class TestTopicsAndProfile:
    def test_add_topic_and_refuse_a_duplicate_name(self, world, client_for):
        client = client_for("staff")
        client.post(url("cohorts:topic-list", world), {"name": "Raising funds"})
        assert world.cohort.topics.filter(name="Raising funds").exists()
        response = client.post(url("cohorts:topic-list", world), {"name": "raising  FUNDS"})
        assert response.status_code == 200
        assert "already has a topic" in response.context["form"].errors["name"][0]
        assert world.cohort.topics.filter(name__iexact="raising funds").count() == 1

    def test_participant_completes_their_profile(self, world, client_for):
        client = client_for("participant")
        home = client.get(reverse("home"))
        assert "Complete your profile" in home.content.decode()
        response = client.post(
            url("cohorts:my-profile", world),
            {
                "name": "Pat P.",
                "job_title": "Director",
                "expertise": "grants,  volunteers ,",
                "format_preference": "virtual",
            },
        )
        assert response.status_code == 302
        world.participant_participant.refresh_from_db()
        assert world.participant_participant.expertise == "grants, volunteers"
        assert world.participant_participant.expertise_list == ["grants", "volunteers"]
        assert "Complete your profile" not in client.get(reverse("home")).content.decode()

    def test_profile_needs_a_format_preference(self, world, client_for):
        response = client_for("participant").post(
            url("cohorts:my-profile", world), {"name": "Pat", "format_preference": "telepathy"}
        )
        assert response.status_code == 200
        assert "format_preference" in response.context["form"].errors


class TestParticipants:
    def test_list_filters_by_status_and_search(self, world, client_for):
        invited = factories.ParticipantFactory(cohort=world.cohort, name="Ivy Invited")
        factories.InvitationFactory(participant=invited)
        factories.ParticipantFactory(cohort=world.cohort, name="Nate New")
        client = client_for("staff")

        def names(**params):
            response = client.get(url("cohorts:participant-list", world), params)
            return sorted(p.name for p in response.context["page"])

        assert names(status="not_invited") == ["Nate New"]
        assert names(status="invited") == ["Ivy Invited"]
        assert names(status="joined") == ["Lee Leader", "Pat Participant"]
        assert names(status="no_community") == ["Ivy Invited", "Nate New"]
        assert names(q="ivy") == ["Ivy Invited"]
        assert len(names(status="bogus")) == 4

    def test_edit_refuses_an_email_another_participant_has(self, world, client_for):
        other = factories.ParticipantFactory(cohort=world.cohort, email="taken@example.org")
        target = factories.ParticipantFactory(cohort=world.cohort, email="free@example.org")
        client = client_for("staff")
        edit = url("cohorts:participant-edit", world, participant_id=target.public_id)
        data = {"name": "T", "email": other.email.upper(), "format_preference": ""}
        response = client.post(edit, data)
        assert response.status_code == 200
        assert "Another participant" in response.context["form"].errors["email"][0]
        data["email"] = "new@example.org"
        assert client.post(edit, data).status_code == 302
        assert Participant.objects.get(pk=target.pk).email == "new@example.org"

    def test_another_cohorts_participant_is_not_found_here(self, world, client_for):
        stranger = factories.ParticipantFactory(cohort=world.other_cohort)
        response = client_for("staff").get(
            url("cohorts:participant-edit", world, participant_id=stranger.public_id)
        )
        assert response.status_code == 404


class TestHome:
    def test_leader_sees_their_community_and_the_next_step(self, world, client_for):
        content = client_for("leader").get(reverse("home")).content.decode()
        assert "Board Builders" in content
        # A forming COP with no meeting yet: the leader's real next step (tests beside the
        # feature in test_leader_next_steps.py).
        assert "No meeting is scheduled" in content

    def test_staff_sees_the_cohorts_they_run(self, world, client_for):
        content = client_for("staff").get(reverse("home")).content.decode()
        assert "Riverbend Capacity Cohort" in content
        assert "Elsewhere Cohort" not in content
        assert "New cohort" in content


def test_new_team_member_chooses_a_password_from_the_emailed_link(world, client_for, client):
    from allauth.account.models import EmailAddress

    client_for("staff").post(
        url("cohorts:team", world), {"email": "nia@funder.example", "role": "observer"}
    )
    client.logout()
    body = OutboxMessage.objects.get(to_email="nia@funder.example").body_text
    link = next(line for line in body.splitlines() if "/accounts/password/reset/key/" in line)
    path = link[link.index("/accounts/") :].strip()
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_url, {"password1": "a long river 2027", "password2": "a long river 2027"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="nia@funder.example")
    assert user.check_password("a long river 2027")
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(url("cohorts:dashboard", world)).status_code == 200


def test_staff_remove_a_participant_with_their_memberships_and_invitation(world, client_for):
    leaving = factories.ParticipantFactory(cohort=world.cohort, name="Leaving Lou")
    invitation = factories.InvitationFactory(participant=leaving)
    factories.MembershipFactory(community=world.community, participant=leaving)
    remove = url("cohorts:participant-remove", world, participant_id=leaving.public_id)
    assert client_for("observer").post(remove).status_code == 403
    assert Participant.objects.filter(pk=leaving.pk).exists()
    response = client_for("staff").post(remove)
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=leaving.pk).exists()
    assert not world.community.memberships.filter(participant_id=leaving.pk).exists()
    link = reverse("accept-invitation", kwargs={"token": invitation.token})
    assert client_for(None).get(link).status_code == 404
    assert Activity.objects.filter(verb="removed participant", target="Leaving Lou").exists()


class TestTopicAndOrganizationEdits:
    def test_rename_a_topic_and_refuse_a_clash(self, world, client_for):
        factories.TopicFactory(cohort=world.cohort, name="Raising funds")
        client = client_for("staff")
        edit = url("cohorts:topic-edit", world, topic_slug=world.topic.slug)
        response = client.post(edit, {"name": "raising funds"})
        assert "already has a topic" in response.context["form"].errors["name"][0]
        assert client.post(edit, {"name": "Boards and governance"}).status_code == 302
        world.topic.refresh_from_db()
        assert world.topic.name == "Boards and governance"
        # Saving under its own name is not a clash with itself.
        assert client.post(edit, {"name": "Boards and governance"}).status_code == 302

    def test_deleting_a_topic_keeps_its_communities(self, world, client_for):
        client_for("staff").post(url("cohorts:topic-delete", world, topic_slug=world.topic.slug))
        assert not world.cohort.topics.filter(pk=world.topic.pk).exists()
        world.community.refresh_from_db()
        assert world.community.topic is None

    def test_organization_zip_code_gives_its_place_and_a_bad_one_is_refused(
        self, world, client_for
    ):
        client = client_for("staff")
        edit = url("cohorts:organization-edit", world, organization_id=world.organization.public_id)
        response = client.post(edit, {"name": "Riverbend Food Pantry", "zip_code": "00000"})
        assert response.status_code == 200
        assert "no US ZIP code" in response.context["form"].errors["zip_code"][0]
        world.organization.refresh_from_db()
        assert world.organization.latitude is None
        response = client.post(
            edit, {"name": "Riverbend Food Bank", "kind": "Food pantry", "zip_code": "22301-1234"}
        )
        assert response.status_code == 302
        world.organization.refresh_from_db()
        assert world.organization.name == "Riverbend Food Bank"
        assert world.organization.zip_code == "22301"
        assert world.organization.city == "Alexandria"
        assert world.organization.state == "VA"
        assert round(world.organization.latitude) == 39

    def test_staff_changing_a_participants_zip_moves_them(self, world, client_for):
        person = world.participant_participant
        client_for("staff").post(
            url("cohorts:participant-edit", world, participant_id=person.public_id),
            {"name": person.name, "email": person.email, "zip_code": "21201"},
        )
        person.refresh_from_db()
        assert (person.zip_code, person.state) == ("21201", "MD")
        assert person.latitude is not None


def test_dashboard_shows_needs_by_practice_area_and_open_surveys(world, client_for):
    """The inventory's figures across the cohort, most needed first, and how far the open
    surveys have got; an observer sees no figure counted from fewer than five people."""
    from planning.models import InventoryEntry

    raising = factories.TopicFactory(cohort=world.cohort, name="Raising funds")
    for person in (world.leader_participant, world.participant_participant):
        factories.InventoryEntryFactory(participant=person, topic=raising)
    factories.InventoryEntryFactory(
        participant=world.leader_participant,
        topic=world.topic,
        kind=InventoryEntry.Kind.EXPERTISE,
    )
    survey = factories.SurveyFactory(cohort=world.cohort, title="Spring needs check")
    answered = factories.SurveyRecipientFactory(survey=survey, participant=world.leader_participant)
    factories.SurveyRecipientFactory(survey=survey, participant=world.participant_participant)
    survey.responses.create(recipient=answered, submitted_at=answered.sent_at)
    factories.SurveyFactory(cohort=world.cohort, title="Old draft", status="draft")

    dashboard = reverse("cohorts:dashboard", args=[world.cohort.slug])
    html = client_for("staff").get(dashboard).content.decode().split('id="needs-heading"', 1)[1]
    assert "From the inventories of 2 participants" in html
    # Raising funds: both need it (100%), nobody offers; Board development: one offer.
    assert html.index("Raising funds") < html.index("Board development")
    assert "2 (100%)" in html
    assert "Spring needs check" in html and "1 of 2 answered" in html
    assert "Old draft" not in html
    html = client_for("observer").get(dashboard).content.decode().split('id="needs-heading"')[1]
    assert "Fewer than 5 participants have listed needs" in html and "100%" not in html
    assert "Spring needs check" in html and "Sent to fewer than 5 people" in html
    assert "answered" not in html and "Raising funds" not in html


def test_home_asks_a_participant_to_answer_their_open_surveys(world, client_for):
    """An open survey sent to Pat and not submitted is asked of them on their home page,
    with their personal link; a submitted, closed, past-closing or draft one is not."""
    from datetime import timedelta

    from django.utils import timezone

    pat = world.participant_participant
    waiting = factories.SurveyRecipientFactory(
        survey__cohort=world.cohort, survey__title="Spring needs check", participant=pat
    )
    done = factories.SurveyRecipientFactory(
        survey__cohort=world.cohort, survey__title="Already answered", participant=pat
    )
    done.survey.responses.create(recipient=done, participant=pat, submitted_at=timezone.now())
    factories.SurveyRecipientFactory(
        survey__cohort=world.cohort,
        survey__title="Closed one",
        survey__status="closed",
        participant=pat,
    )
    factories.SurveyRecipientFactory(
        survey__cohort=world.cohort,
        survey__title="Past its closing",
        survey__closes_at=timezone.now() - timedelta(hours=1),
        participant=pat,
    )
    html = client_for("participant").get(reverse("home")).content.decode()
    assert "“Spring needs check” is waiting for your answers." in html
    assert f'href="{waiting.get_answer_url()}"' in html
    for title in ("Already answered", "Closed one", "Past its closing"):
        assert title not in html
