"""Permission matrix rows of the archive export (merged by tests/test_permissions.py).

A cohort's archive is its staff's: observers and the cohort's participants are refused (403),
another cohort gets 404. A community's archive is for its leaders and staff; a member who
does not lead it is refused. The signed download link of a staff archive is for staff only;
starting an archive redirects back to its page (302)."""

from django.urls import reverse

from planning.sunset.archive import build
from planning.sunset.archive.models import Archive

LOGIN = "login"
STAFF_ONLY = {
    "anonymous": LOGIN,
    "staff": 200,
    "observer": 403,
    "leader": 403,
    "participant": 403,
    "outsider": 404,
}
STAFF_ONLY_POST = {**STAFF_ONLY, "staff": 302}
LEADERS = {**STAFF_ONLY, "leader": 200}
LEADERS_POST = {**LEADERS, "staff": 302, "leader": 302}

EVERYONE = {**dict.fromkeys(("staff", "observer", "leader", "participant", "outsider"), 200)}
EVERYONE["anonymous"] = LOGIN

MATRIX = {
    "planning:cohort-export": ("get", STAFF_ONLY),
    "planning:cohort-export-start": ("post", STAFF_ONLY_POST),
    "planning:cohort-export-progress": ("get", STAFF_ONLY),
    "planning:community-export": ("get", LEADERS),
    "planning:community-export-start": ("post", LEADERS_POST),
    "planning:community-export-progress": ("get", LEADERS),
    "planning:export-download": ("get", STAFF_ONLY),
    # A person's own data: anyone logged in, for themselves only (no id in the URL).
    "my-data": ("get", EVERYONE),
    "my-data-download": ("get", EVERYONE),
    "account-delete": ("get", EVERYONE),
}

TEST = "test_archive_pages.py::test_query_count_is_flat"
PINNED = {
    "planning:cohort-export": TEST,
    "planning:community-export": TEST,
}
EXEMPT = {
    "planning:cohort-export-progress": "an htmx fragment the archive page polls: one status",
    "planning:community-export-progress": "an htmx fragment the archive page polls: one status",
    "planning:export-download": "a file download, not a page",
    "my-data": "one person's page with two buttons; it lists nothing",
    "my-data-download": "a file download, not a page",
    "account-delete": "a form page; it lists nothing",
}


def ready_archive(world, community=None, audience=Archive.Audience.STAFF):
    archive = Archive.objects.create(
        cohort=world.cohort, community=community, requested_by=world.staff, audience=audience
    )
    return build.build(archive)


def url_for(name, world):
    if not name.startswith("planning:"):
        return reverse(name)
    cohort, community = world.cohort.slug, world.community.slug
    rest = name.removeprefix("planning:")
    if rest == "export-download":
        return reverse(name, args=[cohort, build.token_for(ready_archive(world))])
    if rest == "cohort-export-progress":
        archive = Archive.objects.create(cohort=world.cohort, audience="staff")
        return reverse(name, args=[cohort, archive.public_id])
    if rest == "community-export-progress":
        archive = Archive.objects.create(
            cohort=world.cohort, community=world.community, audience="leaders"
        )
        return reverse(name, args=[cohort, community, archive.public_id])
    if rest.startswith("community-"):
        return reverse(name, args=[cohort, community])
    return reverse(name, args=[cohort])
