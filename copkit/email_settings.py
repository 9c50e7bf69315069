"""The email settings pages: one reached from the link in every email (no password: the
link's signed token names the address), one for the logged-in person's own address, and the
one-click unsubscribe that mail programs POST to (RFC 8058)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from copkit import kinds, preferences
from copkit.forms import EmailSettingsForm


def _settings_page(request, address, back):
    current = preferences.settings_for(address)
    form = EmailSettingsForm(
        request.POST or None,
        kinds=preferences.choices_of(address),
        initial_settings=current,
    )
    if request.method == "POST" and form.is_valid():
        preferences.save_preferences(
            address,
            deliveries=form.deliveries(),
            language=form.cleaned_data["language"],
            time_zone=form.cleaned_data["time_zone"],
        )
        messages.success(request, _("Your email settings are saved."))
        return redirect(back)
    required = [
        kind for kind in kinds.registered() if not kind.optional and kind is not kinds.DIGEST
    ]
    return render(
        request,
        "copkit/email_settings.html",
        {"form": form, "address": address, "required": required},
    )


def _address(token):
    address = preferences.address_from(token)
    if address is None:
        raise Http404("Not a settings link of this site")
    return address


def email_settings(request, token):
    """The settings of the address the token names: anyone holding the link (it came in
    that address's emails) may change them."""
    return _settings_page(request, _address(token), request.path)


@login_required
def my_email_settings(request):
    """The settings of the logged-in person's own address."""
    return _settings_page(request, request.user.email, request.path)


@csrf_exempt  # mail programs POST here without a form of ours (RFC 8058 one-click)
def email_unsubscribe(request, token, kind):
    """GET: a page with one button; POST (the button, or a mail program's one-click): turn
    the kind off. A GET changes nothing: link scanners open every link of an email."""
    address = _address(token)
    declared = kinds.get(kind)
    optional = declared is not None and declared.optional
    if request.method == "POST":
        names = preferences.unsubscribe(address, kind)
        labels = [str(kinds.get(name).label) for name in names]
        return render(
            request,
            "copkit/email_unsubscribed.html",
            {"address": address, "labels": labels, "token": token},
        )
    return render(
        request,
        "copkit/email_unsubscribe.html",
        {"address": address, "kind": declared if optional else None, "token": token},
    )
