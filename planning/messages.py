"""The kinds of email the first stages send (surveys, plans, meetings), registered when the
app loads (copkit.kinds)."""

from django.utils.translation import gettext_lazy as _

from copkit import kinds

kinds.register(
    kinds.Kind(
        "survey_invitation",
        _("Survey invitations"),
        optional=False,
        description=_("Your personal link to answer a survey; always sent at once."),
    )
)
kinds.register(
    kinds.Kind(
        "survey_reminder",
        _("Survey reminders"),
        description=_("A reminder of a survey you have not answered yet."),
    )
)
kinds.register(
    kinds.Kind(
        "meeting_reminder",
        _("Meeting reminders"),
        description=_("Before each meeting of your community: when, where and the agenda."),
    )
)
kinds.register(
    kinds.Kind(
        "plan_submitted",
        _("Action plans sent for review"),
        description=_("For staff: a community sent its action plan for review."),
    )
)
kinds.register(
    kinds.Kind(
        "plan_reviewed",
        _("Action plan reviews"),
        description=_("For leaders: staff approved or returned your community's plan."),
    )
)
