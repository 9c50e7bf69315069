"""What the workspace's pages share: fetching a thread, reply or file through the community
in the URL, and the help texts shown beside the forms."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from planning.workspace import files, mentions


def sees_hidden(access):
    return access.can("community.lead")


def get_thread(access, thread_id):
    rows = access.community.workspace_threads.select_related("author", "hidden_by")
    thread = get_object_or_404(rows, public_id=thread_id)
    if thread.is_hidden and not sees_hidden(access) and thread.author_id != access.user.pk:
        raise_404()
    return thread


def get_reply(thread, reply_id):
    return get_object_or_404(thread.replies.select_related("author"), public_id=reply_id)


def get_file(access, file_id):
    rows = access.community.workspace_files.select_related("uploaded_by")
    return get_object_or_404(rows, public_id=file_id)


def raise_404():
    from django.http import Http404

    raise Http404("No such thread")


def mention_help(community):
    names = [person.name for person in mentions.members(community)]
    if not names:
        return ""
    return _(
        "To make sure someone sees it, write @ and their full name; they get an email. "
        "Members: %(names)s."
    ) % {"names": ", ".join(f"@{name}" for name in names)}


def file_help():
    return files.accepted_list()


def context(access, **extra):
    return {
        "community": access.community,
        "cohort": access.cohort,
        "can_lead": access.can("community.lead"),
        "archived": access.community.is_archived,
        **extra,
    }
