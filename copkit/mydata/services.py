"""Collecting a person's own data into one ZIP, and deleting their account."""

import io
import json
import uuid
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from copkit import outbox
from copkit.mydata import sources

README = """Your data from copkit
=====================

data.json holds, cohort by cohort, what copkit keeps about you: your participant records,
your memberships, your answers to surveys, polls and inventories, check-ins you answered,
your posts, the files you shared, your knowledge items, and your attendance.
The files you shared are in files/.
"""


def collect(user):
    """{source name: data} and the files of every source, for `user`."""
    data, files = {}, []
    for source in sources():
        part, part_files = source.export(user)
        data[source.name] = part
        files += part_files
    return data, files


def own_data_zip(user):
    data, files = collect(user)
    document = {
        "account": {"email": user.email, "name": user.name, "joined": user.date_joined},
        "exported_at": timezone.now(),
        **data,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("README.txt", README)
        zipped.writestr(
            "data.json", json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
        for path, content in files:
            zipped.writestr(path, content)
    return buffer.getvalue()


class WrongEmail(Exception):
    pass


def delete_account(user, *, typed_email):
    """Delete `user`'s account, asked by that same person: every source forgets them, their
    login is disabled, and an email to their address confirms it (through the outbox, in the
    same transaction). `typed_email` must be their address."""
    if typed_email.strip().lower() != user.email.lower():
        raise WrongEmail
    address = user.email
    with transaction.atomic():
        for source in sources():
            source.forget(user)
        outbox.enqueue(
            key=f"account-deleted:{user.pk}:{uuid.uuid4().hex}",
            kind="account_deleted",
            to_email=address,
            template="account_deleted",
            context={},  # no name: the row outlives the account
            time_zone="UTC",
        )
        user.emailaddress_set.all().delete()
        user.email = f"deleted-{uuid.uuid4().hex}@deleted.invalid"
        user.name = ""
        user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
