"""The COP workspace's pages: flat query counts, the discussion, uploads and downloads
through the pages, announcements on the home page, and bad input named beside its field."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from copkit.models import OutboxMessage
from planning.workspace.models import Announcement, Reply, Thread, WorkspaceFile
from tests import factories
from tests.matrix_workspace import MATRIX, announcement_of, file_of, thread_of, url_for
from tests.queries import count_queries
from tests.workspace_helpers import PDF, PNG, storage_root, stored_files, upload

__all__ = ["storage_root"]

pytestmark = pytest.mark.django_db


def url(world, name, *args):
    return reverse(f"planning:{name}", args=[world.cohort.slug, world.community.slug, *args])


def texts(response):
    if response.status_code == 302:
        response = response.client.get(response.url)
    return [str(m) for m in get_messages(response.wsgi_request)]


def grow(world, n):
    """n more members, threads (each with a reply and an attached file), loose files and
    announcements in the persona's community, and n more threads in another one."""
    elsewhere = factories.CommunityFactory(cohort=world.cohort)
    for i in range(n):
        person = factories.ParticipantFactory(cohort=world.cohort, name=f"Member {i}")
        factories.MembershipFactory(
            community=world.community, participant=person, role=Membership.Role.MEMBER
        )
        for community in (world.community, elsewhere):
            thread = Thread.objects.create(
                community=community,
                author=factories.UserFactory(),
                title=f"Thread {i}",
                body="b",
                last_activity_at=timezone.now(),
            )
            Reply.objects.create(thread=thread, author=factories.UserFactory(), body="r")
        file_of(world, to=thread_of(world))
        file_of(world, author=factories.UserFactory())
        announcement_of(world, community=i % 2 == 0)


PAGES = [
    (name, persona)
    for name, (method, expected) in sorted(MATRIX.items())
    for persona in ("staff", "leader", "participant")
    if method == "get" and expected[persona] in (200, 302)
]


@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_query_count_is_flat(name, persona, world, client_for):
    client = client_for(persona)
    page = url_for(name, world)
    status = MATRIX[name][1][persona]
    grow(world, 1)
    small, _ = count_queries(client, page, status=status)
    grow(world, 30)
    large, response = count_queries(client, page, status=status)
    assert large == small, f"{name} as {persona}: {small} queries with 1 row, {large} with 31"
    if status == 200 and name != "planning:workspace-file":
        assert len(response.content) > 2000


def test_the_home_page_count_stays_flat_with_announcements(world, client_for):
    client = client_for("participant")
    announcement_of(world)
    small, _ = count_queries(client, reverse("home"))
    for i in range(20):
        announcement_of(world, community=i % 2 == 0)
    large, response = count_queries(client, reverse("home"))
    assert large == small
    assert response.content.decode().count("home-announcement") == 10  # the newest ten


# -- the discussion through its pages -----------------------------------------------------------


def test_a_member_starts_a_thread_with_a_file_and_a_mention(world, client_for, storage_root):
    client = client_for("participant")
    form = client.get(url(world, "workspace-thread-create")).content.decode()
    assert "@Lee Leader" in form  # who can be mentioned, on the form
    response = client.post(
        url(world, "workspace-thread-create"),
        {
            "title": "Board retreat agenda",
            "body": "@Lee Leader, does this look right?",
            "file": upload("agenda.pdf", PDF),
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response.url == thread.get_absolute_url()
    assert texts(response) == ["Thread started. We emailed the people you mentioned: Lee Leader."]
    page = client.get(thread.get_absolute_url()).content.decode()
    (row,) = WorkspaceFile.objects.all()
    assert row.get_absolute_url() in page and "agenda.pdf" in page
    mail = OutboxMessage.objects.get(to_email="lee@pantry.example")
    assert mail.kind == "workspace_mention" and "mentioned you" in mail.subject


def test_bad_input_is_named_beside_the_field_and_nothing_is_saved(
    world, client_for, storage_root, settings
):
    client = client_for("participant")
    settings.WORKSPACE_MAX_UPLOAD_BYTES = 100
    cases = [
        ({"title": "", "body": "x"}, "Give it a title."),
        ({"title": "t", "body": "  "}, "Write a message."),
        ({"title": "t", "body": "x", "file": upload("a.pdf", PNG)}, "content is a PNG image"),
        ({"title": "t", "body": "x", "file": upload("a.pdf", PDF * 3)}, "the most you can"),
        ({"title": "t", "body": "x", "file": upload("a.pdf", b"")}, "This file is empty"),
    ]
    for data, message in cases:
        response = client.post(url(world, "workspace-thread-create"), data)
        assert response.status_code == 200, data
        page = response.content.decode()
        assert message in page and "invalid-feedback" in page, data
    assert not Thread.objects.exists() and stored_files(storage_root) == []
    # The same form, valid, is taken: the refusals came from the rules above.
    response = client.post(url(world, "workspace-thread-create"), {"title": "t", "body": "x"})
    assert response.status_code == 302 and Thread.objects.count() == 1


def test_a_script_in_a_title_or_body_is_shown_as_text(world, client_for, storage_root):
    client = client_for("participant")
    client.post(
        url(world, "workspace-thread-create"),
        {"title": "<script>alert(1)</script>", "body": "<img src=x onerror=alert(2)>"},
    )
    thread = Thread.objects.get()
    client.post(
        url(world, "workspace-upload"),
        {"title": "<script>alert(3)</script>", "file": upload("a.pdf", PDF)},
    )
    for page in (
        client.get(thread.get_absolute_url()).content.decode(),
        client.get(url(world, "workspace")).content.decode(),
        client.get(url(world, "workspace-files")).content.decode(),
    ):
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert" in page


def test_reply_edit_delete_and_hide_through_the_pages(world, client_for):
    thread = thread_of(world)
    pat = client_for("participant")
    response = pat.post(thread.get_absolute_url(), {"body": "My own reply"})
    assert response.status_code == 302
    reply = Reply.objects.get()
    response = pat.post(
        url(world, "workspace-reply-edit", thread.public_id, reply.public_id), {"body": "Edited"}
    )
    reply.refresh_from_db()
    assert reply.body == "Edited" and reply.edited_at is not None
    lee = client_for("leader")
    lee.post(url(world, "workspace-reply-hide", thread.public_id, reply.public_id))
    reply.refresh_from_db()
    assert reply.is_hidden
    # Another member sees that a leader hid it, not its words; its author still sees it.
    ana = factories.UserFactory()
    factories.MembershipFactory(
        community=world.community,
        participant=factories.ParticipantFactory(cohort=world.cohort, user=ana),
    )
    lee.force_login(ana)
    page = lee.get(thread.get_absolute_url()).content.decode()
    assert "A leader hid this reply." in page and "Edited" not in page
    pat = client_for("participant")
    assert "Edited" in pat.get(thread.get_absolute_url()).content.decode()
    pat.post(url(world, "workspace-reply-delete", thread.public_id, reply.public_id))
    assert not Reply.objects.exists()


def test_a_hidden_thread_and_its_files_are_gone_for_other_members(world, client_for, storage_root):
    thread = thread_of(world, author=world.leader)
    attached = file_of(world, author=world.leader, to=thread)
    client_for("leader").post(url(world, "workspace-thread-hide", thread.public_id))
    pat = client_for("participant")
    assert pat.get(thread.get_absolute_url()).status_code == 404
    assert pat.get(attached.get_absolute_url()).status_code == 404
    for page in ("workspace", "workspace-files"):
        html = pat.get(url(world, page)).content.decode()
        assert thread.get_absolute_url() not in html and attached.get_absolute_url() not in html
    # Leaders and staff still see both, to show the thread again or delete the file.
    assert client_for("staff").get(attached.get_absolute_url()).status_code == 200


# -- files through the pages ------------------------------------------------------------------


def test_download_is_an_attachment_with_nosniff(world, client_for, storage_root):
    row = file_of(world)
    response = client_for("participant").get(row.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="retreat.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    # Another community's file is not found through this one.
    other = factories.CommunityFactory(cohort=world.cohort)
    row.community = other
    row.save()
    assert (
        client_for("participant").get(url(world, "workspace-file", row.public_id)).status_code
        == 404
    )


def test_files_are_not_under_a_public_url(world, settings):
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    assert "base_url" in settings.STORAGES["default"]["OPTIONS"]


def test_attach_a_file_to_a_meeting_from_its_page(world, client_for, storage_root):
    meeting = factories.MeetingFactory(community=world.community)
    client = client_for("participant")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="attachments"' in page and f"meeting:{meeting.public_id}" in page
    response = client.post(
        url(world, "workspace-upload"),
        {"to": f"meeting:{meeting.public_id}", "file": upload("minutes.pdf", PDF)},
    )
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url() + "#attachments"
    (row,) = WorkspaceFile.objects.all()
    assert row.attached_to == meeting
    assert row.get_absolute_url() in client.get(meeting.get_absolute_url()).content.decode()
    # A target of another community, or of an unknown kind, is not found.
    other = factories.MeetingFactory(community=factories.CommunityFactory(cohort=world.cohort))
    for to in (f"meeting:{other.public_id}", "survey:1", "meeting:not-a-uuid"):
        response = client.post(
            url(world, "workspace-upload"), {"to": to, "file": upload("m.pdf", PDF)}
        )
        assert response.status_code == 404, to
    assert WorkspaceFile.objects.count() == 1


def test_an_upload_with_no_file_is_named_beside_the_field(world, client_for, storage_root):
    response = client_for("participant").post(url(world, "workspace-upload"), {"title": "x"})
    assert response.status_code == 200
    assert "Choose a file to upload." in response.content.decode()


def test_another_member_cannot_delete_a_file_but_a_leader_can(world, client_for, storage_root):
    row = file_of(world, author=world.leader)
    pat = client_for("participant")
    assert pat.post(url(world, "workspace-file-delete", row.public_id)).status_code == 403
    lee = client_for("leader")
    assert lee.post(url(world, "workspace-file-delete", row.public_id)).status_code == 302
    assert not WorkspaceFile.objects.exists()


# -- announcements --------------------------------------------------------------------------


def test_a_leader_announces_and_the_member_sees_it_at_home_until_closing_it(world, client_for):
    lee = client_for("leader")
    response = lee.post(
        url(world, "workspace-announce"), {"title": "No meeting", "body": "Enjoy the break."}
    )
    assert response.status_code == 302
    assert "1 member gets an email" in texts(response)[0]
    row = Announcement.objects.get()
    pat = client_for("participant")
    home = pat.get(reverse("home")).content.decode()
    assert "No meeting" in home and "Enjoy the break." in home
    pat.post(reverse("planning:announcement-dismiss", args=[world.cohort.slug, row.public_id]))
    assert "No meeting" not in pat.get(reverse("home")).content.decode()


def test_staff_announce_to_every_cop_and_an_empty_one_is_named(world, client_for):
    staff = client_for("staff")
    page = reverse("planning:workspace-announce-all", args=[world.cohort.slug])
    response = staff.post(page, {"to": "all", "title": "", "body": ""})
    assert response.status_code == 200
    assert "Give it a title." in response.content.decode()
    assert not Announcement.objects.exists()
    response = staff.post(page, {"to": "all", "title": "Welcome", "body": "Hello"})
    assert response.status_code == 302
    assert Announcement.objects.get().community is None


def test_the_community_page_links_the_workspace_for_members_only(world, client_for):
    page = world.community.get_absolute_url()
    link = url(world, "workspace")
    assert link in client_for("participant").get(page).content.decode()
    assert link not in client_for("observer").get(page).content.decode()


def test_threads_and_files_go_on_to_a_next_page(world, client_for):
    grow(world, 60)  # 120 threads (half with a file) and 120 files in the community
    client = client_for("participant")
    first = client.get(url(world, "workspace")).content.decode()
    assert first.count("workspace-threads") == 1 and "Page 1 of 4" in first
    assert "Page 2 of 4" in client.get(url(world, "workspace") + "?page=2").content.decode()
    files_page = client.get(url(world, "workspace-files") + "?page=9").content.decode()
    assert "Page 3 of 3" in files_page  # past the end: the last page


HOSTILE = ["\x00", "x" * 12000, "<script>alert(1)</script>", "@", "@@Lee Leader", "\u2019" * 300]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_never_a_server_error(world, client_for, storage_root, value):
    thread = thread_of(world)
    reply = Reply.objects.create(thread=thread, author=world.participant, body="r")
    pat = client_for("participant")
    posts = [
        (url(world, "workspace-thread-create"), {"title": value, "body": value}),
        (thread.get_absolute_url(), {"body": value}),
        (url(world, "workspace-thread-edit", thread.public_id), {"title": value, "body": value}),
        (
            url(world, "workspace-reply-edit", thread.public_id, reply.public_id),
            {"body": value},
        ),
        (url(world, "workspace-upload"), {"title": value, "file": upload("a.pdf", PDF)}),
        (url(world, "workspace-upload"), {"to": value, "file": upload("a.pdf", PDF)}),
        (url(world, "workspace-thread-hide", thread.public_id), {"hidden": value}),
    ]
    for page, data in posts:
        assert pat.post(page, data).status_code < 500, (page, data)
    lee = client_for("leader")
    for page, data in (
        (url(world, "workspace-announce"), {"title": value, "body": value}),
        (url(world, "workspace-thread-hide", thread.public_id), {"hidden": value}),
    ):
        assert lee.post(page, data).status_code < 500, (page, data)
    staff = client_for("staff")
    page = reverse("planning:workspace-announce-all", args=[world.cohort.slug])
    assert staff.post(page, {"to": value, "title": value, "body": value}).status_code == 200
    # Whatever was kept is shown as text.
    for row in Thread.objects.all():
        assert "<script>" not in staff.get(row.get_absolute_url()).content.decode()
