"""The kinds of email this stage sends (copkit.kinds), registered when the app loads; and the
convening reminder sweep, registered with copkit.later by importing its module."""

from django.utils.translation import gettext_lazy as _

from copkit import kinds
from planning.support import ical  # noqa: F401  (convenings in leaders' calendar feeds)
from planning.support.services import reminders  # noqa: F401  (registers the sweep)

kinds.register(
    kinds.Kind(
        "convening_reminder",
        _("Leaders' circle reminders"),
        description=_("An email the day before each convening of the leaders' circle."),
    )
)
kinds.register(
    kinds.Kind(
        "circle_post",
        _("Leaders' circle posts"),
        description=_("An email when another leader posts in the leaders' circle."),
    )
)

from planning.support.requests import messages as _requests  # noqa: E402, F401 - its kinds
