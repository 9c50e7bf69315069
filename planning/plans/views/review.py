"""Submitting an action plan, its review by staff, versions and their differences, comments,
the staff list of plans, the printable plan and its PDF."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.models import ActionPlan
from planning.plans.forms import CommentForm, ReviewForm
from planning.plans.kinds import ACTION, get_kind
from planning.plans.pdf import plan_pdf as build_pdf
from planning.plans.services import overview
from planning.plans.services import plans as plan_services
from planning.plans.services import review as services

Status = ActionPlan.Status


def _url(name, access, kind=ACTION):
    return reverse(kind.url_name(name), args=[access.cohort.slug, access.community.slug])


def _existing_plan(access, kind=ACTION):
    return ActionPlan.objects.filter(community=access.community, kind=kind.key).first()


# -- versions and their differences -----------------------------------------------------------


def _version_label(value):
    if value == services.DRAFT:
        return _("the current draft")
    return _("version %(number)s") % {"number": value}


def _pick_pair(query, versions, plan):
    """The two snapshots to compare, as version numbers (str) or DRAFT: the ones asked for
    in ?a=&b= when both exist, else the default for where the plan stands (None, None when
    there is nothing to compare yet)."""
    known = {str(v.number) for v in versions} | {services.DRAFT}
    a, b = query.get("a", ""), query.get("b", "")
    if a in known and b in known and versions:
        return a, b
    if not versions:
        return None, None
    last = str(versions[-1].number)
    if plan.status in (Status.DRAFT, Status.RETURNED):
        return last, services.DRAFT  # what the leaders changed since they last submitted
    if len(versions) >= 2:
        return str(versions[-2].number), last  # what changed since the previous version
    return None, None


def _render_versions(request, access, *, kind=ACTION, plan=None, review_form=None, status=200):
    community, cohort = access.community, access.cohort
    plan = plan or plan_services.get_plan(community, kind.key)
    versions = list(plan.versions.select_related("submitted_by", "reviewed_by").order_by("number"))
    titles = services.part_titles(cohort, kind.key)
    a, b = _pick_pair(request.GET, versions, plan)
    diffs = None
    if a and b:
        texts = {str(v.number): v.texts for v in versions}
        if services.DRAFT in (a, b):
            texts[services.DRAFT] = services.current_texts(plan)
        diffs = services.compare(texts[a], texts[b], titles, kind.parts)
    pending = next((v for v in reversed(versions) if v.outcome == v.Outcome.PENDING), None)
    is_staff = access.can("community.manage")
    can_lead = access.can("community.lead")
    comments = services.comments_for(plan, titles=titles)
    choices = [(str(v.number), _("Version %(number)s") % {"number": v.number}) for v in versions]
    choices.append((services.DRAFT, _("Current draft")))
    context = {
        "kind": kind,
        "community": community,
        "plan": plan,
        "versions": list(reversed(versions)),
        "pending": pending,
        "a": a,
        "b": b,
        "a_label": _version_label(a) if a else "",
        "b_label": _version_label(b) if b else "",
        "choices": choices,
        "diffs": diffs,
        "changed_count": sum(1 for diff in diffs if diff.changed) if diffs else 0,
        "is_staff": is_staff,
        "can_lead": can_lead,
        "comments": comments,
        "comment_form": CommentForm(initial={"next": request.get_full_path()}),
    }
    if is_staff and plan.status == Status.SUBMITTED:
        context["review_form"] = review_form or ReviewForm()
    return render(request, "planning/plans/versions.html", context, status=status)


@cohort_view("community.members")
def plan_versions(request, access, kind=ACTION.key):
    return _render_versions(request, access, kind=get_kind(kind))


# -- submitting, reviewing, revising ------------------------------------------------------------


@require_POST
@cohort_view("community.lead")
@community_open
def plan_submit(request, access, kind=ACTION.key):
    """Submit the plan for review; with action=revise, reopen an approved (or returned)
    plan as a draft the leaders can change and submit again."""
    kind = get_kind(kind)
    plan = plan_services.get_plan(access.community, kind.key)
    if request.POST.get("action") == "revise":
        if plan_services.reopen(plan, request.user):
            messages.success(
                request,
                _("The plan is a draft again. Change what you need, then submit it again."),
            )
        else:
            messages.info(request, _("Only an approved or returned plan can be revised."))
        return redirect(_url("plan", access, kind))
    try:
        version = services.submit(plan, actor=request.user)
    except services.IncompletePlan as error:
        show_error(request, error)
        return redirect(_url("plan", access, kind))
    except ServiceError as error:
        show_error(request, error)
        return redirect(_url("plan-versions", access, kind))
    messages.success(
        request,
        _(
            "Version %(number)s of the plan is submitted. The TTA team has been told and "
            "will approve it or return it with comments; it can't be changed meanwhile."
        )
        % {"number": version.number},
    )
    return redirect(_url("plan", access, kind))


@require_POST
@cohort_view("community.manage")
@community_open
def plan_review(request, access, kind=ACTION.key):
    kind = get_kind(kind)
    plan = _existing_plan(access, kind)
    if plan is None or plan.status != Status.SUBMITTED:
        messages.error(request, _("Only a plan waiting for review can be approved or returned."))
        return redirect(_url("plan-versions", access, kind))
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The review was not saved. Check the form below."))
        return _render_versions(request, access, kind=kind, plan=plan, review_form=form)
    try:
        version = services.review(
            plan,
            actor=request.user,
            approve=form.cleaned_data["approve"],
            comment=form.cleaned_data["comment"],
        )
    except ServiceError as error:
        show_error(request, error)
        return redirect(_url("plan-versions", access, kind))
    if version.outcome == version.Outcome.APPROVED and kind.is_sunset:
        text = _(
            "Version %(number)s is approved. The leaders have been told, and the community "
            "now continues on its own."
        )
    elif version.outcome == version.Outcome.APPROVED:
        text = _("Version %(number)s is approved. The leaders have been told.")
    else:
        text = _("Version %(number)s is returned to the leaders with your comment.")
    messages.success(request, text % {"number": version.number})
    return redirect(_url("plan-versions", access, kind))


# -- comments ----------------------------------------------------------------------------------


def _safe_next(request, access, value, kind=ACTION):
    """`value` as a local path of this community's plan pages, or None."""
    if not value or not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(value)
    if not parts.path.startswith(_url("plan", access, kind)):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@require_POST
@cohort_view("community.members")
@community_open
def plan_comment(request, access, kind=ACTION.key):
    kind = get_kind(kind)
    form = CommentForm(request.POST, kind=kind)
    back = _safe_next(request, access, request.POST.get("next"), kind) or _url(
        "plan-versions", access, kind
    )
    if not form.is_valid():
        if "part_key" in form.errors:
            return HttpResponseBadRequest(_("There is no such part of the plan."))
        for error in form.errors.get("text", []):
            messages.error(request, error)
        return redirect(back)
    plan = plan_services.get_plan(access.community, kind.key)
    try:
        services.add_comment(
            plan,
            actor=request.user,
            text=form.cleaned_data["text"],
            part_key=form.cleaned_data["part_key"],
        )
    except ServiceError as error:
        show_error(request, error)
        return redirect(back)
    messages.success(request, _("Your comment is posted."))
    return redirect(f"{back}#comments")


# -- the staff list ----------------------------------------------------------------------------


@cohort_view("cohort.manage")
def plan_list(request, access, kind=ACTION.key):
    kind = get_kind(kind)
    rows = overview.plan_rows(access.cohort, kind.key)
    waiting = sum(1 for row in rows if row.state == Status.SUBMITTED)
    return render(
        request,
        "planning/plans/list.html",
        {"kind": kind, "rows": rows, "waiting": waiting, "total_parts": len(kind.parts)},
    )


# -- the whole plan: print page and PDF --------------------------------------------------------


@cohort_view("community.members")
def plan_print(request, access, kind=ACTION.key):
    kind = get_kind(kind)
    doc = overview.printable(_existing_plan(access, kind), access.community, kind.key)
    return render(
        request,
        "planning/plans/print.html",
        {"kind": kind, "doc": doc, "community": doc.community},
    )


@cohort_view("community.members")
def plan_pdf(request, access, kind=ACTION.key):
    kind = get_kind(kind)
    doc = overview.printable(_existing_plan(access, kind), access.community, kind.key)
    response = HttpResponse(build_pdf(doc), content_type="application/pdf")
    filename = f"{kind.file_prefix}-{access.community.slug}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
