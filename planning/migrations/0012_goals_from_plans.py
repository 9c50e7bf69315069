"""Goals of the plans written before goals were kept as rows: one live goal per entry of each
plan's goals part, by position, as `planning.evaluations.services.goals.sync_goals` makes
them. A community that already has goals is left alone; an empty database does nothing."""

import datetime
import uuid

from django.db import migrations


def _date(value):
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def goals_from_plans(apps, schema_editor):
    PlanPart = apps.get_model("planning", "PlanPart")
    Goal = apps.get_model("planning", "Goal")
    with_goals = set(Goal.objects.values_list("community_id", flat=True).distinct())
    rows = []
    parts = PlanPart.objects.filter(key="goals").values_list("plan__community_id", "data")
    for community_id, data in parts.iterator():
        if community_id in with_goals or not isinstance(data, dict):
            continue
        position = 0
        for item in data.get("goals") or []:
            if not isinstance(item, dict):
                continue
            text = " ".join(str(item.get("goal") or "").split())[:500]
            if not text:
                continue
            rows.append(
                Goal(
                    public_id=uuid.uuid4(),
                    community_id=community_id,
                    position=position,
                    text=text,
                    indicator=" ".join(str(item.get("indicator") or "").split())[:500],
                    target_date=_date(item.get("target_date")),
                )
            )
            position += 1
    Goal.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("planning", "0011_evaluations")]

    operations = [migrations.RunPython(goals_from_plans, migrations.RunPython.noop)]
