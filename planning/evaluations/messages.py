"""The kinds of email this stage sends (copkit.kinds), registered when the app loads, and
the stage's sweeps (copkit.later), registered by importing its service."""

from django.utils.translation import gettext_lazy as _

from copkit import kinds

kinds.register(
    kinds.Kind(
        "evaluation_due",
        _("Evaluation discussions that are due"),
        optional=False,
        description=_(
            "On the day your TTA team set for a facilitated evaluation discussion with the "
            "leaders of a community you lead or coach."
        ),
    )
)
kinds.register(
    kinds.Kind(
        "structure_decision",
        _("Changes your TTA team records for your community"),
        optional=True,
        description=_(
            "When your TTA team writes down a change to how a community you lead works: how "
            "it meets, how often, its roles or its goals."
        ),
    )
)

from planning.evaluations.services import evaluations  # noqa: E402, F401 - registers sweeps
