"""The workspace's discussion: threads, replies, edits, deletion and hiding, and the emails
they cause, queued through the outbox in the post's own transaction (a post that rolls back
queues nothing).

Who is told, each person once per post (one outbox key per post and address):
- the people a post @mentions (kind `workspace_mention`),
- for a new thread, every other member of the COP (kind `workspace_post`),
- for a reply, the thread's author and those who replied before (kind `workspace_post`).
Each person's choice for the kind applies (at once, in a digest, or off): copkit.outbox.
Every email carries a personal reply link (planning.workspace.replylink).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.services.activity import record
from copkit import outbox
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.workspace import files, mentions, replylink
from planning.workspace.models import Reply, Thread

MAX_TITLE = 200
MAX_BODY = 10000


def clean_text(text, *, field, limit, empty):
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ServiceError(empty, field=field)
    if len(text) > limit:
        raise ServiceError(_("Keep it to %(n)d characters or fewer.") % {"n": limit}, field=field)
    return text


def _title(title):
    title = " ".join((title or "").replace("\x00", "").split())
    return clean_text(title, field="title", limit=MAX_TITLE, empty=_("Give the thread a title."))


def _body(body, empty):
    return clean_text(body, field="body", limit=MAX_BODY, empty=empty)


def author_name(user):
    if user is None:
        return _("Someone who left")
    return getattr(user, "name", "") or user.email


def start_thread(community, *, author, title, body, uploads=()):
    """A new thread (with its attached uploads), and the emails about it. Returns
    (thread, the Persons it mentions)."""
    refuse_if_archived(community)
    title = _title(title)
    body = _body(body, _("Write a message."))
    people = mentions.members(community)
    mentioned = mentions.find(body, people)
    for upload in uploads:
        files.check(upload)
    with files.removed_on_failure(), transaction.atomic():
        thread = Thread.objects.create(
            community=community,
            author=author,
            title=title,
            body=body,
            last_activity_at=timezone.now(),
        )
        for upload in uploads:
            files.attach(upload, to=thread, actor=author, community=community)
        record(community.cohort, author, "started a thread", community, title=title)
        others = [p for p in people if p.user_id is None or p.user_id != author.pk]
        _notify(thread, thread, author, mentioned, others, "workspace_thread")
    return thread, mentioned


def reply(thread, *, author, body, uploads=()):
    """A reply under `thread`, and the emails about it. Returns (reply, mentioned)."""
    refuse_if_archived(thread.community)
    body = _body(body, _("Write a reply."))
    mentioned = mentions.find(body, mentions.members(thread.community))
    for upload in uploads:
        files.check(upload)
    with files.removed_on_failure(), transaction.atomic():
        row = Reply.objects.create(thread=thread, author=author, body=body)
        Thread.objects.filter(pk=thread.pk).update(last_activity_at=row.created_at)
        for upload in uploads:
            files.attach(upload, to=thread, actor=author, community=thread.community)
        record(thread.community.cohort, author, "replied in a thread", thread.community)
        _notify(thread, row, author, mentioned, _thread_people(thread, row), "workspace_reply")
    return row, mentioned


def _thread_people(thread, row):
    """The thread's author and earlier repliers, as Persons."""
    users = {}
    if thread.author is not None:
        users[thread.author.pk] = thread.author
    for earlier in thread.replies.select_related("author").exclude(pk=row.pk):
        if earlier.author is not None:
            users.setdefault(earlier.author.pk, earlier.author)
    return [mentions.Person(author_name(u), u.email, u.pk) for u in users.values()]


def _notify(thread, post, author, mentioned, others, template):
    """Queue one email per person: a mention before anything else, never to the author,
    never twice to one address. Returns how many were queued."""
    url = settings.SITE_URL + thread.get_absolute_url()
    seen, messages = set(), []
    for kind, people, name in (
        ("workspace_mention", mentioned, "workspace_mention"),
        ("workspace_post", others, template),
    ):
        for person in people:
            address = (person.email or "").lower()
            if not address or address in seen or address == (author.email or "").lower():
                continue
            seen.add(address)
            messages.append(
                {
                    "key": f"workspace:{type(post).__name__.lower()}:{post.pk}:{address}",
                    "kind": kind,
                    "to_email": person.email,
                    "template": name,
                    "context": {
                        "name": person.name,
                        "thread": thread,
                        "post": post,
                        "author_name": author_name(author),
                        "community": thread.community,
                        "cohort": thread.community.cohort,
                        "thread_url": url,
                        "reply_url": replylink.url_for(thread, person.email),
                    },
                }
            )
    return outbox.enqueue_many(messages)


def _own(post, actor):
    if post.author_id is None or post.author_id != getattr(actor, "pk", None):
        raise ServiceError(_("Only the person who wrote this can change it."))


def _community(post):
    return post.community if isinstance(post, Thread) else post.thread.community


def edit(post, *, actor, body, title=None):
    """Change the author's own thread or reply. Returns the names of the fields changed.
    Editing tells nobody again: the mentions were told when it was posted."""
    _own(post, actor)
    community = _community(post)
    refuse_if_archived(community)
    values = {"body": _body(body, _("Write a message."))}
    if isinstance(post, Thread):
        values["title"] = _title(title)
    mentions.find(values["body"], mentions.members(community))  # an ambiguous name is refused
    changed = [name for name, value in values.items() if getattr(post, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(post, name, values[name])
    post.edited_at = timezone.now()
    post.save(update_fields=[*changed, "edited_at", "updated_at"])
    record(community.cohort, actor, "edited a post", community, fields=changed)
    return changed


@transaction.atomic
def delete(post, *, actor):
    """Remove the author's own reply, or own thread while nobody else has replied to it."""
    _own(post, actor)
    community = _community(post)
    refuse_if_archived(community)
    if isinstance(post, Thread):
        if post.replies.exclude(author_id=actor.pk).exists():
            raise ServiceError(
                _(
                    "Others have replied to this thread, so it stays. You can edit your "
                    "words, or ask a leader to hide it."
                )
            )
        files.delete_attached(post)
    post.delete()
    record(community.cohort, actor, "deleted a post", community)


@transaction.atomic
def set_hidden(post, *, actor, access, hidden):
    """A leader or staff hides a post from the members (or shows it again)."""
    if not access.can("community.lead"):
        raise ServiceError(_("Only the leaders and staff can hide a post."))
    community = _community(post)
    refuse_if_archived(community)
    if hidden == post.is_hidden:
        return False
    post.hidden_at = timezone.now() if hidden else None
    post.hidden_by = actor if hidden else None
    post.save(update_fields=["hidden_at", "hidden_by", "updated_at"])
    record(community.cohort, actor, "hid a post" if hidden else "showed a post", community)
    return True
