"""What a survey's answers add up to: the filters, the counts per question, and the CSV.

Only submitted responses count (personal links once submitted; live poll votes, which are
submitted as they are cast). All the answers are fetched in one query of (question, value)
pairs and added up in Python by `planning.surveys.questions.tally`, so the page costs the same
number of queries for five responses as for five hundred.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from copkit import csvfile
from copkit.privacy import hide_difference, hide_small
from planning.models import Answer
from planning.surveys.questions import is_blank, tally

SOURCE_LINKS = "links"
LIVE_PREFIX = "live-"


class ResultsFilterForm(forms.Form):
    """The GET filters of the results page and the CSV. A value that is not on the lists is
    ignored (the filter falls back to everyone) rather than failing the page."""

    community = forms.ChoiceField(label=gettext_lazy("Community"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Type of organization"), required=False)
    source = forms.ChoiceField(label=gettext_lazy("Source"), required=False)

    def __init__(self, data, *, survey):
        super().__init__(data)
        cohort = survey.cohort
        self.communities = {c.slug: c for c in cohort.communities.order_by("name")}
        kinds = (
            cohort.organizations.exclude(kind="")
            .order_by("kind")
            .values_list("kind", flat=True)
            .distinct()
        )
        self.sessions = {
            f"{LIVE_PREFIX}{s.public_id}": s for s in survey.live_sessions.order_by("created_at")
        }
        self.fields["community"].choices = [("", _("All communities"))] + [
            (slug, c.name) for slug, c in self.communities.items()
        ]
        self.fields["kind"].choices = [("", _("All types"))] + [(k, k) for k in kinds]
        self.fields["source"].choices = [
            ("", _("All responses")),
            (SOURCE_LINKS, _("Personal links")),
        ] + [
            (
                key,
                _("Live poll %(code)s, %(date)s")
                % {
                    "code": s.code,
                    "date": date_format(timezone.localtime(s.created_at), "M j, Y"),
                },
            )
            for key, s in self.sessions.items()
        ]

    def filters(self):
        """The chosen filters (the valid ones) as a Filters."""
        chosen = Filters()
        if not self.is_bound:
            return chosen
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        chosen.community = self.communities.get(data.get("community") or "")
        chosen.kind = data.get("kind") or ""
        source = data.get("source") or ""
        if source == SOURCE_LINKS:
            chosen.links_only = True
        chosen.session = self.sessions.get(source)
        return chosen


@dataclass
class Filters:
    community: object = None
    kind: str = ""
    links_only: bool = False
    session: object = None

    @property
    def any(self):
        return bool(self.community or self.kind or self.links_only or self.session)

    def wider(self):
        """These filters with one of the chosen ones dropped, one Filters per chosen filter:
        the pages an observer could subtract this one from."""
        chosen = []
        if self.community is not None:
            chosen.append(replace(self, community=None))
        if self.kind:
            chosen.append(replace(self, kind=""))
        if self.links_only or self.session is not None:
            chosen.append(replace(self, links_only=False, session=None))
        return chosen


def submitted_responses(survey, filters=None):
    """The survey's submitted responses that pass `filters`."""
    responses = survey.responses.filter(submitted_at__isnull=False)
    filters = filters or Filters()
    if filters.community is not None:
        responses = responses.filter(participant__memberships__community=filters.community)
    if filters.kind:
        responses = responses.filter(participant__organization__kind=filters.kind)
    if filters.links_only:
        responses = responses.filter(recipient__isnull=False)
    if filters.session is not None:
        responses = responses.filter(live_session=filters.session)
    return responses


@dataclass
class Results:
    survey: object
    responses: int
    tallies: list = field(default_factory=list)
    hidden: bool = False  # too few responses for this viewer: no figure at all


def survey_results(survey, filters=None):
    """The tally of every question over the submitted responses that pass `filters`."""
    responses = submitted_responses(survey, filters)
    total = responses.count()
    values = defaultdict(list)
    pairs = Answer.objects.filter(response__in=responses).values_list("question_id", "value")
    for question_id, value in pairs:
        values[question_id].append(value)
    questions = list(survey.questions.all())
    return Results(
        survey=survey,
        responses=total,
        tallies=[tally(question, values[question.pk]) for question in questions],
    )


def guard(results, filters=None, *, sees_people):
    """`results` as a viewer who may not see people (an observer) may read them: nothing when
    the responses that pass the filters are fewer than `copkit.privacy.MIN_GROUP`, or when a
    page with one filter fewer has 1 to 4 responses more (subtracting the pages would give
    those people's answers); no rows, average or points for a question fewer answered; and
    never the written answers, only how many there are. Staff (`sees_people`) get `results`
    as they are. One count query per chosen filter, whatever the figures."""
    filters = filters or Filters()
    if sees_people:
        for t in results.tallies:
            t.hidden, t.written = False, len(t.texts)
        return results
    wider = [submitted_responses(results.survey, f).count() for f in filters.wider()]
    results.hidden = hide_small(results.responses) or hide_difference(results.responses, wider)
    for t in results.tallies:
        t.hidden = results.hidden or hide_small(t.answered)
        t.written = 0 if t.hidden else len(t.texts)
        t.texts = []
        if t.hidden:
            t.answered, t.rows, t.average = 0, [], None
    if results.hidden:
        results.responses = 0
    return results


def answer_text(question, value):
    """An answer as one line of text: lists joined with "; " (a ranking in its order)."""
    if is_blank(value):
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def source_of(response):
    if response.live_session_id is not None:
        code = response.live_session.code
        if response.participant_id is None:
            return _("anonymous, live %(code)s") % {"code": code}
        return _("live %(code)s") % {"code": code}
    if response.recipient_id is not None:
        return _("link")
    return _("anonymous")


def export_filename(survey):
    return f"{slugify(survey.title) or 'survey'}-results.csv"


def write_csv(survey, out, filters=None):
    """Write one row per submitted response (passing `filters`) to the file-like `out`;
    return the number of responses written."""
    responses = list(
        submitted_responses(survey, filters)
        .select_related("participant__organization", "live_session")
        .order_by("submitted_at", "pk")
    )
    questions = list(survey.questions.all())
    answers = defaultdict(dict)
    if responses:
        pairs = Answer.objects.filter(response__in=[r.pk for r in responses]).values_list(
            "response_id", "question_id", "value"
        )
        for response_id, question_id, value in pairs:
            answers[response_id][question_id] = value
    writer = csvfile.writer(out)  # escapes formulas: a name or answer may start with "="
    header = [
        _("Name"),
        _("Email"),
        _("Organization"),
        _("Type of organization"),
        _("Source"),
        _("Submitted at"),
        *[question.text for question in questions],
    ]
    writer.writerow(header)
    for response in responses:
        person = response.participant
        organization = person.organization if person is not None else None
        row = [
            person.name if person else "",
            person.email if person else "",
            organization.name if organization else "",
            organization.kind if organization else "",
            source_of(response),
            timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
        ]
        mine = answers[response.pk]
        row += [answer_text(question, mine.get(question.pk)) for question in questions]
        writer.writerow(row)
    return len(responses)


__all__ = [
    "Filters",
    "Results",
    "ResultsFilterForm",
    "answer_text",
    "export_filename",
    "guard",
    "submitted_responses",
    "survey_results",
    "write_csv",
]
