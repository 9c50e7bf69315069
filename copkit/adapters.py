import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from copkit import outbox


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from invitations (participants) or an administrator (staff):
    there is no open sign-up page."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        """Queue allauth's emails (password reset, email confirmation, notices) in the
        outbox instead of sending them inside the request: a mail server that is down or
        slow then fails no page, and the answer to a reset request is the same whether the
        address has an account or not. allauth's own templates give the subject and the
        text (copkit adds no HTML versions of them); `emails/account_*` put that text in
        copkit's email layout."""
        request = allauth_context.request
        # What DefaultAccountAdapter.send_mail gives its templates.
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        name = template_prefix.rsplit("/", 1)[-1]
        outbox.enqueue(
            # Each of these is its own email (a fresh reset link, a fresh confirmation):
            # there is nothing to deduplicate.
            key=f"account:{name}:{uuid.uuid4().hex}",
            kind=f"account_{name}"[:50],
            to_email=email,
            template="account",
            context={"subject": message.subject, "body": message.body},
        )
