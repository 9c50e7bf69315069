"""The leaders' circle's discussion: posts, replies, edits, and the email that tells the
other leaders about a new post (kind `circle_post`, through the outbox, in the post's
transaction: a post that rolls back queues nothing)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.services.activity import record
from copkit import outbox
from copkit.errors import ServiceError
from planning.models import CirclePost, CircleReply
from planning.support.services.convenings import leaders

MAX_TITLE = 200
MAX_BODY = 10000


def _clean(text, *, field, limit, empty):
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ServiceError(empty, field=field)
    if len(text) > limit:
        raise ServiceError(_("Keep it to %(n)d characters or fewer.") % {"n": limit}, field=field)
    return text


@transaction.atomic
def create_post(cohort, *, author, title, body):
    """A new post, and an email to every other leader of the cohort. Returns the post."""
    title = _clean(title, field="title", limit=MAX_TITLE, empty=_("Give the post a title."))
    body = _clean(body, field="body", limit=MAX_BODY, empty=_("Write a message."))
    now = timezone.now()
    post = CirclePost.objects.create(
        cohort=cohort, author=author, title=title, body=body, last_activity_at=now
    )
    record(cohort, author, "posted in the circle", cohort)
    notify_leaders(post)
    return post


def notify_leaders(post):
    """Queue one `circle_post` email per leader of the cohort other than the author.
    Returns how many were queued."""
    url = settings.SITE_URL + post.get_absolute_url()
    messages = [
        {
            "key": f"circle_post:{post.pk}:{person.pk}",
            "kind": "circle_post",
            "to_email": person.email,
            "template": "circle_post",
            "context": {
                "participant": person,
                "post": post,
                "author_name": _author_name(post.author),
                "cohort": post.cohort,
                "post_url": url,
            },
        }
        for person in leaders(post.cohort)
        if person.email and (post.author_id is None or person.user_id != post.author_id)
    ]
    return outbox.enqueue_many(messages)


def _author_name(user):
    if user is None:
        return _("Someone")
    return getattr(user, "name", "") or user.email


@transaction.atomic
def reply(post, *, author, body):
    """A reply under `post`, and an email to the post's author and to those who replied
    before (not to the one replying). Returns the reply."""
    body = _clean(body, field="body", limit=MAX_BODY, empty=_("Write a reply."))
    row = CircleReply.objects.create(post=post, author=author, body=body)
    CirclePost.objects.filter(pk=post.pk).update(last_activity_at=row.created_at)
    record(post.cohort, author, "replied in the circle", post.cohort)
    notify_thread(post, row)
    return row


def notify_thread(post, reply_row):
    """Queue one `circle_post` email about `reply_row` to each person in the thread (the
    post's author, earlier repliers) other than its author. Returns how many were queued."""
    people = {}
    if post.author is not None:
        people[post.author.pk] = post.author
    for earlier in post.replies.select_related("author").exclude(pk=reply_row.pk):
        if earlier.author is not None:
            people.setdefault(earlier.author.pk, earlier.author)
    people.pop(reply_row.author_id, None)
    url = settings.SITE_URL + post.get_absolute_url()
    return outbox.enqueue_many(
        [
            {
                "key": f"circle_reply:{reply_row.pk}:{user.pk}",
                "kind": "circle_post",
                "to_email": user.email,
                "template": "circle_reply",
                "context": {
                    "name": _author_name(user),
                    "post": post,
                    "reply": reply_row,
                    "author_name": _author_name(reply_row.author),
                    "cohort": post.cohort,
                    "post_url": url,
                },
            }
            for user in people.values()
            if user.email
        ]
    )


@transaction.atomic
def edit_post(post, *, actor, title, body):
    """Change the author's own post. Returns the names of the fields that changed."""
    if post.author_id != getattr(actor, "pk", None):
        raise ServiceError(_("Only the person who wrote a post can change it."))
    title = _clean(title, field="title", limit=MAX_TITLE, empty=_("Give the post a title."))
    body = _clean(body, field="body", limit=MAX_BODY, empty=_("Write a message."))
    changed = [
        name for name, value in (("title", title), ("body", body)) if getattr(post, name) != value
    ]
    if not changed:
        return []
    post.title, post.body, post.edited_at = title, body, timezone.now()
    post.save(update_fields=["title", "body", "edited_at", "updated_at"])
    record(post.cohort, actor, "edited a circle post", post.cohort, fields=changed)
    return changed
