"""The cohort's knowledge page (staff: items and requests per community; observers: counts
only), asking the leaders for items, and the staff's own resources."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.knowledge import services, summaries
from planning.knowledge.forms import RequestForm, ResourceForm


@cohort_view("cohort.report")
def overview(request, access):
    """Staff see each community's items and open requests; observers, counts per kind
    (no titles, names or words: see planning.knowledge.library)."""
    cohort = access.cohort
    context = {"kinds": summaries.counts_per_kind(cohort), "sees_items": access.is_staff}
    if access.is_staff:
        context["communities"] = summaries.counts_per_community(cohort)
        context["requests"] = list(
            summaries.open_requests(cohort=cohort).order_by("due_on", "community__name")
        )
        context["to_publish"] = list(
            cohort.knowledge_items.filter(state="shared", scope__in=["community", "cohort"])
            .select_related("community")
            .order_by("-shared_at")[:20]
        )
        context["resources"] = list(cohort.knowledge_resources.order_by("title"))
    return render(request, "planning/knowledge/overview.html", context)


@cohort_view("cohort.manage")
def request_items(request, access):
    communities = list(access.cohort.communities.active().order_by("name"))
    form = RequestForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.request_items(
                access.cohort,
                actor=request.user,
                communities=data["to"],
                kind=data["kind"],
                note=data["note"],
                due_on=data["due_on"],
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            n = len(result.created)
            messages.success(
                request,
                ngettext(
                    "Asked %(n)d community; its leaders get an email and a note on their home "
                    "page.",
                    "Asked %(n)d communities; their leaders get an email and a note on their "
                    "home page.",
                    n,
                )
                % {"n": n},
            )
            return redirect("planning:knowledge-overview", access.cohort.slug)
    return render(request, "planning/knowledge/request.html", {"form": form})


def _resource_form(request, access, resource):
    initial = None
    if resource is not None:
        initial = {
            name: getattr(resource, name)
            for name in ("title", "description", "url", "body", "areas", "scope")
        }
    form = ResourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_resource(
                access.cohort, actor=request.user, resource=resource, **form.cleaned_data
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Saved to the library."))
            return redirect(saved.get_library_url())
    return render(
        request, "planning/knowledge/resource_form.html", {"form": form, "resource": resource}
    )


@cohort_view("cohort.manage")
def resource_create(request, access):
    return _resource_form(request, access, None)


@cohort_view("cohort.manage")
def resource_edit(request, access, resource_id):
    resource = get_object_or_404(access.cohort.knowledge_resources, public_id=resource_id)
    return _resource_form(request, access, resource)
