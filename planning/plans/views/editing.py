"""A community's action plan: the overview of its parts, a page per part edited with
autosave, and the cohort's template of prompts.

A part's page posts its whole form to `plan_part` (the Save button; works without
JavaScript, then redirects) and, as the person types, to `plan_part_save` with htmx, whose
reply is the small "Saved at ..." status plus the part's new revision (an out-of-band swap),
so the next autosave starts from it. A save that started from an old revision is refused by
the service (PartConflict) and the person sees both versions side by side.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.concurrency import EditConflict
from copkit.errors import ServiceError, show_error
from planning.models import ActionPlan
from planning.plans.forms import PartForm, WordingForm
from planning.plans.kinds import ACTION, get_kind
from planning.plans.parts import DEFAULT_AGENDA, GOAL_QUESTIONS, as_text
from planning.plans.services import plans as services
from planning.plans.services.review import comments_for


def _part_or_404(kind, key):
    part = kind.part(key)
    if part is None:
        raise Http404("No such part of the plan")
    return part


def _part_url(access, part, kind=ACTION):
    return reverse(
        kind.url_name("plan-part"),
        kwargs={
            "cohort_slug": access.cohort.slug,
            "community_slug": access.community.slug,
            "part_key": part.key,
        },
    )


def _neighbours(part, kind=ACTION):
    parts = kind.parts
    index = parts.index(part)
    previous = parts[index - 1] if index > 0 else None
    following = parts[index + 1] if index + 1 < len(parts) else None
    return index + 1, previous, following


def _top_needs(community):
    return list(community.common_needs.filter(chosen_rank__isnull=False).order_by("chosen_rank"))


def _may_edit(access):
    return access.can("community.lead")


def _editable(access, plan):
    """Whether this person may change the plan now: a leader or staff, on a plan that is
    not frozen for review, of a community that is not archived."""
    return _may_edit(access) and not services.is_locked(plan) and not access.community.is_archived


def _read_only_reason(access, plan):
    if not _may_edit(access):
        return ""
    if access.community.is_archived:
        return _("This community is archived: its plan can be read but not changed.")
    if services.is_locked(plan):
        return services.locked_message(plan)
    return ""


# -- the overview -----------------------------------------------------------------------------


@cohort_view("community.members")
def plan(request, access, kind=ACTION.key):
    kind = get_kind(kind)
    community = access.community
    plan = services.get_plan(community, kind.key)
    rows = services.progress(plan)
    done = sum(1 for row in rows if row.done)
    comment_counts = dict(
        plan.comments.exclude(part_key="")
        .values("part_key")
        .annotate(n=Count("pk"))
        .values_list("part_key", "n")
    )
    parts = [
        {
            "number": number,
            "row": row,
            "comments": comment_counts.get(row.part.key, 0),
        }
        for number, row in enumerate(rows, start=1)
    ]
    status = plan.status
    can_lead = _may_edit(access)
    context = {
        "kind": kind,
        "community": community,
        "plan": plan,
        "parts": parts,
        "done": done,
        "total": len(rows),
        "all_done": done == len(rows),
        "top_needs": _top_needs(community),
        "can_lead": can_lead,
        "editable": _editable(access, plan),
        "read_only_reason": _read_only_reason(access, plan),
        "can_submit": can_lead
        and not community.is_archived
        and status in (ActionPlan.Status.DRAFT, ActionPlan.Status.RETURNED),
        "can_review": access.is_staff and status == ActionPlan.Status.SUBMITTED,
        "missing": [p for p in parts if not p["row"].done],
        "last_version": plan.versions.select_related("reviewed_by").order_by("-number").first(),
    }
    return render(request, "planning/plans/plan.html", context)


# -- a part -----------------------------------------------------------------------------------


def _stored(plan, part):
    return plan.parts.select_related("updated_by").filter(key=part.key).first()


def _render_part(request, access, plan, part, *, form=None, status=200):
    kind = get_kind(plan.kind)
    community = access.community
    stored = _stored(plan, part)
    data = stored.data if stored else {}
    members = services.members(community)
    names = dict(members)
    editable = _editable(access, plan)
    if editable and form is None:
        form = PartForm(
            part, members, stored=data, initial={"revision": stored.revision if stored else 0}
        )
        if part.key == "agenda" and not data.get("agenda"):
            form.initial["agenda"] = str(DEFAULT_AGENDA)
    number, previous, following = _neighbours(part, kind)
    context = {
        "kind": kind,
        "community": community,
        "plan": plan,
        "part": part,
        "number": number,
        "total": len(kind.parts),
        "wording": services.wording(access.cohort, part),
        "previous": previous,
        "next": following,
        "stored": stored,
        "answer": as_text(part, data, names),
        "editable": editable,
        "read_only_reason": _read_only_reason(access, plan),
        "form": form if editable else None,
        "errors": form.error_list() if editable and form.is_bound else [],
        "comments": comments_for(plan, part_key=part.key),
        "part_url": _part_url(access, part, kind),
    }
    if part.key == "goals":
        context["goal_questions"] = GOAL_QUESTIONS
        context["top_needs"] = _top_needs(community)
    return render(request, "planning/plans/part.html", context, status=status)


def _render_conflict(request, access, plan, part, form, current):
    """Both versions side by side, and the person's own in the form again, now based on
    the current revision: saving it keeps theirs; reloading takes the other."""
    kind = get_kind(plan.kind)
    members = services.members(access.community)
    names = dict(members)
    data = request.POST.copy()
    data["revision"] = str(current.revision)
    again = PartForm(part, members, data, stored=current.data)
    again.is_valid()  # it was valid a moment ago; bound so it shows what they typed
    context = {
        "kind": kind,
        "community": access.community,
        "plan": plan,
        "part": part,
        "wording": services.wording(access.cohort, part),
        "current": current,
        "theirs": as_text(part, current.data, names),
        "yours": as_text(part, form.to_data(), names),
        "form": again,
        "part_url": _part_url(access, part, kind),
    }
    return render(request, "planning/plans/part_conflict.html", context, status=409)


def _save_page(request, access, plan, part):
    """The Save button (and any post without htmx): save, then back to the page with a
    message; the page again with messages next to the fields when something is wrong."""
    kind = get_kind(plan.kind)
    here = _part_url(access, part, kind)
    if "revision" not in request.POST:
        messages.error(request, _("Nothing was saved: the form was empty. Try again."))
        return redirect(here)
    if not _editable(access, plan):
        messages.error(request, _read_only_reason(access, plan))
        return redirect(here)
    stored = _stored(plan, part)
    form = PartForm(
        part, services.members(access.community), request.POST, stored=stored.data if stored else {}
    )
    if not form.is_valid():
        messages.error(request, _("Not saved yet: please check the answers marked below."))
        return _render_part(request, access, plan, part, form=form)
    try:
        services.save_part(
            plan,
            part.key,
            form.to_data(),
            base_revision=form.cleaned_data["revision"],
            actor=request.user,
        )
    except services.PartConflict as conflict:
        return _render_conflict(request, access, plan, part, form, conflict.current)
    except ServiceError as error:
        show_error(request, error)
        return redirect(here)
    title = services.wording(access.cohort, part)["title"]
    messages.success(request, _("Saved “%(title)s”.") % {"title": title})
    _number, _previous, following = _neighbours(part, kind)
    if request.POST.get("action") == "next" and following is not None:
        return redirect(_part_url(access, following, kind))
    if request.POST.get("action") == "overview":
        return redirect(kind.url_name("plan"), access.cohort.slug, access.community.slug)
    return redirect(here)


@cohort_view("community.members")
def plan_part(request, access, part_key, kind=ACTION.key):
    kind = get_kind(kind)
    part = _part_or_404(kind, part_key)
    plan = services.get_plan(access.community, kind.key)
    if request.method == "POST":
        if not _may_edit(access):
            raise PermissionDenied
        return _save_page(request, access, plan, part)
    return _render_part(request, access, plan, part)


def _status(request, **context):
    return render(request, "planning/plans/_part_status.html", context)


@require_POST
@cohort_view("community.lead")
def plan_part_save(request, access, part_key, kind=ACTION.key):
    """Autosave (htmx): the reply is the status line and the new revision."""
    kind = get_kind(kind)
    part = _part_or_404(kind, part_key)
    plan = services.get_plan(access.community, kind.key)
    if not request.htmx:
        return _save_page(request, access, plan, part)
    if "revision" not in request.POST:
        return _status(request, state="error", message=_("Nothing to save."))
    if not _editable(access, plan):
        return _status(request, state="error", message=_read_only_reason(access, plan))
    stored = _stored(plan, part)
    form = PartForm(
        part, services.members(access.community), request.POST, stored=stored.data if stored else {}
    )
    if not form.is_valid():
        return _status(request, state="invalid", errors=form.error_list())
    try:
        saved = services.save_part(
            plan,
            part.key,
            form.to_data(),
            base_revision=form.cleaned_data["revision"],
            actor=request.user,
        )
    except services.PartConflict as conflict:
        return _status(request, state="conflict", current=conflict.current)
    except ServiceError as error:
        return _status(request, state="error", message=str(error))
    return _status(request, state="saved", saved=saved)


# -- the cohort's template ----------------------------------------------------------------------


@cohort_view("cohort.manage")
def plan_template(request, access, kind=ACTION.key):
    kind = get_kind(kind)
    overrides = services.template_overrides(access.cohort)
    parts = [
        {
            "number": number,
            "part": part,
            "wording": services.wording(access.cohort, part, overrides),
            "edited": services.is_reworded(part, overrides),
        }
        for number, part in enumerate(kind.parts, start=1)
    ]
    return render(
        request,
        "planning/plans/template.html",
        {"kind": kind, "parts": parts, "edited": sum(1 for p in parts if p["edited"])},
    )


@cohort_view("cohort.manage")
def plan_template_part(request, access, part_key, kind=ACTION.key):
    kind = get_kind(kind)
    part = _part_or_404(kind, part_key)
    cohort = access.cohort
    overrides = services.template_overrides(cohort)
    current = services.wording(cohort, part, overrides)
    if request.method == "POST":
        reset = request.POST.get("action") == "reset"
        form = WordingForm(part, {} if reset else request.POST, stored=current)
        if form.is_valid():
            try:
                services.save_wording(
                    cohort,
                    part.key,
                    actor=request.user,
                    unchanged_since=form.stored_fingerprint,
                    kind=kind.key,
                    **form.cleaned_data,
                )
            except EditConflict as conflict:
                form.show_conflict(conflict)
            except ServiceError as error:
                show_error(request, error, form)
            else:
                if reset:
                    messages.success(
                        request,
                        _("“%(title)s” uses copkit's wording again.") % {"title": part.title},
                    )
                else:
                    messages.success(request, _("The wording of this part is saved."))
                return redirect(kind.url_name("plan-template"), cohort.slug)
        messages.error(request, _("The wording was not saved. Check the form below."))
    else:
        form = WordingForm(part, initial=current, stored=current)
    number, _previous, _following = _neighbours(part, kind)
    return render(
        request,
        "planning/plans/template_part.html",
        {
            "kind": kind,
            "part": part,
            "number": number,
            "form": form,
            "wording": current,
            "edited": services.is_reworded(part, overrides),
        },
    )
