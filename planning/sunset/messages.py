"""The kinds of email the transition sends (copkit.kinds), registered when the app loads.
Neither is optional: they are the TTA program telling a COP that its support ends, and they
stop by themselves once the COP continues on its own."""

from django.utils.translation import gettext_lazy as _

from copkit import kinds

kinds.register(
    kinds.Kind(
        "sunset_transition",
        _("The end of the TTA program"),
        optional=False,
        description=_(
            "Once, when your cohort's program starts winding down: what it means for your COP."
        ),
    )
)
kinds.register(
    kinds.Kind(
        "sunset_prompt",
        _("Sunset plan prompts"),
        optional=False,
        description=_("To leaders: time to start, then to finish, your COP's sunset plan."),
    )
)

# The sweeps register with the kinds.
from planning.sunset import timeline  # noqa: E402, F401
