"""Who reads what in the library, and how it is searched.

A shared item is read by:
- the members of its community, and the staff of its cohort (scope "community");
- anyone with a role in its cohort other than observer (scope "cohort");
- anyone with a role other than observer in any cohort of the site (scope "provider": one
  copkit site is one TTA provider, so this includes the participants of later cohorts);
- anyone, without logging in (scope "public").
Observers (funders, evaluators) read aggregates only, by copkit's house rule: they see what
the public sees, and counts of items on the cohort's knowledge page. Resources follow the same
rule (their scopes start at the cohort). Items of archived communities and of past cohorts stay.

Search uses PostgreSQL's full-text search on `search_text` (an expression GIN index in the
migration); on SQLite it falls back to a plain `icontains` on each word.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Exists, Q

from cohorts.models import CohortRole, Membership, Participant
from planning.knowledge.models import KnowledgeItem, Resource, Scope

SEARCH_CONFIG = "english"


class Reader:
    """The cohorts and communities whose items `user` reads, as subqueries (no query is
    made until the library's own)."""

    def __init__(self, user):
        self.user = user
        self.anonymous = not user.is_authenticated
        self.superuser = bool(getattr(user, "is_superuser", False))
        if self.anonymous:
            return
        staff = CohortRole.objects.filter(user=user, role=CohortRole.Role.STAFF)
        self.staff_cohorts = staff.values("cohort_id")
        self.participant_cohorts = Participant.objects.filter(user=user).values("cohort_id")
        self.communities = Membership.objects.filter(participant__user=user).values("community_id")
        self.has_role = Q(Exists(staff)) | Q(Exists(Participant.objects.filter(user=user)))

    def rule(self, *, with_community=True):
        if self.anonymous:
            return Q(scope=Scope.PUBLIC)
        if self.superuser:
            return Q()
        in_cohort = Q(cohort_id__in=self.staff_cohorts) | Q(cohort_id__in=self.participant_cohorts)
        rule = Q(scope=Scope.PUBLIC) | (Q(scope=Scope.PROVIDER) & self.has_role)
        rule |= Q(scope=Scope.COHORT) & in_cohort
        if with_community:
            rule |= Q(scope=Scope.COMMUNITY) & (
                Q(community_id__in=self.communities) | Q(cohort_id__in=self.staff_cohorts)
            )
        return rule


def items_for(user):
    """The shared items `user` may read."""
    return KnowledgeItem.objects.filter(Q(state=KnowledgeItem.State.SHARED) & Reader(user).rule())


def resources_for(user):
    return Resource.objects.filter(Reader(user).rule(with_community=False))


def is_postgres():
    return connection.vendor == "postgresql"


def search(rows, words):
    """`rows` whose title or text match `words`, best first on PostgreSQL."""
    words = " ".join((words or "").split())[:200]
    if not words:
        return rows
    if is_postgres():
        query = SearchQuery(words, config=SEARCH_CONFIG, search_type="websearch")
        vector = SearchVector("search_text", config=SEARCH_CONFIG)
        return (
            rows.annotate(document=vector)
            .filter(document=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "-pk")
        )
    for word in words.split():
        rows = rows.filter(search_text__icontains=word)
    return rows


def filter_items(rows, *, kind="", area="", cohort=None, community=None, year=None):
    if kind:
        rows = rows.filter(kind=kind)
    if area:
        rows = rows.filter(topic__name__iexact=area)
    if cohort is not None:
        rows = rows.filter(cohort=cohort)
    if community is not None:
        rows = rows.filter(community=community)
    if year:
        rows = rows.filter(shared_at__year=year)
    return rows


def filter_resources(rows, *, area="", cohort=None, year=None):
    if area:
        rows = rows.filter(areas_key__contains="|" + " ".join(area.split()).lower() + "|")
    if cohort is not None:
        rows = rows.filter(cohort=cohort)
    if year:
        rows = rows.filter(created_at__year=year)
    return rows
