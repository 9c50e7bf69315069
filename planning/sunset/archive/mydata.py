"""The planning app's part of a person's own data (copkit.mydata): their answers to surveys,
polls and inventories, their check-ins, posts, files, knowledge items and attendance.

On deletion their answers stay in every count and average but no longer point at them; their
posts and files stay for the other members with no author; their knowledge items keep their
text under the participant record, which the cohorts app renames "Former member"."""

from cohorts.models import Participant
from copkit import mydata
from planning.checkins.models import CheckIn
from planning.knowledge.models import KnowledgeComment, KnowledgeItem
from planning.meetings.models import Attendance
from planning.needs.models import InventoryEntry
from planning.surveys.models import Answer, Response
from planning.workspace.models import Reply, Thread, WorkspaceFile


def _answers(user):
    answers = (
        Answer.objects.filter(response__participant__user=user)
        .select_related("question", "response__survey__cohort")
        .order_by("response__survey__created_at", "question__position")
    )
    return [
        {
            "cohort": a.response.survey.cohort.name,
            "survey": a.response.survey.title,
            "kind": a.response.survey.get_kind_display(),
            "question": a.question.text,
            "answer": a.value,
            "submitted_at": a.response.submitted_at,
        }
        for a in answers
    ]


def export(user):
    files = []
    shared = []
    for row in WorkspaceFile.objects.filter(uploaded_by=user).select_related("community"):
        path = f"files/{row.public_id.hex[:8]}-{row.name}"
        with row.stored.open("rb") as handle:
            files.append((path, handle.read()))
        shared.append({"community": row.community.name, "title": row.title, "file": path})
    data = {
        "survey_and_poll_answers": _answers(user),
        "inventory": [
            {
                "cohort": e.participant.cohort.name,
                "kind": e.get_kind_display(),
                "topic": e.topic.name if e.topic_id else "",
                "in_a_sentence": e.description,
            }
            for e in InventoryEntry.objects.filter(participant__user=user).select_related(
                "participant__cohort", "topic"
            )
        ],
        "check_ins": [
            {
                "community": c.community.name,
                "period": c.period,
                "answered_at": c.answered_at,
                "scale": c.scale,
                "successes": c.successes,
                "challenges": c.challenges,
                "support_wanted": c.support_wanted,
            }
            for c in CheckIn.objects.filter(leader=user, answered_at__isnull=False).select_related(
                "community"
            )
        ],
        "posts": [
            {"community": t.community.name, "title": t.title, "body": t.body, "at": t.created_at}
            for t in Thread.objects.filter(author=user).select_related("community")
        ]
        + [
            {"community": r.thread.community.name, "reply_to": r.thread.title, "body": r.body}
            for r in Reply.objects.filter(author=user).select_related("thread__community")
        ],
        "files": shared,
        "knowledge_items": [
            {"community": k.community.name, "title": k.title, "kind": k.kind, "fields": k.fields}
            for k in KnowledgeItem.objects.filter(author__user=user).select_related("community")
        ],
        "attendance": [
            {"meeting": a.meeting.title, "starts_at": a.meeting.starts_at, "status": a.status}
            for a in Attendance.objects.filter(participant__user=user).select_related("meeting")
        ],
    }
    return data, files


def _unmention(user):
    """ "@Their Name" in other people's posts of their communities becomes "@Former member"."""
    people = Participant.objects.filter(user=user).values_list("name", "memberships__community")
    for name, community_id in people:
        if not name or community_id is None:
            continue
        mention = f"@{name}"
        for model, scope in ((Thread, "community_id"), (Reply, "thread__community_id")):
            for post in model.objects.filter(**{scope: community_id}, body__contains=mention):
                post.body = post.body.replace(mention, f"@{mydata.FORMER_MEMBER}")
                post.save(update_fields=["body"])


def forget(user):
    _unmention(user)
    # Answers stay in the counts, cut from the person: no participant, no personal link.
    Response.objects.filter(participant__user=user).update(
        participant=None, recipient=None, voter_key=""
    )
    Thread.objects.filter(author=user).update(author=None)
    Reply.objects.filter(author=user).update(author=None)
    WorkspaceFile.objects.filter(uploaded_by=user).update(uploaded_by=None)
    KnowledgeItem.objects.filter(author_user=user).update(author_user=None)
    KnowledgeComment.objects.filter(author_user=user).update(author_user=None)
    CheckIn.objects.filter(leader=user).update(leader=None)


mydata.register(mydata.Source("planning", export, forget, order=50))
