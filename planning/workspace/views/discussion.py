"""The workspace's home page and its discussion: threads, replies, editing, deleting and
hiding, and the reply link from an email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view, resolve_access
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.workspace import files, replylink
from planning.workspace.forms import ReplyForm, ThreadForm
from planning.workspace.models import Thread
from planning.workspace.services import announcements, discussion
from planning.workspace.views.common import (
    context,
    file_help,
    get_reply,
    get_thread,
    mentioning,
    sees_hidden,
    visible_files,
)

THREADS_PER_PAGE = 30
FILES_SHOWN = 6


def _threads(access):
    rows = (
        access.community.workspace_threads.select_related("author")
        .annotate(reply_count=Count("replies", filter=Q(replies__hidden_at__isnull=True)))
        .order_by("-last_activity_at", "-pk")
    )
    if not sees_hidden(access):
        rows = rows.filter(Q(hidden_at__isnull=True) | Q(author=access.user))
    return rows


@cohort_view("community.members")
def home(request, access):
    community = access.community
    page = Paginator(_threads(access), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/workspace/home.html",
        context(
            access,
            page=page,
            threads=list(page),
            recent_files=list(visible_files(access)[:FILES_SHOWN]),
            announcements=announcements.for_community(community),
        ),
    )


def _uploads(request):
    upload = request.FILES.get("file")
    return [upload] if upload is not None else []


@cohort_view("community.members")
@community_open
def thread_create(request, access):
    community = access.community
    form = ThreadForm(
        request.POST or None,
        request.FILES or None,
        **mentioning(community),
        file_help=file_help(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            thread, mentioned = discussion.start_thread(
                community,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                uploads=_uploads(request),
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _posted(mentioned, _("Thread started.")))
            return redirect(thread)
    return render(
        request, "planning/workspace/thread_form.html", context(access, form=form, thread=None)
    )


def _posted(mentioned, first):
    if not mentioned:
        return first
    names = ", ".join(person.name for person in mentioned)
    return " ".join(
        [first, _("We emailed the people you mentioned: %(names)s.") % {"names": names}]
    )


@cohort_view("community.members")
def thread_detail(request, access, thread_id):
    thread = get_thread(access, thread_id)
    community = access.community
    form = ReplyForm(
        request.POST or None,
        request.FILES or None,
        **mentioning(community),
        file_help=file_help(),
    )
    if request.method == "POST":
        if community.is_archived:
            messages.error(request, _("This community is archived: nothing in it can change."))
            return redirect(thread)
        if form.is_valid():
            try:
                _row, mentioned = discussion.reply(
                    thread,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    uploads=_uploads(request),
                )
            except ServiceError as error:
                show_error(request, error, form)
            else:
                messages.success(request, _posted(mentioned, _("Reply posted.")))
                return redirect(thread)
    replies = list(thread.replies.select_related("author", "hidden_by"))
    attachments = list(files.attached(thread).select_related("uploaded_by"))
    for row in attachments:
        row.deletable = files.may_delete(row, access)
    return render(
        request,
        "planning/workspace/thread.html",
        context(
            access,
            thread=thread,
            replies=replies,
            attachments=attachments,
            form=form,
            sees_hidden=sees_hidden(access),
            user_id=request.user.pk,
        ),
    )


def _post_for(access, thread_id, reply_id):
    thread = get_thread(access, thread_id)
    return thread, (get_reply(thread, reply_id) if reply_id else thread)


@cohort_view("community.members")
@community_open
def post_edit(request, access, thread_id, reply_id=None):
    thread, post = _post_for(access, thread_id, reply_id)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    is_thread = isinstance(post, Thread)
    form_class = ThreadForm if is_thread else ReplyForm
    initial = {"body": post.body, **({"title": post.title} if is_thread else {})}
    form = form_class(
        request.POST or None,
        initial=initial,
        **mentioning(access.community),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = discussion.edit(
                post,
                actor=request.user,
                body=form.cleaned_data["body"],
                title=form.cleaned_data.get("title"),
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
            return redirect(post)
    return render(
        request,
        "planning/workspace/thread_form.html",
        context(access, form=form, thread=thread, post=post, is_thread=is_thread),
    )


@require_POST
@cohort_view("community.members")
@community_open
def post_delete(request, access, thread_id, reply_id=None):
    thread, post = _post_for(access, thread_id, reply_id)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    try:
        discussion.delete(post, actor=request.user)
    except ServiceError as error:
        show_error(request, error)
        return redirect(thread)
    messages.success(request, _("Deleted."))
    if post is thread:
        return redirect("planning:workspace", access.cohort.slug, access.community.slug)
    return redirect(thread)


@require_POST
@cohort_view("community.lead")
@community_open
def post_hide(request, access, thread_id, reply_id=None):
    thread, post = _post_for(access, thread_id, reply_id)
    hidden = request.POST.get("hidden", "1") != "0"
    try:
        discussion.set_hidden(post, actor=request.user, access=access, hidden=hidden)
    except ServiceError as error:
        show_error(request, error)
    else:
        messages.success(
            request,
            _("Hidden: members no longer see it.") if hidden else _("Shown to members again."),
        )
    return redirect(thread)


@login_required
def reply_link(request, token):
    """The reply link of a discussion email (planning.workspace.replylink)."""
    try:
        thread_hex, email = replylink.read(token)
    except signing.BadSignature as error:
        raise Http404("No such link") from error
    except replylink.Expired:
        return render(
            request, "planning/workspace/link_problem.html", {"expired": True}, status=410
        )
    if email != request.user.email.lower():
        return render(
            request, "planning/workspace/link_problem.html", {"expired": False}, status=403
        )
    thread = Thread.objects.select_related("community__cohort").filter(public_id=thread_hex).first()
    if thread is None:
        raise Http404("No such thread")
    access = resolve_access(request.user, thread.community.cohort.slug, thread.community.slug)
    if not access.can("community.members"):
        raise Http404("No such thread")
    get_thread(access, thread.public_id)  # a hidden thread is gone for a member
    return redirect(thread.get_absolute_url() + "#reply")
