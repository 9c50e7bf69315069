"""What every formation method answers, and the figures' wording the methods share.

A method (one module beside this one) says what it asks people (an input form, or nothing),
what it needs before links go out, how its part of the engine's input is built from a round,
and how the engine's figures for it read on the review board. The defaults below are those
of a method that asks nothing and adds nothing to the engine's input."""

from cohorts.formation import attributes
from cohorts.formation.mapsvg import km_to_miles


class FormationMethod:
    #: The round's method choice (`FormationRound.Method`) this module serves.
    value = None
    #: The form a person fills in through their personal link, or None (asks nothing).
    form_class = None
    #: The round has subject areas (prefilled from the cohort's topics on creation).
    uses_topics = False
    #: The round has criteria (picked on the round's criteria page).
    uses_criteria = False
    #: The review board draws the groups on a map.
    shows_map = False
    #: Said after a round is created, pointing at what to set up next ("" for nothing).
    next_step = ""

    @property
    def asks_participants(self):
        return self.form_class is not None

    # -- what the method asks people ---------------------------------------------------

    def input_form(self, entry, data=None, *, actor=None):
        """The form for what the method asks `entry`'s person, or None."""
        if self.form_class is None:
            return None
        return self.form_class(entry, data, actor=actor)

    def save_input(self, form, *, actor=None):
        """Store what a valid `form` cleaned for its entry (through the input service);
        returns the entry. Refusals raise ServiceError."""
        raise NotImplementedError

    def check_can_collect(self, formation_round):
        """Raise ServiceError when the round is not ready to ask people for input."""

    def saved(self, entry, form):
        """What the entry holds, in words (see the answer page)."""
        return []

    def answer_context(self, entry, form, state):
        """Extra context for the answer page while the form shows."""
        return {}

    # -- the engine's input -------------------------------------------------------------

    def build_input(self, formation_round, entries, people, ids, warnings):
        """Fill in each person's part of the problem (`people`, in the order of `entries`);
        return the problem's own keys for the method (e.g. {"topics": [...]}). What has to
        be left out becomes a warning; what makes a run impossible raises ServiceError."""
        return {}

    # -- the review board ---------------------------------------------------------------

    def summary_rows(self, formation_round, scores, unit):
        """The proposal's figures as (label, value) rows."""
        return []

    def group_figures(self, formation_round, details, unit):
        """What the engine says about one group, as short lines."""
        return []

    def no_choice(self, entry, ids_here, topic_id):
        """True when the person got none of what they asked for in their group."""
        return False


def percent(part, whole):
    return round(100 * part / whole) if whole else 0


def distance(km, unit):
    if km is None:
        return "—"
    value = km_to_miles(km) if unit == "mi" else km
    return f"{value:,.1f} {unit}"


def criterion_label(name, formation_round):
    key, _sep, rule = name.partition(" (")
    attribute = attributes.ATTRIBUTES.get(key)
    if attribute is None:
        return name
    label = str(attribute.label)
    if key == "custom" and formation_round.custom_question:
        label = formation_round.custom_question
    return f"{label} ({rule}" if rule else label
