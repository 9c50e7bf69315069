"""What other pages show of the knowledge stage: items per community on the dashboard, the
leaders' open requests on their home page, and a participant's suggested reading."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from planning.knowledge.library import items_for, resources_for
from planning.knowledge.models import KnowledgeItem, KnowledgeRequest
from planning.models import InventoryEntry

SUGGESTIONS = 5
SHARED = KnowledgeItem.State.SHARED


def counts_per_community(cohort):
    """The cohort's active communities, each with its shared items per kind (one query)."""
    kinds = KnowledgeItem.Kind
    shared = Q(knowledge_items__state=SHARED)
    return list(
        cohort.communities.active()
        .annotate(
            items_shared=Count("knowledge_items", filter=shared),
            case_studies=Count(
                "knowledge_items", filter=shared & Q(knowledge_items__kind=kinds.CASE_STUDY)
            ),
            practices=Count(
                "knowledge_items", filter=shared & Q(knowledge_items__kind=kinds.PRACTICE)
            ),
            lessons=Count("knowledge_items", filter=shared & Q(knowledge_items__kind=kinds.LESSON)),
            drafts=Count(
                "knowledge_items", filter=Q(knowledge_items__state=KnowledgeItem.State.DRAFT)
            ),
        )
        .order_by("name")
    )


def counts_per_kind(cohort):
    """Shared items of the cohort per kind: what an observer sees."""
    rows = dict(
        cohort.knowledge_items.filter(state=SHARED)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(kind.label, rows.get(kind, 0)) for kind in KnowledgeItem.Kind]


def open_requests(community_ids=None, cohort=None):
    """Requests not yet answered by an item shared after them (of the kind asked for)."""
    rows = KnowledgeRequest.objects.all()
    if community_ids is not None:
        rows = rows.filter(community_id__in=community_ids)
    if cohort is not None:
        rows = rows.filter(cohort=cohort)
    any_kind = KnowledgeItem.objects.filter(
        community_id=OuterRef("community_id"),
        state=SHARED,
        shared_at__gte=OuterRef("created_at"),
    )
    return (
        rows.exclude(Q(kind="") & Exists(any_kind))
        .exclude(~Q(kind="") & Exists(any_kind.filter(kind=OuterRef("kind"))))
        .select_related("community")
    )


def leader_steps(community_ids):
    """Per community: one next step for each open request of the TTA staff."""
    steps = {}
    for request in (
        open_requests(community_ids).select_related("community__cohort").order_by("due_on", "pk")
    ):
        community = request.community
        what = (
            request.get_kind_display().lower()
            if request.kind
            else _("case study, promising practice or lesson learned")
        )
        steps.setdefault(community.pk, []).append(
            {
                "text": _("Your TTA team asks your group to share a %(what)s by %(date)s.")
                % {"what": what, "date": date_format(request.due_on, "M j")},
                "url": reverse(
                    "planning:knowledge-community", args=[community.cohort.slug, community.slug]
                ),
                "label": _("Share what you know"),
            }
        )
    return steps


def suggested_reading(user):
    """Up to five resources and shared items matching the needs in `user`'s inventory, by
    practice area name. Three queries whatever the number of needs or items."""
    needs = sorted(
        {
            name.lower()
            for name in InventoryEntry.objects.filter(
                participant__user=user, kind=InventoryEntry.Kind.NEED, topic__isnull=False
            ).values_list("topic__name", flat=True)
        }
    )
    if not needs:
        return []
    match = Q()
    for name in needs:
        match |= Q(areas_key__contains=f"|{name}|")
    resources = list(resources_for(user).filter(match).order_by("-created_at")[:SUGGESTIONS])
    item_match = Q()
    for name in needs:
        item_match |= Q(topic__name__iexact=name)
    items = list(
        items_for(user)
        .filter(item_match)
        .exclude(author__user=user)
        .order_by("-shared_at")[:SUGGESTIONS]
    )
    found = [
        {"title": r.title, "url": r.get_library_url(), "what": _("Resource")} for r in resources
    ] + [
        {"title": i.title, "url": i.get_library_url(), "what": i.get_kind_display()} for i in items
    ]
    return found[:SUGGESTIONS]
