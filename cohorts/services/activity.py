from django.db import transaction

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


@transaction.atomic
def save_form(form, *, cohort, actor, verb):
    """Save a ModelForm for a row of `cohort` (a new row is put in the cohort) and record
    the change with the fields it touched. Returns the saved row."""
    row = form.save(commit=False)
    if row.cohort_id is None:
        row.cohort = cohort
    row.save()
    form.save_m2m()
    record(cohort, actor, verb, row, fields=sorted(form.changed_data))
    return row
