"""Action plans and meetings for the demo cohort and the bench's cohorts (called from
`devtools.demo.planning.add_planning_data`).

Every community gets a plan at a different stage, in turn: the personas' community
("Board Builders" in the demo, the first community in the bench) had version 1 approved and
is now revising one part; then one submitted and waiting for review, one returned with a
staff comment, one half written (5 of 12 parts), one not started, and round again.

Every community meets monthly (second Tuesday, first Thursday, ...; 6 or 7 p.m. local)
from the cohort's start to its end, after a kick-off in its first week; a few meetings are
cancelled. Past meetings have attendance (70-90 % present, seeded), except the personas'
community's latest one, which its leader has not recorded yet.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from cohorts.models import Community, Membership
from devtools.demo.plan_texts import (
    AGENDAS,
    COMMITMENTS,
    DECISIONS,
    FORMATS,
    GENERAL_PLAN,
    GOALS_COMMENT,
    MEMBER_COMMENT,
    MODE_FOR_FORMAT,
    RESOURCES,
    RETURN_COMMENT,
    ROLE_NAMES,
    RULES,
    TOPIC_PLANS,
    WHY,
)
from devtools.demo.rows import bulk
from planning.meetings import schedule
from planning.models import (
    ActionPlan,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingSettings,
    PlanComment,
    PlanPart,
    PlanVersion,
)
from planning.plans.parts import as_text, part_by_key

HOME_COMMUNITY = "Board Builders"  # devtools.demo.data.DEMO_COMMUNITIES[0], the personas' COP

# The stages plans are at, community by community after the personas' one.
SUBMITTED, RETURNED, HALF, NONE = "submitted", "returned", "half", "none"
STAGES = (SUBMITTED, RETURNED, HALF, NONE)
HALF_PARTS = ("potential", "goals", "work_type", "format", "logistics")


def _target(cohort, months):
    if months is None:
        return cohort.ends_on.isoformat()
    day = cohort.starts_on + timedelta(days=round(months * 30.5))
    return min(day, cohort.ends_on).isoformat()


def plan_answers(cohort, community, crew, index, first_meeting):
    """Every part's answer for `community`: {part key: data}. `crew` is its memberships,
    leaders first; `index` varies the wording from community to community."""
    topic = community.topic.name if community.topic_id else ""
    spec = TOPIC_PLANS.get(topic, GENERAL_PLAN)
    people = [str(m.participant.public_id) for m in crew]
    names = [m.participant.name for m in crew]
    week, weekday, start, minutes = RULES[index % len(RULES)]
    mode = MODE_FOR_FORMAT.get(community.meeting_format, Meeting.Mode.VIRTUAL)
    trainers = ", ".join(
        f"{subject} ({names[(n + 1) % len(names)]})" for n, subject in enumerate(spec["trainings"])
    )
    roles = [{"role": "Convener", "member": people[0]}]
    leading = [m for m in crew[1:] if m.is_leading]
    if leading:
        roles.append({"role": "Co-convener", "member": str(leading[0].participant.public_id)})
    others = [p for m, p in zip(crew, people, strict=True) if not m.is_leading] or people
    for n, role in enumerate(ROLE_NAMES[: 2 + index % 3]):
        roles.append({"role": role, "member": others[n % len(others)]})
    roles.append({"role": "Liaison with the TTA team", "member": people[0]})
    return {
        "potential": {"potential": spec["potential"]},
        "goals": {
            "goals": [
                {"goal": goal, "indicator": indicator, "target_date": _target(cohort, months)}
                for goal, indicator, months in spec["goals"]
            ]
        },
        "work_type": {"work_type": community.work_type, "why": WHY[community.work_type]},
        "format": {"formats": FORMATS[index % len(FORMATS)], "training_topics": trainers},
        "logistics": {
            "frequency": "monthly",
            "week_of_month": week,
            "weekday": str(weekday),
            "start_time": start.strftime("%H:%M"),
            "length_minutes": minutes,
            "mode": mode,
        },
        "schedule": {
            "first_meeting": first_meeting.isoformat(),
            "notes": "We skip a meeting in a holiday month and move it if half of us can't come.",
        },
        "agenda": {"agenda": AGENDAS[index % len(AGENDAS)]},
        "commitments": {
            "commitments": {
                person: COMMITMENTS[(n + index) % len(COMMITMENTS)]
                for n, person in enumerate(people)
            }
        },
        "roles": {"roles": roles},
        "resources": {"resources": RESOURCES[index % len(RESOURCES)]},
        "success": {
            "funder": spec["success"][0],
            "members": spec["success"][1],
            "community": spec["success"][2],
        },
        "decisions": {"decisions": DECISIONS[index % len(DECISIONS)]},
    }


def texts_of(datas, names):
    return {key: as_text(part_by_key(key), data, names) for key, data in datas.items()}


@dataclass
class MeetingsAndPlans:
    home: Community | None = None
    next_meeting: Meeting | None = None  # the personas' community's next (or last) meeting
    feeds: dict = field(default_factory=dict)  # user id -> CalendarFeed
    counts: dict = field(default_factory=dict)


def add_plans_and_meetings(cohort, *, staff, rng, now=None):
    """Plans, meeting settings, meetings, attendance and calendar feeds for every
    community of `cohort`, with bulk_create."""
    now = now or timezone.now()
    communities = list(cohort.communities.select_related("topic").order_by("pk"))
    result = MeetingsAndPlans()
    if not communities:
        return result
    home = next((c for c in communities if c.name == HOME_COMMUNITY), communities[0])
    others = [c for c in communities if c.pk != home.pk]
    result.home = home
    crews = {}
    for membership in (
        Membership.objects.filter(community__cohort=cohort)
        .select_related("participant__user")
        .order_by("community_id", "participant__name")
    ):
        crews.setdefault(membership.community_id, []).append(membership)
    for crew in crews.values():
        crew.sort(
            key=lambda m: {Membership.Role.LEADER: 0, Membership.Role.CO_LEADER: 1}.get(m.role, 2)
        )

    zone_name = settings.TIME_ZONE
    zone = ZoneInfo(zone_name)
    settings_rows, meetings, first_meetings = [], [], {}
    for index, community in enumerate([home, *others]):
        crew = crews.get(community.pk, [])
        week, weekday, start, minutes = RULES[index % len(RULES)]
        mode = MODE_FOR_FORMAT.get(community.meeting_format, Meeting.Mode.VIRTUAL)
        location = {
            Meeting.Mode.VIRTUAL: f"https://meet.example.org/{cohort.slug}-{community.slug}",
            Meeting.Mode.CALL: f"Call 555-0100, access code {4100 + index % 900}#",
            Meeting.Mode.IN_PERSON: "Community room, 210 W. Fayette St, Baltimore",
        }[mode]
        rule = {
            "frequency": schedule.MONTHLY,
            "weekday": str(weekday),
            "week_of_month": week,
            "start_time": start.strftime("%H:%M"),
            "length_minutes": minutes,
            "mode": mode,
        }
        settings_rows.append(
            MeetingSettings(
                community=community,
                time_zone=zone_name,
                location=location,
                reminder_hours=24 if index % 3 else 48,
                schedule=rule,
            )
        )
        kickoff_day = cohort.starts_on + timedelta(days=7)
        starts = schedule.propose(
            cohort.starts_on + timedelta(days=14),
            schedule.MONTHLY,
            weekday,
            week,
            start,
            minutes,
            zone_name,
            until=cohort.ends_on,
        )
        kickoff = schedule.local_to_utc(kickoff_day, start, zone)
        first_meetings[community.pk] = kickoff_day
        agenda = AGENDAS[index % len(AGENDAS)]
        leader = crew[0].participant.user if crew and crew[0].participant.user_id else staff
        past = [s for s in starts if s < now]
        for number, starts_at in enumerate([kickoff, *starts]):
            local = starts_at.astimezone(zone)
            cancelled = (index % 3 == 1 and local.month == 12) or (
                index % 3 == 2 and len(past) >= 2 and starts_at == past[-1]
            )
            meetings.append(
                Meeting(
                    community=community,
                    title="Kick-off meeting" if number == 0 else f"{local:%B} meeting",
                    starts_at=starts_at,
                    duration_minutes=minutes,
                    mode=mode,
                    location=location,
                    agenda=agenda,
                    notes=(
                        "Good discussion; actions are in the shared folder."
                        if starts_at < now and not cancelled
                        else ""
                    ),
                    sequence=1 if cancelled else 0,
                    cancelled_at=min(starts_at - timedelta(days=5), now) if cancelled else None,
                    reminded_at=starts_at - timedelta(hours=24) if starts_at < now else None,
                    created_by=leader,
                    created_at=min(now, kickoff) - timedelta(days=7),
                )
            )
    MeetingSettings.objects.bulk_create(settings_rows, batch_size=1000)
    meetings = bulk(Meeting, meetings, batch_size=1000)

    # Attendance at past meetings: 70-90 % of the members present at each.
    by_community = {}
    for meeting in meetings:
        by_community.setdefault(meeting.community_id, []).append(meeting)
    attendance = []
    for community in communities:
        crew = crews.get(community.pk, [])
        held = [m for m in by_community.get(community.pk, []) if m.starts_at < now]
        held = [m for m in held if m.cancelled_at is None]
        if community.pk == home.pk and len(held) >= 3:
            held = held[:-1]  # the leader has not recorded the latest one yet
        for meeting in held:
            came = set(rng.sample(range(len(crew)), round(len(crew) * rng.uniform(0.7, 0.9))))
            for seat, membership in enumerate(crew):
                if seat in came:
                    status = Attendance.Status.PRESENT
                elif rng.random() < 0.4:
                    status = Attendance.Status.EXCUSED
                else:
                    status = Attendance.Status.ABSENT
                attendance.append(
                    Attendance(meeting=meeting, participant=membership.participant, status=status)
                )
    Attendance.objects.bulk_create(attendance, batch_size=2000)

    upcoming = [m for m in by_community.get(home.pk, []) if m.starts_at >= now]
    upcoming = [m for m in upcoming if m.cancelled_at is None]
    result.next_meeting = upcoming[0] if upcoming else by_community.get(home.pk, [None])[-1]

    # Calendar feeds: the personas' community's members who have logged in subscribed.
    feeds = CalendarFeed.objects.bulk_create(
        [
            CalendarFeed(participant=m.participant)
            for m in crews.get(home.pk, [])
            if m.participant.user_id
        ]
    )
    result.feeds = {feed.participant.user_id: feed for feed in feeds}

    plans = _plans(cohort, staff, [home, *others], crews, first_meetings, now)
    result.counts = {
        "action plans": plans,
        "meetings": len(meetings),
        "attendance records": len(attendance),
        "calendar feeds": len(feeds),
    }
    return result


def _plans(cohort, staff, communities, crews, first_meetings, now):
    """The action plans, their parts, versions and comments. Returns how many plans."""
    plans, parts, versions, comments = [], [], [], []
    rows = []  # (plan, stage, datas, names, leader user)
    for index, community in enumerate(communities):
        stage = "home" if index == 0 else STAGES[(index - 1) % len(STAGES)]
        if stage == NONE:
            continue
        crew = crews.get(community.pk, [])
        if not crew:
            continue
        names = {str(m.participant.public_id): m.participant.name for m in crew}
        leader = crew[0].participant.user
        datas = plan_answers(cohort, community, crew, index, first_meetings[community.pk])
        if stage == HALF:
            datas = {key: datas[key] for key in HALF_PARTS}
            # Started on the schedule but not finished: it does not count as done yet.
            datas["schedule"] = {"notes": "Waiting for everyone's calendars."}
        status = {
            "home": ActionPlan.Status.DRAFT,  # approved, then reopened for a change
            SUBMITTED: ActionPlan.Status.SUBMITTED,
            RETURNED: ActionPlan.Status.RETURNED,
            HALF: ActionPlan.Status.DRAFT,
        }[stage]
        plan = ActionPlan(
            community=community,
            status=status,
            submitted_at=now - timedelta(days=20 if stage == "home" else 4)
            if stage != HALF
            else None,
            reviewed_at=now - timedelta(days=14 if stage == "home" else 2)
            if stage in ("home", RETURNED)
            else None,
            reviewed_by=staff if stage in ("home", RETURNED) else None,
            created_at=now - timedelta(days=45),
        )
        plans.append(plan)
        rows.append((plan, stage, datas, names, leader))
    plans = bulk(ActionPlan, plans, batch_size=1000)

    for plan, stage, datas, names, leader in rows:
        changed = dict(datas)
        if stage == "home":
            # After approval the leaders reopened the plan to add to how they keep resources.
            changed["resources"] = {
                "resources": datas["resources"]["resources"]
                + " Recordings of the peer trainings go in the folder too."
            }
        for key, data in changed.items():
            parts.append(
                PlanPart(
                    plan=plan,
                    key=key,
                    data=data,
                    revision=2 if changed[key] is not datas[key] else 1,
                    updated_by=leader,
                    created_at=now - timedelta(days=40),
                )
            )
        if stage == HALF:
            continue
        versions.append(
            PlanVersion(
                plan=plan,
                number=1,
                data=datas,
                texts=texts_of(datas, names),
                submitted_by=leader,
                outcome={
                    "home": PlanVersion.Outcome.APPROVED,
                    SUBMITTED: PlanVersion.Outcome.PENDING,
                    RETURNED: PlanVersion.Outcome.RETURNED,
                }[stage],
                review_comment=RETURN_COMMENT if stage == RETURNED else "",
                reviewed_by=staff if stage != SUBMITTED else None,
                reviewed_at=plan.reviewed_at,
                created_at=plan.submitted_at,
            )
        )
        if stage == RETURNED:
            comments.append(
                PlanComment(
                    plan=plan,
                    part_key="goals",
                    author=staff,
                    text=GOALS_COMMENT,
                    version_number=1,
                    created_at=plan.reviewed_at,
                )
            )
        if stage == "home":
            crew = crews[plan.community_id]
            member = next(
                (m.participant.user for m in crew if not m.is_leading and m.participant.user_id),
                leader,
            )
            comments.append(
                PlanComment(
                    plan=plan,
                    part_key="resources",
                    author=member,
                    text=MEMBER_COMMENT,
                    created_at=now - timedelta(days=6),
                )
            )
    for row in parts:
        row.complete = row.answers_all()
    PlanPart.objects.bulk_create(parts, batch_size=2000)
    PlanVersion.objects.bulk_create(versions, batch_size=1000)
    PlanComment.objects.bulk_create(comments, batch_size=1000)
    return len(plans)
