"""Communities of practice: the list, creating, editing and archiving one, and managing who
is in it. A COP's own page is a hub page (`copkit.hub.community`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from cohorts.forms.communities import AddMemberForm, CommunityForm, MembershipForm
from cohorts.models import Community
from cohorts.services import communities as services
from copkit.concurrency import hold_for_saving
from copkit.errors import ServiceError, show_error
from copkit.privacy import MIN_GROUP, hide_small

PAGE_SIZE = 24


@cohort_view("cohort.view")
def community_list(request, access):
    cohort = access.cohort
    communities = (
        cohort.communities.active()
        .with_member_count()
        .select_related("topic")
        .with_leaders()
        .order_by("name")
    )
    phase = request.GET.get("phase", "")
    if phase in Community.Phase.values:
        communities = communities.filter(phase=phase)
    else:
        phase = ""
    query = request.GET.get("q", "").strip()
    if query:
        communities = communities.filter(
            Q(name__icontains=query)
            | Q(topic__name__icontains=query)
            | Q(description__icontains=query)
        )
    page = Paginator(communities, PAGE_SIZE).get_page(request.GET.get("page"))
    for community in page:
        community.my_membership = access.membership(community)
        community.size_hidden = hide_small(
            community.member_count,
            sees_people=access.is_staff or community.my_membership is not None,
        )
    archived = cohort.communities.filter(archived_at__isnull=False).order_by("name")
    return render(
        request,
        "cohorts/community_list.html",
        {
            "page": page,
            "archived": archived,
            "phase": phase,
            "query": query,
            "phases": Community.Phase.choices,
            # Observers read no names of people; participants see who leads each community.
            "show_leaders": not access.is_observer,
            "min_group": MIN_GROUP,
        },
    )


@cohort_view("community.manage")
def community_create(request, access):
    form = CommunityForm(request.POST or None, cohort=access.cohort)
    if request.method == "POST" and form.is_valid():
        community = services.create_community(
            access.cohort, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Community created. Now add its members and leaders."))
        return redirect(community)
    return render(request, "cohorts/community_form.html", {"form": form, "creating": True})


@cohort_view("community.lead")
@transaction.atomic
def community_edit(request, access):
    community = access.community
    if community.is_archived:
        raise PermissionDenied
    form = CommunityForm(request.POST or None, instance=community, cohort=access.cohort)
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, community):
        try:
            services.update_community(community, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Community saved."))
            return redirect(community)
    return render(
        request,
        "cohorts/community_form.html",
        {"form": form, "creating": False, "community": community},
    )


@require_POST
@cohort_view("community.manage")
def community_archive(request, access):
    community = access.community
    archive = request.POST.get("action") != "restore"
    services.set_archived(community, actor=request.user, archived=archive)
    if archive:
        messages.success(
            request,
            _("“%(name)s” is archived. Its records are kept; restore it from the list.")
            % {"name": community.name},
        )
        return redirect("cohorts:community-list", cohort_slug=access.cohort.slug)
    messages.success(request, _("“%(name)s” is restored.") % {"name": community.name})
    return redirect(community)


@require_POST
@cohort_view("community.manage")
def membership_add(request, access):
    community = access.community
    form = AddMemberForm(request.POST, community=community)
    if form.is_valid():
        try:
            membership = services.add_member(
                community,
                actor=request.user,
                participant=form.cleaned_data["participant"],
                role=form.cleaned_data["role"],
            )
        except ServiceError as error:
            show_error(request, error)
        else:
            messages.success(
                request,
                _("%(name)s added as %(role)s.")
                % {"name": membership.participant.name, "role": membership.get_role_display()},
            )
    else:
        messages.error(request, _("Choose a participant of this cohort to add."))
    return redirect(community)


@require_POST
@cohort_view("community.manage")
def membership_edit(request, access, membership_id):
    community = access.community
    membership = get_object_or_404(
        community.memberships.select_related("participant"), public_id=membership_id
    )
    try:
        if request.POST.get("action") == "remove":
            services.remove_member(membership, actor=request.user)
            messages.success(
                request, _("%(name)s removed.") % {"name": membership.participant.name}
            )
        else:
            form = MembershipForm(request.POST, instance=membership)
            if form.is_valid():
                services.change_membership(membership, actor=request.user, **form.cleaned_data)
                messages.success(
                    request, _("%(name)s saved.") % {"name": membership.participant.name}
                )
            else:
                messages.error(request, _("Choose a role from the list."))
    except ServiceError as error:
        show_error(request, error)
    return redirect(community)
