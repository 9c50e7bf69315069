"""Pre-assign: staff place people by hand (or upload a spreadsheet); people are asked nothing
and the engine only proposes groups of the right size to start from."""

from cohorts.formation.models import FormationRound

from .base import FormationMethod
from .registry import register


@register
class Preassign(FormationMethod):
    value = FormationRound.Method.PREASSIGN
