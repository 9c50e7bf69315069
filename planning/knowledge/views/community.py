"""A community's knowledge pages: its items (shared ones, and the reader's own drafts),
writing one from a template, one item with the group's responses, and the author's,
leaders' and staff's actions on it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.knowledge import services, summaries
from planning.knowledge.blueprints import BLUEPRINTS, blueprint
from planning.knowledge.forms import CommentForm, ItemForm, ScopeForm
from planning.knowledge.models import KnowledgeItem, Scope


def _reader_filter(access):
    """The community's items this reader sees: shared ones, and their own drafts."""
    rows = access.community.knowledge_items.select_related("author", "topic", "cohort", "community")
    if access.participant is not None:
        return rows.filter(state=KnowledgeItem.State.SHARED) | rows.filter(
            author=access.participant
        )
    return rows.filter(state=KnowledgeItem.State.SHARED)


@cohort_view("community.members")
def item_list(request, access):
    community = access.community
    items = list(_reader_filter(access).order_by("-shared_at", "-created_at"))
    can_write = access.is_member() and not community.is_archived
    return render(
        request,
        "planning/knowledge/community.html",
        {
            "community": community,
            "shared": [i for i in items if i.is_shared],
            "drafts": [i for i in items if not i.is_shared],
            "blueprints": BLUEPRINTS.values(),
            "can_write": can_write,
            "requests": list(summaries.open_requests([community.pk]).order_by("due_on"))
            if access.can("community.lead")
            else [],
        },
    )


def _item(access, item_id):
    item = get_object_or_404(
        access.community.knowledge_items.select_related(
            "author", "topic", "agreed_by", "community__cohort", "cohort"
        ),
        public_id=item_id,
    )
    if not item.is_shared and (
        access.participant is None or item.author_id != access.participant.pk
    ):
        raise Http404("A draft is its author's until it is shared")
    return item


def _can_edit(access, item):
    mine = access.participant is not None and item.author_id == access.participant.pk
    return mine or access.is_staff or access.is_leader()


def _topics(access):
    return access.cohort.topics.order_by("name")


@cohort_view("community.members")
@community_open
def item_create(request, access, kind):
    plan = blueprint(kind)
    if plan is None:
        raise Http404("No such template")
    if not access.is_member():
        raise PermissionDenied  # staff read and respond; the members write
    form = ItemForm(request.POST or None, plan=plan, topics=_topics(access))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # shared at once, or nothing saved
                item = services.draft(
                    access.community,
                    participant=access.participant,
                    kind=kind,
                    title=data["title"],
                    fields=form.answers(),
                    topic=data["topic"],
                    show_author_publicly=data["show_author_publicly"],
                )
                if request.POST.get("action") == ItemForm.SHARE:
                    services.share(
                        item, actor=request.user, scope=data.get("scope") or Scope.COMMUNITY
                    )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request,
                _("Shared. Your group can read it and respond.")
                if item.is_shared
                else _("Saved as a draft: only you can see it until you share it."),
            )
            return redirect(item)
    return render(
        request,
        "planning/knowledge/item_form.html",
        {"form": form, "plan": plan, "item": None, "community": access.community},
    )


@cohort_view("community.members")
@community_open
def item_edit(request, access, item_id):
    item = _item(access, item_id)
    if not _can_edit(access, item):
        raise PermissionDenied
    plan = blueprint(item.kind)
    initial = {
        "title": item.title,
        "topic": item.topic,
        "show_author_publicly": item.show_author_publicly,
        **item.fields,
    }
    form = ItemForm(
        request.POST or None,
        plan=plan,
        topics=_topics(access),
        initial=initial,
        sharing_open=not item.is_shared,
    )
    mine = access.participant is not None and item.author_id == access.participant.pk
    if not mine:
        form.fields.pop("show_author_publicly")  # the author's own choice
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                changed = services.update(
                    item,
                    actor=request.user,
                    title=data["title"],
                    fields=form.answers(),
                    topic=data["topic"],
                    show_author_publicly=data.get(
                        "show_author_publicly", item.show_author_publicly
                    ),
                )
                if request.POST.get("action") == ItemForm.SHARE and not item.is_shared and mine:
                    services.share(
                        item, actor=request.user, scope=data.get("scope") or Scope.COMMUNITY
                    )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            if item.is_shared and request.POST.get("action") == ItemForm.SHARE:
                messages.success(request, _("Shared. Your group can read it and respond."))
            else:
                messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
            return redirect(item)
    return render(
        request,
        "planning/knowledge/item_form.html",
        {"form": form, "plan": plan, "item": item, "community": access.community, "mine": mine},
    )


def _page(request, access, item, *, comment_form=None, scope_form=None, status=200):
    community = access.community
    open_ = not community.is_archived
    mine = access.participant is not None and item.author_id == access.participant.pk
    plan = blueprint(item.kind)
    context = {
        "community": community,
        "item": item,
        "plan": plan,
        "answers": [(f, item.fields.get(f.name, "")) for f in plan.fields],
        "comments": list(item.comments.select_related("author", "author_user")),
        "can_edit": open_ and _can_edit(access, item),
        "can_respond": open_ and item.is_shared,
        "can_share": open_ and mine and not item.is_shared,
        "can_agree": open_
        and access.is_leader()
        and item.kind == KnowledgeItem.Kind.PRACTICE
        and item.is_shared
        and not item.is_agreed,
        "can_scope": access.is_staff and item.is_shared,
        "comment_form": comment_form or CommentForm(),
        "scope_form": scope_form or ScopeForm(initial={"scope": item.scope}),
        "share_form": ItemForm(plan=plan, topics=_topics(access)) if mine else None,
    }
    return render(request, "planning/knowledge/item.html", context, status=status)


@cohort_view("community.members")
def item_detail(request, access, item_id):
    return _page(request, access, _item(access, item_id))


@require_POST
@cohort_view("community.members")
@community_open
def item_respond(request, access, item_id):
    item = _item(access, item_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.respond(
                item,
                actor=request.user,
                participant=access.participant if access.is_member() else None,
                body=form.cleaned_data["body"],
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Thank you: your response is added."))
            return redirect(item)
    return _page(request, access, item, comment_form=form)


@require_POST
@cohort_view("community.members")
@community_open
def item_share(request, access, item_id):
    item = _item(access, item_id)
    if access.participant is None or item.author_id != access.participant.pk:
        raise PermissionDenied  # the author shares their own draft
    try:
        services.share(item, actor=request.user, scope=request.POST.get("scope", ""))
    except ServiceError as error:
        messages.error(request, str(error))
        if error.field and error.field != "scope":
            return redirect(
                "planning:knowledge-edit", access.cohort.slug, access.community.slug, item.public_id
            )
    else:
        messages.success(request, _("Shared. Your group can read it and respond."))
    return redirect(item)


@require_POST
@cohort_view("community.lead")
@community_open
def item_agree(request, access, item_id):
    item = _item(access, item_id)
    if not access.is_leader():
        raise PermissionDenied  # the group's agreement, said by its leaders
    try:
        services.agree(item, actor=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked as agreed by the group."))
    return redirect(item)


@require_POST
@cohort_view("community.manage")
def item_scope(request, access, item_id):
    item = _item(access, item_id)
    form = ScopeForm(request.POST)
    if form.is_valid():
        try:
            changed = services.set_scope(item, actor=request.user, scope=form.cleaned_data["scope"])
        except ServiceError as error:
            show_error(request, error, form)
        else:
            if changed:
                messages.success(
                    request,
                    _("Now readable by: %(scope)s.") % {"scope": item.get_scope_display()},
                )
            return redirect(item)
    return _page(request, access, item, scope_form=form)
