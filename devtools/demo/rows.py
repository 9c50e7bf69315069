"""Unsaved rows of a made-up cohort (organizations, participants, communities,
invitations) and `bulk`, which saves a list of them at once."""

from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from cohorts import geo
from cohorts.models import Community, Invitation, Organization, Participant, Topic

from .data import COMMON_EXPERTISE, COMMON_JOB_TITLES, FORMATS, KINDS, PLACES, TOPICS


def program_dates(today=None):
    """A program year around `today`: mid-September to the end of the next June."""
    today = today or timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    return date(year, 9, 15), date(year + 1, 6, 30)


def bulk(model, objects, batch_size=500):
    """bulk_create `objects` and return them with primary keys set on every backend."""
    created = model.objects.bulk_create(objects, batch_size=batch_size)
    if created and created[0].pk is None:  # a backend that cannot return ids from an insert
        by_public_id = model.objects.in_bulk(
            [obj.public_id for obj in created], field_name="public_id"
        )
        for obj in created:
            obj.pk = by_public_id[obj.public_id].pk
    return created


def add_topics(cohort):
    return bulk(
        Topic,
        [
            Topic(cohort=cohort, slug=slugify(name), name=name, description=description)
            for name, description in TOPICS
        ],
    )


def organization(cohort, name, kind, zip_code):
    place = geo.lookup_zip(zip_code)
    return Organization(
        cohort=cohort,
        name=name,
        name_key=Organization.key_for(name),
        kind=kind,
        zip_code=zip_code,
        city=place.city if place else "",
        state=place.state if place else "",
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
    )


def generated_organizations(cohort, rng, count):
    """`count` organizations with distinct made-up names spread over PLACES."""
    kinds = list(KINDS.values())
    rows, seen = [], set()
    while len(rows) < count:
        zip_code, area = rng.choice(PLACES)
        kind = rng.choice(kinds)
        name = f"{area} {rng.choice(kind.name_endings)}"
        if name in seen:
            name = f"{name} {len(rows) + 1}"
        seen.add(name)
        rows.append(organization(cohort, name, kind.label, zip_code))
    return rows


def email_domain(org_name, suffix="example"):
    return slugify(org_name).replace("-", "")[:40] + "." + suffix


def person(rng, org, *, full_profile=True):
    """The fields of a made-up participant working at `org`."""
    kind = KINDS.get(org.kind)
    titles = COMMON_JOB_TITLES + (kind.job_titles if kind else ())
    skills = list(COMMON_EXPERTISE + (kind.expertise if kind else ()))
    profile = {
        "job_title": rng.choice(titles),
        "expertise": "",
        "format_preference": "",
    }
    if full_profile:
        profile["expertise"] = ", ".join(rng.sample(skills, rng.randint(1, 3)))
        profile["format_preference"] = rng.choice(FORMATS)
    return profile


def participant(cohort, org, name, email, user=None, joined_at=None, **profile):
    return Participant(
        cohort=cohort,
        organization=org,
        user=user,
        name=name,
        email=email.lower(),
        zip_code=org.zip_code,
        state=org.state,
        latitude=org.latitude,
        longitude=org.longitude,
        joined_at=joined_at,
        **profile,
    )


def community(cohort, name, topic, phase, **fields):
    return Community(
        cohort=cohort, slug=slugify(name)[:60], name=name, topic=topic, phase=phase, **fields
    )


def invitation(cohort, participant, invited_by, sent_at, accepted_at=None, send_count=1):
    return Invitation(
        cohort=cohort,
        participant=participant,
        invited_by=invited_by,
        created_at=sent_at,
        last_sent_at=sent_at,
        send_count=send_count,
        expires_at=sent_at + timedelta(days=14),
        accepted_at=accepted_at,
    )


def unusable_password():
    return make_password(None)
