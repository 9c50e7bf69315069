"""The reply link in a workspace email: /w/<token>/, where the token is signed by the site
(django.core.signing, its own salt) and names one thread and the address the email went to.

Opening it, a person who is not logged in logs in first and lands back on it; then, if they
are the one the email went to and may still read the thread, they land on the thread's reply
form. A changed or made-up token is a 404; a token older than WORKSPACE_REPLY_LINK_DAYS, or
opened by someone else, gets a page saying so. The link grants nothing by itself: the person
still logs in and the thread is still checked against their access.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "planning.workspace.reply-link"


def token_for(thread, email):
    return signing.dumps({"t": thread.public_id.hex, "e": email.lower()}, salt=SALT, compress=True)


def url_for(thread, email):
    return settings.SITE_URL + reverse(
        "workspace-reply-link", kwargs={"token": token_for(thread, email)}
    )


class Expired(Exception):
    pass


def read(token):
    """(thread public id hex, email) of a token; raises signing.BadSignature when it was
    not made here, Expired when it is too old."""
    max_age = settings.WORKSPACE_REPLY_LINK_DAYS * 24 * 3600
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise Expired from error
    if not isinstance(data, dict) or not isinstance(data.get("t"), str):
        raise signing.BadSignature("malformed")
    return data["t"], str(data.get("e", ""))
