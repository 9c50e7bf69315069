"""Demo data of the COP workspace: in each active community, a thread or two with replies
(one mentioning a member), a shared file attached to the first thread, an announcement from
a leader, and one announcement from staff to every COP of the cohort.

Everything goes through the workspace's services, so the emails they queue are in the outbox
as the real actions would leave them."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cohorts.models import Membership
from planning.workspace import files
from planning.workspace.services import announcements, discussion

NOTES = (
    "Board retreat: what we agreed\n"
    "\n"
    "1. Each board member brings one question about the budget.\n"
    "2. We try the appreciative opening from the training.\n"
    "3. Next step: a short survey of the members in two weeks.\n"
)


def _people(community):
    """(leaders, members) of `community` who can log in, as participants."""
    rows = (
        Membership.objects.filter(community=community, participant__user__isnull=False)
        .select_related("participant__user")
        .order_by("participant__name")
    )
    leaders = [m.participant for m in rows if m.is_leading]
    members = [m.participant for m in rows if not m.is_leading]
    return leaders, members


def add_workspace_data(cohort, *, staff):
    """Threads, replies, a file and announcements for `cohort`'s active communities.
    Returns counts for the seed command's summary."""
    counts = {"workspace threads": 0, "workspace replies": 0, "workspace files": 0}
    communities = cohort.communities.filter(archived_at__isnull=True).order_by("name")
    for community in communities:
        leaders, members = _people(community)
        leader = leaders[0].user if leaders else staff
        member = members[0] if members else None
        opener = member.user if member else leader
        thread, _ = discussion.start_thread(
            community,
            author=opener,
            title="How do you get board members to read the packet before a meeting?",
            body=(
                "Ours arrive without having opened it. What has worked for you? "
                "I put our last agenda here."
            ),
            uploads=[SimpleUploadedFile("board-agenda.txt", NOTES.encode())],
        )
        counts["workspace threads"] += 1
        counts["workspace files"] += 1
        mention = f"@{member.name} " if member and leaders else ""
        discussion.reply(
            thread,
            author=leader,
            body=(
                f"{mention}we send a one-page summary two days ahead, with the one decision "
                "we need from them at the top. It helped a lot."
            ),
        )
        counts["workspace replies"] += 1
        if leaders:
            announcements.announce(
                cohort,
                author=leader,
                community=community,
                title="Next meeting: bring one thing that worked",
                body="Each of us shares one practice that worked this month, in two minutes.",
            )
        files.upload(
            community,
            SimpleUploadedFile("members.csv", b"name,organization\nAna,Food pantry\n"),
            actor=leader,
            title="Who is in the COP",
        )
        counts["workspace files"] += 1
    if communities:
        announcements.announce(
            cohort,
            author=staff,
            title="Welcome to your COP workspace",
            body=(
                "Each community now has a place to talk, share files and read announcements. "
                "Open it from your community's page."
            ),
        )
    return counts
