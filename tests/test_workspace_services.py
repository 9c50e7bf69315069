"""The COP workspace's services: mentions and who is emailed (once each, by their
preferences), the reply link, file checks by content, nothing half-saved, who may delete or
hide, and an archived community refusing every change."""

from datetime import timedelta

import pytest
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cohorts.access import resolve_access
from cohorts.models import Membership
from copkit import preferences
from copkit.errors import ServiceError
from copkit.models import Delivery, OutboxMessage
from planning.archived import CommunityArchived
from planning.workspace import files, replylink
from planning.workspace.models import Announcement, Thread, WorkspaceFile
from planning.workspace.services import announcements, discussion
from tests import factories
from tests.workspace_helpers import PDF, PNG, office, storage_root, stored_files, upload

__all__ = ["storage_root"]

pytestmark = pytest.mark.django_db


def member(world, name, email, role=Membership.Role.MEMBER):
    user = factories.UserFactory(email=email, name=name)
    participant = factories.ParticipantFactory(
        cohort=world.cohort, organization=world.organization, user=user, name=name, email=email
    )
    factories.MembershipFactory(community=world.community, participant=participant, role=role)
    return user


def mails(key_part=""):
    return list(OutboxMessage.objects.filter(key__contains=key_part).order_by("to_email"))


# -- mentions and notifications ------------------------------------------------------------


def test_a_new_thread_emails_every_other_member_and_a_mention_once(world):
    member(world, "Ana Ruiz", "ana@example.org")
    thread, mentioned = discussion.start_thread(
        world.community,
        author=world.participant,
        title="Board retreat",
        body="@Lee Leader and @ana ruiz, have you run one? @Lee Leader again.",
    )
    assert [person.name for person in mentioned] == ["Lee Leader", "Ana Ruiz"]
    rows = mails(f"workspace:thread:{thread.pk}:")
    assert {(row.to_email, row.kind) for row in rows} == {
        ("lee@pantry.example", "workspace_mention"),
        ("ana@example.org", "workspace_mention"),
    }
    assert "pat@pantry.example" not in [row.to_email for row in rows]  # not the author
    # Enqueueing again (a retried request) queues nothing new.
    assert discussion._notify(thread, thread, world.participant, mentioned, [], "x") == 0


def test_members_not_mentioned_get_the_thread_email(world):
    thread, _ = discussion.start_thread(
        world.community, author=world.leader, title="Hello", body="A first thread."
    )
    (row,) = mails(f"workspace:thread:{thread.pk}:")
    assert (row.to_email, row.kind) == ("pat@pantry.example", "workspace_post")
    assert "started a thread in Board Builders" in row.body_text
    assert "/w/" in row.body_text  # the reply link


def test_an_email_of_another_community_or_an_outsider_is_never_sent(world):
    other = factories.CommunityFactory(cohort=world.cohort, name="Grant Writers")
    stranger = factories.ParticipantFactory(cohort=world.cohort, name="Stan Stranger")
    factories.MembershipFactory(community=other, participant=stranger)
    _thread, mentioned = discussion.start_thread(
        world.community, author=world.leader, title="Hi", body="@Stan Stranger look"
    )
    assert mentioned == []
    assert stranger.email not in [row.to_email for row in mails()]


def test_a_reply_tells_the_thread_and_the_mentioned_each_once(world):
    ana = member(world, "Ana Ruiz", "ana@example.org")
    thread, _ = discussion.start_thread(
        world.community, author=world.participant, title="Retreat", body="Ideas?"
    )
    first, _ = discussion.reply(thread, author=ana, body="One idea.")
    row, mentioned = discussion.reply(thread, author=world.leader, body="@Ana Ruiz, say more?")
    assert [person.name for person in mentioned] == ["Ana Ruiz"]
    sent = {(m.to_email, m.kind) for m in mails(f"workspace:reply:{row.pk}:")}
    assert sent == {
        ("ana@example.org", "workspace_mention"),  # once, though she also replied
        ("pat@pantry.example", "workspace_post"),  # the thread's author
    }
    assert {m.to_email for m in mails(f"workspace:reply:{first.pk}:")} == {"pat@pantry.example"}


def test_the_persons_digest_and_off_choices_are_respected(world):
    preferences.save_preferences("lee@pantry.example", deliveries={"workspace_mention": "daily"})
    preferences.save_preferences("pat@pantry.example", deliveries={"workspace_post": "off"})
    member(world, "Ana Ruiz", "ana@example.org")
    thread, _ = discussion.start_thread(
        world.community, author=world.staff, title="Hi", body="@Lee Leader see this"
    )
    by_address = {m.to_email: m for m in mails(f"workspace:thread:{thread.pk}:")}
    assert by_address["lee@pantry.example"].delivery == Delivery.DAILY
    assert by_address["lee@pantry.example"].state == OutboxMessage.State.HELD
    assert by_address["pat@pantry.example"].state == OutboxMessage.State.SKIPPED
    assert by_address["ana@example.org"].state == OutboxMessage.State.PENDING


def test_a_name_two_members_share_is_refused_and_nothing_is_saved(world):
    member(world, "Sam Lee", "sam1@example.org")
    member(world, "sam lee", "sam2@example.org")
    with pytest.raises(ServiceError) as refused:
        discussion.start_thread(
            world.community, author=world.leader, title="Hi", body="Thanks @Sam Lee!"
        )
    assert refused.value.field == "body" and "2 members" in refused.value.message
    assert not Thread.objects.exists() and not OutboxMessage.objects.exists()
    # Written without the @, the same words are taken.
    discussion.start_thread(world.community, author=world.leader, title="Hi", body="Thanks Sam!")


def test_the_longest_name_wins_and_an_email_address_is_no_mention(world):
    member(world, "Ana", "ana1@example.org")
    member(world, "Ana Maria", "ana2@example.org")
    _thread, mentioned = discussion.start_thread(
        world.community,
        author=world.leader,
        title="Hi",
        body="@Ana Maria: write to lee@Ana or @Anastasia.",
    )
    assert [person.email for person in mentioned] == ["ana2@example.org"]


def test_empty_title_and_body_are_named(world):
    for title, body, field in (("  ", "x", "title"), ("x", " \x00 ", "body")):
        with pytest.raises(ServiceError) as refused:
            discussion.start_thread(world.community, author=world.leader, title=title, body=body)
        assert refused.value.field == field
    assert not Thread.objects.exists()


# -- the reply link ---------------------------------------------------------------------------


def test_the_reply_link_lands_its_person_on_the_reply_form(world, client):
    thread, _ = discussion.start_thread(
        world.community, author=world.leader, title="Hi", body="@Pat Participant ?"
    )
    url = replylink.url_for(thread, "pat@pantry.example").removeprefix("http://testserver")
    path = url[url.index("/w/") :]
    response = client.get(path)
    assert response.status_code == 302 and reverse("account_login") in response.url
    client.force_login(world.participant)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == thread.get_absolute_url() + "#reply"
    page = client.get(response.url).content.decode()
    assert 'id="reply"' in page


def test_a_forged_or_altered_reply_link_is_not_found(world, client):
    thread = Thread.objects.create(community=world.community, author=world.leader, title="t")
    client.force_login(world.participant)
    token = replylink.token_for(thread, "pat@pantry.example")
    forged = signing.dumps({"t": thread.public_id.hex, "e": "pat@pantry.example"}, salt="other")
    for bad in (forged, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x"):
        assert client.get(reverse("workspace-reply-link", args=[bad])).status_code == 404
    # Someone else's link is refused; an old one says so.
    client.force_login(world.leader)
    assert client.get(reverse("workspace-reply-link", args=[token])).status_code == 403
    client.force_login(world.participant)
    assert client.get(reverse("workspace-reply-link", args=[token])).status_code == 302


def test_an_old_reply_link_says_it_is_too_old(world, client, settings, time_machine):
    thread = Thread.objects.create(community=world.community, author=world.leader, title="t")
    token = replylink.token_for(thread, "pat@pantry.example")
    time_machine.move_to(timezone.now())
    time_machine.shift(timedelta(days=settings.WORKSPACE_REPLY_LINK_DAYS + 1))
    client.force_login(world.participant)
    response = client.get(reverse("workspace-reply-link", args=[token]))
    assert response.status_code == 410 and b"too old" in response.content


def test_a_reply_link_to_a_member_who_left_grants_nothing(world, client):
    thread = Thread.objects.create(community=world.community, author=world.leader, title="t")
    token = replylink.token_for(thread, "pat@pantry.example")
    world.member_membership.delete()
    client.force_login(world.participant)
    assert client.get(reverse("workspace-reply-link", args=[token])).status_code == 404


# -- files --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("agenda.pdf", PDF, "pdf"),
        ("photo.png", PNG, "png"),
        ("minutes.docx", office("docx"), "docx"),
        ("budget.xlsx", office("xlsx"), "xlsx"),
        ("slides.pptx", office("pptx"), "pptx"),
        ("notes.txt", "Café notes\n".encode(), "txt"),
        ("roster.csv", b"name,role\nAna,member\n", "csv"),
    ],
)
def test_accepted_types_are_known_by_their_content(world, storage_root, name, content, kind):
    row = files.upload(world.community, upload(name, content), actor=world.participant)
    assert (row.kind, row.size, row.name, row.title) == (kind, len(content), name, name)
    assert stored_files(storage_root) and row.stored.read() == content


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("agenda.pdf", PNG, "content is a PNG image"),
        ("photo.png", PDF, "content is a PDF document"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n\x00", "cannot take this kind"),
        ("page.html", b"<html><script>alert(1)</script></html>", "content is a text file"),
        ("archive.docx", b"PK\x03\x04not really a zip", "cannot take this kind"),
        ("report.exe", b"MZ\x90\x00\x03\x00\x00\x00", "cannot take this kind"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_refused_files_are_named_and_nothing_is_stored(world, storage_root, name, content, says):
    with pytest.raises(ServiceError) as refused:
        files.upload(world.community, upload(name, content), actor=world.participant)
    assert refused.value.field == "file" and says in refused.value.message
    assert not WorkspaceFile.objects.exists() and stored_files(storage_root) == []


def test_a_zip_that_is_not_an_office_document_is_refused(world, storage_root):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.js", "alert(1)")
    with pytest.raises(ServiceError):
        files.upload(world.community, upload("x.docx", buffer.getvalue()), actor=world.leader)
    assert stored_files(storage_root) == []


def test_an_oversized_file_is_refused_before_anything_is_stored(world, storage_root, settings):
    settings.WORKSPACE_MAX_UPLOAD_BYTES = 50
    with pytest.raises(ServiceError) as refused:
        files.upload(world.community, upload("a.pdf", PDF + b" " * 60), actor=world.leader)
    assert "the most you can upload is 50" in refused.value.message
    assert stored_files(storage_root) == []


def test_a_script_in_a_title_is_kept_as_text_and_a_long_one_refused(world, storage_root):
    row = files.upload(
        world.community, upload("a.pdf", PDF), actor=world.leader, title="<script>x</script>"
    )
    assert row.title == "<script>x</script>"  # escaped when shown, see the page tests
    with pytest.raises(ServiceError) as refused:
        files.upload(world.community, upload("b.pdf", PDF), actor=world.leader, title="x" * 201)
    assert refused.value.field == "title"
    assert len(stored_files(storage_root)) == 1


def test_a_rolled_back_upload_leaves_no_stored_file(world, storage_root):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), files.removed_on_failure(), transaction.atomic():
        files.upload(world.community, upload("a.pdf", PDF), actor=world.leader)
        assert len(stored_files(storage_root)) == 1
        raise Boom
    assert stored_files(storage_root) == [] and not WorkspaceFile.objects.exists()


def test_a_thread_refused_after_its_file_was_checked_stores_nothing(world, storage_root):
    member(world, "Sam Lee", "sam1@example.org")
    member(world, "Sam Lee", "sam2@example.org")
    with pytest.raises(ServiceError):
        discussion.start_thread(
            world.community,
            author=world.leader,
            title="Hi",
            body="@Sam Lee",
            uploads=[upload("a.pdf", PDF)],
        )
    assert stored_files(storage_root) == [] and not Thread.objects.exists()


def test_a_thread_with_a_file_attaches_it(world, storage_root):
    thread, _ = discussion.start_thread(
        world.community,
        author=world.participant,
        title="Agenda",
        body="Here it is.",
        uploads=[upload("agenda.pdf", PDF)],
    )
    (row,) = files.attached(thread)
    assert row.attached_to == thread and row.community == world.community


def test_attach_takes_an_existing_file_or_an_upload(world, storage_root):
    meeting = factories.MeetingFactory(community=world.community)
    loose = files.upload(world.community, upload("a.pdf", PDF), actor=world.leader)
    files.attach(loose, to=meeting, actor=world.leader)
    files.attach(upload("b.png", PNG), to=meeting, actor=world.participant)
    assert [row.name for row in files.attached(meeting)] == ["a.pdf", "b.png"]
    elsewhere = factories.MeetingFactory(community=factories.CommunityFactory(cohort=world.cohort))
    with pytest.raises(ServiceError):
        files.attach(loose, to=elsewhere, actor=world.leader)


def _access(world, persona):
    return resolve_access(world.users[persona], world.cohort.slug, world.community.slug)


@pytest.mark.parametrize(
    ("persona", "allowed"), [("participant", True), ("leader", True), ("staff", True)]
)
def test_who_may_delete_a_file(world, storage_root, persona, allowed):
    row = files.upload(world.community, upload("a.pdf", PDF), actor=world.participant)
    files.delete(row, actor=world.users[persona], access=_access(world, persona))
    assert not WorkspaceFile.objects.exists()


def test_another_member_may_not_delete_a_file_and_deletion_removes_the_bytes(
    world, storage_root, django_capture_on_commit_callbacks
):
    ana = member(world, "Ana Ruiz", "ana@example.org")
    row = files.upload(world.community, upload("a.pdf", PDF), actor=world.leader)
    ana_access = resolve_access(ana, world.cohort.slug, world.community.slug)
    with pytest.raises(ServiceError):
        files.delete(row, actor=ana, access=ana_access)
    assert len(stored_files(storage_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        files.delete(row, actor=world.leader, access=_access(world, "leader"))
    assert stored_files(storage_root) == []


# -- posts: edit, delete, hide ------------------------------------------------------------------


def test_only_the_author_edits_or_deletes_and_others_replies_keep_a_thread(world):
    thread, _ = discussion.start_thread(
        world.community, author=world.participant, title="Hi", body="One"
    )
    with pytest.raises(ServiceError):
        discussion.edit(thread, actor=world.leader, title="Hi", body="Two")
    assert discussion.edit(thread, actor=world.participant, title="Hi", body="Two") == ["body"]
    reply, _ = discussion.reply(thread, author=world.leader, body="Mine")
    with pytest.raises(ServiceError) as refused:
        discussion.delete(thread, actor=world.participant)
    assert "Others have replied" in refused.value.message
    with pytest.raises(ServiceError):
        discussion.delete(reply, actor=world.participant)
    discussion.delete(reply, actor=world.leader)
    discussion.delete(thread, actor=world.participant)
    assert not Thread.objects.exists()


def test_leaders_and_staff_hide_a_post_and_members_do_not(world):
    thread, _ = discussion.start_thread(
        world.community, author=world.participant, title="Hi", body="One"
    )
    with pytest.raises(ServiceError):
        discussion.set_hidden(
            thread, actor=world.participant, access=_access(world, "participant"), hidden=True
        )
    for persona in ("leader", "staff"):
        assert discussion.set_hidden(
            thread, actor=world.users[persona], access=_access(world, persona), hidden=True
        )
        thread.refresh_from_db()
        assert thread.is_hidden and thread.hidden_by == world.users[persona]
        discussion.set_hidden(
            thread, actor=world.users[persona], access=_access(world, persona), hidden=False
        )


# -- archived -------------------------------------------------------------------------------


def test_an_archived_community_refuses_every_change(world, storage_root):
    thread, _ = discussion.start_thread(
        world.community, author=world.participant, title="Hi", body="One"
    )
    world.community.archived_at = timezone.now()
    world.community.save()
    thread.refresh_from_db()
    attempts = [
        lambda: discussion.start_thread(world.community, author=world.leader, title="t", body="b"),
        lambda: discussion.reply(thread, author=world.leader, body="b"),
        lambda: discussion.edit(thread, actor=world.participant, title="t", body="c"),
        lambda: files.upload(world.community, upload("a.pdf", PDF), actor=world.leader),
        lambda: announcements.announce(
            world.cohort, author=world.leader, title="t", body="b", community=world.community
        ),
    ]
    for attempt in attempts:
        with pytest.raises(CommunityArchived):
            attempt()
    assert stored_files(storage_root) == [] and not Announcement.objects.exists()


# -- announcements --------------------------------------------------------------------------


def test_an_announcement_emails_each_member_once_and_shows_until_dismissed(world, settings):
    row, queued = announcements.announce(
        world.cohort,
        author=world.leader,
        community=world.community,
        title="No meeting",
        body="Enjoy the break.",
    )
    assert queued == 1  # Pat; not Lee, who wrote it
    assert mails("workspace:announcement:")[0].to_email == "pat@pantry.example"
    assert announcements.for_home(world.participant) == [row]
    announcements.dismiss(row, user=world.participant)
    announcements.dismiss(row, user=world.participant)  # twice is fine
    assert announcements.for_home(world.participant) == []
    assert announcements.for_home(world.leader) == [row]
    assert announcements.for_home(world.observer) == []


def test_an_old_announcement_leaves_the_home_page(world, settings, time_machine):
    row, _ = announcements.announce(
        world.cohort, author=world.staff, title="Welcome", body="Hello all."
    )
    assert announcements.for_home(world.participant) == [row]
    time_machine.move_to(timezone.now())
    time_machine.shift(timedelta(days=settings.WORKSPACE_ANNOUNCEMENT_DAYS, hours=1))
    assert announcements.for_home(world.participant) == []


def test_staff_announce_to_every_cop_of_the_cohort(world):
    other = factories.CommunityFactory(cohort=world.cohort, name="Grant Writers")
    ana = factories.ParticipantFactory(cohort=world.cohort, email="ana@example.org")
    factories.MembershipFactory(community=other, participant=ana)
    outsider_cohort = factories.ParticipantFactory(cohort=world.other_cohort, email="x@example.org")
    factories.MembershipFactory(
        community=factories.CommunityFactory(cohort=world.other_cohort), participant=outsider_cohort
    )
    _row, queued = announcements.announce(
        world.cohort, author=world.staff, title="Welcome", body="Hello all."
    )
    assert queued == 3
    assert {m.to_email for m in mails("workspace:announcement:")} == {
        "ana@example.org",
        "lee@pantry.example",
        "pat@pantry.example",
    }
