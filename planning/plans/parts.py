"""The parts of a community's action plan: what each asks, the fields its answer has, when
it counts as done, and how an answer reads as plain text (for the printable plan, the PDF,
the conflict view and the differences between versions).

The parts follow the questions a robust action and structure plan answers (the potential the
members see; three goals and how they will know; the type of work; the format and structure
of meetings; frequency, length and format; the schedule; how each meeting runs; each
member's commitment; roles; sharing and storing resources), plus what success looks like to
each audience and who decides what. A cohort's staff can reword each part's title, prompt
and help text (PlanTemplate); the keys and fields are fixed.

An answer (`PlanPart.data`) is a dict keyed by field name:
- TEXT, LONG_TEXT, DATE ("YYYY-MM-DD"), TIME ("HH:MM"), CHOICE: a string;
- NUMBER: an integer; MULTI: a list of strings;
- GROUP: a list of dicts of its sub-fields (at most `max_items`);
- PER_MEMBER: a dict participant public id (str) -> text.
MEMBER (inside a GROUP) holds a participant public id (str).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cohorts.models import Community

TEXT = "text"
LONG_TEXT = "long_text"
DATE = "date"
TIME = "time"
NUMBER = "number"
CHOICE = "choice"
MULTI = "multi"
GROUP = "group"
PER_MEMBER = "per_member"
MEMBER = "member"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    label: str
    help_text: str = ""
    choices: tuple = ()  # (value, label) pairs for CHOICE and MULTI
    fields: tuple = ()  # sub-fields of a GROUP
    max_items: int = 0  # most entries of a GROUP
    required: bool = False  # needed for the part to count as done

    def choice_label(self, value):
        return str(dict(self.choices).get(value, value))


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    prompt: str
    help_text: str
    fields: tuple = field(default_factory=tuple)

    def field(self, name):
        return next(f for f in self.fields if f.name == name)


MEETING_FORMATS = (
    ("check_ins", _("Informal check-ins: members bring what they want to talk through")),
    ("peer_trainings", _("Peer-led trainings: each member leads a session on a topic")),
    ("practice_reviews", _("Presentations of existing practice, then how to improve it")),
    ("problem_solving", _("Group problem solving on problems members bring")),
)

FREQUENCIES = (
    ("weekly", _("Every week")),
    ("biweekly", _("Every two weeks")),
    ("monthly", _("Every month")),
    ("quarterly", _("Every three months")),
)

WEEKS_OF_MONTH = (
    ("1", _("First")),
    ("2", _("Second")),
    ("3", _("Third")),
    ("4", _("Fourth")),
    ("last", _("Last")),
)

WEEKDAYS = (
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
)

MEETING_MODES = (
    ("call", _("Conference call")),
    ("virtual", _("Virtual meeting (video)")),
    ("in_person", _("In person")),
)

WORK_TYPES = tuple(Community.WorkType.choices)

DEFAULT_AGENDA = _(
    "Welcome and a quick round: one thing from your organization since we last met (10 min)\n"
    "Progress on our goals: what moved, what is stuck (15 min)\n"
    "Main session: a member's practice, a training or a problem to solve together (40 min)\n"
    "What each of us will try before next time (10 min)\n"
    "Roles and date for the next meeting (5 min)"
)

GOAL_QUESTIONS = (
    _(
        "Can the community act on this need with more impact than any one organization "
        "acting alone?"
    ),
    _("What assets and resources already in the community could you draw on?"),
    _("What outcome, produced by the community, would meet the need?"),
)

PARTS = (
    Part(
        key="potential",
        title=_("The potential you see"),
        prompt=_("What potential do you see in this group of organizations working together?"),
        help_text=_(
            "Think about what the members bring, what you could do together that none of "
            "you could alone, and what would make the time worth it."
        ),
        fields=(Field("potential", LONG_TEXT, _("The potential we see"), required=True),),
    ),
    Part(
        key="goals",
        title=_("Goals and how you will know"),
        prompt=_(
            "What are up to three goals of your community, and how will you know each one is met?"
        ),
        help_text=_(
            "Start from the needs you share. For each goal, name something you could count "
            "or see (the indicator) and a date to look at it."
        ),
        fields=(
            Field(
                "goals",
                GROUP,
                _("Goals"),
                max_items=3,
                required=True,
                fields=(
                    Field("goal", TEXT, _("Goal"), required=True),
                    Field(
                        "indicator",
                        TEXT,
                        _("How we will know"),
                        help_text=_("What you will count or see when it is met."),
                        required=True,
                    ),
                    Field("target_date", DATE, _("By when")),
                ),
            ),
        ),
    ),
    Part(
        key="work_type",
        title=_("Type of work"),
        prompt=_("What type of work will be most useful to your community?"),
        help_text=_(
            "Innovating, distilling best practices, solving a shared problem together, or "
            "learning a practice as a group. Pick the one that fits best."
        ),
        fields=(
            Field("work_type", CHOICE, _("Type of work"), choices=WORK_TYPES, required=True),
            Field("why", TEXT, _("Why this fits")),
        ),
    ),
    Part(
        key="format",
        title=_("Meeting format and structure"),
        prompt=_("What general format and structure will your meetings have?"),
        help_text=_("Choose one or more. If members will lead trainings, list the topics."),
        fields=(
            Field("formats", MULTI, _("Formats"), choices=MEETING_FORMATS, required=True),
            Field("training_topics", LONG_TEXT, _("Training topics and who leads them")),
        ),
    ),
    Part(
        key="logistics",
        title=_("How often, how long, and how"),
        prompt=_("How often will you meet, for how long, and in what format?"),
        help_text=_(
            "Monthly works for many groups. copkit uses these answers to propose a meeting "
            "schedule."
        ),
        fields=(
            Field("frequency", CHOICE, _("How often"), choices=FREQUENCIES, required=True),
            Field(
                "week_of_month",
                CHOICE,
                _("Which week of the month"),
                help_text=_("For monthly and quarterly meetings."),
                choices=WEEKS_OF_MONTH,
            ),
            Field("weekday", CHOICE, _("Day of the week"), choices=WEEKDAYS, required=True),
            Field("start_time", TIME, _("Start time"), required=True),
            Field("length_minutes", NUMBER, _("Length in minutes"), required=True),
            Field("mode", CHOICE, _("Format"), choices=MEETING_MODES, required=True),
        ),
    ),
    Part(
        key="schedule",
        title=_("Meeting schedule"),
        prompt=_("What is your meeting schedule, with dates and times?"),
        help_text=_(
            "Set the first date here, then create the schedule on the Meetings page, where "
            "you can move dates and add one-off meetings."
        ),
        fields=(
            Field("first_meeting", DATE, _("First meeting"), required=True),
            Field("notes", TEXT, _("Anything to know about the schedule")),
        ),
    ),
    Part(
        key="agenda",
        title=_("How each meeting runs"),
        prompt=_("How will each meeting be structured?"),
        help_text=_(
            "One agenda item per line, with minutes if you like. New meetings start from "
            "this agenda."
        ),
        fields=(Field("agenda", LONG_TEXT, _("Agenda template"), required=True),),
    ),
    Part(
        key="commitments",
        title=_("Each member's commitment"),
        prompt=_("What is each member's commitment to the community?"),
        help_text=_("For example: come to most meetings, lead one session a year, share one tool."),
        fields=(Field("commitments", PER_MEMBER, _("Commitments"), required=True),),
    ),
    Part(
        key="roles",
        title=_("Roles and who fills them"),
        prompt=_("What roles does the community need, and who will fill them?"),
        help_text=_("Convener, note-taker, timekeeper, host, liaison with the TTA team, ..."),
        fields=(
            Field(
                "roles",
                GROUP,
                _("Roles"),
                max_items=8,
                required=True,
                fields=(
                    Field("role", TEXT, _("Role"), required=True),
                    Field("member", MEMBER, _("Who"), required=True),
                ),
            ),
        ),
    ),
    Part(
        key="resources",
        title=_("Sharing and storing resources"),
        prompt=_("How will the community share and store resources?"),
        help_text=_("Where documents live, who keeps them tidy, and how new members find them."),
        fields=(Field("resources", LONG_TEXT, _("How we share and store"), required=True),),
    ),
    Part(
        key="success",
        title=_("What success looks like, and to whom"),
        prompt=_(
            "What does success look like to the funder, to the member organizations, and "
            "to the community you serve?"
        ),
        help_text=_(
            "These can differ. Agree on them early, and on how you will measure them, so "
            "that no one is surprised later."
        ),
        fields=(
            Field("funder", TEXT, _("To the funder"), required=True),
            Field("members", TEXT, _("To the member organizations"), required=True),
            Field("community", TEXT, _("To the community served"), required=True),
        ),
    ),
    Part(
        key="decisions",
        title=_("Who decides what"),
        prompt=_("Which decisions do the members, the leaders and the TTA team each make?"),
        help_text=_("Say who the TTA team speaks for. Clear roles early prevent tension later."),
        fields=(Field("decisions", LONG_TEXT, _("Who decides what"), required=True),),
    ),
)

PARTS_BY_KEY = {part.key: part for part in PARTS}


def part_by_key(key):
    """The Part with this key, or None."""
    return PARTS_BY_KEY.get(key)


def _filled(value):
    return value not in (None, "", [], {})


def is_complete(part, data):
    """Whether `data` answers every required field of `part` (a GROUP needs at least one
    entry whose required sub-fields are filled; a PER_MEMBER at least one member)."""
    data = data or {}
    for spec in part.fields:
        if not spec.required:
            continue
        value = data.get(spec.name)
        if spec.kind == GROUP:
            entries = [e for e in value or [] if isinstance(e, dict)]
            if not any(
                all(_filled(e.get(sub.name)) for sub in spec.fields if sub.required)
                for e in entries
            ):
                return False
        elif spec.kind == PER_MEMBER:
            if not any(_filled(text) for text in (value or {}).values()):
                return False
        elif not _filled(value):
            return False
    return True


def _value_text(spec, value, names):
    if not _filled(value):
        return ""
    if spec.kind == CHOICE:
        return spec.choice_label(value)
    if spec.kind == MULTI:
        return "; ".join(spec.choice_label(v) for v in value)
    if spec.kind == MEMBER:
        return names.get(value, str(_("(a former member)")))
    return str(value)


def as_text(part, data, names=None):
    """The answer as plain text, one line per field (a group entry per line): what the
    printable plan, the conflict view and the version differences show. `names` maps
    participant public ids (str) to names."""
    data = data or {}
    names = names or {}
    lines = []
    for spec in part.fields:
        value = data.get(spec.name)
        if spec.kind == GROUP:
            for number, entry in enumerate(value or [], start=1):
                bits = [
                    f"{sub.label}: {_value_text(sub, entry.get(sub.name), names)}"
                    for sub in spec.fields
                    if _filled(entry.get(sub.name))
                ]
                if bits:
                    lines.append(f"{number}. " + " · ".join(bits))
        elif spec.kind == PER_MEMBER:
            for key, text in sorted(
                (value or {}).items(), key=lambda item: names.get(item[0], item[0])
            ):
                if _filled(text):
                    who = names.get(key, str(_("(a former member)")))
                    lines.append(f"{who}: {text}")
        else:
            text = _value_text(spec, value, names)
            if text:
                lines.append(f"{spec.label}: {text}" if len(part.fields) > 1 else text)
    return "\n".join(lines)
