"""The kinds of email this stage sends (copkit.kinds), registered when the app loads, and
its sweeps (copkit.later), registered by importing the cycle's module."""

from django.utils.translation import gettext_lazy as _

from copkit import kinds
from planning.checkins.services import cycle  # noqa: F401 - registers the three sweeps

kinds.register(
    kinds.Kind(
        "checkin_prompt",
        _("Check-in prompts"),
        optional=False,
        description=_("A check-in has come due: your personal link to answer it."),
    )
)
kinds.register(
    kinds.Kind(
        "checkin_reminder",
        _("Check-in reminders"),
        optional=False,
        description=_("Your check-in is a few days late: your personal link again."),
    )
)
kinds.register(
    kinds.Kind(
        "checkin_escalation",
        _("Late check-ins of the communities you coach"),
        description=_("A leader has not answered a check-in for some days."),
    )
)
kinds.register(
    kinds.Kind(
        "followup_new",
        _("Support asked for at a check-in"),
        description=_("A leader of a community you coach asked for support."),
    )
)
kinds.register(
    kinds.Kind(
        "followup_reply",
        _("Your coach's replies"),
        description=_("Your TTA coach answered the support you asked for."),
    )
)
