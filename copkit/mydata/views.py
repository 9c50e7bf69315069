"""Your own data (from the account menu): download it all as one ZIP, or delete your account
after typing your email address. Each acts on the logged-in person only: nobody, staff
included, can download or delete someone else's."""

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from copkit.mydata import services


class DeleteAccountForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Type your email address to confirm"),
        help_text=gettext_lazy("The address you log in with."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        typed = self.cleaned_data["email"].strip()
        if typed.lower() != self.user.email.lower():
            raise forms.ValidationError(_("That is not the address of your account."))
        return typed


@login_required
def my_data(request):
    return render(
        request, "copkit/mydata/page.html", {"form": DeleteAccountForm(user=request.user)}
    )


@login_required
def my_data_download(request):
    response = HttpResponse(services.own_data_zip(request.user), content_type="application/zip")
    name = f"my-copkit-data-{timezone.now():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        services.delete_account(user, typed_email=form.cleaned_data["email"])
        logout(request)
        return render(request, "copkit/mydata/deleted.html")
    return render(request, "copkit/mydata/delete.html", {"form": form})
