"""The kinds of email the COP workspace sends (copkit.kinds), registered when the app loads.
Each is optional: a person may get it at once, in a daily or weekly digest, or not at all."""

from django.utils.translation import gettext_lazy as _

from copkit import kinds

kinds.register(
    kinds.Kind(
        "workspace_mention",
        _("Mentions in your COP's discussion"),
        description=_("An email when someone writes @ and your name in a post."),
    )
)
kinds.register(
    kinds.Kind(
        "workspace_post",
        _("Your COP's discussion"),
        description=_("New threads in your COP, and replies to threads you wrote or answered."),
    )
)
kinds.register(
    kinds.Kind(
        "workspace_announcement",
        _("Announcements"),
        description=_("News from your COP's leaders or your TTA team to every member."),
    )
)
