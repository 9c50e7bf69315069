"""Knowledge items from draft to the library, members' responses, the leaders' agreement,
sharing scopes, staff requests for items and staff resources.

Every write is atomic and recorded in the activity log. Services take values, never forms,
and refuse with a `ServiceError` naming the field at fault. Text is stored as typed: pages
escape it when they show it."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Membership
from cohorts.services.activity import record
from copkit import outbox
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.knowledge.blueprints import MAX_ANSWER, blueprint
from planning.knowledge.models import (
    AUTHOR_SCOPES,
    KnowledgeComment,
    KnowledgeItem,
    KnowledgeRequest,
    Resource,
    Scope,
)
from planning.sunset.phases import ON_ITS_OWN

MAX_TITLE = 200
RESOURCE_SCOPES = (Scope.COHORT, Scope.PROVIDER, Scope.PUBLIC)


def _text(value):
    return (value or "").strip()


def _clean_title(title):
    title = _text(title)
    if not title:
        raise ServiceError(_("Give it a title, so others can find it."), field="title")
    if len(title) > MAX_TITLE:
        raise ServiceError(
            _("Keep the title under %(n)d characters.") % {"n": MAX_TITLE}, field="title"
        )
    return title


def clean_fields(kind, values, *, sharing):
    """The answers of a `kind` template, stripped and limited to its fields. Required
    answers are checked when the item is (or stays) shared: a draft may be half written."""
    plan = blueprint(kind)
    if plan is None:
        raise ServiceError(_("Choose a case study, a promising practice or a lesson learned."))
    cleaned = {}
    for field in plan.fields:
        value = _text(values.get(field.name))
        if "\x00" in value:
            raise ServiceError(
                _("This text has a character that cannot be kept."), field=field.name
            )
        if len(value) > MAX_ANSWER:
            raise ServiceError(
                _("Keep this answer under %(n)d characters.") % {"n": MAX_ANSWER},
                field=field.name,
            )
        if value:
            cleaned[field.name] = value
    if sharing:
        for field in plan.fields:
            if field.required and field.name not in cleaned:
                raise ServiceError(
                    _("Answer “%(label)s” before you share it.") % {"label": field.label},
                    field=field.name,
                )
    return cleaned


def search_text(title, fields):
    return "\n".join([title, *(value for value in fields.values() if value)])


def _check_topic(topic, cohort):
    if topic is not None and topic.cohort_id != cohort.pk:
        raise ServiceError(_("Choose one of your cohort's practice areas."), field="topic")


@transaction.atomic
def draft(community, *, participant, kind, title, fields, topic=None, show_author_publicly=False):
    """Start an item of `kind` in `community`, written by `participant` (a member)."""
    refuse_if_archived(community)
    if not Membership.objects.filter(community=community, participant=participant).exists():
        raise ServiceError(_("Only the community's members write its knowledge items."))
    title = _clean_title(title)
    cleaned = clean_fields(kind, fields, sharing=False)
    _check_topic(topic, community.cohort)
    item = KnowledgeItem.objects.create(
        community=community,
        cohort_id=community.cohort_id,
        kind=kind,
        title=title,
        author=participant,
        author_user=participant.user,
        fields=cleaned,
        topic=topic,
        show_author_publicly=bool(show_author_publicly),
        search_text=search_text(title, cleaned),
    )
    record(community.cohort, participant.user, "drafted a knowledge item", item)
    return item


@transaction.atomic
def update(item, *, actor, title, fields, topic=None, show_author_publicly=False):
    """Change an item's title and answers (a shared item keeps its required answers).
    Returns the names of what changed."""
    refuse_if_archived(item.community)
    fresh = KnowledgeItem.objects.select_for_update().get(pk=item.pk)
    title = _clean_title(title)
    cleaned = clean_fields(fresh.kind, fields, sharing=fresh.is_shared)
    _check_topic(topic, item.community.cohort)
    values = {
        "title": title,
        "fields": cleaned,
        "topic": topic,
        "show_author_publicly": bool(show_author_publicly),
    }
    changed = [name for name, value in values.items() if getattr(fresh, name) != value]
    if changed:
        for name in changed:
            setattr(item, name, values[name])
        item.search_text = search_text(title, cleaned)
        item.save(update_fields=[*changed, "search_text", "updated_at"])
        record(item.cohort, actor, "changed a knowledge item", item, fields=changed)
    return changed


@transaction.atomic
def share(item, *, actor, scope):
    """The author shares a draft with the community or the whole cohort. Wider scopes are
    the staff's to give (`set_scope`)."""
    refuse_if_archived(item.community)
    if scope not in AUTHOR_SCOPES:
        raise ServiceError(_("Choose your community or your cohort."), field="scope")
    fresh = KnowledgeItem.objects.select_for_update().get(pk=item.pk)
    if fresh.is_shared:
        raise ServiceError(_("This is shared already."))
    clean_fields(fresh.kind, fresh.fields, sharing=True)
    item.state, item.scope, item.shared_at = KnowledgeItem.State.SHARED, scope, timezone.now()
    item.save(update_fields=["state", "scope", "shared_at", "updated_at"])
    record(item.cohort, actor, "shared a knowledge item", item, scope=scope)
    return item


MAX_COMMENT = 4000


@transaction.atomic
def respond(item, *, actor, participant=None, body):
    """A member's (or a staff member's) response to a shared item."""
    refuse_if_archived(item.community)
    body = _text(body)
    if not body:
        raise ServiceError(_("Write your response first."), field="body")
    if "\x00" in body:
        raise ServiceError(_("This text has a character that cannot be kept."), field="body")
    if len(body) > MAX_COMMENT:
        raise ServiceError(
            _("Keep your response under %(n)d characters.") % {"n": MAX_COMMENT}, field="body"
        )
    if not item.is_shared:
        raise ServiceError(_("Share it with your community before it can get responses."))
    comment = KnowledgeComment.objects.create(
        item=item, author=participant, author_user=actor, body=body
    )
    record(item.cohort, actor, "responded to a knowledge item", item)
    return comment


def leads(user, community):
    return Membership.objects.filter(
        community=community, participant__user=user, role__in=Membership.LEADING_ROLES
    ).exists()


@transaction.atomic
def agree(item, *, actor):
    """A leader of the item's community marks a promising practice as agreed by the group."""
    refuse_if_archived(item.community)
    if item.kind != KnowledgeItem.Kind.PRACTICE:
        raise ServiceError(_("Only a promising practice is agreed by the group."))
    if not leads(actor, item.community):
        raise ServiceError(_("Only the community's leaders mark a practice as agreed."))
    fresh = KnowledgeItem.objects.select_for_update().get(pk=item.pk)
    if not fresh.is_shared:
        raise ServiceError(_("Share it with the group first, so the group can agree on it."))
    if fresh.is_agreed:
        raise ServiceError(_("The group has agreed on this practice already."))
    item.agreed_at, item.agreed_by = timezone.now(), actor
    item.save(update_fields=["agreed_at", "agreed_by", "updated_at"])
    record(item.cohort, actor, "agreed on a promising practice", item)
    return item


@transaction.atomic
def set_scope(item, *, actor, scope):
    """Staff set who can read a shared item, from the community up to the public."""
    if scope not in Scope.values:
        raise ServiceError(_("Choose who can read it."), field="scope")
    fresh = KnowledgeItem.objects.select_for_update().get(pk=item.pk)
    if not fresh.is_shared:
        raise ServiceError(_("Only a shared item can be published; this one is a draft."))
    if fresh.scope == scope:
        return False
    item.scope = scope
    item.save(update_fields=["scope", "updated_at"])
    record(item.cohort, actor, "changed who can read a knowledge item", item, scope=scope)
    return True


# -- asking the leaders for items ------------------------------------------------------------


@dataclass
class Requested:
    created: list


@transaction.atomic
def request_items(cohort, *, actor, communities, kind, note, due_on):
    """Ask the leaders of each of `communities` (active ones of `cohort`) to share an item
    (of `kind`, or any), by `due_on`. Each leader gets an email (kind `knowledge_requested`)."""
    if kind and kind not in KnowledgeItem.Kind.values:
        raise ServiceError(_("Choose a kind of item, or any."), field="kind")
    if due_on is None:
        raise ServiceError(_("Give a date to share by."), field="due_on")
    if due_on < timezone.localdate():
        raise ServiceError(_("Choose a date that is still to come."), field="due_on")
    communities = [c for c in communities if c.cohort_id == cohort.pk and not c.is_archived]
    # A COP that continues on its own (or closed) gets no more of the TTA team's prompts.
    on_its_own = [c for c in communities if c.phase in ON_ITS_OWN]
    communities = [c for c in communities if c.phase not in ON_ITS_OWN]
    if not communities and on_its_own:
        raise ServiceError(
            _("That community continues on its own: the TTA team no longer asks it for items."),
            field="to",
        )
    if not communities:
        raise ServiceError(_("Choose at least one community."), field="to")
    note = _text(note)
    if len(note) > MAX_COMMENT:
        raise ServiceError(
            _("Keep the note under %(n)d characters.") % {"n": MAX_COMMENT}, field="note"
        )
    rows = KnowledgeRequest.objects.bulk_create(
        KnowledgeRequest(
            cohort=cohort,
            community=c,
            kind=kind or "",
            note=note,
            due_on=due_on,
            requested_by=actor,
        )
        for c in communities
    )
    rows = list(KnowledgeRequest.objects.filter(pk__in=[r.pk for r in rows]))
    _email_leaders(cohort, rows, {c.pk: c for c in communities}, actor)
    record(
        cohort,
        actor,
        "asked for knowledge items",
        communities=[str(c) for c in communities],
        due_on=due_on.isoformat(),
    )
    return Requested(created=rows)


def _email_leaders(cohort, requests, communities, actor):
    by_community = {r.community_id: r for r in requests}
    leaders = (
        Membership.objects.filter(community_id__in=by_community, role__in=Membership.LEADING_ROLES)
        .exclude(participant__email="")
        .select_related("participant")
        .order_by("community_id", "participant__email")
    )
    messages = []
    for membership in leaders:
        request = by_community[membership.community_id]
        community = communities[membership.community_id]
        person = membership.participant
        url = settings.SITE_URL + reverse(
            "planning:knowledge-community", args=[cohort.slug, community.slug]
        )
        messages.append(
            {
                "key": f"knowledge_requested:{request.public_id}:{person.public_id}",
                "kind": "knowledge_requested",
                "to_email": person.email,
                "template": "knowledge_requested",
                "context": {
                    "cohort": cohort,
                    "community": community,
                    "request": request,
                    "kind_label": request.get_kind_display(),
                    "name": person.name,
                    "requested_by": actor.get_full_name() if actor else "",
                    "url": url,
                },
            }
        )
    return outbox.enqueue_many(messages)


# -- the staff's resources -------------------------------------------------------------------


def areas_key(areas):
    names = [" ".join(a.split()).lower() for a in (areas or "").split(",")]
    names = sorted({name for name in names if name})
    return "|" + "|".join(names) + "|" if names else ""


@transaction.atomic
def save_resource(
    cohort,
    *,
    actor,
    resource=None,
    title,
    description,
    url="",
    body="",
    areas="",
    scope=Scope.PROVIDER,
):
    """Add a resource to the library (or change `resource`): a link, a text, or both."""
    title = _clean_title(title)
    description = _text(description)
    if not description:
        raise ServiceError(
            _("Say in a sentence what it is and who it is for."), field="description"
        )
    url, body = _text(url), _text(body)
    if not url and not body:
        raise ServiceError(_("Give a link, or write the text here."), field="url")
    if url and not url.lower().startswith(("https://", "http://")):
        raise ServiceError(_("Give a web address starting with https://."), field="url")
    if scope not in RESOURCE_SCOPES:
        raise ServiceError(_("Choose who can read it."), field="scope")
    for name, value in (("description", description), ("body", body)):
        if "\x00" in value or len(value) > 20000:
            raise ServiceError(
                _("This text is too long or has a character that cannot be kept."), field=name
            )
    areas = ", ".join(a.strip() for a in (areas or "").split(",") if a.strip())
    values = {
        "title": title,
        "description": description,
        "url": url,
        "body": body,
        "areas": areas[:500],
        "areas_key": areas_key(areas)[:520],
        "scope": scope,
        "search_text": "\n".join([title, description, body, areas]),
    }
    if resource is None:
        resource = Resource.objects.create(cohort=cohort, created_by=actor, **values)
        record(cohort, actor, "added a library resource", resource)
        return resource
    for name, value in values.items():
        setattr(resource, name, value)
    resource.save()
    record(cohort, actor, "changed a library resource", resource)
    return resource
