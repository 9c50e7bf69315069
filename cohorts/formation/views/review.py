"""Formation rounds, staff side: running the engine, the review page (moves, locks, group
names, CSV upload) and publishing the groups as communities.

The review page shows one proposal of a round: the newest is editable until the round is
published, older ones (`?proposal=N`) are read-only. Its swappable part, the board
(`_board.html`: scores, map, groups, locks, publish), is what every edit returns to an htmx
request; without JavaScript the same forms post and come back to the page. A refusal
(a move that breaks a lock, a name already taken, ...) shows in the board and changes
nothing. Every figure of the board comes from a fixed number of queries.
"""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from cohorts.formation.board import (
    _newest,
    _pick_proposal,
    _proposals,
    _review_url,
    _unit,
    board_context,
)
from cohorts.formation.forms.board import (
    NEW_GROUP,
    LeadersForm,
    LockForm,
    MoveForm,
    RenameForm,
    UploadForm,
)
from cohorts.formation.services import csv_upload, proposals, publishing, runs
from cohorts.formation.services.csv_upload import CsvErrors
from cohorts.formation.views.rounds import get_round
from cohorts.models import (
    FormationLock,
    FormationRound,
    ProposedGroup,
)
from copkit import csvfile
from copkit.errors import ServiceError, show_error


def _back(request, access, formation_round):
    return redirect(_review_url(access, formation_round, unit=_unit(request, access.cohort)))


def _render_board(request, access, formation_round, *, status=200, **extra):
    """The board (htmx) or the whole page (a post without JavaScript that went wrong)."""
    if not request.htmx:
        return _render_review(request, access, formation_round, status=status, **extra)
    newest = _newest(formation_round)
    context = board_context(
        request,
        access,
        formation_round,
        newest,
        newest=newest,
        unit=_unit(request, access.cohort),
        **extra,
    )
    context["oob"] = True  # the header's "Proposal N · edited ..." line comes along
    return render(request, "cohorts/formation/_board.html", context, status=status)


def _render_review(request, access, formation_round, *, status=200, **extra):
    every_proposal = _proposals(formation_round)
    proposal = _pick_proposal(request, every_proposal) if request.method == "GET" else None
    if proposal is None and every_proposal:
        proposal = every_proposal[0]
    newest = every_proposal[0] if every_proposal else None
    context = board_context(
        request,
        access,
        formation_round,
        proposal,
        newest=newest,
        unit=_unit(request, access.cohort),
        **extra,
    )
    context["proposals"] = every_proposal
    context["running"] = proposals.is_running(formation_round)
    context["run_error"] = formation_round.run_error or {}
    return render(request, "cohorts/formation/review.html", context, status=status)


def _done(request, access, formation_round, message, *, announce=""):
    """After an edit: the fresh board (htmx), or back to the page with a message."""
    if request.htmx:
        return _render_board(request, access, formation_round, announce=announce or message)
    messages.success(request, message)
    return _back(request, access, formation_round)


# -- views ------------------------------------------------------------------------------


@require_POST
@cohort_view("cohort.manage")
def run(request, access, round_id):
    formation_round = get_round(access, round_id)
    try:
        proposal = runs.run_round(formation_round, actor=request.user)
    except ServiceError as error:
        show_error(request, error)
        return _back(request, access, formation_round)
    if proposal is None:
        messages.info(
            request,
            _("copkit is forming the groups. This page shows how far it has got."),
        )
    else:
        messages.success(
            request,
            _("New groups are ready: proposal %(number)s.") % {"number": proposal.number},
        )
    return _back(request, access, formation_round)


@cohort_view("cohort.manage")
def progress(request, access, round_id):
    """The progress bar the review page polls while a round runs in the background; once it
    is done, the page reloads itself (`HX-Refresh`)."""
    formation_round = get_round(access, round_id)
    state = formation_round.run_state
    context = {
        "access": access,
        "round": formation_round,
        "running": proposals.is_running(formation_round),
        "stale": state in proposals.RUNNING and not proposals.is_running(formation_round),
        "failed": state == FormationRound.RunState.FAILED,
        "run_error": formation_round.run_error or {},
        "review_url": _review_url(access, formation_round, unit=_unit(request, access.cohort)),
    }
    response = render(request, "cohorts/formation/_progress.html", context)
    if request.htmx and state == FormationRound.RunState.IDLE:
        response["HX-Refresh"] = "true"
    return response


@cohort_view("cohort.manage")
def review(request, access, round_id):
    formation_round = get_round(access, round_id)
    return _render_review(request, access, formation_round)


@require_POST
@cohort_view("cohort.manage")
def move(request, access, round_id):
    formation_round = get_round(access, round_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        error = " ".join(e for errors in form.errors.values() for e in errors)
        return _render_board(request, access, formation_round, board_error=error)
    try:
        proposal = proposals.editable_proposal(formation_round)
        member = (
            proposal.members.select_related("participant", "group")
            .filter(participant__public_id=form.cleaned_data["participant"])
            .first()
        )
        if member is None:
            raise ServiceError(_("That person is not in these groups. Reload the page."))
        target = form.cleaned_data["group"]
        with transaction.atomic():
            if target == NEW_GROUP:
                group = proposals.add_group(proposal, actor=request.user)
            else:
                group = proposal.groups.filter(public_id=target).first()
                if group is None:
                    raise ServiceError(_("That group is not in these groups. Reload the page."))
            proposals.move_member(proposal, member.participant, group, actor=request.user)
    except ServiceError as error:
        return _render_board(request, access, formation_round, board_error=str(error))
    message = _("%(name)s moved to %(group)s.") % {
        "name": member.participant.name,
        "group": group.name,
    }
    return _done(request, access, formation_round, message)


@require_POST
@cohort_view("cohort.manage")
def group_add(request, access, round_id):
    formation_round = get_round(access, round_id)
    try:
        proposal = proposals.editable_proposal(formation_round)
        group = proposals.add_group(proposal, actor=request.user)
    except ServiceError as error:
        if request.htmx:
            return _render_board(request, access, formation_round, board_error=str(error))
        show_error(request, error)
        return _back(request, access, formation_round)
    return _done(request, access, formation_round, _("Added %(group)s.") % {"group": group.name})


@require_POST
@cohort_view("cohort.manage")
def group_rename(request, access, round_id, group_id):
    formation_round = get_round(access, round_id)
    group = get_object_or_404(
        ProposedGroup.objects.select_related("proposal"),
        proposal__round=formation_round,
        public_id=group_id,
    )
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            proposals.editable_proposal(formation_round)  # not while the engine is at work
            old_name = group.name
            proposals.rename_group(group, form.cleaned_data["name"], actor=request.user)
        except ServiceError as error:
            form.add_error("name", str(error))
        else:
            message = _("Renamed %(old)s to %(new)s.") % {
                "old": old_name,
                "new": form.cleaned_data["name"],
            }
            return _done(request, access, formation_round, message)
    return _render_board(
        request,
        access,
        formation_round,
        rename_forms={group.pk: form},
        announce=_("The name was not changed."),
    )


@require_POST
@cohort_view("cohort.manage")
def group_leaders(request, access, round_id, group_id):
    formation_round = get_round(access, round_id)
    group = get_object_or_404(
        ProposedGroup.objects.select_related("proposal"),
        proposal__round=formation_round,
        public_id=group_id,
    )
    members = [m.participant for m in group.members.select_related("participant")]
    form = LeadersForm(request.POST, members=members)
    error = _("Choose the leaders from the people in the group.")
    if form.is_valid():
        leader, co_leader = form.cleaned_data["leader"], form.cleaned_data["co_leader"]
        try:
            proposals.editable_proposal(formation_round)  # not while the engine is at work
            proposals.set_group_leaders(group, leader, co_leader, actor=request.user)
        except ServiceError as refusal:
            error = str(refusal)
        else:
            group.refresh_from_db(fields=["leader", "co_leader"])
            names = [p.name for p in (group.leader, group.co_leader) if p is not None]
            message = (
                _("%(group)s will be led by %(names)s.")
                % {"group": group.name, "names": " and ".join(names)}
                if names
                else _("%(group)s has no leader chosen.") % {"group": group.name}
            )
            return _done(request, access, formation_round, message)
    if not request.htmx:
        messages.error(request, error)
        return _back(request, access, formation_round)
    return _render_board(
        request, access, formation_round, board_error=error, announce=_("Nothing was changed.")
    )


@require_POST
@cohort_view("cohort.manage")
def lock_add(request, access, round_id):
    formation_round = get_round(access, round_id)
    people = [
        e.participant for e in formation_round.entries.select_related("participant__organization")
    ]
    form = LockForm(request.POST, people=people)
    if form.is_valid():
        first, second = form.pair()
        kind = form.cleaned_data["kind"]
        try:
            lock = proposals.add_lock(formation_round, first, second, kind, actor=request.user)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            together = kind == FormationLock.Kind.TOGETHER
            text = (
                _("%(first)s and %(second)s are locked together.")
                if together
                else _("%(first)s and %(second)s are locked apart.")
            )
            if lock in proposals.unmet_locks(formation_round):
                text += " " + (
                    _(
                        "They are in different groups now: move one of them, or form the "
                        "groups again."
                    )
                    if together
                    else _("They share a group now: move one of them, or form the groups again.")
                )
            message = text % {"first": first.name, "second": second.name}
            return _done(request, access, formation_round, message)
    return _render_board(
        request,
        access,
        formation_round,
        lock_form=form,
        announce=_("The lock was not added."),
    )


@require_POST
@cohort_view("cohort.manage")
def lock_delete(request, access, round_id, lock_id):
    formation_round = get_round(access, round_id)
    lock = get_object_or_404(
        formation_round.locks.select_related("first", "second"), public_id=lock_id
    )
    try:
        proposals.remove_lock(lock, actor=request.user)
    except ServiceError as error:
        if request.htmx:
            return _render_board(request, access, formation_round, board_error=str(error))
        show_error(request, error)
        return _back(request, access, formation_round)
    message = _("Removed the lock on %(first)s and %(second)s.") % {
        "first": lock.first.name,
        "second": lock.second.name,
    }
    return _done(request, access, formation_round, message)


def _groups_csv(formation_round):
    """The newest proposal's groups as the CSV the upload takes (name, email, group)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="groups.csv"'
    writer = csvfile.writer(response)
    writer.writerow(["name", "email", "group"])
    newest = _newest(formation_round)
    if newest is not None:
        members = newest.members.select_related("participant", "group").order_by(
            "group__position", "group__label", "participant__name"
        )
        for member in members:
            writer.writerow([member.participant.name, member.participant.email, member.group.name])
    return response


@cohort_view("cohort.manage")
def upload(request, access, round_id):
    formation_round = get_round(access, round_id)
    if request.method == "GET" and request.GET.get("download") == "csv":
        return _groups_csv(formation_round)
    form = UploadForm()
    csv_rows = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                proposal = csv_upload.import_csv(
                    formation_round, form.cleaned_data["file"], actor=request.user
                )
            except CsvErrors as error:
                show_error(request, error, form)
                csv_rows = error.rows
            except ServiceError as error:
                form.add_error("file", str(error))
            else:
                messages.success(
                    request,
                    _("The groups from your file are proposal %(number)s.")
                    % {"number": proposal.number},
                )
                return _back(request, access, formation_round)
    context = {
        "access": access,
        "round": formation_round,
        "form": form,
        "csv_rows": csv_rows,
        "review_url": _review_url(access, formation_round),
    }
    return render(request, "cohorts/formation/upload.html", context)


@require_POST
@cohort_view("cohort.manage")
def publish(request, access, round_id):
    formation_round = get_round(access, round_id)
    if not request.POST.get("confirm"):
        messages.error(
            request,
            _("Tick “I have checked the groups” before publishing them."),
        )
        return redirect(
            _review_url(access, formation_round, unit=_unit(request, access.cohort)) + "#publish"
        )
    try:
        publishing.publish(formation_round, actor=request.user)
    except ServiceError as error:
        show_error(request, error)
        return _back(request, access, formation_round)
    messages.success(
        request,
        _("The groups of “%(round)s” are now communities, and their members have been told.")
        % {"round": formation_round.name},
    )
    return redirect("cohorts:community-list", access.cohort.slug)
