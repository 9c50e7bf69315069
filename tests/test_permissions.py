"""The permission matrix: every URL pattern of copkit, every persona, the expected status.

A URL pattern of copkit's own that is missing from MATRIX fails `test_every_url_is_in_the_matrix`,
so a new view cannot land without saying who may use it.
"""

import importlib
import importlib.util

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cohorts.models import CohortRole
from planning.models import CalendarFeed
from tests import factories
from tests.matrix_common import (
    EVERYONE,
    LOGIN,
    MEMBERS,
    PERSONAS,
    STAFF_ONLY,
    STAFF_ONLY_POST,
)


@pytest.fixture
def world(module_world, db):
    """The personas, built once for this module: its ~720 cases only read them."""
    return module_world


# URL name -> (method, {persona: expected status}). "login" means a redirect to the login page.
EVERYONE_IN_COHORT = EVERYONE
PARTICIPANTS_ONLY = {
    "anonymous": LOGIN,
    "staff": 403,
    "observer": 403,
    "leader": 200,
    "participant": 200,
    "outsider": 404,
}
COMMUNITY_MEMBERS = MEMBERS
COMMUNITY_MEMBERS_POST = {**COMMUNITY_MEMBERS, "staff": 302, "leader": 302, "participant": 302}

MATRIX = {
    "home": ("get", {**EVERYONE_IN_COHORT, "outsider": 200}),
    "healthz": ("get", dict.fromkeys(PERSONAS, 200)),
    # The invitation belongs to a participant who has not joined: anyone may open the link,
    # a logged-in person with another email is asked to log out first.
    "accept-invitation": (
        "get",
        {
            "anonymous": 200,
            "staff": 200,
            "observer": 200,
            "leader": 200,
            "participant": 200,
            "outsider": 200,
        },
    ),
    "cohorts:cohort-create": (
        "get",
        {
            "anonymous": LOGIN,
            "staff": 200,
            "observer": 403,
            "leader": 403,
            "participant": 403,
            "outsider": 403,
        },
    ),
    "cohorts:dashboard": ("get", {**STAFF_ONLY, "observer": 200}),
    "cohorts:cohort-edit": ("get", STAFF_ONLY),
    # Closing a cohort (and reopening it) is for its staff; the notice a refused htmx write
    # leads to is for anyone of the cohort (an open cohort's notice sends them home: 302).
    "cohorts:cohort-close": ("get", STAFF_ONLY),
    "cohorts:closed-notice": (
        "get",
        {
            "anonymous": LOGIN,
            "staff": 302,
            "observer": 302,
            "leader": 302,
            "participant": 302,
            "outsider": 404,
        },
    ),
    "cohorts:team": ("get", STAFF_ONLY),
    "cohorts:team-remove": ("post", STAFF_ONLY_POST),
    "cohorts:topic-list": ("get", STAFF_ONLY),
    "cohorts:organization-list": ("get", STAFF_ONLY),
    "cohorts:organization-edit": ("get", STAFF_ONLY),
    "cohorts:topic-edit": ("get", STAFF_ONLY),
    "cohorts:topic-delete": ("post", STAFF_ONLY_POST),
    "cohorts:my-profile": (
        "get",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "observer": 403,
            "leader": 200,
            "participant": 200,
            "outsider": 404,
        },
    ),
    "cohorts:participant-list": ("get", STAFF_ONLY),
    "cohorts:roster-import": ("get", STAFF_ONLY),
    "cohorts:roster-skipped": ("post", STAFF_ONLY_POST),
    "cohorts:invite": ("post", STAFF_ONLY_POST),
    "cohorts:participant-edit": ("get", STAFF_ONLY),
    "cohorts:invitation-resend": ("post", STAFF_ONLY_POST),
    "cohorts:participant-remove": ("post", STAFF_ONLY_POST),
    "cohorts:community-list": ("get", EVERYONE_IN_COHORT),
    "cohorts:community-create": ("get", STAFF_ONLY),
    "cohorts:community-detail": ("get", EVERYONE_IN_COHORT),
    "cohorts:community-edit": ("get", {**STAFF_ONLY, "leader": 200}),
    "cohorts:community-archive": ("post", STAFF_ONLY_POST),
    "cohorts:membership-add": ("post", STAFF_ONLY_POST),
    "cohorts:membership-edit": ("post", STAFF_ONLY_POST),
    # -- planning (issue 3): surveys, live polls, inventory and web, dot voting, interviews --
    "planning:survey-list": ("get", STAFF_ONLY),
    "planning:survey-create": ("get", STAFF_ONLY),
    "planning:survey-detail": ("get", STAFF_ONLY),
    "planning:survey-edit": ("get", STAFF_ONLY),
    "planning:survey-copy": ("post", STAFF_ONLY_POST),
    "planning:survey-status": ("post", STAFF_ONLY_POST),
    "planning:survey-delete": ("post", STAFF_ONLY_POST),
    "planning:question-add": ("get", STAFF_ONLY),
    "planning:question-edit": ("get", STAFF_ONLY),
    "planning:question-delete": ("post", STAFF_ONLY_POST),
    "planning:question-move": ("post", STAFF_ONLY_POST),
    "planning:survey-recipients": ("get", STAFF_ONLY),
    "planning:survey-send": ("post", STAFF_ONLY_POST),
    "planning:survey-remind": ("post", STAFF_ONLY_POST),
    # Aggregates for staff and observers; the CSV holds each person's answers: staff only.
    "planning:survey-results": ("get", {**STAFF_ONLY, "observer": 200}),
    "planning:survey-export": ("get", STAFF_ONLY),
    "planning:my-surveys": ("get", PARTICIPANTS_ONLY),
    "planning:live-start": ("post", STAFF_ONLY_POST),
    "planning:live-present": ("get", STAFF_ONLY),
    "planning:live-screen": ("get", STAFF_ONLY),
    "planning:live-results": ("get", STAFF_ONLY),
    "planning:live-control": ("post", STAFF_ONLY_POST),
    # The token is the key: a personal survey link and a live poll code work for anyone.
    "survey-answer": ("get", dict.fromkeys(PERSONAS, 200)),
    "survey-answer-save": ("post", dict.fromkeys(PERSONAS, 200)),
    "live-join": ("get", dict.fromkeys(PERSONAS, 200)),
    "live-vote": ("get", dict.fromkeys(PERSONAS, 200)),
    "live-vote-state": ("get", dict.fromkeys(PERSONAS, 200)),
    # A community's inventory, web, votes and interviews: its members and staff.
    "planning:inventory": ("get", COMMUNITY_MEMBERS),
    # An empty entry re-renders the page with the error next to the field.
    "planning:inventory-entry-add": ("post", COMMUNITY_MEMBERS),
    "planning:inventory-entry-delete": ("post", COMMUNITY_MEMBERS_POST),
    "planning:connection-add": ("post", COMMUNITY_MEMBERS_POST),
    "planning:connection-delete": ("post", COMMUNITY_MEMBERS_POST),
    "planning:web": ("get", COMMUNITY_MEMBERS),
    "planning:web-svg": ("get", COMMUNITY_MEMBERS),
    "planning:common-needs": ("get", COMMUNITY_MEMBERS),
    # An empty new candidate re-renders the page with the error under the field (200).
    "planning:common-need-add": ("post", {**COMMUNITY_MEMBERS, "participant": 403}),
    # Only members hold dots; staff count them but do not vote.
    "planning:common-need-vote": ("post", {**COMMUNITY_MEMBERS_POST, "staff": 403}),
    "planning:common-needs-choose": ("post", {**COMMUNITY_MEMBERS_POST, "participant": 403}),
    "planning:interviews": ("get", COMMUNITY_MEMBERS),
    "planning:interviews-setup": ("get", {**COMMUNITY_MEMBERS, "participant": 403}),
    # Notes belong to the pair: the two members write them; staff read them on the page.
    "planning:interview-notes": ("post", {**COMMUNITY_MEMBERS_POST, "staff": 403}),
    # -- planning (issue 4): the action plan, its review, meetings and calendars --
    "planning:plan": ("get", COMMUNITY_MEMBERS),
    "planning:plan-part": ("get", COMMUNITY_MEMBERS),
    "planning:plan-part-save": ("post", {**COMMUNITY_MEMBERS_POST, "participant": 403}),
    "planning:plan-print": ("get", COMMUNITY_MEMBERS),
    "planning:plan-pdf": ("get", COMMUNITY_MEMBERS),
    "planning:plan-versions": ("get", COMMUNITY_MEMBERS),
    "planning:plan-submit": ("post", {**COMMUNITY_MEMBERS_POST, "participant": 403}),
    "planning:plan-review": (
        "post",
        {**COMMUNITY_MEMBERS_POST, "leader": 403, "participant": 403},
    ),
    "planning:plan-comment": ("post", COMMUNITY_MEMBERS_POST),
    "planning:plan-list": ("get", STAFF_ONLY),
    "planning:plan-template": ("get", STAFF_ONLY),
    "planning:plan-template-part": ("get", STAFF_ONLY),
    "planning:meetings": ("get", COMMUNITY_MEMBERS),
    "planning:meeting-schedule": ("get", {**COMMUNITY_MEMBERS, "participant": 403}),
    "planning:meeting-settings": ("get", {**COMMUNITY_MEMBERS, "participant": 403}),
    "planning:meeting-create": ("get", {**COMMUNITY_MEMBERS, "participant": 403}),
    # Reminders are a member's own: staff hold no membership to turn off.
    "planning:meeting-reminders": ("post", {**COMMUNITY_MEMBERS_POST, "staff": 403}),
    "planning:meeting-detail": ("get", COMMUNITY_MEMBERS),
    "planning:meeting-edit": ("get", {**COMMUNITY_MEMBERS, "participant": 403}),
    "planning:meeting-attendance": ("post", {**COMMUNITY_MEMBERS_POST, "participant": 403}),
    "planning:meeting-ics": ("get", COMMUNITY_MEMBERS),
    "planning:my-calendar": ("get", PARTICIPANTS_ONLY),
    "planning:calendar-reset": ("post", {**PARTICIPANTS_ONLY, "leader": 302, "participant": 302}),
    # The feed's secret token is the key (calendar apps cannot log in).
    "calendar-feed": ("get", dict.fromkeys(PERSONAS, 200)),
    # -- formation rounds (issue 5): staff only; a participant's personal link is the key --
    "cohorts:formation-list": ("get", STAFF_ONLY),
    "cohorts:formation-create": ("get", STAFF_ONLY),
    "cohorts:formation-detail": ("get", STAFF_ONLY),
    "cohorts:formation-edit": ("get", STAFF_ONLY),
    "cohorts:formation-delete": ("post", STAFF_ONLY_POST),
    "cohorts:formation-people": ("get", STAFF_ONLY),
    "cohorts:formation-topics": ("get", STAFF_ONLY),
    "cohorts:formation-topic-delete": ("post", STAFF_ONLY_POST),
    "cohorts:formation-criteria": ("get", STAFF_ONLY),
    "cohorts:formation-send": ("post", STAFF_ONLY_POST),
    "cohorts:formation-entry": ("get", STAFF_ONLY),
    "cohorts:formation-run": ("post", STAFF_ONLY_POST),
    "cohorts:formation-progress": ("get", STAFF_ONLY),
    "cohorts:formation-review": ("get", STAFF_ONLY),
    # An empty move, rename or lock re-renders the board with the error beside it (200).
    "cohorts:formation-move": ("post", STAFF_ONLY),
    "cohorts:formation-group-add": ("post", STAFF_ONLY_POST),
    "cohorts:formation-group-rename": ("post", STAFF_ONLY),
    "cohorts:formation-group-leaders": ("post", STAFF_ONLY_POST),
    "cohorts:formation-lock-add": ("post", STAFF_ONLY),
    "cohorts:formation-lock-delete": ("post", STAFF_ONLY_POST),
    "cohorts:formation-upload": ("get", STAFF_ONLY),
    "cohorts:formation-publish": ("post", STAFF_ONLY_POST),
    "formation-answer": ("get", dict.fromkeys(PERSONAS, 200)),
}

# Later stages keep their rows in a module of their own, tests/matrix_<stage>.py, with
# MATRIX (rows as above) and url_for(name, world) -> the URL of one of its names.
STAGE_MATRICES = tuple(
    importlib.import_module(f"tests.matrix_{stage}")
    for stage in (
        "checkins",
        "support",
        "deeper",
        "messages",
        "goals",
        "evaluations",
        "evidence",
        "knowledge",
        "workspace",
        "tta_requests",
        "sunset_phases",
        "sunset_plan",
        "alumni",
        "archive",
    )
    if importlib.util.find_spec(f"tests.matrix_{stage}") is not None
)
for _stage in STAGE_MATRICES:
    MATRIX.update(_stage.MATRIX)

# Third-party URL sets, tested by their authors; copkit only restyles them.
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_PREFIXES = ("account_",)


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{inner}:" if inner else namespace
            yield from _all_url_names(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            if entry.name.startswith(EXCLUDED_PREFIXES) or entry.name in {"account_email"}:
                continue
            yield f"{namespace}{entry.name}"


def test_every_url_is_in_the_matrix():
    names = set(_all_url_names())
    missing = names - set(MATRIX)
    stale = set(MATRIX) - names
    assert not missing, f"URL patterns missing from the permission matrix: {sorted(missing)}"
    assert not stale, f"Matrix rows for URL names that no longer exist: {sorted(stale)}"


PUBLIC_PLANNING = {
    "calendar-feed",
    "survey-answer",
    "survey-answer-save",
    "live-join",
    "live-vote",
    "live-vote-state",
}


def planning_kwargs(name, world):
    """URL kwargs for the planning pages, with the objects they name made in `world`:
    a survey with a question sent to Pat, a live session, Pat's need and Lee's help with it,
    a common need and the interview rotation of Board Builders."""
    if name == "live-join":
        return {}
    if name == "calendar-feed":
        feed = CalendarFeed.objects.create(participant=world.participant_participant)
        return {"token": feed.token}
    if name in {"survey-answer", "survey-answer-save"}:
        recipient = factories.SurveyRecipientFactory(
            survey=factories.QuestionFactory(survey__cohort=world.cohort).survey,
            participant=world.participant_participant,
        )
        return {"token": recipient.token}
    if name.startswith("live-vote"):
        question = factories.QuestionFactory(survey__cohort=world.cohort)
        session = factories.LiveSessionFactory(survey=question.survey, current_question=question)
        return {"code": session.code}
    kwargs = {"cohort_slug": world.cohort.slug}
    rest = name.removeprefix("planning:")
    if rest.startswith(("survey-", "question-", "live-start")) and rest not in {
        "survey-list",
        "survey-create",
    }:
        question = factories.QuestionFactory(survey__cohort=world.cohort)
        kwargs["survey_id"] = question.survey.public_id
        if rest.startswith("question-") and rest != "question-add":
            kwargs["question_id"] = question.public_id
    elif rest.startswith("live-"):
        question = factories.QuestionFactory(survey__cohort=world.cohort)
        session = factories.LiveSessionFactory(survey=question.survey, current_question=question)
        kwargs["session_id"] = session.public_id
    elif rest not in {
        "survey-list",
        "survey-create",
        "my-surveys",
        "plan-list",
        "plan-template",
        "plan-template-part",
        "my-calendar",
        "calendar-reset",
    }:
        kwargs["community_slug"] = world.community.slug
        if rest == "inventory-entry-delete":
            entry = factories.InventoryEntryFactory(
                participant=world.participant_participant, topic=world.topic
            )
            kwargs["entry_id"] = entry.public_id
        elif rest == "connection-delete":
            need = factories.InventoryEntryFactory(
                participant=world.participant_participant, topic=world.topic
            )
            connection = factories.ConnectionFactory(
                community=world.community, need=need, helper=world.leader_participant
            )
            kwargs["connection_id"] = connection.public_id
        elif rest == "plan-part" or rest == "plan-part-save":
            kwargs["part_key"] = "goals"
        elif rest.startswith("meeting-") and rest not in {
            "meeting-schedule",
            "meeting-settings",
            "meeting-create",
            "meeting-reminders",
        }:
            kwargs["meeting_id"] = factories.MeetingFactory(community=world.community).public_id
        elif rest == "interview-notes":
            rotation = factories.InterviewRotationFactory(community=world.community)
            pair = rotation.pairs.create(
                round_number=1,
                first=world.leader_participant,
                second=world.participant_participant,
            )
            kwargs["pair_id"] = pair.public_id
    if rest == "plan-template-part":
        kwargs["part_key"] = "goals"
    return kwargs


def formation_kwargs(name, world):
    """URL kwargs for the formation pages: a speed-matching round of Lee and Pat, with a
    proposal of one group, a lock and a topic."""
    formation_round = factories.FormationRoundFactory(cohort=world.cohort, size_min=2)
    entry = factories.FormationEntryFactory(
        round=formation_round, participant=world.participant_participant
    )
    factories.FormationEntryFactory(round=formation_round, participant=world.leader_participant)
    if name == "formation-answer":
        return {"token": entry.token}
    kwargs = {"cohort_slug": world.cohort.slug}
    if name in {"cohorts:formation-list", "cohorts:formation-create"}:
        return kwargs
    kwargs["round_id"] = formation_round.public_id
    group = factories.ProposedGroupFactory(proposal__round=formation_round)
    for participant in (world.leader_participant, world.participant_participant):
        factories.ProposedMemberFactory(group=group, participant=participant)
    if name == "cohorts:formation-entry":
        kwargs["entry_id"] = entry.public_id
    elif name == "cohorts:formation-topic-delete":
        kwargs["topic_id"] = factories.FormationTopicFactory(round=formation_round).public_id
    elif name == "cohorts:formation-lock-delete":
        lock = factories.FormationLockFactory(
            round=formation_round,
            first=world.leader_participant,
            second=world.participant_participant,
        )
        kwargs["lock_id"] = lock.public_id
    elif name in ("cohorts:formation-group-rename", "cohorts:formation-group-leaders"):
        kwargs["group_id"] = group.public_id
    return kwargs


def _url_for(name, world):
    for stage in STAGE_MATRICES:
        if name in stage.MATRIX:
            return stage.url_for(name, world)
    cohort = world.cohort.slug
    community = world.community.slug
    if name.startswith("cohorts:formation-") or name == "formation-answer":
        return reverse(name, kwargs=formation_kwargs(name, world))
    if name.startswith("planning:") or name in PUBLIC_PLANNING:
        return reverse(name, kwargs=planning_kwargs(name, world))
    if name in {"home", "healthz", "cohorts:cohort-create"}:
        return reverse(name)
    if name == "accept-invitation":
        invitation = factories.InvitationFactory(
            participant=factories.ParticipantFactory(cohort=world.cohort)
        )
        return reverse(name, kwargs={"token": invitation.token})
    kwargs = {"cohort_slug": cohort}
    if (
        name.startswith("cohorts:community-")
        and name not in {"cohorts:community-list", "cohorts:community-create"}
    ) or name.startswith("cohorts:membership-"):
        kwargs["community_slug"] = community
    if name == "cohorts:membership-edit":
        kwargs["membership_id"] = world.member_membership.public_id
    if name in {"cohorts:topic-edit", "cohorts:topic-delete"}:
        kwargs["topic_slug"] = world.topic.slug
    if name == "cohorts:organization-edit":
        kwargs["organization_id"] = world.organization.public_id
    if name == "cohorts:team-remove":
        kwargs["role_id"] = world.cohort.roles.get(role=CohortRole.Role.OBSERVER).public_id
    if name in {"cohorts:participant-edit", "cohorts:participant-remove"}:
        kwargs["participant_id"] = world.participant_participant.public_id
    if name == "cohorts:invitation-resend":
        invited = factories.InvitationFactory(
            participant=factories.ParticipantFactory(cohort=world.cohort)
        )
        kwargs["participant_id"] = invited.participant.public_id
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(name, persona, world, client_for):
    method, expected_by_persona = MATRIX[name]
    expected = expected_by_persona[persona]
    client = client_for(persona)
    url = _url_for(name, world)
    response = getattr(client, method)(url)
    if expected == LOGIN:
        assert response.status_code == 302, (name, persona, response.status_code)
        assert response.url.startswith(reverse("account_login")), response.url
    else:
        assert response.status_code == expected, (name, persona, response.status_code)


@pytest.mark.parametrize(
    "name", sorted(name for name, (method, _table) in MATRIX.items() if method == "post")
)
def test_post_only_views_refuse_get(name, world, client_for):
    response = client_for("staff").get(_url_for(name, world))
    assert response.status_code == 405


def test_outsider_gets_404_even_for_a_real_community_of_their_own_slug(world, client_for):
    """The slug of a community in another cohort never resolves through this cohort."""
    elsewhere = factories.CommunityFactory(cohort=world.other_cohort, name="Far Away")
    client = client_for("staff")
    url = reverse(
        "cohorts:community-detail",
        kwargs={"cohort_slug": world.cohort.slug, "community_slug": elsewhere.slug},
    )
    assert client.get(url).status_code == 404
    assert client.get(world.community.get_absolute_url()).status_code == 200
