"""The kinds of email collective TTA requests send (copkit.kinds), registered when the app
loads (planning/support/messages.py imports this module)."""

from django.utils.translation import gettext_lazy as _

from copkit import kinds

kinds.register(
    kinds.Kind(
        "tta_request_filed",
        _("New TTA requests from communities"),
        optional=True,
        description=_("For TTA staff: when a community of your cohort asks you for help."),
    )
)
kinds.register(
    kinds.Kind(
        "tta_request_update",
        _("News about your community's TTA requests"),
        optional=True,
        description=_(
            "When your TTA team accepts, schedules, delivers or declines a request of your "
            "community, or answers it."
        ),
    )
)
