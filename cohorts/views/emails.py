"""The cohort's Emails page (staff): every email copkit queued for the cohort, failed ones
first with their error and a button to send them again."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from cohorts.forms.cohorts import EmailFilterForm, RetryEmailForm
from cohorts.services import emails as services
from copkit import kinds

PAGE_SIZE = 50


@cohort_view("cohort.manage")
def email_list(request, access):
    form = EmailFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    found = services.messages_of(
        access.cohort, state=chosen.get("state", ""), kind=chosen.get("kind", "")
    ).only(
        "pk",
        "kind",
        "to_email",
        "subject",
        "state",
        "attempts",
        "due_at",
        "sent_at",
        "claimed_at",
        "last_error",
        "created_at",
        "delivery",
        "digest__state",
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {kind.name: kind.label for kind in kinds.registered()}
    for message in page:
        message.kind_label = labels.get(message.kind, message.kind)
    return render(
        request,
        "cohorts/emails.html",
        {"form": form, "page": page, "failed": services.failed_count(access.cohort)},
    )


@require_POST
@cohort_view("cohort.manage")
def email_retry(request, access):
    form = RetryEmailForm(request.POST)
    if form.is_valid():
        count = services.retry_failed(
            access.cohort, actor=request.user, message_id=form.cleaned_data["message"]
        )
        if count:
            messages.success(
                request,
                ngettext(
                    "%(n)s email goes out again now.",
                    "%(n)s emails go out again now.",
                    count,
                )
                % {"n": count},
            )
        else:
            messages.info(request, _("Nothing to send again: that email is no longer failed."))
    return redirect("cohorts:emails", cohort_slug=access.cohort.slug)
