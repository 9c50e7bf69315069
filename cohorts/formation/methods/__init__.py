"""The formation methods, one module each, in a registry keyed by the round's method choice
(`FormationRound.Method`). A caller asks `method_of(formation_round)` instead of branching on
the method; a sixth method is one module here (a `FormationMethod` subclass, registered with
`registry.register`), its line below and its choice on the model."""

from . import criteria, map, matching, preassign, topic  # noqa: F401 - each registers itself
from .base import FormationMethod
from .registry import METHODS, method_of, register


def input_form(entry, data=None, *, actor=None):
    """The form for what `entry`'s round asks, or None (map and pre-assign ask nothing)."""
    return method_of(entry.round).input_form(entry, data, actor=actor)


__all__ = ["METHODS", "FormationMethod", "input_form", "method_of", "register"]
