"""Figures of a cohort's needs and expertise work for its dashboard: what the inventory says
across all participants, and how far the open surveys have got. Aggregates only, so
observers may see them too."""

from dataclasses import dataclass

from django.db.models import Count, Q

from planning.models import InventoryEntry, Survey

SHOWN_SURVEYS = 3


@dataclass
class AreaFigure:
    topic: object
    needs: int
    offers: int
    need_percent: int


def needs_by_area(cohort):
    """Per practice area: how many participants name it as a need and as expertise, most
    needed first; and how many participants have any entry at all. Two queries."""
    people = (
        InventoryEntry.objects.filter(participant__cohort=cohort)
        .values("participant_id")
        .distinct()
        .count()
    )
    topics = cohort.topics.annotate(
        needs=Count(
            "inventory_entries",
            filter=Q(inventory_entries__kind=InventoryEntry.Kind.NEED),
        ),
        offers=Count(
            "inventory_entries",
            filter=Q(inventory_entries__kind=InventoryEntry.Kind.EXPERTISE),
        ),
    ).order_by("-needs", "-offers", "name")
    areas = [
        AreaFigure(
            topic=topic,
            needs=topic.needs,
            offers=topic.offers,
            need_percent=round(100 * topic.needs / people) if people else 0,
        )
        for topic in topics
    ]
    return people, areas


def open_surveys(cohort):
    """The open surveys, newest first, with how many people they went to and how many
    answered through their link. One query."""
    return (
        cohort.surveys.filter(status=Survey.Status.OPEN)
        .annotate(
            sent=Count("recipients", distinct=True),
            answered=Count(
                "recipients",
                filter=Q(recipients__response__submitted_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("-created_at")[:SHOWN_SURVEYS]
    )
