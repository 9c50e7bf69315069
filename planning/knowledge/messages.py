"""The kind of email this stage sends (copkit.kinds), registered when the app loads."""

from django.utils.translation import gettext_lazy as _

from copkit import kinds

kinds.register(
    kinds.Kind(
        "knowledge_requested",
        _("Requests to share what your community learned"),
        optional=True,
        description=_(
            "When your TTA team asks a community you lead for a case study, a promising "
            "practice or a lesson learned, with the date to share it by."
        ),
    )
)
