"""The demo cohort (`manage.py seed_demo`) and a cohort of any size for the benchmark
(`manage.py bench`), written with `bulk_create`; a seeded `random.Random` makes every run
give the same cohort."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from cohorts.models import (
    Activity,
    Cohort,
    CohortRole,
    Community,
    FormatPreference,
    Invitation,
    Membership,
    Organization,
    Participant,
)
from copkit.models import User

from .data import (
    CUSTOM_TITLES,
    DEMO_COHORT_SLUG,
    DEMO_COMMUNITIES,
    DEMO_LOGINS,
    DEMO_ORGANIZATIONS,
    FIRST_NAMES,
    LAST_NAMES,
    PLACES,
)
from .rows import (
    add_topics,
    bulk,
    community,
    email_domain,
    generated_organizations,
    invitation,
    organization,
    participant,
    person,
    program_dates,
    unusable_password,
)


def _at(day, hour=10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


# --- the demo cohort ---------------------------------------------------------------------


@dataclass
class DemoSummary:
    cohort: Cohort
    counts: dict = field(default_factory=dict)


def ensure_demo_users(password, reset_password=False):
    """The five demo logins, created when missing, with verified email addresses.

    Returns ({persona: User}, [emails created]).
    """
    from allauth.account.models import EmailAddress

    hashed = make_password(password)
    users, created = {}, []
    for persona, login in DEMO_LOGINS.items():
        user = User.objects.filter(email=login.email).first()
        if user is None:
            user = User.objects.create(
                email=login.email,
                name=login.name,
                password=hashed,
                can_create_cohorts=persona == "staff",
                is_staff=persona == "admin",
                is_superuser=persona == "admin",
            )
            created.append(login.email)
        elif reset_password:
            user.password = hashed
            user.save(update_fields=["password"])
        address, made = EmailAddress.objects.get_or_create(
            user=user, email=login.email, defaults={"verified": True, "primary": True}
        )
        if not made and not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])
        users[persona] = user
    return users, created


def build_demo_cohort(users, seed=2026):
    """The realistic demo cohort, around today. `users` comes from ensure_demo_users."""
    from allauth.account.models import EmailAddress

    rng = random.Random(seed)
    starts_on, ends_on = program_dates()
    now = timezone.now()
    staff, leader_user, member_user = users["staff"], users["leader"], users["participant"]

    cohort = Cohort.objects.create(
        slug=DEMO_COHORT_SLUG,
        name=f"Mid-Atlantic Capacity Builders {starts_on.year}-{(starts_on.year + 1) % 100:02d}",
        description=(
            "A year of peer learning for community-based organizations across the "
            "Mid-Atlantic and North Carolina: food pantries, mentoring programs, housing "
            "counselors, resettlement agencies, clinics, literacy councils and more."
        ),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=staff,
    )
    CohortRole.objects.bulk_create(
        [
            CohortRole(cohort=cohort, user=staff, role=CohortRole.Role.STAFF),
            CohortRole(cohort=cohort, user=users["observer"], role=CohortRole.Role.OBSERVER),
        ]
    )
    topics = {t.slug: t for t in add_topics(cohort)}
    orgs = bulk(
        Organization,
        [organization(cohort, name, kind, zip_code) for name, kind, zip_code in DEMO_ORGANIZATIONS],
    )

    # People: one at every organization, a second at eighteen of them; the two persona
    # participants first.
    seats = orgs + rng.sample(orgs[2:], 18)
    names = rng.sample([(f, la) for f in FIRST_NAMES for la in LAST_NAMES], len(seats))
    invited_from = max(starts_on, timezone.localdate() - timedelta(days=60))
    people, emails, joined_users = [], set(), []
    personas = [
        # (login, user, days after the invitations went out that they joined, profile)
        (
            DEMO_LOGINS["leader"],
            leader_user,
            2,
            {
                "job_title": "Executive Director",
                "expertise": "board recruitment, strategic planning, food drives",
                "format_preference": FormatPreference.EITHER,
            },
        ),
        # Expertise given, meeting format not yet: home asks them to finish the profile.
        (
            DEMO_LOGINS["participant"],
            member_user,
            5,
            {
                "job_title": "Volunteer Coordinator",
                "expertise": "volunteer scheduling, mentor screening",
            },
        ),
    ]
    for index, org in enumerate(seats):
        if index < len(personas):
            login, user, joined_after, profile = personas[index]
            people.append(
                participant(
                    cohort,
                    org,
                    login.name,
                    login.email,
                    user=user,
                    joined_at=_at(invited_from + timedelta(days=joined_after)),
                    **profile,
                )
            )
            continue
        first, last = names[index]
        email = f"{first}.{last}@{email_domain(org.name)}".lower()
        if email in emails:
            email = email.replace("@", f"{index}@")
        emails.add(email)
        people.append(
            participant(
                cohort, org, f"{first} {last}", email, **person(rng, org, full_profile=index < 48)
            )
        )

    # Who stands where: 18 joined, 20 invited but not yet joined (4 of them expired), the
    # rest not invited yet. Persona participants are joined.
    others = people[2:]
    rng.shuffle(others)
    joined, pending = others[:18], others[18:38]
    hashed = unusable_password()
    for number, person_row in enumerate(joined):
        joined_users.append(User(email=person_row.email, name=person_row.name, password=hashed))
        person_row.joined_at = _at(invited_from + timedelta(days=3 + number % 20))
    joined_users = User.objects.bulk_create(joined_users)
    for person_row, user in zip(joined, joined_users, strict=True):
        person_row.user = user
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in joined_users]
    )
    bulk(Participant, people)

    invitations = []
    for row in [people[0], people[1], *joined]:
        sent = row.joined_at - timedelta(days=2)
        invitations.append(invitation(cohort, row, staff, sent, accepted_at=row.joined_at))
    for number, row in enumerate(pending):
        days_ago = 20 + number if number < 4 else 1 + number % 10  # the first four expired
        invitations.append(
            invitation(
                cohort, row, staff, now - timedelta(days=days_ago), send_count=1 + number % 2
            )
        )
    bulk(Invitation, invitations)

    # Communities: leaders and co-leaders come from those who joined; members from everyone
    # invited. Board Builders is the personas' COP.
    leaders, pool = joined[:10], joined[10:] + pending
    rng.shuffle(pool)
    communities, memberships = [], []
    for number, (name, topic, phase, work, fmt, about, size, co_lead) in enumerate(
        DEMO_COMMUNITIES
    ):
        cop = community(
            cohort,
            name,
            topics[topic],
            phase,
            work_type=work,
            meeting_format=fmt,
            description=about,
            created_at=_at(starts_on + timedelta(days=21 + number)),
        )
        communities.append(cop)
        lead = people[0] if number == 0 else leaders.pop()
        crew = [(lead, Membership.Role.LEADER)]
        if co_lead:
            crew.append((leaders.pop(), Membership.Role.CO_LEADER))
        if number == 0:
            crew.append((people[1], Membership.Role.MEMBER))
        crew += [(pool.pop(), Membership.Role.MEMBER) for _ in range(size - len(crew) + 1)]
        for seat, (row, role) in enumerate(crew):
            title = CUSTOM_TITLES[number % 3] if seat == len(crew) - 1 and number < 3 else ""
            memberships.append(Membership(community=cop, participant=row, role=role, title=title))
    bulk(Community, communities)
    bulk(Membership, memberships)  # bulk_create takes the communities' new ids
    Activity.objects.bulk_create(
        [
            Activity(
                cohort=cohort,
                actor=staff,
                verb="created cohort",
                target=cohort.name,
                created_at=_at(starts_on - timedelta(days=14)),
            ),
            Activity(
                cohort=cohort,
                actor=staff,
                verb="imported roster",
                target="",
                data={"created": len(people)},
                created_at=_at(starts_on - timedelta(days=7)),
            ),
            Activity(
                cohort=cohort,
                actor=staff,
                verb="invited participants",
                target="",
                data={"count": 2 + len(joined) + len(pending)},
                created_at=_at(invited_from),
            ),
        ]
        + [
            Activity(
                cohort=cohort,
                actor=staff,
                verb="created community",
                target=cop.name,
                created_at=cop.created_at,
            )
            for cop in communities
        ]
    )

    return DemoSummary(
        cohort=cohort,
        counts={
            "organizations": len(orgs),
            "participants": len(people),
            "joined": 2 + len(joined),
            "invited, not joined yet": len(pending),
            "not invited yet": len(people) - 2 - len(joined) - len(pending),
            "topics": len(topics),
            "communities": len(communities),
            "memberships": len(memberships),
        },
    )


# --- a cohort of any size, for the bench -------------------------------------------------


@dataclass
class ScaledCohort:
    """A generated cohort and the users to visit it as."""

    cohort: Cohort
    staff: User
    observer: User
    leader: User
    participant: User
    community: Community  # the persona's COP (about seven members)
    counts: dict


def build_scaled_cohort(
    label, *, participants, organizations, communities, seed=2026, invited=0.6, joined=0.3
):
    """A cohort of the given size, built with bulk_create; `label` keeps slugs and emails
    apart from other generated cohorts in the same database.

    The staff and observer users hold their roles; the leader leads, and the participant is
    a member of, `community`, which has min(7, participants) members. Of the participants,
    a share `joined` have accepted an invitation, a further share up to `invited` have one
    pending, the rest have none. Other communities have 5-9 members drawn at random.
    """
    if participants < 2 or organizations < 1 or communities < 1:
        raise ValueError("need at least 2 participants, 1 organization and 1 community")
    rng = random.Random(f"{seed}-{label}")
    slug = slugify(label)
    starts_on, ends_on = program_dates()
    now = timezone.now()
    hashed = unusable_password()

    def user(kind, name):
        return User(email=f"{kind}@{slug}.bench.example", name=name, password=hashed)

    staff, observer, leader_user, member_user = User.objects.bulk_create(
        [
            user("staff", "Bench Staff"),
            user("observer", "Bench Observer"),
            user("leader", "Bench Leader"),
            user("participant", "Bench Participant"),
        ]
    )
    cohort = Cohort.objects.create(
        slug=slug, name=f"Bench cohort {label}", starts_on=starts_on, ends_on=ends_on
    )
    CohortRole.objects.bulk_create(
        [
            CohortRole(cohort=cohort, user=staff, role=CohortRole.Role.STAFF),
            CohortRole(cohort=cohort, user=observer, role=CohortRole.Role.OBSERVER),
        ]
    )
    topics = add_topics(cohort)
    orgs = bulk(Organization, generated_organizations(cohort, rng, organizations))

    n_joined = max(2, round(participants * joined))
    n_invited = max(n_joined, round(participants * invited))

    def sent_at(index):
        return now - timedelta(days=2 + index % 25)  # some of the pending ones have expired

    people, users = [], []
    for index in range(participants):
        org = orgs[index % len(orgs)]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if index == 0:
            linked = leader_user
        elif index == 1:
            linked = member_user
        elif index < n_joined:
            linked = User(
                email=f"{first}.{last}.{index}@{slug}.bench.example".lower(),
                name=f"{first} {last}",
                password=hashed,
            )
            users.append(linked)
        else:
            linked = None
        email = linked.email if linked else f"{first}.{last}.{index}@{email_domain(org.name)}"
        people.append(
            participant(
                cohort,
                org,
                linked.name if linked else f"{first} {last}",
                email,
                user=linked,
                joined_at=sent_at(index) + timedelta(days=1) if linked else None,
                **person(rng, org, full_profile=index % 4 != 3),
            )
        )
    User.objects.bulk_create(users, batch_size=500)
    bulk(Participant, people)  # bulk_create takes the users' new ids
    bulk(
        Invitation,
        [
            invitation(cohort, row, staff, sent_at(index), accepted_at=row.joined_at)
            for index, row in enumerate(people[:n_invited])
        ],
    )

    cops, slugs = [], set()
    topic_words = ["Board", "Leadership", "Staff", "Fundraising", "Volunteer", "Evaluation"]
    group_words = ["Circle", "Roundtable", "Network", "Lab", "Collaborative", "Exchange"]
    phases = [Community.Phase.FORMING, Community.Phase.DEFINING, Community.Phase.ACTIVE]
    for index in range(communities):
        topic = index % len(topics)  # topic_words follow TOPICS' order
        name = f"{rng.choice(PLACES)[1]} {topic_words[topic]} {rng.choice(group_words)}"
        if slugify(name) in slugs:
            name = f"{name} {index + 1}"
        cop = community(cohort, name, topics[topic], phases[index % len(phases)])
        slugs.add(cop.slug)
        cops.append(cop)
    bulk(Community, cops)

    memberships = []
    home_size = min(7, participants)
    crew = [people[0], people[1], *rng.sample(people[2:], home_size - 2)]
    for seat, row in enumerate(crew):
        role = Membership.Role.LEADER if seat == 0 else Membership.Role.MEMBER
        memberships.append(Membership(community=cops[0], participant=row, role=role))
    for cop in cops[1:]:
        crew = rng.sample(people[2:], min(len(people) - 2, rng.randint(5, 9)))
        for seat, row in enumerate(crew):
            role = Membership.Role.MEMBER
            if seat == 0:
                role = Membership.Role.LEADER
            elif seat == 1 and rng.random() < 0.5:
                role = Membership.Role.CO_LEADER
            memberships.append(Membership(community=cop, participant=row, role=role))
    bulk(Membership, memberships, batch_size=1000)

    return ScaledCohort(
        cohort=cohort,
        staff=staff,
        observer=observer,
        leader=leader_user,
        participant=member_user,
        community=cops[0],
        counts={
            "participants": len(people),
            "organizations": len(orgs),
            "communities": len(cops),
            "memberships": len(memberships),
            "invitations": n_invited,
            "topics": len(topics),
        },
    )
