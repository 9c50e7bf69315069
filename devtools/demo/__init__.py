"""Data builders for the demo cohort (`manage.py seed_demo`) and the benchmark (`manage.py bench`).

Everything here is invented: the organizations, people and emails are fictional (emails use
the reserved `.example` domain), but they look like the community-based organizations a TTA
program serves, in real US ZIP codes. The builders write with `bulk_create`, so the bench
can build thousands of rows in a second or two; a seeded `random.Random` makes every run
give the same cohort.

By concern: `data` (the tables of topics, kinds, places, organizations, names, logins and
communities), `rows` (unsaved rows and `bulk`), `builders` (whole cohorts). Import from this
package, not from its modules.
"""

from .builders import (
    DemoSummary,
    ScaledCohort,
    build_demo_cohort,
    build_scaled_cohort,
    ensure_demo_users,
)
from .data import (
    COMMON_EXPERTISE,
    COMMON_JOB_TITLES,
    CUSTOM_TITLES,
    DEMO_COHORT_SLUG,
    DEMO_COMMUNITIES,
    DEMO_LOGINS,
    DEMO_ORGANIZATIONS,
    DEMO_PASSWORD,
    FIRST_NAMES,
    FORMATS,
    KINDS,
    LAST_NAMES,
    PLACES,
    TOPICS,
    Kind,
    Login,
)
from .rows import (
    add_topics,
    bulk,
    community,
    email_domain,
    generated_organizations,
    invitation,
    organization,
    participant,
    person,
    program_dates,
    unusable_password,
)

__all__ = [
    "COMMON_EXPERTISE",
    "COMMON_JOB_TITLES",
    "CUSTOM_TITLES",
    "DEMO_COHORT_SLUG",
    "DEMO_COMMUNITIES",
    "DEMO_LOGINS",
    "DEMO_ORGANIZATIONS",
    "DEMO_PASSWORD",
    "FIRST_NAMES",
    "FORMATS",
    "KINDS",
    "LAST_NAMES",
    "PLACES",
    "TOPICS",
    "DemoSummary",
    "Kind",
    "Login",
    "ScaledCohort",
    "add_topics",
    "build_demo_cohort",
    "build_scaled_cohort",
    "bulk",
    "community",
    "email_domain",
    "ensure_demo_users",
    "generated_organizations",
    "invitation",
    "organization",
    "participant",
    "person",
    "program_dates",
    "unusable_password",
]
