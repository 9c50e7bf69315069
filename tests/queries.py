"""The one way tests count the queries a page makes."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext


def warm_process_caches():
    """Fill the caches a process fills once, on first use, whatever test runs first: the
    content types (the activity log refers to its targets by content type). Without this a
    count depends on which tests ran earlier in the same worker."""
    ContentType.objects.get_for_models(*apps.get_models())


def count_queries(client, url, status=200):
    """GET `url` with `client`; return (number of queries, response).

    Fails unless the page answers `status`: a count taken on an error page would be flat for
    the wrong reason."""
    warm_process_caches()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return len(queries), response
