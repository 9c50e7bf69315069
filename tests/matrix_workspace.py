"""Permission matrix rows of the COP workspace (merged by tests/test_permissions.py).

The workspace is the COP's own: its members (leaders too) and the cohort's staff; observers
never read a person's words (403), another cohort gets 404. Editing and deleting a post is
its author's (here Pat, the participant); hiding one is for the leaders and staff. A file is
deleted by whoever shared it (Pat), the leaders or staff. Announcing to a COP is for its
leaders and staff, to every COP for staff; closing one on the home page is a member's.
The reply link of an email answers to the person it was sent to (Pat): anyone else logged in
is told it went to someone else (403). An empty upload re-renders the page with the error
beside the field (200)."""

from django.core.files.base import ContentFile
from django.urls import reverse

from planning.workspace import replylink
from planning.workspace.models import Announcement, Reply, Thread, WorkspaceFile
from tests.matrix_common import LEADERS, LOGIN, MEMBERS, STAFF_ONLY

AUTHOR = {**MEMBERS, "staff": 403, "leader": 403}
AUTHOR_POST = {**AUTHOR, "participant": 302}
LEADERS_POST = {**LEADERS, "staff": 302, "leader": 302}
SHARER_POST = {**MEMBERS, "staff": 302, "leader": 302, "participant": 302}
PARTICIPANTS_POST = {**MEMBERS, "staff": 403, "leader": 302, "participant": 302}
LINK = {
    "anonymous": LOGIN,
    "staff": 403,
    "observer": 403,
    "leader": 403,
    "participant": 302,
    "outsider": 403,
}

MATRIX = {
    "planning:workspace": ("get", MEMBERS),
    "planning:workspace-thread-create": ("get", MEMBERS),
    "planning:workspace-thread": ("get", MEMBERS),
    "planning:workspace-thread-edit": ("get", AUTHOR),
    "planning:workspace-thread-delete": ("post", AUTHOR_POST),
    "planning:workspace-thread-hide": ("post", LEADERS_POST),
    "planning:workspace-reply-edit": ("get", AUTHOR),
    "planning:workspace-reply-delete": ("post", AUTHOR_POST),
    "planning:workspace-reply-hide": ("post", LEADERS_POST),
    "planning:workspace-files": ("get", MEMBERS),
    "planning:workspace-upload": ("post", MEMBERS),
    "planning:workspace-file": ("get", MEMBERS),
    "planning:workspace-file-delete": ("post", SHARER_POST),
    "planning:workspace-announce": ("get", LEADERS),
    "planning:workspace-announce-all": ("get", STAFF_ONLY),
    "planning:announcement-dismiss": ("post", PARTICIPANTS_POST),
    "workspace-reply-link": ("get", LINK),
}

TEST = "test_workspace_pages.py::test_query_count_is_flat"
# The reply link only redirects (no page of its own); its count is pinned by the same test.
PINNED = {
    name: TEST
    for name, (method, expected) in MATRIX.items()
    if method == "get" and 200 in expected.values()
}

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def thread_of(world, author=None):
    return Thread.objects.create(
        community=world.community,
        author=author or world.participant,
        title="Who has run a board retreat?",
        body="We are planning our first one.",
    )


def reply_of(world, thread=None, author=None):
    return Reply.objects.create(
        thread=thread or thread_of(world),
        author=author or world.participant,
        body="We did, last spring.",
    )


def file_of(world, author=None, to=None):
    row = WorkspaceFile(
        community=world.community,
        uploaded_by=author or world.participant,
        title="Retreat agenda",
        name="retreat.pdf",
        kind="pdf",
        mime_type="application/pdf",
        size=len(PDF),
    )
    if to is not None:
        row.attached_to = to
    row.stored.save("retreat.pdf", ContentFile(PDF), save=False)
    row.save()
    return row


def announcement_of(world, community=True):
    return Announcement.objects.create(
        cohort=world.cohort,
        community=world.community if community else None,
        author=world.leader,
        title="No meeting next week",
        body="Enjoy the holiday.",
    )


def url_for(name, world):
    cohort, community = world.cohort.slug, world.community.slug
    rest = name.removeprefix("planning:")
    if rest == "workspace-reply-link":
        token = replylink.token_for(thread_of(world), world.participant.email)
        return reverse(name, kwargs={"token": token})
    if rest == "workspace-announce-all":
        return reverse(name, args=[cohort])
    if rest == "announcement-dismiss":
        return reverse(name, args=[cohort, announcement_of(world).public_id])
    if rest in {"workspace", "workspace-thread-create", "workspace-files", "workspace-upload"}:
        return reverse(name, args=[cohort, community])
    if rest == "workspace-announce":
        return reverse(name, args=[cohort, community])
    if rest.startswith("workspace-file"):
        return reverse(name, args=[cohort, community, file_of(world).public_id])
    if rest.startswith("workspace-reply-"):
        row = reply_of(world)
        return reverse(name, args=[cohort, community, row.thread.public_id, row.public_id])
    return reverse(name, args=[cohort, community, thread_of(world).public_id])
