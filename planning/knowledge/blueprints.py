"""The three knowledge templates: the questions each one asks, in order.

Written from the TTA guidance on COP templates: a case study lets one member put a problem to
the group; a promising practice captures an approach the group agrees is among the best for
one kind of activity; a lesson learned keeps what the COP found out along the way. Each field
has a name (the key in `KnowledgeItem.fields`), a label, a line of help, and whether it must
be answered before the item is shared. Fields marked `later` are filled in after the group
has talked (a case study's outcome): they are never required.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MAX_ANSWER = 4000


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    help: str
    required: bool = True
    later: bool = False


@dataclass(frozen=True)
class Blueprint:
    kind: str
    label: str
    about: str
    title_help: str
    fields: tuple

    def field(self, name):
        return next((f for f in self.fields if f.name == name), None)


CASE_STUDY = Blueprint(
    kind="case_study",
    label=_("Case study"),
    about=_(
        "Put a problem from your organization to the group, so members can help you solve "
        "it. Describe it plainly; the group's responses come after you share it."
    ),
    title_help=_("A short name for the problem, e.g. “Keeping volunteers past the first month”."),
    fields=(
        Field(
            "context",
            _("Context"),
            _("Your organization and the situation: who is involved, how long it has gone on."),
        ),
        Field("problem", _("The problem"), _("What is going wrong, and why it matters.")),
        Field(
            "tried",
            _("What you have tried"),
            _("What you did about it so far, and what happened."),
        ),
        Field(
            "question",
            _("Your question for the group"),
            _("The one thing you would like the members to help you with."),
        ),
        Field(
            "outcome",
            _("The outcome"),
            _("Added later: what you did after the group's responses, and how it turned out."),
            required=False,
            later=True,
        ),
    ),
)

PRACTICE = Blueprint(
    kind="practice",
    label=_("Promising practice"),
    about=_(
        "Write down an approach that works well for one kind of activity, so other "
        "organizations can use it. Your leaders mark it as agreed once the group thinks it is "
        "among the best or most innovative ways to do that activity."
    ),
    title_help=_("Name the practice, e.g. “Board members each bring one donor a year”."),
    fields=(
        Field(
            "activity",
            _("The activity"),
            _("The kind of work this practice is for, e.g. recruiting board members."),
        ),
        Field("practice", _("The practice"), _("What you do, step by step.")),
        Field("why", _("Why it works"), _("What makes it better than the usual way.")),
        Field(
            "evidence",
            _("Evidence"),
            _("What shows it works: results, numbers, what people said."),
        ),
        Field(
            "conditions",
            _("Conditions"),
            _("What an organization needs for it to work: size, staff, money, time."),
        ),
        Field(
            "adopt",
            _("How to adopt it"),
            _("The first steps another organization would take."),
        ),
    ),
)

LESSON = Blueprint(
    kind="lesson",
    label=_("Lesson learned"),
    about=_(
        "Keep something your group found out along the way, good or bad, so the next "
        "group does not have to learn it the hard way."
    ),
    title_help=_("The lesson in a few words, e.g. “Send the agenda two days ahead”."),
    fields=(
        Field("happened", _("What happened"), _("The situation, briefly.")),
        Field("learned", _("What we learned"), _("The lesson itself.")),
        Field(
            "differently",
            _("What we would do differently"),
            _("Next time, what would you change?"),
        ),
        Field(
            "who",
            _("Who should know"),
            _("Which kinds of organizations or roles would gain from this."),
            required=False,
        ),
    ),
)

BLUEPRINTS = {blueprint.kind: blueprint for blueprint in (CASE_STUDY, PRACTICE, LESSON)}


def blueprint(kind):
    """The template of `kind`, or None."""
    return BLUEPRINTS.get(kind)
