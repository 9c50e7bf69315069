"""Pre-assign: staff place people by hand (or upload a spreadsheet); people are asked nothing
and the engine only proposes groups of the right size to start from."""

from cohorts.formation.models import FormationRound

from . import register
from .base import FormationMethod


@register
class Preassign(FormationMethod):
    value = FormationRound.Method.PREASSIGN
