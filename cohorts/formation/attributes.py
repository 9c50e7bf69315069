"""What a criteria round can group by: each participant attribute, where its value comes from
(the person's profile, or a question the round asks through their personal link), and how
it is worded. Shared by the round setup page, the participant's page and the problem builder.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Attribute:
    key: str
    label: str
    help: str
    # "profile": read from the participant and their organization; "asked": a question the
    # round puts to each person (its answer lands in FormationEntry.answers[key]).
    source: str
    question: str = ""
    choices: tuple = field(default_factory=tuple)  # ((value, label), ...) for asked ones
    multiple: bool = False


COMMITMENT_CHOICES = (
    ("1", _("An hour a month or less")),
    ("2", _("Two or three hours a month")),
    ("3", _("Four hours a month or more")),
)

MISSION_CHOICES = (
    ("basic_needs", _("Basic needs: food, housing, safety")),
    ("health", _("Health and well-being")),
    ("youth_education", _("Children, youth and education")),
    ("economic", _("Jobs and economic opportunity")),
    ("civic", _("Civic life, advocacy and community building")),
    ("arts_culture", _("Arts, culture and heritage")),
    ("other", _("Something else")),
)

ATTRIBUTES = {
    a.key: a
    for a in (
        Attribute(
            "expertise",
            _("Expertise"),
            _("What each person says they could help others with, from their profile."),
            "profile",
        ),
        Attribute(
            "format",
            _("Virtual or in-person preference"),
            _("How each person prefers to meet, from their profile."),
            "profile",
        ),
        Attribute(
            "region",
            _("Region"),
            _("The state of the person or their organization."),
            "profile",
        ),
        Attribute(
            "org_type",
            _("Type of organization"),
            _("The kind of organization each person comes from."),
            "profile",
        ),
        Attribute(
            "priorities",
            _("Service priorities"),
            _("The cohort's topics each person marks as priorities for their services."),
            "asked",
            question=_("Which of these are priorities for your organization's services?"),
            multiple=True,
        ),
        Attribute(
            "commitment",
            _("Commitment level"),
            _("How much time each person can give the community."),
            "asked",
            question=_("How much time could you give this community?"),
            choices=COMMITMENT_CHOICES,
        ),
        Attribute(
            "mission",
            _("Organizational mission"),
            _("What each person's organization works on."),
            "asked",
            question=_("Which best describes your organization's mission?"),
            choices=MISSION_CHOICES,
        ),
        Attribute(
            "custom",
            _("Your own question"),
            _("A question you write, with the answers people choose from."),
            "asked",
        ),
    )
}

RULE_CHOICES = (
    ("similar", _("Keep similar")),
    ("mix", _("Mix")),
)
WEIGHT_CHOICES = tuple((w, str(w)) for w in range(1, 6))


def asked_attributes(formation_round):
    """The asked attributes a criteria round uses, in catalogue order."""
    keys = {c["attribute"] for c in formation_round.criteria}
    return [a for a in ATTRIBUTES.values() if a.key in keys and a.source == "asked"]
