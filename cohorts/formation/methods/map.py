"""Map: groups of people (or their organizations) near each other. Nobody is asked anything;
the engine needs a place for everyone, from their profile or their organization."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.formation.models import FormationRound
from cohorts.formation.wording import names_text
from copkit.errors import ServiceError

from .base import FormationMethod, distance
from .registry import register


def location_of(participant):
    """(lat, lon) of a person, from their own profile or else their organization, or None."""
    if participant.latitude is not None and participant.longitude is not None:
        return participant.latitude, participant.longitude
    org = participant.organization
    if org is not None and org.latitude is not None and org.longitude is not None:
        return org.latitude, org.longitude
    return None


@register
class Map(FormationMethod):
    value = FormationRound.Method.MAP
    shows_map = True

    def build_input(self, formation_round, entries, people, ids, warnings):
        missing = []
        for entry, person in zip(entries, people, strict=True):
            point = location_of(entry.participant)
            if point is None:
                missing.append(entry.participant.name)
            else:
                person["location"] = {"lat": point[0], "lon": point[1]}
        if missing:
            raise ServiceError(
                ngettext(
                    "The map needs a place for everyone, but %(names)s has none. Add a ZIP "
                    "code to their organization, or take them out of the round.",
                    "The map needs a place for everyone, but %(count)s people have none: "
                    "%(names)s. Add a ZIP code to their organizations, or take them out of "
                    "the round.",
                    len(missing),
                )
                % {"count": len(missing), "names": names_text(missing)}
            )
        return {}

    def summary_rows(self, formation_round, scores, unit):
        if "mean_km" not in scores:
            return []
        rows = [
            (_("Average distance to the group's centre"), distance(scores.get("mean_km"), unit)),
            (_("Largest distance to the group's centre"), distance(scores.get("max_km"), unit)),
        ]
        if "max_within_group_km" in scores:
            rows.append(
                (
                    _("Farthest apart within one group"),
                    distance(scores["max_within_group_km"], unit),
                )
            )
        return rows

    def group_figures(self, formation_round, details, unit):
        if "mean_km" not in details:
            return []
        return [
            _("Average %(mean)s from the centre · %(spread)s across")
            % {
                "mean": distance(details.get("mean_km"), unit),
                "spread": distance(details.get("spread_km", details.get("max_km")), unit),
            }
        ]
