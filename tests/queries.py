"""The one way tests count the queries a page makes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, status=200):
    """GET `url` with `client`; return (number of queries, response).

    Fails unless the page answers `status`: a count taken on an error page would be flat for
    the wrong reason."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return len(queries), response
