"""What the workspace's pages share: fetching a thread, reply or file through the community
in the URL, and the help texts shown beside the forms."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from planning.workspace import files, mentions
from planning.workspace.models import Thread


def sees_hidden(access):
    return access.can("community.lead")


def get_thread(access, thread_id):
    rows = access.community.workspace_threads.select_related("author", "hidden_by")
    thread = get_object_or_404(rows, public_id=thread_id)
    if thread.is_hidden and not sees_hidden(access) and thread.author_id != access.user.pk:
        raise Http404("No such thread")  # hidden from the members
    return thread


def get_reply(thread, reply_id):
    return get_object_or_404(thread.replies.select_related("author"), public_id=reply_id)


def visible_files(access):
    """The community's files this person may see: for a member, not those attached to a
    thread a leader hid (unless it is their own)."""
    rows = access.community.workspace_files.select_related("uploaded_by")
    if sees_hidden(access):
        return rows
    hidden = access.community.workspace_threads.filter(hidden_at__isnull=False).exclude(
        author=access.user
    )
    return rows.exclude(
        content_type=ContentType.objects.get_for_model(Thread),
        object_id__in=hidden.values("pk"),
    )


def get_file(access, file_id):
    return get_object_or_404(visible_files(access), public_id=file_id)


def mentioning(community):
    """For a form's message box: the help text naming who can be mentioned, and their names
    (the page's script shows, as you type, whom the post will email)."""
    names = [person.name for person in mentions.members(community)]
    if not names:
        return {"mention_help": "", "mention_names": []}
    help_text = _(
        "To make sure someone sees it, write @ and their full name; they get an email. "
        "Members: %(names)s."
    ) % {"names": ", ".join(f"@{name}" for name in names)}
    return {"mention_help": help_text, "mention_names": names}


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
