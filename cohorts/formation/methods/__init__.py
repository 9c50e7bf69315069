"""The formation methods, one module each, in a registry keyed by the round's method choice
(`FormationRound.Method`). A caller asks `method_of(formation_round)` instead of branching on
the method; a sixth method is one module here (a `FormationMethod` subclass, registered) and
its choice on the model."""

from .base import FormationMethod

METHODS = {}


def register(cls):
    """Class decorator: one instance of the method, filed under its choice."""
    METHODS[cls.value] = cls()
    return cls


def method_of(formation_round_or_value):
    """The method of a round (or of a method choice)."""
    value = getattr(formation_round_or_value, "method", formation_round_or_value)
    return METHODS[value]


def input_form(entry, data=None, *, actor=None):
    """The form for what `entry`'s round asks, or None (map and pre-assign ask nothing)."""
    return method_of(entry.round).input_form(entry, data, actor=actor)


from . import criteria, map, matching, preassign, topic  # noqa: E402, F401 - fill METHODS

__all__ = ["METHODS", "FormationMethod", "input_form", "method_of", "register"]
