"""URLs for `manage.py bench` only: the site's own, plus a bare view to measure them against.

The bench's child process switches ROOT_URLCONF to this module; the site never serves it.
"""

from django.http import HttpResponse
from django.urls import path

from copkit.urls import handler403, handler404, handler500  # noqa: F401 -- the root's handlers
from copkit.urls import urlpatterns as site_urlpatterns


def bare(request):
    """The cheapest page Django can serve, through the same middleware as every page."""
    return HttpResponse("ok")


urlpatterns = [path("__bench__/bare/", bare, name="bench-bare"), *site_urlpatterns]
