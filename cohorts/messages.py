"""The kinds of email the cohorts app sends (invitations, formation), registered when the app
loads (copkit.kinds)."""

from django.utils.translation import gettext_lazy as _

from copkit import kinds

kinds.register(
    kinds.Kind(
        "invitation",
        _("Invitations to join a cohort"),
        optional=False,
        description=_("Your personal link to join; it is always sent at once."),
    )
)
kinds.register(
    kinds.Kind(
        "team_welcome",
        _("Welcome to a cohort's team"),
        optional=False,
        description=_("Sent once, when staff add you to a cohort's team."),
    )
)
kinds.register(
    kinds.Kind(
        "formation",
        _("Forming groups"),
        optional=False,
        description=_("Your personal link to say which group suits you, and the group you are in."),
    )
)
kinds.register(
    kinds.Kind(
        "account_deleted",
        _("Your account was deleted"),
        optional=False,
        description=_("Sent once, when you delete your account: what was removed and what stays."),
    )
)
