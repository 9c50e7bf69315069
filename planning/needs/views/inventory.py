"""A community's needs-and-expertise inventory, its connections, and the web drawn from them.

The inventory of a community is its members' entries (an entry belongs to the participant,
cohort-wide); its web is the connections confirmed in it between current members."""

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.models import InventoryEntry
from planning.needs import expertise_web as drawing
from planning.needs.forms import EntryForm
from planning.needs.services import inventory as services

NOTE_MAX = 300


def _page(access, anchor=""):
    url = reverse("planning:inventory", args=[access.cohort.slug, access.community.slug])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _members_qs(access):
    """The community's members (participants), for selects and lookups."""
    return access.cohort.participants.filter(memberships__community=access.community).order_by(
        "name"
    )


def _community_entries(access):
    return InventoryEntry.objects.filter(
        participant__memberships__community=access.community
    ).select_related("participant", "topic")


def _by_public_id(queryset, value):
    """The row of `queryset` with this public id, or 404 (also for a malformed id)."""
    try:
        public_id = uuid.UUID(str(value))
    except ValueError:
        raise Http404("No such row") from None
    return get_object_or_404(queryset, public_id=public_id)


@dataclass
class Suggestion:
    need: InventoryEntry
    expertise: InventoryEntry
    can_confirm: bool


def inventory_data(access):
    """Everything the inventory and the web show, in a fixed number of queries: the members
    with their entries, the connections between current members, suggestions and who is not
    yet connected."""
    community = access.community
    entries = InventoryEntry.objects.select_related("topic").order_by(
        "kind", "topic__name", "created_at"
    )
    memberships = list(
        community.memberships.select_related("participant__organization")
        .prefetch_related(Prefetch("participant__inventory", queryset=entries))
        .order_by("participant__name", "participant__id")
    )
    members = []
    for membership in memberships:
        person = membership.participant
        person.membership = membership
        person.needs = [e for e in person.inventory.all() if e.kind == InventoryEntry.Kind.NEED]
        person.offers = [
            e for e in person.inventory.all() if e.kind == InventoryEntry.Kind.EXPERTISE
        ]
        members.append(person)
    member_ids = {person.pk for person in members}
    connections = [
        c
        for c in community.connections.select_related(
            "need__participant", "need__topic", "helper", "expertise__topic"
        ).order_by("need__participant__name", "helper__name", "created_at")
        if c.need.participant_id in member_ids and c.helper_id in member_ids
    ]
    for connection in connections:
        connection.can_remove = services.may_connect(access, connection.need, connection.helper)
    connected = {c.need.participant_id for c in connections} | {c.helper_id for c in connections}
    pairs = {(c.need_id, c.helper_id) for c in connections}

    experts = {}
    for person in members:
        for offer in person.offers:
            if offer.topic_id:
                experts.setdefault(offer.topic_id, []).append(offer)
    suggestions = []
    me = access.participant if access.is_member() else None
    for person in members:
        for need in person.needs:
            need.suggested = [
                Suggestion(need, offer, services.may_connect(access, need, offer.participant))
                for offer in experts.get(need.topic_id, [])
                if offer.participant_id != person.pk
                and (need.pk, offer.participant_id) not in pairs
            ]
            if need.suggested:
                suggestions.append(need)
            need.can_offer = me is not None and me.pk != person.pk and (need.pk, me.pk) not in pairs
    return {
        "members": members,
        "connections": connections,
        "suggestions": suggestions,
        "unconnected": [person for person in members if person.pk not in connected],
    }


def _render_inventory(request, access, form=None, status=200):
    community = access.community
    data = inventory_data(access)
    me = access.participant if access.is_member() else None
    can_edit_others = services.may_edit_others(access)
    for person in data["members"]:
        for entry in person.needs + person.offers:
            entry.can_delete = can_edit_others or (me is not None and person.pk == me.pk)
    if form is None and (me is not None or can_edit_others):
        form = EntryForm(
            cohort=access.cohort,
            owner=me,
            members=_members_qs(access) if can_edit_others else None,
        )
    mine = next((p for p in data["members"] if me is not None and p.pk == me.pk), None)
    return render(
        request,
        "planning/needs/inventory/inventory.html",
        {
            "community": community,
            "form": form,
            "me": mine,
            "can_edit_others": can_edit_others,
            **data,
        },
        status=status,
    )


@cohort_view("community.members")
def inventory(request, access):
    return _render_inventory(request, access)


@require_POST
@cohort_view("community.members")
@community_open
def entry_add(request, access):
    me = access.participant if access.is_member() else None
    can_edit_others = services.may_edit_others(access)
    form = EntryForm(
        request.POST,
        cohort=access.cohort,
        owner=me,
        members=_members_qs(access) if can_edit_others else None,
    )
    if not form.is_valid():
        return _render_inventory(request, access, form=form)
    participant = form.cleaned_data["participant"]
    if participant is None:  # staff who is not a member, with no member chosen
        raise PermissionDenied
    try:
        entry = services.add_entry(
            community=access.community,
            actor=request.user,
            participant=participant,
            kind=form.cleaned_data["kind"],
            topic=form.cleaned_data["topic"],
            description=form.cleaned_data["description"],
            source=(
                InventoryEntry.Source.SELF
                if me is not None and participant.pk == me.pk
                else InventoryEntry.Source.STAFF
                if access.is_staff
                else InventoryEntry.Source.LEADER
            ),
        )
    except ServiceError as error:
        form.add_error("topic", str(error))
        return _render_inventory(request, access, form=form)
    messages.success(
        request,
        _("Added to the inventory of %(name)s: %(entry)s.")
        % {"name": participant.name, "entry": entry.label},
    )
    return _page(access, "yours" if me is not None and participant.pk == me.pk else "members")


@require_POST
@cohort_view("community.members")
@community_open
def entry_delete(request, access, entry_id):
    entry = _by_public_id(_community_entries(access), entry_id)
    if not services.may_edit_entry(access, entry):
        raise PermissionDenied
    services.delete_entry(entry, community=access.community, actor=request.user)
    messages.success(
        request,
        _("Removed from the inventory of %(name)s: %(entry)s.")
        % {"name": entry.participant.name, "entry": entry.label},
    )
    return _page(access, "members")


@require_POST
@cohort_view("community.members")
@community_open
def connection_add(request, access):
    if not request.POST.get("need"):
        messages.error(request, _("Choose the need to connect."))
        return _page(access, "suggestions")
    need = _by_public_id(
        _community_entries(access).filter(kind=InventoryEntry.Kind.NEED), request.POST["need"]
    )
    if request.POST.get("helper"):
        helper = _by_public_id(_members_qs(access), request.POST["helper"])
    elif access.is_member():
        helper = access.participant  # "I can help with that"
    else:
        messages.error(request, _("Choose who can help."))
        return _page(access, "suggestions")
    expertise = None
    if request.POST.get("expertise"):
        expertise = _by_public_id(
            helper.inventory.filter(kind=InventoryEntry.Kind.EXPERTISE), request.POST["expertise"]
        )
    if not services.may_connect(access, need, helper):
        raise PermissionDenied
    if expertise is None and need.topic_id:
        # An offer of help names the helper's expertise in the same practice area, if any.
        expertise = helper.inventory.filter(
            kind=InventoryEntry.Kind.EXPERTISE, topic_id=need.topic_id
        ).first()
    note = request.POST.get("note", "").replace("\x00", "").strip()  # PostgreSQL refuses NUL
    if len(note) > NOTE_MAX:
        messages.error(
            request, _("Keep the note to %(max)s characters, please.") % {"max": NOTE_MAX}
        )
        return _page(access, f"need-{need.public_id}")
    try:
        services.add_connection(
            access.community,
            actor=request.user,
            need=need,
            helper=helper,
            expertise=expertise,
            note=note,
        )
    except ServiceError as error:
        show_error(request, error)
        return _page(access, "suggestions")
    messages.success(
        request,
        _("Connected: %(helper)s can help %(owner)s with %(need)s.")
        % {"helper": helper.name, "owner": need.participant.name, "need": need.label},
    )
    return _page(access, "connections")


@require_POST
@cohort_view("community.members")
@community_open
def connection_delete(request, access, connection_id):
    connection = _by_public_id(
        access.community.connections.select_related("need__participant", "need__topic", "helper"),
        connection_id,
    )
    if not services.may_connect(access, connection.need, connection.helper):
        raise PermissionDenied
    services.remove_connection(connection, actor=request.user)
    messages.success(
        request,
        _("Connection removed: %(helper)s and the need of %(owner)s.")
        % {"helper": connection.helper.name, "owner": connection.need.participant.name},
    )
    return _page(access, "connections")


# -- the web ------------------------------------------------------------------------------


def _labels():
    return drawing.Labels(
        title=_("Web of needs and expertise"),
        empty=_("No members yet."),
        connected=_("Member with at least one connection"),
        unconnected=_("Not yet connected (dashed outline)"),
        arrow=_("Arrow: from the member with a need to the member who can help"),
        thread=_("{owner} needs help with {topic}; {helper} can help"),
        thread_no_topic=_("{owner} gets help from {helper}"),
        summary=_(
            "Members: {members}. Connections: {connections}. Not yet connected: {unconnected}."
        ),
    )


def _svg(access, data):
    community = access.community
    people = [drawing.Person(str(p.public_id), p.name) for p in data["members"]]
    threads = [
        drawing.Thread(
            str(c.need.participant.public_id), str(c.helper.public_id), c.need.label or ""
        )
        for c in data["connections"]
    ]
    title = _("Web of needs and expertise: %(community)s") % {"community": community.name}
    return drawing.render_svg(people, threads, title=title, labels=_labels())


@cohort_view("community.members")
def web(request, access):
    data = inventory_data(access)
    return render(
        request,
        "planning/needs/inventory/web.html",
        {
            "community": access.community,
            # render_svg escapes every piece of text it writes.
            "svg": mark_safe(_svg(access, data)),  # noqa: S308
            "png_name": f"{access.community.slug}-web.png",
            **data,
        },
    )


@cohort_view("community.members")
def web_svg(request, access):
    response = HttpResponse(
        _svg(access, inventory_data(access)), content_type="image/svg+xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{access.community.slug}-web.svg"'
    return response
