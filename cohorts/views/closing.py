"""Closing a cohort: the staff page that closes and reopens it, and the notice a refused
write leads to (the refusal itself is `copkit.hub.closing`)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cohorts.access import cohort_view
from cohorts.forms.closing import CloseCohortForm
from cohorts.models import Community
from cohorts.services import closing
from copkit.errors import ServiceError, show_error


def back_url(request):
    """Where a "Go back" link goes: the page the person came from (on this site), else home."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("home")


@cohort_view("cohort.manage")
def cohort_close(request, access):
    cohort = access.cohort
    early = closing.closes_early(cohort)
    form = CloseCohortForm(
        request.POST if request.method == "POST" and not cohort.is_closed else None, early=early
    )
    if request.method == "POST":
        try:
            if cohort.is_closed:
                # Only the Reopen button reopens: a Close form sent twice must not.
                if request.POST.get("action") != "reopen":
                    raise ServiceError(_("This cohort is closed already."))
                closing.reopen_cohort(cohort, actor=request.user)
                messages.success(request, _("The cohort is open again."))
                return redirect("cohorts:cohort-close", cohort_slug=cohort.slug)
            if form.is_valid():
                closing.close_cohort(
                    cohort, actor=request.user, early=form.cleaned_data.get("early", False)
                )
                messages.success(request, _("The cohort is closed: it is read-only now."))
                return redirect("cohorts:cohort-close", cohort_slug=cohort.slug)
        except ServiceError as error:
            show_error(request, error, form if form.is_bound else None)
    # COPs that go on by themselves still use their meetings and workspace here: closing
    # the cohort would freeze them too, so the page names them.
    continuing = list(
        cohort.communities.active()
        .filter(phase=Community.Phase.CONTINUING)
        .values_list("name", flat=True)
    )
    return render(
        request,
        "cohorts/cohort_close.html",
        {"cohort": cohort, "form": form, "early": early, "continuing": continuing},
    )


@cohort_view("cohort.view")
def closed_notice(request, access):
    """Where an htmx write to a closed cohort is sent; an open cohort goes to home."""
    if not access.cohort.is_closed:
        return redirect("home")
    return render(
        request,
        "cohorts/closed.html",
        {"closed_cohort": access.cohort, "back_url": back_url(request)},
    )
