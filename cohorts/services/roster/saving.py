"""Comparing checked rows with the cohort (`plan_import`) and saving them in one
transaction (`import_roster`)."""

import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Organization, Participant
from cohorts.services.activity import record
from cohorts.services.cohorts import expertise_written

from .columns import (
    EMAIL,
    EXPERTISE,
    FORMAT,
    JOB_TITLE,
    NAME,
    ORGANIZATION,
    ORGANIZATION_KIND,
    STATE,
    ZIP_CODE,
)
from .errors import RosterConflict, RosterHasErrors
from .rows import RosterRow

# The package's name, as when this was one module, so logging settings keep applying.
logger = logging.getLogger("cohorts.services.roster")


@dataclass
class ImportPlan:
    """What an import would do to a cohort: participants to create and update, and
    organizations to create and update. Built by `plan_import`; nothing saved yet."""

    rows: list
    new_participants: list = field(default_factory=list)
    changed_participants: list = field(default_factory=list)
    unchanged: int = 0
    new_organizations: dict = field(default_factory=dict)  # name_key -> unsaved Organization
    changed_organizations: dict = field(default_factory=dict)  # name_key -> Organization
    participant_fields: set = field(default_factory=set)
    organization_fields: set = field(default_factory=set)

    @property
    def errors(self):
        return sum(1 for row in self.rows if row.errors)

    @property
    def counts(self):
        return {
            "rows": len(self.rows),
            "new": len(self.new_participants),
            "update": len(self.changed_participants),
            "unchanged": self.unchanged,
            "errors": self.errors,
            "new_organizations": len(self.new_organizations),
        }


ORG_PLACE_FIELDS = ("zip_code", "city", "state", "latitude", "longitude")


def plan_import(cohort, rows, *, lock=False):
    """Compare checked rows with the cohort and set each row's status and changes.

    Participants are matched by email (without case) within the cohort; organizations by
    their normalized name. Empty cells never erase what is already stored. A few queries in
    all, whatever the number of rows."""
    plan = ImportPlan(rows=rows)
    valid = [row for row in rows if not row.errors]
    emails = {row.clean[EMAIL] for row in valid}
    keys = {Organization.key_for(row.clean[ORGANIZATION]) for row in valid}

    participants = cohort.participants.annotate(email_key=Lower("email")).filter(
        email_key__in=emails
    )
    organizations = cohort.organizations.filter(name_key__in=keys)
    if lock:
        participants = participants.select_for_update()
        organizations = organizations.select_for_update()
    existing = {participant.email_key: participant for participant in participants}
    orgs = {organization.name_key: organization for organization in organizations}

    seen_orgs, kind_given = set(), set()
    for row in valid:
        organization = _plan_organization(plan, cohort, row, orgs, seen_orgs, kind_given)
        target = _participant_values(row, organization)
        participant = existing.get(row.clean[EMAIL])
        if participant is None:
            participant = Participant(
                cohort=cohort, email=row.clean[EMAIL], extra=dict(row.extra), **target
            )
            existing[row.clean[EMAIL]] = participant
            plan.new_participants.append(participant)
            row.status, row.changes = RosterRow.NEW, []
            continue
        if row.extra:
            target["extra"] = {**participant.extra, **row.extra}
        row.changes = [name for name, value in target.items() if _differs(participant, name, value)]
        if row.changes:
            for name in row.changes:
                setattr(participant, name, target[name])
            plan.changed_participants.append(participant)
            plan.participant_fields.update(row.changes)
            row.status = RosterRow.UPDATE
        else:
            plan.unchanged += 1
            row.status = RosterRow.UNCHANGED
    return plan


def _differs(participant, name, value):
    if name == "organization":
        return value.pk is None or participant.organization_id != value.pk
    return getattr(participant, name) != value


def _plan_organization(plan, cohort, row, orgs, seen, kind_given):
    key = Organization.key_for(row.clean[ORGANIZATION])
    kind = row.clean.get(ORGANIZATION_KIND, "")
    organization = orgs.get(key)
    if organization is None:
        organization = Organization(
            cohort=cohort, name=row.clean[ORGANIZATION], name_key=key, kind=kind
        )
        _set_place(organization, row.place)
        orgs[key] = plan.new_organizations[key] = organization
        seen.add(key)
    elif key not in seen:
        # The first row naming an existing organization fills in its place, if it has none.
        seen.add(key)
        if not organization.zip_code and organization.pk is not None:
            _set_place(organization, row.place)
            plan.changed_organizations[key] = organization
            plan.organization_fields.update(ORG_PLACE_FIELDS)
    # The first row that gives a type of organization sets it.
    if kind and key not in kind_given:
        kind_given.add(key)
        if organization.kind != kind:
            organization.kind = kind
            if organization.pk is not None:
                plan.changed_organizations[key] = organization
                plan.organization_fields.add("kind")
    row.organization_is_new = organization.pk is None
    return organization


def _set_place(organization, place):
    organization.zip_code = place.zip_code
    organization.city = place.city
    organization.state = place.state
    organization.latitude = place.latitude
    organization.longitude = place.longitude


def _participant_values(row, organization):
    clean, place = row.clean, row.place
    values = {
        "name": clean[NAME],
        "organization": organization,
        "zip_code": clean[ZIP_CODE],
        "state": clean.get(STATE) or place.state,
        "latitude": place.latitude,
        "longitude": place.longitude,
    }
    for name in (JOB_TITLE, EXPERTISE, FORMAT):
        if clean.get(name):
            values[name] = clean[name]
    return values


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    organizations_created: int
    organizations_updated: int
    skipped: int = 0


BATCH_SIZE = 500


def import_roster(cohort, rows, actor, *, skip_bad_rows=False):
    """Save checked rows to the cohort in one transaction and return the counts.

    Raises RosterHasErrors if any row still has a problem, unless `skip_bad_rows`: then the
    rows without a problem are saved (all of them or none) and the others are counted in
    `skipped`; a roster with no good row at all still raises RosterHasErrors. Raises
    RosterConflict if another import saved the same people or organizations at the same
    moment. Running it again with the same rows changes nothing."""
    good = [row for row in rows if not row.errors]
    if not good:
        raise RosterHasErrors(_("No row of this roster can be imported: every row has a problem."))
    if len(good) < len(rows) and not skip_bad_rows:
        raise RosterHasErrors(_("Only a roster without problems can be imported."))
    try:
        with transaction.atomic():
            plan = plan_import(cohort, good, lock=True)
            result = _save(cohort, plan, actor, skipped=len(rows) - len(good))
    except IntegrityError as exc:
        raise RosterConflict(str(exc)) from exc
    logger.info(
        "Roster imported into %s by %s: %s", cohort.slug, getattr(actor, "pk", None), result
    )
    return result


def _save(cohort, plan, actor, *, skipped):
    now = timezone.now()
    Organization.objects.bulk_create(plan.new_organizations.values(), batch_size=BATCH_SIZE)
    if plan.changed_organizations:
        for organization in plan.changed_organizations.values():
            organization.updated_at = now
        Organization.objects.bulk_update(
            plan.changed_organizations.values(),
            [*sorted(plan.organization_fields), "updated_at"],
            batch_size=BATCH_SIZE,
        )
    # Point participants at organizations that have just been given their keys.
    for participant in [*plan.new_participants, *plan.changed_participants]:
        participant.organization = participant.organization
    Participant.objects.bulk_create(plan.new_participants, batch_size=BATCH_SIZE)
    if plan.changed_participants:
        for participant in plan.changed_participants:
            participant.updated_at = now
        Participant.objects.bulk_update(
            plan.changed_participants,
            [*sorted(plan.participant_fields), "updated_at"],
            batch_size=BATCH_SIZE,
        )
    # Their expertise reaches the inventory (as its entries), in this transaction.
    expertise_written(
        cohort, [*plan.new_participants, *plan.changed_participants], actor=actor, source="roster"
    )
    result = ImportResult(
        created=len(plan.new_participants),
        updated=len(plan.changed_participants),
        unchanged=plan.unchanged,
        organizations_created=len(plan.new_organizations),
        organizations_updated=len(plan.changed_organizations),
        skipped=skipped,
    )
    record(
        cohort,
        actor,
        "imported roster",
        f"{len(plan.rows)} rows",
        **result.__dict__,
    )
    return result
