"""Topic choice: each person ranks the round's subject areas, favourite first; the engine
gives as many people as it can an area high on their list, within each area's cap."""

from django import forms
from django.contrib.humanize.templatetags.humanize import ordinal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.formation import checks
from cohorts.formation.forms.input import EntryForm
from cohorts.formation.models import FormationRound
from cohorts.formation.services import input as service
from copkit.errors import ServiceError

from .base import FormationMethod
from .registry import register

MAX_RANKED = 5
PLACE_WORDS = (
    gettext_lazy("First choice"),
    gettext_lazy("Second choice"),
    gettext_lazy("Third choice"),
    gettext_lazy("Fourth choice"),
    gettext_lazy("Fifth choice"),
)


class RankingForm(EntryForm):
    """Topic choice: the subject areas wanted most, first choice first."""

    def __init__(self, entry, data=None, **kwargs):
        super().__init__(entry, data, **kwargs)
        self.topics = list(entry.round.topics.all())
        names = {str(t.public_id): t.name for t in self.topics}
        options = [("", _("Choose a subject area")), *list(names.items())]
        saved = [pid for pid in (entry.ranking or []) if pid in names]
        places = min(MAX_RANKED, len(self.topics))
        for index in range(places):
            label = PLACE_WORDS[index] if index < len(PLACE_WORDS) else ordinal(index + 1)
            self.fields[self.place_name(index)] = forms.ChoiceField(
                label=label,
                choices=options,
                required=index == 0,
                initial=saved[index] if index < len(saved) else "",
                error_messages={
                    "required": _("Choose your first choice."),
                    "invalid_choice": _("That subject area is not part of this round."),
                },
            )

    @staticmethod
    def place_name(index):
        return f"choice_{index + 1}"

    def clean(self):
        cleaned = super().clean()
        names = {str(t.public_id): t.name for t in self.topics}
        ranking, first_place = [], {}
        for name in self.fields:
            value = cleaned.get(name)
            if not value:
                continue
            if value in first_place:
                self.add_error(
                    name,
                    _("You already chose %(topic)s as your %(place)s.")
                    % {"topic": names.get(value, ""), "place": str(first_place[value]).lower()},
                )
                continue
            first_place[value] = self.fields[name].label
            ranking.append(value)
        if not self.errors:
            try:
                ranking = checks.clean_ranking(self.entry, ranking)
            except checks.InputError as error:
                self.add_error(next(iter(self.fields), None), str(error))
        cleaned["ranking"] = ranking
        return cleaned


def _topic_cards(entry, form):
    """Each subject area with who chose it first so far, and whether it is full."""
    members = service.topic_members(entry.round)
    cards = []
    for topic in form.topics:
        names = members.get(str(topic.public_id), [])
        cards.append(
            {
                "topic": topic,
                "first_count": len(names),
                "names": names,
                "full": topic.cap is not None and len(names) >= topic.cap,
            }
        )
    return cards


@register
class Topic(FormationMethod):
    value = FormationRound.Method.TOPIC
    form_class = RankingForm
    uses_topics = True
    next_step = gettext_lazy("Check the subject areas and their caps next.")

    def save_input(self, form, *, actor=None):
        return service.save_ranking(form.entry, form.cleaned_data["ranking"], actor=actor)

    def check_can_collect(self, formation_round):
        if not formation_round.topics.exists():
            raise ServiceError(_("Add the subject areas people can choose from first."))

    def saved(self, entry, form):
        names = {str(t.public_id): t.name for t in form.topics}
        return [names[pid] for pid in entry.ranking or [] if pid in names]

    def answer_context(self, entry, form, state):
        return {"topic_cards": _topic_cards(entry, form)}

    def build_input(self, formation_round, entries, people, ids, warnings):
        topics = list(formation_round.topics.all())
        if not topics:
            raise ServiceError(_("Add at least one subject area before forming groups."))
        topic_ids = {str(t.public_id) for t in topics}
        for entry, person in zip(entries, people, strict=True):
            ranking = []
            for choice in entry.ranking or []:
                choice = str(choice)
                if choice in topic_ids and choice not in ranking:
                    ranking.append(choice)
            person["ranking"] = ranking
        out = []
        for topic in topics:
            item = {"id": str(topic.public_id)}
            if topic.cap is not None:
                item["cap"] = topic.cap
            out.append(item)
        return {"topics": out}

    def summary_rows(self, formation_round, scores, unit):
        if "first_choice" not in scores:
            return []
        rows = [
            (_("Got their first choice"), str(scores.get("first_choice", 0))),
            (_("Got their second choice"), str(scores.get("second_choice", 0))),
            (_("Got their third choice"), str(scores.get("third_choice", 0))),
        ]
        if scores.get("other_choice"):
            rows.append((_("Got a lower choice"), str(scores["other_choice"])))
        rows.append(
            (
                _("People with none of their choices"),
                str(scores.get("people_with_no_choice", 0)),
            )
        )
        if scores.get("people_without_ranking"):
            rows.append((_("People who ranked nothing"), str(scores["people_without_ranking"])))
        return rows

    def no_choice(self, entry, ids_here, topic_id):
        if not (entry.ranking and topic_id):
            return False
        return topic_id not in {str(t) for t in entry.ranking}
