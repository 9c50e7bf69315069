"""The fields a roster column can fill, and the many ways people head those columns and
spell a meeting format."""

import re

from django.utils.translation import gettext_lazy

from cohorts.models import FormatPreference

# The fields a roster column can fill.
NAME = "name"
FIRST_NAME = "first_name"
LAST_NAME = "last_name"
EMAIL = "email"
ORGANIZATION = "organization"
ZIP_CODE = "zip_code"
JOB_TITLE = "job_title"
EXPERTISE = "expertise"
FORMAT = "format_preference"
ORGANIZATION_KIND = "organization_kind"
STATE = "state"

COLUMN_LABELS = {
    NAME: gettext_lazy("Name"),
    FIRST_NAME: gettext_lazy("First name"),
    LAST_NAME: gettext_lazy("Last name"),
    EMAIL: gettext_lazy("Email"),
    ORGANIZATION: gettext_lazy("Organization"),
    ZIP_CODE: gettext_lazy("ZIP code"),
    JOB_TITLE: gettext_lazy("Role"),
    EXPERTISE: gettext_lazy("Expertise"),
    FORMAT: gettext_lazy("Format preference"),
    ORGANIZATION_KIND: gettext_lazy("Organization type"),
    STATE: gettext_lazy("State"),
}
REQUIRED_COLUMNS = (NAME, EMAIL, ORGANIZATION, ZIP_CODE)

# How people head their columns. Compared without case, spaces or punctuation, so "E-mail",
# "E mail" and "EMAIL" are all "email".
COLUMN_ALIASES = {
    NAME: "name|full name|participant|participant name|contact name|person",
    FIRST_NAME: "first name|first|given name",
    LAST_NAME: "last name|last|surname|family name",
    EMAIL: "email|email address|mail|mail address|work email|contact email",
    ORGANIZATION: "organization|organisation|org|organization name|organisation name|org name|"
    "agency|company|company name|employer",
    ZIP_CODE: "zip|zip code|zipcode|zip+4|zip/postal code|postal code|postcode",
    JOB_TITLE: "role|job title|title|position|job|role in organization",
    EXPERTISE: "expertise|areas of expertise|expertise areas|skills|strengths",
    FORMAT: "format|format preference|preferred format|meeting format|meeting preference|"
    "meeting format preference",
    ORGANIZATION_KIND: "organization type|organisation type|org type|type of organization|"
    "type of organisation|organization kind|type",
    STATE: "state|st|state/territory",
}

# What people write for a meeting format preference, compared the same way.
FORMAT_SPELLINGS = {
    FormatPreference.IN_PERSON: "in person|person|in person only|face to face|f2f|on site",
    FormatPreference.VIRTUAL: "virtual|virtually|virtual only|online|online only|remote|zoom|video",
    FormatPreference.EITHER: "either|either is fine|either way|no preference|no pref|both|any|"
    "hybrid|flexible|doesn't matter|does not matter|in person or virtual|virtual or in person",
}
BLANK_SPELLINGS = {"", "na", "n/a", "-", "--"}

# The last column of the skipped-rows file; read back, a column so headed is ignored.
PROBLEM_HEADING = "problem"


def compact(text):
    return re.sub(r"[\W_]+", "", str(text).lower())


_FIELD_BY_HEADER = {
    compact(alias): name for name, aliases in COLUMN_ALIASES.items() for alias in aliases.split("|")
}
FORMAT_BY_SPELLING = {
    compact(spelling): value
    for value, spellings in FORMAT_SPELLINGS.items()
    for spelling in [value, value.label, *spellings.split("|")]
}


def is_problem_column(header):
    return compact(header) in {"problem", "problems"}


def field_for_header(header):
    """The roster field a column heading names, or None for a column of our own."""
    return _FIELD_BY_HEADER.get(compact(header))
