"""A community's needs-and-expertise inventory, its connections, and the web drawn from them.

STUB: scaffolding only; each view is replaced by its real implementation."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from copkit.access import cohort_view


@cohort_view("community.members")
def inventory(request, access):
    return HttpResponse("stub: inventory")


@require_POST
@cohort_view("community.members")
def entry_add(request, access):
    return HttpResponse("stub: entry_add")


@require_POST
@cohort_view("community.members")
def entry_delete(request, access, entry_id):
    return HttpResponse("stub: entry_delete")


@require_POST
@cohort_view("community.members")
def connection_add(request, access):
    return HttpResponse("stub: connection_add")


@require_POST
@cohort_view("community.members")
def connection_delete(request, access, connection_id):
    return HttpResponse("stub: connection_delete")


@cohort_view("community.members")
def web(request, access):
    return HttpResponse("stub: web")


@cohort_view("community.members")
def web_svg(request, access):
    return HttpResponse("stub: web_svg")
