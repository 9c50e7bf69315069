"""Ready-made surveys a TTA provider can start from, kept as data.

A starting point is a kind, a title, an introduction and a list of questions. Each question
is a dict of `Question` fields; `"choices": TOPICS` stands for the cohort's topic names (or
DEFAULT_PRACTICE_AREAS when the cohort has none yet). Once a survey is made from a template
its questions are ordinary questions: staff edit, move or delete them like any other.

The wording follows the domain texts: before a COP settles on what to work on, the provider
learns what members need and want, what they know and can offer, their roles in their
organizations and how they like to learn; the COP then picks its few most pressing needs and
matches them with the expertise in the room.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from planning.surveys.models import Question, Survey

Kind = Question.Kind
Fills = Question.Fills

# Stands for "the cohort's topic names" in a question's choices.
TOPICS = "__topics__"

# The usual capacity-building areas, offered when the cohort has no topics yet.
DEFAULT_PRACTICE_AREAS = [
    _("Board development"),
    _("Leadership and management"),
    _("Staff development"),
    _("Raising funds"),
    _("Volunteer management"),
    _("Program evaluation"),
    _("Communications and outreach"),
    _("Financial management"),
    _("Partnerships and collaboration"),
    _("Strategic planning"),
]

BLANK = "blank"
NEEDS = "needs"
EXPERTISE = "expertise"
POLL = "poll"

NEEDS_QUESTIONS = [
    {
        "kind": Kind.PICK_N,
        "text": _("Which areas does your organization most need to strengthen?"),
        "help_text": _("Pick up to three. They will shape what the communities work on."),
        "required": True,
        "choices": TOPICS,
        "max_picks": 3,
        "fills": Fills.NEEDS,
    },
    {
        "kind": Kind.RATING,
        "text": _("How pressing are the needs you picked for your organization right now?"),
        "scale_min": 1,
        "scale_max": 5,
        "scale_min_label": _("They can wait"),
        "scale_max_label": _("Very urgent"),
    },
    {
        "kind": Kind.RATING,
        "text": _(
            "How ready is your organization to give time and attention to these needs this year?"
        ),
        "scale_min": 1,
        "scale_max": 5,
        "scale_min_label": _("Not ready yet"),
        "scale_max_label": _("Ready to start"),
    },
    {
        "kind": Kind.LONG_TEXT,
        "text": _("What do you hope to get out of taking part in a community of practice?"),
        "help_text": _("For example: ideas to try, a sounding board, tools, new partners."),
    },
    {
        "kind": Kind.LONG_TEXT,
        "text": _("Do you have any worries or doubts about taking part?"),
        "help_text": _("Time, travel, sharing openly with peers... Anything helps us plan."),
    },
    {
        "kind": Kind.MULTIPLE,
        "text": _("How do you like to learn?"),
        "choices": [
            _("Exchanging experience with peers"),
            _("Short presentations by someone who knows the subject"),
            _("Hands-on tools and templates"),
            _("One-to-one coaching"),
            _("Case studies and stories from other organizations"),
            _("Reading and self-study between meetings"),
        ],
    },
    {
        "kind": Kind.SINGLE,
        "text": _("How would you prefer to meet?"),
        "choices": [_("In person"), _("Virtually"), _("Either suits me")],
    },
    {
        "kind": Kind.SINGLE,
        "text": _("How much time could you give to a community of practice each month?"),
        "choices": [
            _("About an hour"),
            _("Two to three hours"),
            _("Half a day or more"),
            _("I am not sure yet"),
        ],
    },
    {
        "kind": Kind.SHORT_TEXT,
        "text": _("What is your role in your organization?"),
        "help_text": _("For example: executive director, board chair, program manager."),
    },
]

EXPERTISE_QUESTIONS = [
    {
        "kind": Kind.MULTIPLE,
        "text": _("In which areas could you help other organizations?"),
        "help_text": _("Choose the areas where you have real experience to share."),
        "required": True,
        "choices": TOPICS,
        "fills": Fills.EXPERTISE,
    },
    {
        "kind": Kind.RATING,
        "text": _("How much experience do you have in the area you know best?"),
        "scale_min": 1,
        "scale_max": 5,
        "scale_min_label": _("Some"),
        "scale_max_label": _("Many years"),
    },
    {
        "kind": Kind.LONG_TEXT,
        "text": _(
            "Tell us about a story, tool or template from your work that others might value."
        ),
        "help_text": _(
            "An article, a checklist, a lesson learned the hard way: something you could "
            "bring to a meeting and explain."
        ),
    },
    {
        "kind": Kind.RANKING,
        "text": _("How would you most like to contribute? Put them in order."),
        "choices": [
            _("Leading or co-leading a community"),
            _("Presenting a topic I know well"),
            _("Sharing tools and documents"),
            _("Mentoring another member"),
            _("Hosting a meeting or site visit"),
        ],
    },
    {
        "kind": Kind.SINGLE,
        "text": _("Would you consider leading or co-leading a community of practice?"),
        "choices": [_("Yes"), _("Maybe, tell me more"), _("Not this time")],
    },
    {
        "kind": Kind.SHORT_TEXT,
        "text": _("What talent or skill makes you effective at your work?"),
    },
]

STARTING_POINTS = {
    BLANK: {
        "label": _("Blank survey"),
        "description": _("Start with no questions and add your own."),
        "kind": Survey.Kind.OTHER,
        "title": _("Survey"),
        "intro": "",
        "questions": [],
    },
    NEEDS: {
        "label": _("Needs assessment"),
        "description": _(
            "What members' organizations need most, how pressing it is, their hopes and "
            "worries about the COP, and how and when they like to learn."
        ),
        "kind": Survey.Kind.NEEDS,
        "title": _("Needs assessment"),
        "intro": _(
            "Before our communities of practice start, we would like to understand what your "
            "organization needs and how you like to work with peers. Your answers help us "
            "group organizations with shared needs and plan the first meetings. It takes "
            "about ten minutes."
        ),
        "questions": NEEDS_QUESTIONS,
    },
    EXPERTISE: {
        "label": _("Expertise inventory"),
        "description": _(
            "What members know and could share with others, and how they would like to contribute."
        ),
        "kind": Survey.Kind.EXPERTISE,
        "title": _("What you bring"),
        "intro": _(
            "Every member of a community of practice has something to offer. Tell us where "
            "your experience lies so that others with a need can find you."
        ),
        "questions": EXPERTISE_QUESTIONS,
    },
    POLL: {
        "label": _("Live poll"),
        "description": _(
            "Questions to ask during a webinar or meeting, with the results shown as people vote."
        ),
        "kind": Survey.Kind.POLL,
        "title": _("Live poll"),
        "intro": "",
        "questions": [],
    },
}


# A cohort with fewer topics than this gets the usual areas after its own, so that a
# "pick up to three" question has something to choose from.
MIN_TOPIC_OPTIONS = 3


def practice_areas(cohort):
    """The options a TOPICS question offers in `cohort`: its topic names, topped up with
    DEFAULT_PRACTICE_AREAS (those not named already) when it has fewer than three."""
    names = list(cohort.topics.order_by("name").values_list("name", flat=True))
    if len(names) >= MIN_TOPIC_OPTIONS:
        return names
    taken = {name.casefold() for name in names}
    return names + [
        str(area) for area in DEFAULT_PRACTICE_AREAS if str(area).casefold() not in taken
    ]


def fills_from_topics(key):
    """Whether starting point `key` asks a question whose options are the practice areas."""
    return any(spec.get("choices") == TOPICS for spec in STARTING_POINTS[key]["questions"])


def areas_not_topics(cohort):
    """The practice areas a TOPICS question would offer in `cohort` that are not its topics:
    answers naming them reach the inventory only once they become topics."""
    topics = {
        " ".join(name.split()).casefold() for name in cohort.topics.values_list("name", flat=True)
    }
    return [
        area for area in practice_areas(cohort) if " ".join(area.split()).casefold() not in topics
    ]


def questions_for(key, cohort):
    """The questions of starting point `key` for `cohort`, as dicts of Question fields with
    every lazy string resolved and TOPICS replaced by the cohort's practice areas."""
    areas = None
    questions = []
    for spec in STARTING_POINTS[key]["questions"]:
        fields = {}
        for name, value in spec.items():
            if isinstance(value, str) and value == TOPICS:
                if areas is None:
                    areas = practice_areas(cohort)
                value = list(areas)
            elif isinstance(value, list):
                value = [str(item) for item in value]
            elif isinstance(value, Promise):
                value = str(value)
            fields[name] = value
        if fields.get("max_picks"):
            fields["max_picks"] = min(fields["max_picks"], len(fields["choices"]))
        questions.append(fields)
    return questions


def starting_point_choices():
    return [(key, point["label"]) for key, point in STARTING_POINTS.items()]
