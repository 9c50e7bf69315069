"""Managing data for the demo cohort (`seed_demo`): what the TTA team and the leaders have done
over the last weeks with leader check-ins, the leaders' circle and going-deeper activities.

- Check-ins every two weeks. Each community with leaders has the last four periods: the
  leaders' answers (1 to 5, successes, challenges; two communities name the same challenge in
  different words), "support wanted" on some that opened follow-ups, two of them answered by
  the coach, one check-in logged after a phone call, and one leader who has not answered the
  current period and is overdue.
- A monthly leaders' circle: the one that met about ten days ago has its drafted agenda,
  notes and attendance; the next ones are scheduled to the end of the program.
- Three discussion posts in the circle, with replies.
- The starter going-deeper activities; one suggested to every community, which some have
  accepted, planned onto a coming meeting or done with a reflection.

Everything a person would have done goes through the services (answer, log_call,
update_followup, schedule_convenings, save_draft, record_attendance, create_post, reply,
ensure_starters, suggest, accept, plan, mark_done), so it is what those people would have
produced. Two things do not:

- The check-in rows of each period are made here the way the cycle's `open_periods` makes
  them (one per leader and co-leader), with `prompted_at`/`reminded_at`/`escalated_at` set
  as its sweeps would have. The cycle itself works on every cohort in the database and on
  the current period only, so running it at past moments would touch other cohorts.
- The services stamp their rows with the current time; the moments are then moved back to
  when the person would have done it (an answer a few hours or days after the prompt, a
  post two weeks ago), so the history reads in order. Only timestamps are moved.

Like the emails of the real actions, the services queue theirs in the outbox.
"""

import random
from dataclasses import dataclass, field
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from cohorts.models import Membership
from devtools.demo.rows import bulk
from planning.checkins.services.answers import answer, log_call, update_followup
from planning.checkins.services.cycle import CHECKING_PHASES
from planning.checkins.services.rules import rules_for, set_cadence
from planning.deeper import services as deeper
from planning.meetings import schedule
from planning.models import (
    CheckIn,
    CirclePost,
    CircleReply,
    Convening,
    ConveningAttendance,
    DeeperSuggestion,
    FollowUp,
)
from planning.support.services import convenings, discussion

PERIODS = 4  # the current one and the three before it
EVERY_WEEKS = 2

# What each demo community's leader answered, oldest period first: (scale, successes,
# challenges, support wanted). Lines are separate points, as leaders type them. Board Builders
# and Fundraising Circle name the same challenge in different words in the third period, the
# one the past convening's agenda reads.
STORIES = {
    "Board Builders": [
        (
            3,
            "Six of seven members came and two shared their board skills matrix",
            "Board recruitment\nMeetings run over because everyone wants to tell their story",
            "",
        ),
        (
            4,
            "We started a shared list of board prospects that everyone adds to",
            "Recruiting board members who reflect the neighborhoods we serve",
            "Could you share examples of board recruitment packets other groups have used?",
        ),
        (
            4,
            "Two members held their first board orientation with the group's checklist",
            "Board recruitment\nBoard members who skip committee work once they have joined",
            "",
        ),
        (
            5,
            "A member's new board chair joined our call to say what made her say yes\n"
            "Members now run the go-around themselves",
            "Finding time for the board self-assessment before budget season",
            "",
        ),
    ],
    "Fundraising Circle": [
        (
            2,
            "We agreed on our focus: a first individual giving appeal for each organization",
            "Nobody in our organizations has fundraising as their main job",
            "A short session on writing an appeal letter would help us get started",
        ),
        (
            3,
            "Drafted a shared calendar of year-end appeals so we do not all mail the same week",
            "Donor records are spread over spreadsheets and email inboxes",
            "",
        ),
        (
            3,
            "Two members sent their first appeal letters and got gifts back within a week",
            "Recruiting new board members\nThanking donors quickly enough",
            "",
        ),
        (
            4,
            "Members traded thank-you letter templates and a simple gift tracking sheet",
            "Keeping the momentum after the year-end rush",
            "Is there a free donor database the group could try together?",
        ),
    ],
    "Volunteer Champions": [
        (
            2,
            "Everyone introduced their volunteer program and we found a lot in common",
            "Only three of us could come: the meeting time clashes with volunteer shifts",
            "Help finding a meeting time that works for coordinators who work evenings",
        ),
        (
            2,
            "We moved to a lunchtime slot and tried a short recorded update for those who miss it",
            "Volunteers stop showing up after their first season",
            "",
        ),
        (
            3,
            "A member shared her volunteer onboarding checklist and two of us adapted it",
            "Volunteer retention over the winter months",
            "",
        ),
    ],
    "Measuring What Matters": [
        (
            4,
            "Three members piloted the one-page outcome survey with their participants",
            "Getting frontline staff to collect the data the same way every time",
            "",
        ),
        (
            4,
            "We agreed on four shared outcome questions across our programs",
            "Staff see the survey as extra paperwork",
            "",
        ),
        (
            5,
            "The first results came back and members compared them at the meeting",
            "Turning the results into something a funder will read",
            "Could someone review our draft logic model before we share it with funders?",
        ),
        (
            4,
            "Members presented results to their own staff, who asked good questions",
            "Time: year-end reports are due and members missed the last meeting",
            "",
        ),
    ],
    "New Managers Roundtable": [
        (
            3,
            "Good first meeting in Baltimore; people stayed after to keep talking",
            "Members are pulled into staffing emergencies on meeting days",
            "",
        ),
        (
            2,
            "One member handled a difficult performance conversation using what we practiced",
            "Attendance fell to half; two members are covering vacant positions",
            "Ideas for keeping people connected between in-person meetings",
        ),
        (
            3,
            "We started pairing members to check in with each other between meetings",
            "Giving feedback to staff who used to be peers",
            "",
        ),
        (
            3,
            "A member brought a delegation plan she drafted and the group improved it",
            "Delegating when everyone on the team is already stretched",
            "",
        ),
    ],
}
# For any other community (and the co-leaders' answers, which are shorter).
GENERAL = [
    (
        3,
        "Most members came and each left with one thing to try",
        "Finding a time that works for everyone",
        "",
    ),
    (
        4,
        "Members shared templates they use and adapted them for each other",
        "Keeping the group going between meetings",
        "",
    ),
    (
        2,
        "We kept meeting, even with fewer people",
        "Staff turnover in several member organizations",
        "Ideas to bring back members who have drifted away",
    ),
    (
        4,
        "The group agreed on its next piece of work",
        "Members have little time outside the meetings",
        "",
    ),
]
ANYTHING_ELSE = [
    "",
    "",
    "Thank you for the reminder emails, they help.",
    "We would like to hear how other groups run their meetings.",
]
# The leader who has not answered the current period (overdue), and the one the coach
# called instead (in the second period), by community name; the first and last communities
# when the demo's names are not there.
OVERDUE_IN = "Volunteer Champions"
CALLED_IN = "New Managers Roundtable"

# The coach's answers to two follow-ups, by community; elsewhere the oldest gets the last.
FOLLOWUP_REPLIES = {
    "Board Builders": (
        FollowUp.State.DONE,
        "I sent three recruitment packets from last year's cohort to your group's workspace. "
        "The one from the food bank has a good one-page board job description.",
    ),
    "Volunteer Champions": (
        FollowUp.State.IN_PROGRESS,
        "I am asking the members for their shift patterns this week and will propose two "
        "times at the next leaders' circle.",
    ),
}

CONVENING_NOTES = (
    "Four groups gave an update; New Managers Roundtable sent apologies (a staffing "
    "emergency) and will share its news in the discussion. Board recruitment came up in two "
    "groups: Board Builders will share its prospect list template and Fundraising Circle "
    "its board job description for donors.\n"
    "Volunteer Champions asked for ideas on meeting times; two leaders offered to share how "
    "they record short updates for members who cannot come.\n"
    "Next time: how each group keeps members connected between meetings."
)
CONVENING_LOCATION = "https://meet.copkit.example/leaders-circle"

POSTS = [
    (
        "How do you welcome a new board member?",
        "We have two new board members starting in January. Does anyone have an orientation "
        "packet or a first-meeting agenda they would share? Ours is a stack of bylaws and "
        "not much else.",
        [
            "We pair each new member with a board buddy for the first three meetings. I can "
            "send our one-page welcome letter.",
            "Our orientation is a one-hour visit to a program site. It has done more than "
            "any binder to keep new members coming.",
        ],
    ),
    (
        "Free survey tools that work on phones?",
        "Our participants answer on their phones, often with poor signal. Which survey tools "
        "have worked for you without a paid plan?",
        [
            "We use a paper version for the site visits and a short phone form for everyone "
            "else. Three questions at most, or people stop.",
        ],
    ),
    (
        "Volunteer thank-yous on a tiny budget",
        "Our volunteer appreciation week is coming. What have you done that volunteers "
        "remembered and that cost next to nothing?",
        [
            "Handwritten cards from the people our volunteers serve. Every year someone tells "
            "me they kept theirs.",
            "A short photo slideshow at the season's last shift, with names. Cost us an hour.",
        ],
    ),
]

DEEPER_STARTER = "work-plan-feedback"
DEEPER_TRAINING = "Action planning workshop"
DEEPER_NOTE = (
    "After the action planning workshop, take one meeting to trade work plans in pairs and "
    "give each other feedback before you submit your plan."
)
# What the demo communities did with the suggestion: (community name, state).
DEEPER_STATES = [
    ("Measuring What Matters", DeeperSuggestion.State.DONE),
    ("Board Builders", DeeperSuggestion.State.PLANNED),
    ("Fundraising Circle", DeeperSuggestion.State.ACCEPTED),
]
DEEPER_DID = (
    "We paired up and each pair read the other's work plan before the meeting, then spent "
    "twenty minutes per pair on questions and suggestions."
)
DEEPER_LEARNED = (
    "Most of our plans named outcomes nobody had a way to measure. Three of us rewrote one "
    "goal each, and we want to do this again before the mid-year review."
)


@dataclass
class ManagingDemo:
    counts: dict = field(default_factory=dict)


def _leader_user(community):
    for membership in community.leaders:
        if membership.role == Membership.Role.LEADER and membership.participant.user_id:
            return membership.participant.user
    return None


def _story(community, index, rng):
    story = STORIES.get(community.name)
    if story is None:
        return rng.choice(GENERAL)
    return story[index] if index < len(story) else story[-1]


def _values(scale, successes, challenges, support, rng):
    return {
        "scale": scale,
        "successes": successes,
        "challenges": challenges,
        "support_wanted": support,
        "anything_else": rng.choice(ANYTHING_ELSE),
    }


def _co_leader_values(leader_scale, rng):
    scale, successes, challenges, _support = rng.choice(GENERAL)
    scale = min(5, max(1, leader_scale + rng.choice((-1, 0, 0, 1))))
    return _values(scale, successes, challenges, "", rng)


def _add_checkins(cohort, communities, *, staff, rng, now):
    """The cohort's cadence and each community's last PERIODS periods."""
    zone = ZoneInfo(cohort.time_zone)
    today = timezone.localtime(now, zone).date()
    # The current period started four to ten days ago: late enough for the unanswered one
    # to be overdue (reminded after three days), still the current period.
    first = today - timedelta(weeks=EVERY_WEEKS * (PERIODS - 1), days=4)
    first -= timedelta(days=first.weekday())  # a Monday
    set_cadence(
        cohort,
        actor=staff,
        every_weeks=EVERY_WEEKS,
        starts_on=first,
        paused=False,
        remind_after_days=3,
        escalate_after_days=7,
    )
    rules = rules_for(communities)
    names = [c.name for c in communities]
    overdue_in = OVERDUE_IN if OVERDUE_IN in names else names[0]
    called_in = CALLED_IN if CALLED_IN in names else names[-1]
    called = None
    for index in range(PERIODS):
        current = index == PERIODS - 1
        for community in communities:
            rule = rules[community.pk]
            period = rule.period(index)
            rows = []
            for membership in community.leaders:
                row = CheckIn(
                    community=community,
                    participant=membership.participant,
                    leader_id=membership.participant.user_id,
                    period=period.key,
                    due_at=period.due_at,
                    prompted_at=period.due_at,
                )
                row.membership = membership
                rows.append(row)
            bulk(CheckIn, rows)
            scale, successes, challenges, support = _story(community, index, rng)
            for row in rows:
                leads = row.membership.role == Membership.Role.LEADER
                if leads and current and community.name == overdue_in:
                    _chase(row, rule, now)
                    continue
                if leads and index == 1 and community.name == called_in:
                    # No answer online; the coach rang four days after the prompt.
                    _chase(row, rule, period.due_at + timedelta(days=4))
                    called = log_call(
                        community,
                        actor=staff,
                        how=CheckIn.How.PHONE,
                        held_on=period.starts_on + timedelta(days=4),
                        values=_values(scale, successes, challenges, support, rng),
                        participant=row.participant,
                    )
                    _backdate_followup(called, called.answered_at)
                    continue
                if not leads and not current and rng.random() < 0.5:
                    _chase(row, rule, period.due_at + timedelta(weeks=EVERY_WEEKS))
                    continue  # co-leaders often leave the answer to the leader
                values = (
                    _values(scale, successes, challenges, support, rng)
                    if leads
                    else _co_leader_values(scale, rng)
                )
                answer(row, values=values, user=row.membership.participant.user)
                late = timedelta(hours=rng.randint(2, 70))
                answered_at = min(period.due_at + late, now - timedelta(hours=1))
                CheckIn.objects.filter(pk=row.pk).update(answered_at=answered_at)
                _backdate_followup(row, answered_at)
    return called


def _chase(row, rule, until):
    """The reminder and escalation the cycle would have sent for an unanswered row by
    `until`."""
    changes = {}
    if rule.reminder_due(row.due_at) <= until:
        changes["reminded_at"] = rule.reminder_due(row.due_at)
    if rule.escalation_due(row.due_at) <= until:
        changes["escalated_at"] = rule.escalation_due(row.due_at)
    if changes:
        CheckIn.objects.filter(pk=row.pk).update(**changes)


def _backdate_followup(checkin, moment):
    FollowUp.objects.filter(checkin_id=checkin.pk).update(created_at=moment, updated_at=moment)


def _reply_to_followups(cohort, *, staff, now):
    """The coach answers two follow-ups (the first of each community in FOLLOWUP_REPLIES, or
    the oldest one), a day after each was asked."""
    followups = FollowUp.objects.filter(community__cohort=cohort).select_related("community")
    chosen = {}
    for followup in followups.order_by("created_at", "pk"):
        if followup.community.name in FOLLOWUP_REPLIES:
            chosen.setdefault(followup.community.name, followup)
    if not chosen:
        oldest = followups.order_by("created_at", "pk").first()
        name = list(FOLLOWUP_REPLIES)[-1]
        chosen = {name: oldest} if oldest else {}
    for name, followup in chosen.items():
        state, text = FOLLOWUP_REPLIES[name]
        update_followup(followup, actor=staff, state=state, reply=text)
        moment = min(followup.created_at + timedelta(days=1), now - timedelta(hours=1))
        FollowUp.objects.filter(pk=followup.pk).update(replied_at=moment, updated_at=moment)


def _add_circle(cohort, communities, *, staff, rng, now):
    """A monthly leaders' circle whose first meeting was about ten days ago, and its record."""
    Status = ConveningAttendance.Status
    names = [c.name for c in communities]
    excused_in = CALLED_IN if CALLED_IN in names else names[-1]
    zone = ZoneInfo(cohort.time_zone)
    today = timezone.localtime(now, zone).date()
    day = today - timedelta(days=10)
    while day.weekday() >= 5:  # a weekday
        day -= timedelta(days=1)
    week = (day.day - 1) // 7 + 1
    rule = {
        "first_date": day,
        "frequency": schedule.MONTHLY,
        "weekday": str(day.weekday()),
        "week_of_month": schedule.LAST if week == 5 else week,
        "start_time": time(12, 0),
        "length_minutes": 75,
        "until": max(cohort.ends_on, today + timedelta(days=120)),
    }
    created, _skipped = convenings.schedule_convenings(
        cohort,
        actor=staff,
        rule=rule,
        mode=Convening.Mode.VIRTUAL,
        location=CONVENING_LOCATION,
    )
    past = cohort.convenings.filter(starts_at__lt=now).order_by("starts_at").first()
    convenings.save_draft(past, actor=staff)
    Convening.objects.filter(pk=past.pk).update(
        agenda_drafted_at=past.starts_at - timedelta(days=2)
    )
    convenings.update_convening(past, actor=staff, changes={"notes": CONVENING_NOTES})
    # Each community's leader came but one, who sent apologies (the notes say so); the
    # co-leaders came or not.
    statuses = {}
    for community in communities:
        for membership in community.leaders:
            if membership.role == Membership.Role.LEADER:
                status = Status.EXCUSED if community.name == excused_in else Status.PRESENT
            else:
                status = rng.choice((Status.PRESENT, Status.PRESENT, Status.ABSENT))
            statuses.setdefault(str(membership.participant.public_id), status)
    convenings.record_attendance(past, actor=staff, statuses=statuses, now=now)
    return created


def _add_discussion(cohort, authors, *, staff, now):
    """Posts by leaders over the last three weeks, each answered by other leaders."""
    replies = 0
    for number, (title, body, answers) in enumerate(POSTS):
        author = authors[number % len(authors)]
        post = discussion.create_post(cohort, author=author, title=title, body=body)
        posted = now - timedelta(days=20 - 6 * number, hours=3)
        moment = posted
        for turn, text in enumerate(answers):
            who = authors[(number + 1 + turn) % len(authors)]
            if who == author:
                who = staff
            row = discussion.reply(post, author=who, body=text)
            moment = moment + timedelta(hours=5 + 14 * turn)
            CircleReply.objects.filter(pk=row.pk).update(created_at=moment, updated_at=moment)
            replies += 1
        CirclePost.objects.filter(pk=post.pk).update(
            created_at=posted, updated_at=posted, last_activity_at=moment
        )
    return len(POSTS), replies


def _add_deeper(cohort, communities, *, staff, now):
    """The starter activities; one suggested to every community, taken on by some."""
    deeper.ensure_starters(cohort)
    activity = cohort.deeper_activities.get(starter=DEEPER_STARTER)
    today = timezone.localtime(now, ZoneInfo(cohort.time_zone)).date()
    suggested = deeper.suggest(
        activity,
        actor=staff,
        communities=communities,
        training=DEEPER_TRAINING,
        due_on=today + timedelta(days=30),
        note=DEEPER_NOTE,
    ).created
    asked_at = now - timedelta(days=18)
    DeeperSuggestion.objects.filter(pk__in=[s.pk for s in suggested]).update(
        created_at=asked_at, updated_at=asked_at
    )
    by_name = {s.community.name: s for s in suggested}
    for name, state in DEEPER_STATES:
        suggestion = by_name.get(name)
        leader = _leader_user(suggestion.community) if suggestion else None
        if leader is None:
            continue
        answered_at = now - timedelta(days=14)
        if state == DeeperSuggestion.State.ACCEPTED:
            deeper.accept(suggestion, actor=leader)
        elif state == DeeperSuggestion.State.PLANNED:
            meeting = deeper.plannable_meetings(suggestion.community, now).first()
            if meeting is None:
                deeper.accept(suggestion, actor=leader)
            else:
                deeper.plan(suggestion, actor=leader, meeting=meeting)
        else:
            deeper.accept(suggestion, actor=leader)
            deeper.mark_done(
                suggestion, actor=leader, what_we_did=DEEPER_DID, what_we_learned=DEEPER_LEARNED
            )
            done_at = now - timedelta(days=4)
            DeeperSuggestion.objects.filter(pk=suggestion.pk).update(done_at=done_at)
        DeeperSuggestion.objects.filter(pk=suggestion.pk).update(answered_at=answered_at)
    return cohort.deeper_activities.count(), len(suggested)


def add_managing_data(cohort, *, staff, seed=2026):
    """Check-ins, the leaders' circle and going-deeper activities for `cohort`'s communities.
    Returns a ManagingDemo with what was made."""
    rng = random.Random(f"managing-{seed}-{cohort.slug}")
    now = timezone.now()
    communities = [
        community
        for community in cohort.communities.active()
        .filter(phase__in=CHECKING_PHASES)
        .select_related("cohort")
        .with_leaders()
        .order_by("name")
        if community.leaders
    ]
    if not communities:
        return ManagingDemo(counts={})
    _add_checkins(cohort, communities, staff=staff, rng=rng, now=now)
    _reply_to_followups(cohort, staff=staff, now=now)
    created = _add_circle(cohort, communities, staff=staff, rng=rng, now=now)
    authors = [user for user in map(_leader_user, communities) if user is not None] or [staff]
    posts, replies = _add_discussion(cohort, authors, staff=staff, now=now)
    activities, suggestions = _add_deeper(cohort, communities, staff=staff, now=now)
    checkins = CheckIn.objects.filter(community__cohort=cohort)
    return ManagingDemo(
        counts={
            "check-ins": checkins.count(),
            "check-ins answered": checkins.filter(answered_at__isnull=False).count(),
            "check-in follow-ups": FollowUp.objects.filter(community__cohort=cohort).count(),
            "leaders' circle convenings": len(created),
            "circle posts": posts,
            "circle replies": replies,
            "going-deeper activities": activities,
            "going-deeper suggestions": suggestions,
        }
    )
