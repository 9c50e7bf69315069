"""Guessing live-poll codes: each client address may name a code that does not exist
`LIMIT` times in `WINDOW` seconds; then every code it names, right or wrong, is refused with
429 until that minute ends. Counted in Django's cache, so every web process shares the count;
the address is the one allauth's login limits use (X-Forwarded-For through
`COPKIT_TRUSTED_PROXY_COUNT` proxies), so a room of phones behind one proxy is not one client.

Six characters from 31 give about 887 million codes; ten guesses a minute from one address
find an open poll's code with odds of about one in 150,000 a day."""

import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache

LIMIT = 10
WINDOW = 60  # seconds: counts are kept per minute of the clock


def _key(request):
    # The window is in the key (which minute it is), not only in the cache's expiry: the
    # count ends with its minute by this process's clock, whatever the cache server's clock,
    # and the expiry only clears old keys away.
    minute = int(time.time() // WINDOW)
    return f"live-code-misses:{get_adapter(request).get_client_ip(request)}:{minute}"


def blocked(request):
    """Has this client named too many wrong codes within the window?"""
    return (cache.get(_key(request)) or 0) >= LIMIT


def missed(request):
    """Count one wrong code against this client."""
    key = _key(request)
    if not cache.add(key, 1, 2 * WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls: this miss starts a new count
            cache.add(key, 1, 2 * WINDOW)
