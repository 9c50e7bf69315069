"""Staff's view of the people in a cohort: the roster, with invitation status."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from cohorts.forms.cohorts import ParticipantForm
from cohorts.models import Membership
from cohorts.services import cohorts as services
from copkit.concurrency import hold_for_saving
from copkit.errors import ServiceError, show_error

PAGE_SIZE = 50

STATUS_FILTERS = {
    "": (gettext_lazy("Everyone"), Q()),
    "not_invited": (gettext_lazy("Not invited yet"), Q(invitation__isnull=True, user__isnull=True)),
    "invited": (
        gettext_lazy("Invited, not joined"),
        Q(invitation__isnull=False, user__isnull=True),
    ),
    "joined": (gettext_lazy("Joined"), Q(user__isnull=False)),
}


@cohort_view("cohort.manage")
def participant_list(request, access):
    cohort = access.cohort
    status = request.GET.get("status", "")
    if status not in STATUS_FILTERS and status != "no_community":
        status = ""
    query = request.GET.get("q", "").strip()
    participants = cohort.participants.all()
    if status == "no_community":
        participants = participants.without_community()
    else:
        participants = participants.filter(STATUS_FILTERS[status][1])
    if query:
        participants = participants.filter(
            Q(name__icontains=query)
            | Q(email__icontains=query)
            | Q(organization__name__icontains=query)
        )
    participants = (
        participants.select_related("organization", "invitation")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(community__archived_at__isnull=True)
                .select_related("community")
                .order_by("community__name"),
            )
        )
        .order_by("name", "pk")
    )
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = [(key, label) for key, (label, _q) in STATUS_FILTERS.items()]
    filters.append(("no_community", _("Not in a community")))
    return render(
        request,
        "cohorts/participant_list.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "filters": filters,
            "total": cohort.participants.count(),
        },
    )


@cohort_view("cohort.manage")
@transaction.atomic
def participant_edit(request, access, participant_id):
    participant = get_object_or_404(
        access.cohort.participants.select_related("organization", "invitation", "user"),
        public_id=participant_id,
    )
    form = ParticipantForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, participant):
        try:
            services.update_participant(participant, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": participant.name})
            return redirect("cohorts:participant-list", cohort_slug=access.cohort.slug)
    memberships = participant.memberships.select_related("community").order_by("community__name")
    return render(
        request,
        "cohorts/participant_edit.html",
        {"form": form, "participant": participant, "memberships": memberships},
    )


@require_POST
@cohort_view("cohort.manage")
def participant_remove(request, access, participant_id):
    participant = get_object_or_404(access.cohort.participants, public_id=participant_id)
    services.remove_participant(participant, actor=request.user)
    messages.success(
        request,
        _("%(name)s is no longer in this cohort.") % {"name": participant.name},
    )
    return redirect("cohorts:participant-list", cohort_slug=access.cohort.slug)
