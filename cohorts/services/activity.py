from django.contrib.contenttypes.models import ContentType
from django.db import models

from cohorts.models import Activity, Community


def record(cohort, actor, verb, target="", **data):
    """Note that `actor` did `verb` (one of `Activity.Action`'s values) to `target` in
    `cohort`. A model instance as target is kept as a reference and as its text; anything
    else as text only. The row is also filed under a community when the target is one or
    belongs to one, or when `community=` is given as a Community (kept in the data by name).
    Call inside the write's transaction, so the record and the change land together or not
    at all."""
    community = data.get("community")
    if isinstance(community, Community):  # linked, and kept in the data by name as before
        data["community"] = str(community)
    else:
        community = None
    if verb not in Activity.Action.values:
        raise ValueError(
            f"{verb!r} is not an activity action: add it to cohorts.models.activity.Action"
        )
    row = Activity(
        cohort=cohort,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target=str(target)[:300],
        data=data,
    )
    if isinstance(target, models.Model) and target.pk is not None:
        row.target_type = ContentType.objects.get_for_model(target)
        row.target_pk = str(target.pk)
        if isinstance(target, Community):
            community = target
        elif community is None:
            row.community_id = getattr(target, "community_id", None)
    if community is not None:
        row.community = community
    row.save()
    return row
