"""The kinds of plan a community writes with the same machinery (parts, autosave, comments,
versions, review, print page and PDF): the action plan, for the program, and the sunset
plan, for life after it. A PlanKind says what differs: the parts, the words, the URL names,
the activity verbs and the emails.

Every plan page is served by the same view for both kinds; the sunset plan's URLs (in
planning/sunset/plan_urls.py) pass `kind="sunset"` to it, and its names are the action
plan's with "sunset-" in front (planning:plan-part -> planning:sunset-plan-part).
"""

from dataclasses import dataclass

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from planning.plans import parts as action_parts
from planning.plans.models import ActionPlan
from planning.sunset import plan_parts as sunset_parts

# The short names templates use (kind.urls.part), and the URL name each stands for.
URL_NAMES = {
    "plan": "plan",
    "part": "plan-part",
    "part_save": "plan-part-save",
    "print": "plan-print",
    "pdf": "plan-pdf",
    "versions": "plan-versions",
    "submit": "plan-submit",
    "review": "plan-review",
    "comment": "plan-comment",
    "list": "plan-list",
    "template": "plan-template",
    "template_part": "plan-template-part",
}


@dataclass(frozen=True)
class PlanVerbs:
    """What the activity log says a person did to a plan of the kind."""

    edited: str
    reopened: str
    submitted: str
    approved: str
    returned: str
    commented: str


@dataclass(frozen=True)
class PlanKind:
    key: str
    parts: tuple
    url_prefix: str  # "" or "sunset-": put before every URL name of URL_NAMES
    title: object  # "Action plan"
    plural: object  # "Action plans"
    intro: object  # the plan page's first paragraph
    verbs: PlanVerbs
    email_prefix: str  # the email templates' names start with it
    file_prefix: str  # the PDF's file name starts with it

    @cached_property
    def parts_by_key(self):
        return {part.key: part for part in self.parts}

    def part(self, key):
        """The Part with this key, or None."""
        return self.parts_by_key.get(key)

    def url_name(self, name):
        """planning:<prefix><name> for one of URL_NAMES's values ("plan-part")."""
        return f"planning:{self.url_prefix}{name}"

    @cached_property
    def urls(self):
        """{short name: full URL name}, for templates: {% url kind.urls.part ... %}."""
        return {short: self.url_name(name) for short, name in URL_NAMES.items()}

    @property
    def is_sunset(self):
        return self.key == ActionPlan.Kind.SUNSET


ACTION = PlanKind(
    key=ActionPlan.Kind.ACTION,
    parts=action_parts.PARTS,
    url_prefix="",
    title=_("Action plan"),
    plural=_("Action plans"),
    intro=_(
        "The plan is written part by part, over as many sessions as the group needs. "
        "Leaders and co-leaders write it; every member can read it and comment on each part. "
        "When every part is done, the leaders submit it to the TTA team for review."
    ),
    verbs=PlanVerbs(
        edited="edited the action plan",
        reopened="reopened the action plan",
        submitted="submitted the action plan",
        approved="approved the action plan",
        returned="returned the action plan",
        commented="commented on the action plan",
    ),
    email_prefix="plan",
    file_prefix="action-plan",
)

SUNSET = PlanKind(
    key=ActionPlan.Kind.SUNSET,
    parts=sunset_parts.PARTS,
    url_prefix="sunset-",
    title=_("Sunset plan"),
    plural=_("Sunset plans"),
    intro=_(
        "The TTA program is ending, but the community need not end with it. The sunset plan "
        "is how the group decides what it wants to be on its own: who leads, how it meets, "
        "where its documents live and how newcomers pick up the work. Leaders write it part "
        "by part; every member can read it and comment. When the TTA team approves it, the "
        "community continues on its own, and copkit keeps working for it."
    ),
    verbs=PlanVerbs(
        edited="edited the sunset plan",
        reopened="reopened the sunset plan",
        submitted="submitted the sunset plan",
        approved="approved the sunset plan",
        returned="returned the sunset plan",
        commented="commented on the sunset plan",
    ),
    email_prefix="sunset_plan",
    file_prefix="sunset-plan",
)

KINDS = {ACTION.key: ACTION, SUNSET.key: SUNSET}


def get_kind(key):
    """The PlanKind of this key ("action" when none is given)."""
    return KINDS[key or ACTION.key]


def kind_of(plan):
    """The PlanKind of a plan (the action plan's for None)."""
    return KINDS.get(getattr(plan, "kind", None) or ACTION.key, ACTION)
