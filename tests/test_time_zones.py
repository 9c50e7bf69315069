"""Dates people read: a cohort's own time zone on its pages and in its emails, and a
community's meeting zone from its members' ZIP codes."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cohorts.geo import community_time_zone, time_zone_for_zips
from cohorts.models import Cohort
from cohorts.services import cohorts as cohort_services
from copkit import outbox
from copkit.errors import ServiceError
from planning.meetings.services import meetings as meeting_services
from tests import factories

pytestmark = pytest.mark.django_db

# 23:00 UTC on March 3, 2027: 5:00 p.m. in Chicago (CST), 6:00 p.m. in New York (EST).
DEADLINE = datetime(2027, 3, 3, 23, 0, tzinfo=UTC)


@pytest.fixture
def chicago(world):
    world.cohort.time_zone = "America/Chicago"
    world.cohort.save(update_fields=["time_zone"])
    return world


def test_a_new_cohort_takes_the_deployments_zone(world):
    cohort = factories.CohortFactory()
    assert cohort.time_zone == settings.TIME_ZONE


def test_staff_set_the_zone_in_the_cohort_settings(world, client_for):
    client = client_for("staff")
    edit = reverse("cohorts:cohort-edit", kwargs={"cohort_slug": world.cohort.slug})
    page = client.get(edit).content.decode()
    assert '<select name="time_zone"' in page
    assert '<option value="America/Chicago">America/Chicago</option>' in page
    data = {
        "name": world.cohort.name,
        "description": "",
        "starts_on": world.cohort.starts_on.isoformat(),
        "ends_on": world.cohort.ends_on.isoformat(),
        "time_zone": "Mars/Olympus_Mons",
    }
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    world.cohort.refresh_from_db()
    assert world.cohort.time_zone == settings.TIME_ZONE
    # The same form with a real zone is saved.
    data["time_zone"] = "America/Chicago"
    assert client.post(edit, data).status_code == 302
    world.cohort.refresh_from_db()
    assert world.cohort.time_zone == "America/Chicago"


def test_the_services_refuse_a_zone_that_does_not_exist(world):
    with pytest.raises(ServiceError, match="is not a time zone") as caught:
        cohort_services.update_cohort(world.cohort, actor=world.staff, time_zone="Nowhere/Here")
    assert caught.value.field == "time_zone"
    assert Cohort.objects.get(pk=world.cohort.pk).time_zone == settings.TIME_ZONE
    cohort = cohort_services.create_cohort(
        actor=world.staff,
        name="Lakeside",
        starts_on=world.cohort.starts_on,
        ends_on=world.cohort.ends_on,
        time_zone="America/Denver",
    )
    assert cohort.time_zone == "America/Denver"


def test_a_surveys_closing_time_reads_in_the_cohorts_zone_and_names_it(chicago, client_for):
    survey = factories.SurveyFactory(cohort=chicago.cohort, title="Spring", closes_at=DEADLINE)
    page = client_for("staff").get(survey.get_absolute_url()).content.decode()
    assert "Wednesday, March 3, 2027, 5:00 p.m. CST" in page
    assert "6:00 p.m." not in page


def test_a_formation_deadline_reads_in_the_cohorts_zone_and_names_it(chicago, client_for):
    formation_round = factories.FormationRoundFactory(cohort=chicago.cohort, deadline=DEADLINE)
    client = client_for("staff")
    detail = client.get(formation_round.get_absolute_url()).content.decode()
    assert "Wednesday, March 3, 2027, 5:00 p.m. CST" in detail
    listing = client.get(
        reverse("cohorts:formation-list", kwargs={"cohort_slug": chicago.cohort.slug})
    ).content.decode()
    assert "Wednesday, March 3, 2027, 5:00 p.m. CST" in listing


def test_the_zone_is_given_back_after_the_request(chicago, client_for):
    client_for("staff").get(
        reverse("cohorts:dashboard", kwargs={"cohort_slug": chicago.cohort.slug})
    )
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_an_emails_dates_read_in_the_cohorts_zone(chicago):
    survey = factories.SurveyFactory(cohort=chicago.cohort, title="Spring", closes_at=DEADLINE)
    context = {
        "participant": chicago.participant_participant,
        "survey": survey,
        "cohort": chicago.cohort,
        "closes_at": survey.closes_at,
        "answer_url": "https://copkit.example/a/",
    }
    _subject, text, html = outbox.render_email("survey_reminder", context)
    assert "The survey closes on Wednesday, March 3, 2027, 5:00 p.m. CST." in text
    assert "Wednesday, March 3, 2027, 5:00 p.m. CST" in html
    # A zone given by the caller wins; without a cohort, the deployment's zone is used.
    _subject, text, _html = outbox.render_email("survey_reminder", context, "America/Denver")
    assert "Wednesday, March 3, 2027, 4:00 p.m. MST" in text
    del context["cohort"]
    _subject, text, _html = outbox.render_email("survey_reminder", context)
    assert "Wednesday, March 3, 2027, 6:00 p.m. EST" in text


def test_enqueue_renders_in_the_zone_it_is_given(chicago):
    message = outbox.enqueue(
        key="tz-test",
        kind="survey_reminder",
        to_email="pat@pantry.example",
        template="survey_reminder",
        context={"participant": chicago.participant_participant, "closes_at": DEADLINE},
        time_zone="America/Los_Angeles",
    )
    assert "Wednesday, March 3, 2027, 3:00 p.m. PST" in message.body_text


class TestTimeZoneForZips:
    def test_the_most_common_zone_wins(self):
        # Chicago, Chicago, New York, and two that are no ZIP code at all.
        assert time_zone_for_zips(["60614", "60601", "10001", "00000", "x"]) == "America/Chicago"

    def test_a_tie_goes_to_the_first_zone_by_name(self):
        assert time_zone_for_zips(["10001", "60614"]) == "America/Chicago"
        assert time_zone_for_zips(["60614", "10001"]) == "America/Chicago"

    def test_no_known_zip_gives_the_default(self):
        assert time_zone_for_zips([], default="America/Denver") == "America/Denver"
        assert time_zone_for_zips(["", "99999"]) == settings.TIME_ZONE

    def test_a_spreadsheet_zip_is_read_like_a_typed_one(self):
        # 02134 (Boston) as a spreadsheet keeps it: 2134.
        assert time_zone_for_zips(["2134", "2134.0", "94103"]) == "America/New_York"


def test_a_communitys_meeting_zone_starts_from_its_members_zips(world):
    world.leader_participant.zip_code = "94103"  # San Francisco
    world.leader_participant.save(update_fields=["zip_code"])
    world.participant_participant.zip_code = ""
    world.participant_participant.save(update_fields=["zip_code"])
    world.organization.zip_code = "98101"  # Seattle: the member without a ZIP code is there
    world.organization.save(update_fields=["zip_code"])
    assert community_time_zone(world.community) == "America/Los_Angeles"
    assert meeting_services.settings_for(world.community).time_zone == "America/Los_Angeles"
    # Without any ZIP code, the cohort's zone.
    empty = factories.CommunityFactory(cohort=world.cohort)
    world.cohort.time_zone = "America/Chicago"
    world.cohort.save(update_fields=["time_zone"])
    empty.refresh_from_db()
    assert meeting_services.settings_for(empty).time_zone == "America/Chicago"
