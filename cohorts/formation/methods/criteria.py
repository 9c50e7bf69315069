"""Criteria: groups alike or mixed on what staff pick (format, region, expertise, the round's
own questions...). Answers come from people's profiles or from the round's questions, which
each person answers through their link."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.formation import checks
from cohorts.formation.attributes import ATTRIBUTES, asked_attributes
from cohorts.formation.forms.input import EntryForm
from cohorts.formation.models import FormationRound
from cohorts.formation.services import input as service
from copkit.errors import ServiceError

from .base import FormationMethod, criterion_label
from .registry import register


def _in_round_order(formation_round):
    """A sort key for (criterion name, value) pairs read from a JSON column: the order the
    round lists its criteria in (PostgreSQL's jsonb keeps no key order of its own), then
    copkit's order of attributes, then the name."""
    chosen = [spec["attribute"] for spec in _specs(formation_round)]
    known = list(ATTRIBUTES)

    def key(item):
        attribute = item[0].partition(" (")[0]
        if attribute in chosen:
            return (0, chosen.index(attribute), item[0])
        return (1, known.index(attribute) if attribute in known else len(known), item[0])

    return key


class AnswersForm(EntryForm):
    """Criteria: one field per question the round asks."""

    def __init__(self, entry, data=None, **kwargs):
        super().__init__(entry, data, **kwargs)
        formation_round = entry.round
        saved = entry.answers or {}
        self.answer_choices = {}
        for attribute in asked_attributes(formation_round):
            key = attribute.key
            options = checks.answer_choices(formation_round, attribute)
            self.answer_choices[key] = options
            label = checks.question_text(formation_round, attribute)
            value = saved.get(key)
            if attribute.multiple:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=options or [],
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose all that apply."),
                    error_messages={"invalid_choice": _("Please choose from the list.")},
                    initial=list(value) if isinstance(value, list) else [],
                )
            elif options is None:
                field = forms.CharField(
                    label=label,
                    max_length=300,
                    initial="" if value is None else str(value),
                    error_messages={"required": _("Please answer this question.")},
                )
            else:
                field = forms.ChoiceField(
                    label=label,
                    choices=options,
                    widget=forms.RadioSelect,
                    initial="" if value is None else str(value),
                    error_messages={
                        "required": _("Please choose an answer."),
                        "invalid_choice": _("That answer is not on the list: please choose one."),
                    },
                )
            self.fields[key] = field

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                cleaned["answers"] = checks.clean_answers(
                    self.entry, cleaned, choices=self.answer_choices
                )
            except checks.InputError as error:
                self._error_to(error, None)
        return cleaned


def attribute_value(key, entry):
    """A person's value for a criteria attribute (see cohorts.formation.attributes), or None."""
    person = entry.participant
    org = person.organization
    if key == "expertise":
        return [item.lower() for item in person.expertise_list] or None
    if key == "format":
        # "Either" fits every group, so it does not pull a group one way or the other.
        preference = person.format_preference
        return preference if preference and preference != "either" else None
    if key == "region":
        return (person.state or (org.state if org else "") or "").upper() or None
    if key == "org_type":
        return (org.kind.strip().lower() if org and org.kind else "") or None
    value = (entry.answers or {}).get(key)
    if isinstance(value, list):
        return [str(item) for item in value if str(item).strip()] or None
    if value is None or value == "":
        return None
    if key == "commitment":
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


def _specs(formation_round):
    """The round's well-formed criteria, each with a weight of at least 0.1."""
    specs = []
    for spec in formation_round.criteria or []:
        key = spec.get("attribute") if isinstance(spec, dict) else None
        if key not in ATTRIBUTES or spec.get("rule") not in ("similar", "mix"):
            continue
        weight = spec.get("weight", 1)
        try:
            weight = float(weight)
        except (TypeError, ValueError):
            weight = 1.0
        specs.append({"attribute": key, "rule": spec["rule"], "weight": max(weight, 0.1)})
    return specs


@register
class Criteria(FormationMethod):
    value = FormationRound.Method.CRITERIA
    form_class = AnswersForm
    uses_criteria = True
    next_step = gettext_lazy("Choose the criteria next.")

    def save_input(self, form, *, actor=None):
        return service.save_answers(
            form.entry, form.cleaned_data["answers"], actor=actor, choices=form.answer_choices
        )

    def check_can_collect(self, formation_round):
        if not formation_round.criteria:
            raise ServiceError(_("Choose the criteria first."))
        if not asked_attributes(formation_round):
            raise ServiceError(
                _(
                    "The criteria you chose all come from people's profiles, so there is "
                    "nothing to ask: form the groups directly."
                )
            )

    def saved(self, entry, form):
        pairs = []
        answers = entry.answers or {}
        for key, field in form.fields.items():
            if key not in answers:
                continue
            value = answers[key]
            values = value if isinstance(value, list) else [value]
            options = dict(getattr(field, "choices", []) or [])
            shown = [str(options.get(str(v), v)) for v in values]
            pairs.append((field.label, ", ".join(shown) if shown else _("None of these")))
        return pairs

    def build_input(self, formation_round, entries, people, ids, warnings):
        specs = _specs(formation_round)
        if not specs:
            raise ServiceError(_("Pick at least one criterion before forming groups."))
        keys = {spec["attribute"] for spec in specs}
        values = {key: [attribute_value(key, entry) for entry in entries] for key in keys}
        for key in sorted(keys):
            if all(value is None for value in values[key]):
                warnings.append(
                    _("Nobody has an answer for “%(criterion)s” yet, so it is left out.")
                    % {"criterion": ATTRIBUTES[key].label}
                )
        specs = [spec for spec in specs if any(v is not None for v in values[spec["attribute"]])]
        if not specs:
            raise ServiceError(
                _(
                    "None of the criteria has any answers yet. Wait for people to answer, or "
                    "pick criteria from their profiles."
                )
            )
        for pos, person in enumerate(people):
            person["attributes"] = {
                key: values[key][pos] for key in keys if values[key][pos] is not None
            }
        return {"criteria": specs}

    def summary_rows(self, formation_round, scores, unit):
        rows = []
        for name, value in sorted(scores.items(), key=_in_round_order(formation_round)):
            if name in {"worst_group_score", "mean_group_score", "unmet_rules"}:
                continue
            if isinstance(value, int | float):
                rows.append(
                    (
                        _("Groups meeting “%(criterion)s”")
                        % {"criterion": criterion_label(name, formation_round)},
                        f"{round(100 * value)}%",
                    )
                )
        if "worst_group_score" in scores:
            rows.append((_("Worst group's score"), f"{round(100 * scores['worst_group_score'])}%"))
        if "mean_group_score" in scores:
            rows.append((_("Average group's score"), f"{round(100 * scores['mean_group_score'])}%"))
        return rows

    def group_figures(self, formation_round, details, unit):
        if not isinstance(details.get("criteria"), dict):
            return []
        results = sorted(details["criteria"].items(), key=_in_round_order(formation_round))
        met = [criterion_label(n, formation_round) for n, ok in results if ok]
        missed = [criterion_label(n, formation_round) for n, ok in results if not ok]
        parts = []
        if met:
            parts.append(_("Meets: %(list)s") % {"list": ", ".join(met)})
        if missed:
            parts.append(_("Misses: %(list)s") % {"list": ", ".join(missed)})
        lines = [" · ".join(parts)] if parts else []
        if isinstance(details.get("score"), int | float):
            lines.append(_("Score: %(pct)s%%") % {"pct": round(100 * details["score"])})
        return lines
