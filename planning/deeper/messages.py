"""The kinds of email this stage sends (copkit.kinds), registered when the app loads."""

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
