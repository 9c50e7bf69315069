"""Request values a view may act on safely.

`safe_next(request, value)`: a `next=` (or any return address taken from the request) as a
path of this site, or None. A view redirects to it with `HttpResponseRedirect`, never with
`redirect()`: `redirect()` first tries the value as a URL name, so one bare word posted as
`next` would be reversed (NoReverseMatch, a server error) or, worse, name a page of its own.
"""

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
