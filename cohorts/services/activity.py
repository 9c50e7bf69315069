from cohorts.models import Activity


def record(cohort, actor, verb, target="", **data):
    """Note that `actor` did `verb` to `target` in `cohort`. Call inside the write's
    transaction, so the record and the change land together or not at all."""
    return Activity.objects.create(
        cohort=cohort,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target=str(target)[:300],
        data=data,
    )
