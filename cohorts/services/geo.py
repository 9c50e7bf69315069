"""The ZIP code lookups live in `cohorts.geo` (forms use them too, and forms import no
service); this keeps the old import path working for the services that use them."""

from cohorts.geo import (
    US_STATES,
    Place,
    clean_state,
    clean_zip,
    community_time_zone,
    lookup_zip,
    time_zone_for_zips,
    time_zone_of_zip,
)

__all__ = [
    "US_STATES",
    "Place",
    "clean_state",
    "clean_zip",
    "community_time_zone",
    "lookup_zip",
    "time_zone_for_zips",
    "time_zone_of_zip",
]
