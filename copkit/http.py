"""Request values a view may act on safely.

`safe_next(request, value)`: a `next=` (or any return address taken from the request) as a
path of this site, or None. A view redirects to it with `HttpResponseRedirect`, never with
`redirect()`: `redirect()` first tries the value as a URL name, so one bare word posted as
`next` would be reversed (NoReverseMatch, a server error) or, worse, name a page of its own.
"""

from django.http import HttpResponseBadRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, value):
    """`value` if it is an absolute path on this site ("/c/riverbend/..."), else None: an
    empty value, a bare word, a relative path, another host or scheme ("//evil.example",
    "https://evil.example/", "javascript:...") are all None."""
    if not isinstance(value, str) or not value.startswith("/"):
        return None
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return value


class RefuseNulInQueryMiddleware:
    """Answer 400 to a query string that carries a NUL character.

    No link copkit makes has one, and PostgreSQL cannot hold one in a text value, so a search
    box or a filter given `%00` would otherwise end in a server error when the value reaches a
    query. Form posts are left to their forms, which name the field at fault."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.GET.urlencode() or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest("A link's query cannot hold a NUL character.")
        return self.get_response(request)
