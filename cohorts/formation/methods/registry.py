"""The registry of formation methods, keyed by the round's method choice
(`FormationRound.Method`). Each method module registers its class here when it is imported;
`cohorts.formation.methods` imports every method module, so asking it is enough."""

METHODS = {}


def register(cls):
    """Class decorator: one instance of the method, filed under its choice."""
    METHODS[cls.value] = cls()
    return cls


def method_of(formation_round_or_value):
    """The method of a round (or of a method choice)."""
    value = getattr(formation_round_or_value, "method", formation_round_or_value)
    return METHODS[value]
