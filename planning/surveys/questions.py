"""What an answer to each kind of question may be, and how answers add up.

Pure functions over a Question and plain values, shared by the survey form, the live poll
and the results pages:

- `clean_value(question, raw)` turns what a form posted into the stored value, or raises
  `ValidationError` with a message for the person answering;
- `is_blank(value)` says whether a stored value counts as no answer;
- `tally(question, values)` counts the answers to one question for the results pages.

Stored values: a string for single choice and text, an integer for a rating, a list of
strings for multiple choice, pick up to N and ranking (in the order ranked).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planning.surveys.models import Question

Kind = Question.Kind

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000


def is_blank(value):
    return value is None or value == "" or value == []


def _as_list(raw):
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw] if raw else []
    return [item for item in raw if item not in (None, "")]


def clean_value(question, raw):
    """The value to store for `raw` (a string, or a list of strings for the multi kinds),
    or None for no answer. Raises ValidationError when the answer cannot be right."""
    kind = question.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        text = (raw if isinstance(raw, str) else " ".join(_as_list(raw))).strip()
        if "\x00" in text:  # PostgreSQL cannot store it
            raise ValidationError(_("Please remove the null character from this answer."))
        limit = SHORT_TEXT_MAX if kind == Kind.SHORT_TEXT else LONG_TEXT_MAX
        if len(text) > limit:
            raise ValidationError(
                _("Please keep this under %(limit)d characters (it is %(length)d).")
                % {"limit": limit, "length": len(text)}
            )
        return text or None
    if kind == Kind.RATING:
        text = (raw[0] if isinstance(raw, list | tuple) and raw else raw) or ""
        text = str(text).strip()
        if not text:
            return None
        try:
            number = int(text)
        except ValueError:
            raise ValidationError(_("Choose a number on the scale.")) from None
        if not question.scale_min <= number <= question.scale_max:
            raise ValidationError(
                _("Choose a number from %(low)d to %(high)d.")
                % {"low": question.scale_min, "high": question.scale_max}
            )
        return number
    options = [str(option) for option in question.choices]
    picked = _as_list(raw)
    unknown = [item for item in picked if item not in options]
    if unknown:
        raise ValidationError(_("Choose from the options listed."))
    if kind == Kind.SINGLE:
        if len(picked) > 1:
            raise ValidationError(_("Choose one option."))
        return picked[0] if picked else None
    # Keep the order given (it is the ranking) and drop repeats.
    seen = []
    for item in picked:
        if item not in seen:
            seen.append(item)
    if kind == Kind.PICK_N and question.max_picks and len(seen) > question.max_picks:
        raise ValidationError(
            ngettext(
                "Choose at most %(n)d option.", "Choose at most %(n)d options.", question.max_picks
            )
            % {"n": question.max_picks}
        )
    if kind == Kind.RANKING and seen and len(seen) != len(options):
        raise ValidationError(_("Give every option a different place in the ranking."))
    return seen or None


def check_required(question, value):
    """Raise ValidationError when a required question has no answer."""
    if question.required and is_blank(value):
        raise ValidationError(_("This question needs an answer."))


@dataclass
class Row:
    label: str
    count: int = 0
    percent: int = 0
    extra: str = ""


@dataclass
class Tally:
    """The counts for one question: `rows` for options, ratings and rankings, `texts` for the
    text kinds; `answered` is how many people answered it."""

    question: object
    answered: int = 0
    rows: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    average: float | None = None

    @property
    def top_count(self):
        return max((row.count for row in self.rows), default=0)


def _percent(count, total):
    return round(100 * count / total) if total else 0


def tally(question, values):
    """Add up `values` (the stored answers to `question`, blanks included or not)."""
    values = [value for value in values if not is_blank(value)]
    result = Tally(question=question, answered=len(values))
    kind = question.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        result.texts = [str(value) for value in values]
        return result
    if kind == Kind.RATING:
        numbers = [value for value in values if isinstance(value, int)]
        for point in range(question.scale_min, question.scale_max + 1):
            count = numbers.count(point)
            label = str(point)
            if point == question.scale_min and question.scale_min_label:
                label = f"{point} ({question.scale_min_label})"
            elif point == question.scale_max and question.scale_max_label:
                label = f"{point} ({question.scale_max_label})"
            result.rows.append(Row(label=label, count=count, percent=_percent(count, len(values))))
        if numbers:
            result.average = round(sum(numbers) / len(numbers), 1)
        return result
    options = [str(option) for option in question.choices]
    if kind == Kind.RANKING:
        # Borda count: first place earns as many points as there are options, last place one.
        points = dict.fromkeys(options, 0)
        firsts = dict.fromkeys(options, 0)
        for ranking in values:
            for place, option in enumerate(ranking):
                if option in points:
                    points[option] += len(options) - place
                    if place == 0:
                        firsts[option] += 1
        most = max(points.values(), default=0)
        for option in sorted(options, key=lambda o: (-points[o], options.index(o))):
            result.rows.append(
                Row(
                    label=option,
                    count=firsts[option],
                    percent=_percent(points[option], most),
                    extra=ngettext("%(n)d point", "%(n)d points", points[option])
                    % {"n": points[option]},
                )
            )
        return result
    counts = dict.fromkeys(options, 0)
    for value in values:
        for option in value if isinstance(value, list) else [value]:
            if option in counts:
                counts[option] += 1
    for option in options:
        result.rows.append(
            Row(label=option, count=counts[option], percent=_percent(counts[option], len(values)))
        )
    return result
