"""copkit's default evaluation: the questions a COP answers when it steps back to look at how
it is doing, kept as data.

The lesson on managing COPs asks TTA providers to set time aside with each group, by an
online survey or a facilitated discussion, to look at its progress, share what works, face
what does not, and change the group's structure where that helps. The guide on monitoring a
COP names the outcome data worth collecting: which goals were met, what changed in members'
practice and what shows it. The lessons-learned report adds that success means different
things to the funder, the member organizations and the communities they serve, so members
are asked what the COP is worth to them.

Each question carries a `measures` key (MEASURES below) so that reports find its answers
whatever staff make of its wording. The goal questions are not in the template: each
community's evaluation gets one per live goal of its plan (`goal_question`), with the plan's
own indicator shown beside it.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planning.surveys.models import Question

Kind = Question.Kind

GOAL_PROGRESS = "goal_progress"
WHAT_WORKS = "what_works"
WHAT_DOESNT = "what_doesnt"
TAKING_PART = "taking_part"
WOULD_TAKE_PART = "would_take_part"
PRACTICE_CHANGE = "practice_change"
PRACTICE_EVIDENCE = "practice_evidence"
VALUE = "value"
SHOULD_CHANGE = "should_change"

MEASURES = {
    GOAL_PROGRESS: gettext_lazy("Progress on a goal of the plan"),
    WHAT_WORKS: gettext_lazy("What works"),
    WHAT_DOESNT: gettext_lazy("What does not work"),
    TAKING_PART: gettext_lazy("How members take part"),
    WOULD_TAKE_PART: gettext_lazy("How members would like to take part"),
    PRACTICE_CHANGE: gettext_lazy("Changes in members' practice"),
    PRACTICE_EVIDENCE: gettext_lazy("Evidence of those changes"),
    VALUE: gettext_lazy("Value of the COP to members"),
    SHOULD_CHANGE: gettext_lazy("What the group should change"),
}

# The three answers of a goal question, in order; the first and the last decide a goal's
# status (see services.evaluations.status_from).
ON_TRACK = gettext_lazy("On track")
SOME_PROGRESS = gettext_lazy("Some progress")
STALLED = gettext_lazy("Stalled")
GOAL_CHOICES = (ON_TRACK, SOME_PROGRESS, STALLED)

TITLE = gettext_lazy("How is our community of practice doing?")
INTRO = gettext_lazy(
    "Your answers help your group see what it has achieved, what is working and what to "
    "change. Please answer for yourself and your own organization; there are no wrong answers. "
    "Your TTA team and your leaders read the answers; funders only see totals."
)

SUGGESTED_TITLES = (
    gettext_lazy("Mid-way evaluation"),
    gettext_lazy("End-of-program evaluation"),
)

TEMPLATE_QUESTIONS = [
    {
        "measures": WHAT_WORKS,
        "kind": Kind.LONG_TEXT,
        "text": gettext_lazy("What is working well in our group?"),
        "help_text": gettext_lazy(
            "A practice, a meeting, a tool or a habit worth keeping or sharing with other groups."
        ),
    },
    {
        "measures": WHAT_DOESNT,
        "kind": Kind.LONG_TEXT,
        "text": gettext_lazy("What is not working, or gets in the way?"),
        "help_text": gettext_lazy("Challenges the group could solve together."),
    },
    {
        "measures": TAKING_PART,
        "kind": Kind.MULTIPLE,
        "text": gettext_lazy("How have you taken part so far?"),
        "choices": [
            gettext_lazy("Came to meetings"),
            gettext_lazy("Shared a practice, a tool or a resource"),
            gettext_lazy("Asked the group for help"),
            gettext_lazy("Helped another member"),
            gettext_lazy("Led a session or an activity"),
            gettext_lazy("Worked on the action plan"),
            gettext_lazy("Not much yet"),
        ],
    },
    {
        "measures": WOULD_TAKE_PART,
        "kind": Kind.LONG_TEXT,
        "text": gettext_lazy("How would you like to take part from now on?"),
        "help_text": gettext_lazy(
            "For example a role you would take on, or a different way to meet."
        ),
    },
    {
        "measures": PRACTICE_CHANGE,
        "kind": Kind.LONG_TEXT,
        "text": gettext_lazy(
            "What has changed in the way your own organization works because of the group?"
        ),
        "help_text": gettext_lazy("A new practice, policy, partnership or way of doing things."),
    },
    {
        "measures": PRACTICE_EVIDENCE,
        "kind": Kind.LONG_TEXT,
        "text": gettext_lazy("What shows that change?"),
        "help_text": gettext_lazy(
            "A number, a document, a story or something others noticed. Leave it empty if "
            "nothing has changed yet."
        ),
    },
    {
        "measures": VALUE,
        "kind": Kind.RATING,
        "text": gettext_lazy("How valuable is the group to you and your organization?"),
        "required": True,
        "scale_min": 1,
        "scale_max": 5,
        "scale_min_label": gettext_lazy("Not valuable"),
        "scale_max_label": gettext_lazy("Very valuable"),
    },
    {
        "measures": SHOULD_CHANGE,
        "kind": Kind.LONG_TEXT,
        "text": gettext_lazy("What should the group change to work better?"),
        "help_text": gettext_lazy(
            "How often or how you meet, who does what, the goals: anything you would change."
        ),
    },
]


def template_questions():
    """The template's questions as `Question` field values, their text in the active
    language."""
    specs = []
    for spec in TEMPLATE_QUESTIONS:
        values = {
            name: [str(item) for item in value] if isinstance(value, list) else value
            for name, value in spec.items()
        }
        for name in ("text", "help_text", "scale_min_label", "scale_max_label"):
            if name in values:
                values[name] = str(values[name])
        specs.append(values)
    return specs


def goal_question(goal):
    """The question about one goal of the plan: its progress, with the plan's indicator
    beside it."""
    text = _("Our goal: %(goal)s. How far along are we?") % {"goal": goal.text}
    help_text = (
        _("How we said we would know: %(indicator)s") % {"indicator": goal.indicator}
        if goal.indicator
        else ""
    )
    return {
        "measures": GOAL_PROGRESS,
        "goal": goal,
        "kind": Kind.SINGLE,
        "text": text[:500],
        "help_text": help_text[:500],
        "required": True,
        "choices": [str(choice) for choice in GOAL_CHOICES],
    }
