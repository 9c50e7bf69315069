"""The parts of a community's sunset plan: the modified action plan a COP writes toward the
end of the TTA program, to decide how it goes on without the TTA team.

The same machinery as the action plan's parts (planning/plans/parts.py): each part asks one
question, its fields say what the answer holds, and the cohort's staff can reword a part's
title, prompt and help text (PlanTemplate; the keys below never collide with the action
plan's, so one template holds the wording of both plans).
"""

from django.utils.translation import gettext_lazy as _

from planning.plans.parts import (
    CHOICE,
    FREQUENCIES,
    GROUP,
    LONG_TEXT,
    MEMBER,
    MULTI,
    TEXT,
    Field,
    Part,
)

GROUP_KINDS = (
    ("same", _("Much as now: we keep meeting and working on shared goals")),
    ("lighter", _("A lighter network: fewer meetings, in touch when a need comes up")),
    ("project", _("A working group around one project or goal")),
    ("merge", _("Part of a larger network or another group")),
    ("close", _("We close, and keep our work available to others")),
)

PLATFORMS = (
    ("call", _("Conference call")),
    ("video", _("Video meeting")),
    ("in_person", _("In person")),
    ("copkit", _("copkit: the community's meetings and workspace")),
    ("other", _("Another tool (say which below)")),
)

STORAGE = (
    ("copkit", _("copkit's workspace and library, which stay open to the community")),
    ("export", _("An export of everything, kept in a shared drive we choose")),
    ("other", _("Another shared service (say which below)")),
)

CONTACT_WAYS = (
    ("directory", _("The cohort's alumni directory, for those who opt in")),
    ("list", _("A contact list shared among the members who agree")),
    ("social", _("A group on a professional or social network")),
)

SUNSET_FREQUENCIES = (*FREQUENCIES, ("as_needed", _("When a member asks for a meeting")))

PARTS = (
    Part(
        key="group_kind",
        title=_("The group you want to be"),
        prompt=_("What kind of group does the community want to be once the program ends?"),
        help_text=_(
            "The end of the TTA support does not have to be the end of the community, but "
            "meetings will feel different without it. Say what you want to keep from the "
            "group, and what you can let go."
        ),
        fields=(
            Field("group_kind", CHOICE, _("The kind of group"), choices=GROUP_KINDS, required=True),
            Field("purpose", LONG_TEXT, _("What we want from it next"), required=True),
        ),
    ),
    Part(
        key="leadership",
        title=_("Who leads, and how it passes on"),
        prompt=_("Who will lead the community, and how will leadership pass from one to another?"),
        help_text=_(
            "People change jobs, go on leave or move on. Name more than one point of contact "
            "and agree now how a new leader is found, so the group does not stop when one "
            "person leaves."
        ),
        fields=(
            Field(
                "leaders",
                GROUP,
                _("Who leads"),
                max_items=6,
                required=True,
                fields=(
                    Field("member", MEMBER, _("Who"), required=True),
                    Field("role", TEXT, _("Role"), required=True),
                ),
            ),
            Field("succession", LONG_TEXT, _("How leadership passes on"), required=True),
        ),
    ),
    Part(
        key="meeting_plan",
        title=_("How you will meet"),
        prompt=_("How often will the community meet after the program, and on what platform?"),
        help_text=_(
            "A lighter rhythm often suits a group on its own. copkit keeps your meetings, "
            "calendar and reminders working after the program ends."
        ),
        fields=(
            Field("frequency", CHOICE, _("How often"), choices=SUNSET_FREQUENCIES, required=True),
            Field("platforms", MULTI, _("Where"), choices=PLATFORMS, required=True),
            Field("details", TEXT, _("Anything to know (tool, host, place)")),
        ),
    ),
    Part(
        key="library",
        title=_("Where your documents will live"),
        prompt=_("Where will the community's documents and resources live after the program?"),
        help_text=_(
            "Case studies, promising practices, lessons learned and the tools members shared "
            "are worth keeping. Choose a place that will outlive the group, and who looks "
            "after it."
        ),
        fields=(
            Field("storage", CHOICE, _("Where"), choices=STORAGE, required=True),
            Field("keeper", MEMBER, _("Who looks after it")),
            Field("notes", TEXT, _("Details (the service, the folder, who has access)")),
        ),
    ),
    Part(
        key="contacts",
        title=_("Staying in touch"),
        prompt=_("How will members keep each other's contact details?"),
        help_text=_(
            "Being able to get back in touch later is what keeps a network alive. Only "
            "share what each member agrees to share."
        ),
        fields=(
            Field("ways", MULTI, _("How"), choices=CONTACT_WAYS, required=True),
            Field("links", TEXT, _("Group links (a LinkedIn or other group)")),
        ),
    ),
    Part(
        key="learning",
        title=_("What you still need to learn"),
        prompt=_("What does the community still need to learn, and where will it find support?"),
        help_text=_(
            "Think of the needs you have not met yet, members or other COPs who have the "
            "expertise, and outside trainings, networks or funders who could help."
        ),
        fields=(
            Field("needs", LONG_TEXT, _("What we still need to learn"), required=True),
            Field("support", LONG_TEXT, _("Where we will find support"), required=True),
        ),
    ),
    Part(
        key="handoff",
        title=_("Handoff notes"),
        prompt=_(
            "What should a new member, or someone taking over from a colleague, know to "
            "pick up the community's work?"
        ),
        help_text=_(
            "Write the handoff notes you would want to receive: the group's purpose, how it "
            "works, where things are and whom to ask. They help when people leave their "
            "role, when staff change, and when new organizations join."
        ),
        fields=(
            Field("handoff", LONG_TEXT, _("Handoff notes"), required=True),
            Field("first_steps", TEXT, _("First steps for someone new")),
        ),
    ),
)
