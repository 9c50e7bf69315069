"""The cohort itself: creating and editing it, its team, topics, organizations, and a
participant's own profile. The cohort's dashboard is a hub page (`copkit.hub.dashboard`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from cohorts.forms.cohorts import (
    CoachesForm,
    CohortForm,
    OrganizationForm,
    ProfileForm,
    TeamMemberForm,
    TopicForm,
)
from cohorts.services import coaches
from cohorts.services import cohorts as services
from copkit.concurrency import hold_for_saving
from copkit.errors import ServiceError, show_error

PAGE_SIZE = 50


@login_required
def cohort_create(request):
    if not (request.user.can_create_cohorts or request.user.is_superuser):
        raise PermissionDenied
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = services.create_cohort(actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Cohort created. Next, import your participant roster."),
        )
        return redirect("cohorts:dashboard", cohort_slug=cohort.slug)
    return render(request, "cohorts/cohort_form.html", {"form": form, "creating": True})


@cohort_view("cohort.manage")
@transaction.atomic
def cohort_edit(request, access):
    cohort = access.cohort
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, cohort):
        services.update_cohort(
            cohort,
            actor=request.user,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )
        messages.success(request, _("Cohort saved."))
        return redirect("cohorts:dashboard", cohort_slug=cohort.slug)
    return render(request, "cohorts/cohort_form.html", {"form": form, "creating": False})


@cohort_view("cohort.manage")
def team(request, access):
    cohort = access.cohort
    form = TeamMemberForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.add_team_member(cohort, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request,
                _("%(email)s is now %(role)s of this cohort; we have emailed them.")
                % {"email": role.user.email, "role": role.get_role_display()},
            )
            return redirect("cohorts:team", cohort_slug=cohort.slug)
    roles = cohort.roles.select_related("user").order_by("role", "user__name", "user__email")
    return render(
        request,
        "cohorts/team.html",
        {"form": form, "roles": roles, "coaches_form": _coaches_form(cohort)},
    )


def _coaches_form(cohort, data=None):
    """The coach of each open community, chosen among the staff (a fixed number of
    queries however many communities)."""
    staff = coaches.staff_users(cohort)
    first = coaches.first_staff_ids([cohort.pk]).get(cohort.pk)
    default = next((user for user in staff if user.pk == first), None)
    communities = cohort.communities.active().order_by("name")
    return CoachesForm(data, communities=communities, staff=staff, default=default)


@require_POST
@cohort_view("cohort.manage")
def team_coaches(request, access):
    form = _coaches_form(access.cohort, request.POST)
    if form.is_valid():
        try:
            changed = coaches.assign_coaches(
                access.cohort, actor=request.user, coaches=form.cleaned_data["coaches"]
            )
        except ServiceError as error:
            show_error(request, error)
        else:
            messages.success(
                request,
                ngettext("%(n)d coach changed.", "%(n)d coaches changed.", changed)
                % {"n": changed},
            )
    else:
        messages.error(request, _("Choose a staff member of this cohort for each community."))
    return redirect(
        reverse("cohorts:team", kwargs={"cohort_slug": access.cohort.slug}) + "#coaches"
    )


@require_POST
@cohort_view("cohort.manage")
def team_remove(request, access, role_id):
    cohort_role = get_object_or_404(access.cohort.roles.select_related("user"), public_id=role_id)
    try:
        services.remove_team_member(access.cohort, actor=request.user, cohort_role=cohort_role)
    except ServiceError as error:
        show_error(request, error)
    else:
        messages.success(
            request, _("%(email)s no longer has a role here.") % {"email": cohort_role.user.email}
        )
    return redirect("cohorts:team", cohort_slug=access.cohort.slug)


@cohort_view("cohort.manage")
def topic_list(request, access):
    cohort = access.cohort
    form = TopicForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        topic = services.save_topic(cohort, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Topic “%(name)s” added.") % {"name": topic.name})
        return redirect("cohorts:topic-list", cohort_slug=cohort.slug)
    topics = cohort.topics.annotate(
        community_count=Count("communities", filter=Q(communities__archived_at__isnull=True))
    ).order_by("name")
    return render(request, "cohorts/topic_list.html", {"form": form, "topics": topics})


@cohort_view("cohort.manage")
@transaction.atomic
def topic_edit(request, access, topic_slug):
    cohort = access.cohort
    topic = get_object_or_404(cohort.topics, slug=topic_slug)
    form = TopicForm(request.POST or None, instance=topic, cohort=cohort)
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, topic):
        services.save_topic(cohort, actor=request.user, topic=topic, **form.cleaned_data)
        messages.success(request, _("Topic saved."))
        return redirect("cohorts:topic-list", cohort_slug=cohort.slug)
    communities = topic.communities.active().order_by("name")
    return render(
        request,
        "cohorts/topic_edit.html",
        {"form": form, "topic": topic, "communities": communities},
    )


@require_POST
@cohort_view("cohort.manage")
def topic_delete(request, access, topic_slug):
    topic = get_object_or_404(access.cohort.topics, slug=topic_slug)
    services.delete_topic(topic, actor=request.user)
    messages.success(request, _("Topic “%(name)s” deleted.") % {"name": topic.name})
    return redirect("cohorts:topic-list", cohort_slug=access.cohort.slug)


@cohort_view("cohort.manage")
@transaction.atomic
def organization_edit(request, access, organization_id):
    cohort = access.cohort
    organization = get_object_or_404(cohort.organizations, public_id=organization_id)
    form = OrganizationForm(request.POST or None, instance=organization, cohort=cohort)
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, organization):
        try:
            services.update_organization(organization, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": organization.name})
            return redirect("cohorts:organization-list", cohort_slug=cohort.slug)
    participants = organization.participants.order_by("name")
    return render(
        request,
        "cohorts/organization_edit.html",
        {"form": form, "organization": organization, "participants": participants},
    )


@cohort_view("cohort.manage")
def organization_list(request, access):
    query = request.GET.get("q", "").strip()
    organizations = access.cohort.organizations.annotate(
        participant_count=Count("participants")
    ).order_by("name")
    if query:
        organizations = organizations.filter(
            Q(name__icontains=query)
            | Q(city__icontains=query)
            | Q(state__iexact=query)
            | Q(kind__icontains=query)
        )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cohorts/organization_list.html", {"page": page, "query": query})


@cohort_view("cohort.profile")
def my_profile(request, access):
    participant = access.participant
    form = ProfileForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        services.update_profile(participant, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("home")
    memberships = participant.memberships.select_related("community__cohort").filter(
        community__archived_at__isnull=True
    )
    return render(request, "cohorts/my_profile.html", {"form": form, "memberships": memberships})
