"""Inviting participants (staff) and accepting an invitation (the invited person, by link)."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cohorts.access import cohort_view
from cohorts.forms.invitations import AcceptInvitationForm, InviteForm
from cohorts.models import Invitation
from cohorts.services import invitations as services
from cohorts.templatetags.zoned import without_stop
from copkit.errors import ServiceError, show_error

_STATUS = re.compile(r"^[\w-]{1,40}$")


def _back_to_list(request, access):
    """The participant list, keeping the `status` filter the person was looking at."""
    url = reverse("cohorts:participant-list", kwargs={"cohort_slug": access.cohort.slug})
    status = request.POST.get("status") or request.GET.get("status") or ""
    if _STATUS.match(status):
        url += "?" + urlencode({"status": status})
    return redirect(url)


@require_POST
@cohort_view("cohort.manage")
def invite(request, access):
    form = InviteForm(request.POST, cohort=access.cohort)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_list(request, access)
    counts = services.invite_participants(
        access.cohort, form.cleaned_data["to_invite"], request.user
    )
    if counts["invited"]:
        messages.success(
            request,
            ngettext(
                "Invitation on its way to %(count)d participant.",
                "Invitations on their way to %(count)d participants.",
                counts["invited"],
            )
            % {"count": counts["invited"]},
        )
    notes = []
    if counts["already_invited"]:
        notes.append(
            ngettext(
                "%(count)d was invited already (use Resend to send a new link).",
                "%(count)d were invited already (use Resend to send a new link).",
                counts["already_invited"],
            )
            % {"count": counts["already_invited"]}
        )
    if counts["already_joined"]:
        notes.append(
            ngettext(
                "%(count)d has joined already.",
                "%(count)d have joined already.",
                counts["already_joined"],
            )
            % {"count": counts["already_joined"]}
        )
    if notes:
        level = messages.INFO if counts["invited"] else messages.WARNING
        prefix = "" if counts["invited"] else _("Nobody new to invite.") + " "
        messages.add_message(request, level, prefix + " ".join(notes))
    elif not counts["invited"]:
        messages.info(request, _("Everyone has been invited already."))
    return _back_to_list(request, access)


@require_POST
@cohort_view("cohort.manage")
def invitation_resend(request, access, participant_id):
    participant = get_object_or_404(
        access.cohort.participants.select_related("invitation"), public_id=participant_id
    )
    invitation = getattr(participant, "invitation", None)
    if invitation is None:
        messages.error(
            request,
            _("%(name)s has not been invited yet: use Invite.") % {"name": participant.name},
        )
        return _back_to_list(request, access)
    try:
        services.resend_invitation(invitation, request.user)
    except ServiceError as error:
        show_error(request, error)
    else:
        messages.success(
            request,
            _(
                "A new invitation is on its way to %(name)s (%(email)s). "
                "The link in earlier invitations no longer works."
            )
            % {"name": participant.name, "email": participant.email},
        )
    return _back_to_list(request, access)


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    """The link in the invitation email. No login needed: the link is the proof."""
    invitation = (
        Invitation.objects.select_related("participant", "cohort", "invited_by")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation")
    context = {"invitation": invitation, "cohort": invitation.cohort}
    if invitation.accepted_at is not None or invitation.participant.user_id is not None:
        return render(request, "cohorts/invitation_used.html", context, status=410)
    if invitation.is_expired:
        return render(request, "cohorts/invitation_expired.html", context, status=410)

    if request.user.is_authenticated:
        return _accept_as_logged_in(request, invitation, context)

    if services.account_exists_for(invitation):
        messages.info(
            request,
            _(
                "You already have a copkit account with %(email)s. Log in, and you will "
                "come back here to join %(cohort)s."
            )
            % {"email": invitation.participant.email, "cohort": invitation.cohort.name},
        )
        login_url = reverse("account_login") + "?" + urlencode({"next": request.path})
        return redirect(login_url)

    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                invitation,
                form.cleaned_data["password1"],
                name=form.cleaned_data["name"],
            )
        except ServiceError as error:
            # Used, expired or taken by an account between the page and the click.
            show_error(request, error)
            return redirect(request.path)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return _welcome(request, invitation)
    context["form"] = form
    return render(request, "cohorts/accept_invitation.html", context)


def _accept_as_logged_in(request, invitation, context):
    email = invitation.participant.email
    if request.user.email.strip().lower() != email.strip().lower():
        return render(request, "cohorts/invitation_wrong_user.html", context)
    if request.method == "POST":
        try:
            services.accept_invitation(invitation, user=request.user)
        except ServiceError as error:
            show_error(request, error)
            return redirect(request.path)
        return _welcome(request, invitation)
    context["confirm_only"] = True
    return render(request, "cohorts/accept_invitation.html", context)


def _welcome(request, invitation):
    participant = invitation.participant
    # The home page shows the profile task only while the profile is incomplete.
    complete = participant.expertise and participant.format_preference
    text = (
        _("Welcome to %(cohort)s!")
        if complete
        else _("Welcome to %(cohort)s! Start by completing your profile.")
    )
    messages.success(request, text % {"cohort": without_stop(invitation.cohort.name)})
    return redirect("home")
