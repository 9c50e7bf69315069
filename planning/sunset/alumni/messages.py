"""The kind of email the alumni network sends (copkit.kinds), registered when the app loads."""

from django.utils.translation import gettext_lazy as _

from copkit import kinds

kinds.register(
    kinds.Kind(
        "alumni_opened",
        _("The alumni network opens"),
        optional=False,
        description=_("Once, when your cohort's alumni space opens: how to stay in touch."),
    )
)
