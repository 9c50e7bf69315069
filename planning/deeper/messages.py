"""The kinds of email this stage sends (copkit.kinds), registered when the app loads, and
the stage's sweep (copkit.later), registered by importing it."""

from django.utils.translation import gettext_lazy as _

from copkit import kinds

kinds.register(
    kinds.Kind(
        "activity_suggested",
        _("Going-deeper activities suggested to your community"),
        optional=True,
        description=_(
            "When your TTA team suggests an activity to a community you lead, with the "
            "training it follows and the date to do it by."
        ),
    )
)
kinds.register(
    kinds.Kind(
        "activity_due",
        _("Reminders of going-deeper activities not yet planned"),
        optional=True,
        description=_(
            "A week before the date to do a suggested activity by, when it is not on one of "
            "your community's meetings yet."
        ),
    )
)

from planning.deeper import reminders  # noqa: E402, F401 - registers the due-date sweep
