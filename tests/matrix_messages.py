"""Permission rows of the messages part (issue 13): the cohort's Emails page (staff only),
and the email settings pages (the signed link in every email is the key; the logged-in
page is everyone's own)."""

from django.urls import reverse

from copkit import preferences
from tests.matrix_common import LOGIN, PERSONAS, STAFF_ONLY, STAFF_ONLY_POST

MATRIX = {
    "cohorts:emails": ("get", STAFF_ONLY),
    # An empty form sends every failed email of the cohort again, then back to the page.
    "cohorts:emails-retry": ("post", STAFF_ONLY_POST),
    # The settings of the address the link's signed token names: no login.
    "email-settings": ("get", dict.fromkeys(PERSONAS, 200)),
    "email-unsubscribe": ("get", dict.fromkeys(PERSONAS, 200)),
    # One's own address's settings: any logged-in person, whatever their cohorts.
    "my-email-settings": ("get", {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
}

PINNED = {
    "cohorts:emails": "test_messages_pages.py::test_emails_page_query_count_is_flat",
    "email-settings": "test_messages_pages.py::test_settings_pages_query_count_is_flat",
    "email-unsubscribe": "test_messages_pages.py::test_settings_pages_query_count_is_flat",
    "my-email-settings": "test_messages_pages.py::test_settings_pages_query_count_is_flat",
}


def url_for(name, world):
    if name.startswith("cohorts:"):
        return reverse(name, kwargs={"cohort_slug": world.cohort.slug})
    if name == "my-email-settings":
        return reverse(name)
    token = preferences.token_for(world.participant_participant.email)
    if name == "email-unsubscribe":
        return reverse(name, args=[token, "meeting_reminder"])
    return reverse(name, args=[token])
