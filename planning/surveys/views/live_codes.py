"""Guessing live-poll codes: each client address may name a code that does not exist
`LIMIT` times in `WINDOW` seconds; then every code it names, right or wrong, is refused with
429 until the window ends. Counted in Django's cache, so every web process shares the count;
the address is the one allauth's login limits use (X-Forwarded-For through
`COPKIT_TRUSTED_PROXY_COUNT` proxies), so a room of phones behind one proxy is not one client.

Six characters from 31 give about 887 million codes; ten guesses a minute from one address
find an open poll's code with odds of about one in 150,000 a day."""

from allauth.account.adapter import get_adapter
from django.core.cache import cache

LIMIT = 10
WINDOW = 60  # seconds, counted from the first wrong code


def _key(request):
    return f"live-code-misses:{get_adapter(request).get_client_ip(request)}"


def blocked(request):
    """Has this client named too many wrong codes within the window?"""
    return (cache.get(_key(request)) or 0) >= LIMIT


def missed(request):
    """Count one wrong code against this client."""
    key = _key(request)
    if not cache.add(key, 1, WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls: this miss starts a new window
            cache.add(key, 1, WINDOW)
