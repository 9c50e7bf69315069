"""Where a US ZIP code is, offline: the `zipcodes` package carries the whole list.

`clean_zip` turns what people type (or what Excel leaves of it) into five digits;
`lookup_zip` gives the place of a five-digit ZIP code, or None when there is no such ZIP;
`time_zone_for_zips` the time zone most of a list of ZIP codes are in.
"""

import re
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import zipcodes
from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Place:
    zip_code: str
    city: str
    state: str
    latitude: float
    longitude: float


_ZIP = re.compile(r"^(\d{3,5})(?:-?(\d{4}))?$")


def clean_zip(value):
    """Five digits from `value`, or ValueError with a message for the person who typed it.

    Accepts "22301", "22301-1234", "223011234", and "2134" or "501", which is what a
    spreadsheet keeps of "02134" or "00501" once it has read them as numbers.
    """
    text = "".join(str(value).split())
    if text.endswith(".0"):  # a spreadsheet number read back as a float
        text = text[:-2]
    match = _ZIP.match(text)
    if not match:
        raise ValueError(
            _("“%(value)s” is not a ZIP code: use five digits, like 22301 or 22301-1234.")
            % {"value": value}
        )
    return match.group(1).zfill(5)


@lru_cache(maxsize=8192)
def lookup_zip(zip_code):
    """The Place of a five-digit ZIP code, or None when no such ZIP code exists."""
    try:
        matches = zipcodes.matching(zip_code)
    except (TypeError, ValueError):
        return None
    if not matches:
        return None
    found = matches[0]
    try:
        latitude, longitude = float(found["lat"]), float(found["long"])
    except (KeyError, TypeError, ValueError):
        return None
    return Place(
        zip_code=found["zip_code"],
        city=found.get("city", "")[:100],
        state=found.get("state", "")[:2],
        latitude=latitude,
        longitude=longitude,
    )


@lru_cache(maxsize=8192)
def time_zone_of_zip(zip_code):
    """The IANA time zone of a ZIP code ("America/Chicago"), or None when it is unknown."""
    try:
        zip_code = clean_zip(zip_code)
        matches = zipcodes.matching(zip_code)
    except (TypeError, ValueError):
        return None
    zone = matches[0].get("timezone") if matches else None
    return zone if zone in zoneinfo.available_timezones() else None


def time_zone_for_zips(zips, default=None):
    """The zone most of `zips` are in (a tie goes to the zone named first alphabetically);
    `default` (or the deployment's zone) when none of them has a known zone. A community's
    meeting zone starts from its members' ZIP codes, with the cohort's zone as `default`."""
    counts = Counter(zone for zone in map(time_zone_of_zip, zips) if zone)
    if not counts:
        return default or settings.TIME_ZONE
    return min(counts, key=lambda zone: (-counts[zone], zone))


def community_time_zone(community):
    """Where a community's meeting zone starts: the zone most of its members' ZIP codes (or
    their organizations') are in, else its cohort's zone. One query."""
    rows = community.memberships.values_list(
        "participant__zip_code", "participant__organization__zip_code"
    )
    return time_zone_for_zips(
        [own or organization for own, organization in rows if own or organization],
        default=community.cohort.time_zone,
    )


US_STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
    "AA": "Armed Forces Americas",
    "AE": "Armed Forces Europe",
    "AP": "Armed Forces Pacific",
    "FM": "Federated States of Micronesia",
    "MH": "Marshall Islands",
    "PW": "Palau",
}
_STATE_BY_NAME = {
    " ".join(re.sub(r"[^a-z]", " ", name.lower()).split()): code for code, name in US_STATES.items()
}
_STATE_BY_NAME.update(
    {"virgin islands": "VI", "washington dc": "DC", "d c": "DC", "washington d c": "DC"}
)


def clean_state(value):
    """A two-letter state code from "VA", "va", "Virginia" or "Va.", or ValueError."""
    text = " ".join(re.sub(r"[^a-z]", " ", str(value).lower()).split())
    code = text.upper().replace(" ", "")
    if code in US_STATES:
        return code
    if text in _STATE_BY_NAME:
        return _STATE_BY_NAME[text]
    raise ValueError(
        _("“%(value)s” is not a US state: use its two-letter code, like VA.") % {"value": value}
    )
