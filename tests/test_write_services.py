"""The cohort's edit services take values, never forms: each is called here with values alone,
and records what it changed as the pages did when they saved a form."""

import pytest

from cohorts.models import Activity, Community
from cohorts.services import cohorts as cohort_services
from cohorts.services import communities as community_services
from copkit.errors import ServiceError


def _last(verb):
    return Activity.objects.filter(verb=verb).latest("pk")


def test_update_organization_places_it_by_its_zip_code(world):
    org = world.organization
    cohort_services.update_organization(
        org, actor=world.staff, name="Riverbend Pantry", kind=org.kind, zip_code="22301-1234"
    )
    org.refresh_from_db()
    assert (org.name, org.zip_code, org.state, org.city) == (
        "Riverbend Pantry",
        "22301",
        "VA",
        "Alexandria",
    )
    assert org.latitude and org.longitude
    row = _last("updated organization")
    assert row.target_object == org and row.actor == world.staff
    assert row.data["fields"] == ["name", "zip_code"]

    cohort_services.update_organization(org, actor=world.staff, zip_code="")
    org.refresh_from_db()
    assert (org.zip_code, org.latitude, org.city, org.state) == ("", None, "", "VA")


def test_a_zip_code_that_does_not_exist_is_refused_on_its_field(world):
    with pytest.raises(ServiceError) as caught:
        cohort_services.update_organization(world.organization, actor=world.staff, zip_code="00000")
    assert caught.value.field == "zip_code"
    with pytest.raises(ServiceError) as caught:
        cohort_services.update_participant(
            world.participant_participant, actor=world.staff, zip_code="abc"
        )
    assert caught.value.field == "zip_code"
    assert not Activity.objects.filter(verb__startswith="updated ").exists()


def test_update_participant_records_the_changed_fields_and_the_expertise(world):
    heard = []

    def listener(sender, cohort, participants, actor, source, **kwargs):
        heard.append((cohort, participants, actor, source))

    cohort_services.expertise_changed.connect(listener)
    try:
        person = world.participant_participant
        cohort_services.update_participant(
            person,
            actor=world.staff,
            name=person.name,
            email=" PAT@Pantry.example ",
            organization=None,
            expertise="grant writing",
        )
    finally:
        cohort_services.expertise_changed.disconnect(listener)
    person.refresh_from_db()
    assert person.email == "pat@pantry.example" and person.organization is None
    assert _last("updated participant").data["fields"] == ["expertise", "organization"]
    assert heard == [(world.cohort, [person], world.staff, "staff")]


def test_update_profile_takes_only_what_a_person_says_of_themselves(world):
    person = world.participant_participant
    with pytest.raises(TypeError):
        cohort_services.update_profile(person, actor=world.participant, email="x@y.example")
    cohort_services.update_profile(person, actor=world.participant, job_title="Director")
    person.refresh_from_db()
    assert person.job_title == "Director"
    row = _last("updated own profile")
    assert row.actor == world.participant and row.data["fields"] == ["job_title"]


def test_the_changed_fields_are_read_against_the_database(world):
    """A ModelForm puts the typed values on its instance before the save: what changed is
    what differs from the stored row, not from the instance."""
    org = world.organization
    org.kind = "Food bank"  # as a bound form leaves it
    cohort_services.update_organization(org, actor=world.staff, name=org.name, kind="Food bank")
    assert _last("updated organization").data["fields"] == ["kind"]


def test_create_and_update_a_community_with_values(world):
    community = community_services.create_community(
        world.cohort,
        actor=world.staff,
        name="Grant Writers",
        topic=world.topic,
        work_type="innovating",
    )
    assert community.cohort == world.cohort and community.slug == "grant-writers"
    row = _last("created community")
    assert row.community == community and row.data["fields"] == ["name", "topic", "work_type"]

    community_services.update_community(community, actor=world.leader, description="We write.")
    assert Community.objects.get(pk=community.pk).description == "We write."
    assert _last("updated community").data["fields"] == ["description"]


def test_an_archived_community_cannot_be_changed(world):
    community = world.community
    community_services.set_archived(community, actor=world.staff, archived=True)
    with pytest.raises(ServiceError):
        community_services.update_community(community, actor=world.staff, name="Renamed")
    assert Community.objects.get(pk=community.pk).name == "Board Builders"
    # Restored, the same write goes through.
    community_services.set_archived(community, actor=world.staff, archived=False)
    community_services.update_community(community, actor=world.staff, name="Renamed")
    assert Community.objects.get(pk=community.pk).name == "Renamed"
