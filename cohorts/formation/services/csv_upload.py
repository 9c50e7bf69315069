"""Groups uploaded as a CSV (a person column and a group column): every row checked, and
nothing saved unless all are right. Refusals raise `CsvErrors`, one line per row at fault."""

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.formation.wording import names_text as _names
from cohorts.models import (
    FormationProposal,
    FormationRound,
)
from copkit.csvfile import unescape_cell
from copkit.errors import ServiceError

from .problem import build_problem, size_limits
from .proposals import rescore, save_solution

# CSV columns (case-insensitive) naming the person, tried in this order, and their group.
PERSON_COLUMNS = ("email", "e-mail", "name", "person")


GROUP_COLUMNS = ("group", "group name", "community")


CSV_MAX_BYTES = 2_000_000


class CsvErrors(ServiceError):
    """An uploaded CSV was refused. `rows` is [(row number, message)], nothing was saved."""

    def __init__(self, message, rows=()):
        super().__init__(message)
        self.rows = list(rows)


def import_csv(formation_round, uploaded_file, *, actor):
    """A CSV of person -> group (columns `email` or `name`, and `group`) becomes a new
    proposal (source CSV). Unknown people, people outside the round, people listed twice,
    missing columns, people left out and groups outside the size limits raise CsvErrors with
    each row at fault; nothing is saved then."""
    entries = list(formation_round.entries.select_related("participant"))
    people = [entry.participant for entry in entries]
    header, body = _read_csv(uploaded_file)
    columns = [cell.strip().casefold() for cell in header]
    person_cols = [columns.index(c) for c in PERSON_COLUMNS if c in columns]
    group_col = next((columns.index(c) for c in GROUP_COLUMNS if c in columns), None)
    if not person_cols or group_col is None:
        found = ", ".join(f"“{cell.strip()}”" for cell in header if cell.strip()) or _("none")
        raise CsvErrors(
            _(
                "The first row must name the columns: “email” or “name” for the person, and "
                "“group” for their group. Columns found: %(found)s."
            )
            % {"found": found}
        )
    by_email = {p.email.strip().casefold(): p for p in people}
    by_name = {}
    for person in people:
        by_name.setdefault(_name_key(person.name), []).append(person)
    in_cohort = {}
    for person in formation_round.cohort.participants.exclude(pk__in=[p.pk for p in people]):
        in_cohort[person.email.strip().casefold()] = person
        in_cohort[_name_key(person.name)] = person

    errors = []
    placed = {}  # participant pk -> row number
    groups = {}  # group key -> {"name", "members", "first_row"}
    for number, row in body:
        if not any(cell.strip() for cell in row):
            continue
        cells = [row[i].strip() if i < len(row) else "" for i in person_cols]
        who = next((cell for cell in cells if cell), "")
        group_name = row[group_col].strip() if group_col < len(row) else ""
        if not who:
            errors.append((number, _("There is no email or name on this row.")))
            continue
        person, problem = _find_person(who, by_email, by_name, in_cohort)
        if problem:
            errors.append((number, problem))
            continue
        if not group_name:
            errors.append((number, _("%(name)s has no group.") % {"name": person.name}))
            continue
        if len(group_name) > 200:
            errors.append((number, _("The group name is longer than 200 characters.")))
            continue
        if person.pk in placed:
            errors.append(
                (
                    number,
                    _("%(name)s is listed already, on row %(row)s.")
                    % {"name": person.name, "row": placed[person.pk]},
                )
            )
            continue
        placed[person.pk] = number
        group = groups.setdefault(
            group_name.casefold(), {"name": group_name, "members": [], "first_row": number}
        )
        group["members"].append(person)

    if not errors and not groups:
        raise CsvErrors(_("The file has no rows below its first row."))
    missing = [p.name for p in people if p.pk not in placed]
    size_min, size_max = size_limits(formation_round, len(people))
    if not errors and not missing and size_min is not None and size_max is not None:
        for group in groups.values():
            count = len(group["members"])
            if not size_min <= count <= size_max:
                errors.append(
                    (
                        group["first_row"],
                        _(
                            "The group “%(group)s” has %(count)s people; groups in this "
                            "round need %(min)s to %(max)s."
                        )
                        % {
                            "group": group["name"],
                            "count": count,
                            "min": size_min,
                            "max": size_max,
                        },
                    )
                )
    if errors or missing:
        message = _("Nothing was saved: some rows need fixing.") if errors else ""
        if missing:
            shown = _names(missing)
            message = " ".join(
                part
                for part in (
                    message,
                    ngettext(
                        "%(count)s person of this round is not in the file: %(names)s. Add a "
                        "row for them.",
                        "%(count)s people of this round are not in the file: %(names)s. Add "
                        "a row for each.",
                        len(missing),
                    )
                    % {"count": len(missing), "names": shown},
                )
                if part
            )
        raise CsvErrors(message, sorted(errors, key=lambda item: item[0]))

    try:
        problem, warnings = build_problem(formation_round)
    except ServiceError:
        sizes = [len(g["members"]) for g in groups.values()]
        problem = {
            "method": FormationRound.Method.PREASSIGN,
            "group_size": {"min": min(sizes), "max": max(sizes)},
            "participants": [{"id": str(p.public_id)} for p in people],
        }
        warnings = []
    solution = {
        "groups": [
            {
                "id": f"g{position + 1}",
                "name": group["name"],
                "members": [str(p.public_id) for p in group["members"]],
            }
            for position, group in enumerate(groups.values())
        ],
        "scores": {},
    }
    with transaction.atomic():
        proposal = save_solution(
            formation_round,
            problem,
            solution,
            actor=actor,
            source=FormationProposal.Source.CSV,
            warnings=warnings,
        )
        rescore(proposal)
    return proposal


def _read_csv(uploaded_file):
    """(header row, [(row number, row), ...]) of an uploaded CSV; CsvErrors when it is not
    one."""
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    raw = uploaded_file.read(CSV_MAX_BYTES + 1)
    if isinstance(raw, str):
        text = raw
    else:
        if len(raw) > CSV_MAX_BYTES:
            raise CsvErrors(_("The file is too large: a CSV of person and group is smaller."))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CsvErrors(
                _(
                    "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” "
                    "and upload it again."
                )
            ) from None
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise CsvErrors(_("This is not a CSV file. Save your spreadsheet as CSV and try again."))
    if not text.strip():
        raise CsvErrors(_("The file is empty."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(enumerate(csv.reader(io.StringIO(text), dialect), start=1))
    except csv.Error:
        raise CsvErrors(
            _("This does not read as a CSV file. Save your spreadsheet as CSV and try again.")
        ) from None
    # What copkit's CSV writer made inert ('=...) reads as the text it was.
    rows = [
        (number, [unescape_cell(cell) for cell in row])
        for number, row in rows
        if any(cell.strip() for cell in row)
    ]
    if not rows:
        raise CsvErrors(_("The file is empty."))
    return rows[0][1], rows[1:]


def _name_key(name):
    return " ".join(name.split()).casefold()


def _find_person(who, by_email, by_name, in_cohort):
    """(participant, None) or (None, what is wrong) for an email or a name from the CSV."""
    if "@" in who:
        person = by_email.get(who.casefold())
        if person is not None:
            return person, None
        other = in_cohort.get(who.casefold())
        if other is not None:
            return None, _("%(name)s (%(email)s) is not taking part in this round.") % {
                "name": other.name,
                "email": who,
            }
        return None, _("Nobody in this round has the email %(email)s.") % {"email": who}
    matches = by_name.get(_name_key(who), [])
    if len(matches) == 1:
        return matches[0], None
    if len(matches) > 1:
        return None, _(
            "%(count)s people in this round are called %(name)s; use their email instead."
        ) % {"count": len(matches), "name": who}
    if _name_key(who) in in_cohort:
        return None, _("%(name)s is not taking part in this round.") % {"name": who}
    return None, _("Nobody in this round is called %(name)s.") % {"name": who}
