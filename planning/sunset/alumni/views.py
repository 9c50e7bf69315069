"""Pages of the alumni network: staff open a cohort's space; its members read the shared
knowledge, talk, and find each other in the directory; each person manages their own entry;
a COP's leaders record its groups on outside networks."""

import zoneinfo
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.sunset.alumni import forms, services
from planning.sunset.alumni.models import NetworkGroup

SHOWN = 50


def space_view(*, people=False):
    """Decorate a view taking (request, visitor, ...): the cohort's space and the user's
    standing in it (404 without one); with `people`, observers get 403 (names and words)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, cohort_slug, *args, **kwargs):
            if services.staff_before_opening(request.user, cohort_slug):
                return redirect("planning:alumni-open", cohort_slug=cohort_slug)
            visitor = services.visit(request.user, cohort_slug)
            if people and not visitor.sees_people:
                raise PermissionDenied
            timezone.activate(zoneinfo.ZoneInfo(visitor.space.cohort.time_zone))
            try:
                return view(request, visitor, *args, **kwargs)
            finally:
                timezone.deactivate()

        return wrapped

    return decorator


@cohort_view("cohort.manage")
def open_space(request, access):
    cohort = access.cohort
    existing = services.space_of(cohort)
    if existing is not None:
        return redirect("planning:alumni", cohort_slug=cohort.slug)
    form = forms.OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _space, sent = services.open_space(cohort, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request,
                _("The alumni space is open; %(n)s members are told by email.") % {"n": sent},
            )
            return redirect("planning:alumni", cohort_slug=cohort.slug)
    return render(request, "planning/sunset/alumni/open.html", {"cohort": cohort, "form": form})


@space_view()
def space(request, visitor):
    space = visitor.space
    context = {"cohort": space.cohort, "space": space, "visitor": visitor}
    if visitor.sees_people:
        search = forms.SearchForm(request.GET or None)
        words = search.data.get("q", "") if search.is_bound else ""
        items = services.knowledge_for(visitor, words)
        context.update(
            search=search,
            words=words,
            items=list(items[:SHOWN]),
            groups=list(services.groups_of_space(space)),
            threads=list(services.threads(space)[:5]),
            entry=services.entry_of(visitor),
        )
    else:
        context["knowledge_count"] = services.knowledge_count(space)
    return render(request, "planning/sunset/alumni/space.html", context)


@space_view(people=True)
def directory(request, visitor):
    search = forms.SearchForm(request.GET or None)
    words = search.data.get("q", "") if search.is_bound else ""
    rows = services.directory(visitor.space, words)
    return render(
        request,
        "planning/sunset/alumni/directory.html",
        {
            "cohort": visitor.space.cohort,
            "space": visitor.space,
            "search": search,
            "words": words,
            "entries": list(rows[:200]),
            "entry": services.entry_of(visitor),
        },
    )


def _entry_initial(visitor, entry):
    if entry is None:
        return {"listed": False, **services.suggestions_for(visitor)}
    initial = {"listed": True, "name": entry.name}
    for name in services.SHARED_FIELDS:
        initial[f"show_{name}"] = getattr(entry, f"show_{name}")
        initial[name] = getattr(entry, name)
    if not entry.email:
        initial["email"] = visitor.user.email
    return initial


@space_view(people=True)
def my_entry(request, visitor):
    entry = services.entry_of(visitor)
    form = forms.EntryForm(request.POST or None, initial=_entry_initial(visitor, entry))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_entry(visitor, **form.cleaned_data)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            if saved is None:
                messages.success(request, _("You are no longer in the alumni directory."))
            else:
                messages.success(request, _("Your directory entry is saved."))
            return redirect("planning:alumni-entry", cohort_slug=visitor.space.cohort.slug)
    return render(
        request,
        "planning/sunset/alumni/entry.html",
        {"cohort": visitor.space.cohort, "space": visitor.space, "form": form, "entry": entry},
    )


@space_view(people=True)
def discussion(request, visitor):
    form = forms.ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.start_thread(visitor, **form.cleaned_data)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            return redirect(
                "planning:alumni-thread",
                cohort_slug=visitor.space.cohort.slug,
                thread_id=row.public_id,
            )
    return render(
        request,
        "planning/sunset/alumni/discussion.html",
        {
            "cohort": visitor.space.cohort,
            "space": visitor.space,
            "form": form,
            "threads": list(services.threads(visitor.space)[:100]),
        },
    )


@space_view(people=True)
def thread(request, visitor, thread_id):
    row = get_object_or_404(
        visitor.space.threads.select_related("author"), public_id=thread_id, hidden_at=None
    )
    form = forms.ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply(visitor, row, **form.cleaned_data)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            return redirect(
                "planning:alumni-thread",
                cohort_slug=visitor.space.cohort.slug,
                thread_id=row.public_id,
            )
    replies = row.replies.filter(hidden_at=None).select_related("author")
    return render(
        request,
        "planning/sunset/alumni/thread.html",
        {
            "cohort": visitor.space.cohort,
            "space": visitor.space,
            "thread": row,
            "replies": list(replies),
            "form": form,
        },
    )


@cohort_view("community.members")
def groups(request, access):
    community = access.community
    can_edit = access.can("community.lead") and not community.is_archived
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_group(community, actor=request.user, **form.cleaned_data)
            except ServiceError as error:
                show_error(request, error, form)
            else:
                messages.success(request, _("The group is added."))
                return redirect(
                    "planning:network-groups",
                    cohort_slug=access.cohort.slug,
                    community_slug=community.slug,
                )
    return render(
        request,
        "planning/sunset/alumni/groups.html",
        {
            "cohort": access.cohort,
            "community": community,
            "groups": list(community.network_groups.all()),
            "form": form if can_edit else None,
        },
    )


@require_POST
@cohort_view("community.lead")
@community_open
def group_delete(request, access, group_id):
    row = get_object_or_404(
        NetworkGroup.objects.select_related("community__cohort"),
        community=access.community,
        public_id=group_id,
    )
    services.remove_group(row, actor=request.user)
    messages.success(request, _("The group is removed."))
    return redirect(
        "planning:network-groups",
        cohort_slug=access.cohort.slug,
        community_slug=access.community.slug,
    )
