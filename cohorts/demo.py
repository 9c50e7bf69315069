"""Data builders for the demo cohort (`manage.py seed_demo`) and the benchmark (`manage.py bench`).

Everything here is invented: the organizations, people and emails are fictional (emails use
the reserved `.example` domain), but they look like the community-based organizations a TTA
program serves, in real US ZIP codes. The builders write with `bulk_create`, so the bench
can build thousands of rows in a second or two; a seeded `random.Random` makes every run
give the same cohort.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import zipcodes
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from copkit.models import User

from .models import (
    Cohort,
    CohortRole,
    Community,
    FormatPreference,
    Invitation,
    Membership,
    Organization,
    Participant,
    Topic,
)

# The subject areas of a cohort: (name, what it covers).
TOPICS = [
    (
        "Board development",
        "Finding, welcoming and engaging board members so the board steers the organization "
        "and opens doors for it.",
    ),
    (
        "Leadership and management",
        "Running a small organization well: planning the year, making decisions, delegating, "
        "and keeping everyone pointed at the mission.",
    ),
    (
        "Staff development",
        "Helping staff grow through good onboarding, supervision, coaching and time to learn "
        "on the job.",
    ),
    (
        "Raising funds",
        "Broadening income beyond one or two grants: individual donors, events, local "
        "businesses, and the relationships that bring them back.",
    ),
    (
        "Volunteer management",
        "Recruiting, training, scheduling and thanking the volunteers a program relies on, and "
        "keeping them for more than one season.",
    ),
    (
        "Program evaluation",
        "Choosing what to measure, gathering data without burying staff in paperwork, and "
        "using the results to improve services.",
    ),
]


def _words(text):
    return tuple(text.split())


@dataclass(frozen=True)
class Kind:
    """A type of community-based organization: what its people do and know."""

    label: str
    name_endings: tuple  # for generated names: "<place> <ending>"
    job_titles: tuple
    expertise: tuple


KINDS = {
    k.label: k
    for k in [
        Kind(
            "Food pantry",
            ("Food Pantry", "Community Pantry", "Food Share", "Hunger Relief Network"),
            ("Pantry Operations Manager", "Food Sourcing Coordinator", "Client Services Lead"),
            ("food safety", "inventory systems", "client-choice pantry design", "food drives"),
        ),
        Kind(
            "Youth mentoring program",
            ("Youth Mentors", "Mentoring Partnership", "Youth Futures", "Big Friends"),
            ("Mentor Program Coordinator", "Match Support Specialist", "Youth Programs Director"),
            ("mentor screening", "partnerships with schools", "match support", "youth voice"),
        ),
        Kind(
            "Housing counseling agency",
            ("Housing Counseling Center", "Homeownership Center", "Housing Opportunity Partners"),
            ("Housing Counselor", "Foreclosure Prevention Specialist", "Homebuyer Education Lead"),
            ("HUD counseling standards", "homebuyer education", "tenant rights", "credit repair"),
        ),
        Kind(
            "Refugee resettlement agency",
            ("Refugee Welcome Center", "Newcomer Services", "Resettlement Partners"),
            ("Resettlement Case Manager", "Employment Specialist", "Cultural Orientation Lead"),
            (
                "case management",
                "interpreter services",
                "employer partnerships",
                "cultural brokering",
            ),
        ),
        Kind(
            "Literacy council",
            ("Literacy Council", "Adult Learning Center", "Reading Partners"),
            ("Adult Education Coordinator", "Tutor Trainer", "ESL Program Manager"),
            ("tutor training", "ESL instruction", "GED preparation", "family literacy"),
        ),
        Kind(
            "Community health clinic",
            ("Free Clinic", "Community Health Center", "Health Partnership"),
            ("Clinic Manager", "Community Health Worker Supervisor", "Patient Navigator"),
            (
                "community health workers",
                "Medicaid enrollment",
                "patient navigation",
                "patient privacy",
            ),
        ),
        Kind(
            "Faith-based outreach",
            ("Interfaith Outreach", "Faith Coalition", "Community Ministries"),
            ("Outreach Director", "Congregational Partnerships Lead", "Pastoral Care Coordinator"),
            (
                "congregational partnerships",
                "emergency assistance",
                "meal programs",
                "home visiting",
            ),
        ),
        Kind(
            "Reentry services",
            ("Reentry Network", "Second Chance Center", "Reentry Partnership"),
            ("Reentry Navigator", "Peer Support Specialist", "Employment Readiness Coordinator"),
            (
                "peer mentoring",
                "record expungement clinics",
                "trauma-informed care",
                "fair-chance hiring",
            ),
        ),
        Kind(
            "Senior services",
            ("Senior Services", "Aging in Place Network", "Senior Center"),
            ("Senior Programs Manager", "Caregiver Support Coordinator", "Meals Program Lead"),
            ("caregiver support", "home-delivered meals", "benefits counseling", "fall prevention"),
        ),
        Kind(
            "Workforce development",
            ("Workforce Partners", "Career Pathways Center", "Jobs Collaborative"),
            ("Career Coach", "Employer Relations Manager", "Training Program Director"),
            ("employer partnerships", "career coaching", "apprenticeships", "digital skills"),
        ),
    ]
}

# Titles and know-how every kind of organization has.
COMMON_JOB_TITLES = (
    "Executive Director",
    "Program Manager",
    "Development Director",
    "Volunteer Coordinator",
    "Operations Manager",
    "Outreach Coordinator",
    "Data and Evaluation Specialist",
    "Finance and Administration Manager",
    "Board Chair",
)
COMMON_EXPERTISE = (
    "grant writing",
    "donor stewardship",
    "board recruitment",
    "volunteer onboarding",
    "volunteer scheduling",
    "logic models",
    "survey design",
    "data dashboards",
    "strategic planning",
    "budgeting",
    "bilingual outreach (Spanish)",
    "social media",
    "event planning",
    "staff supervision",
    "succession planning",
    "financial reporting",
    "community partnerships",
)

# (ZIP code, a neighborhood or area name used in generated organization names).
PLACES = [
    ("22301", "Alexandria"),
    ("22204", "Arlington"),
    ("22003", "Annandale"),
    ("23219", "Downtown Richmond"),
    ("23224", "Southside Richmond"),
    ("24016", "Roanoke Valley"),
    ("22903", "Charlottesville"),
    ("23504", "Norfolk"),
    ("22401", "Fredericksburg"),
    ("23669", "Peninsula"),
    ("20001", "Shaw"),
    ("20002", "Capitol Hill"),
    ("20019", "East of the River"),
    ("20032", "Congress Heights"),
    ("21201", "Mount Vernon"),
    ("21217", "West Baltimore"),
    ("21223", "Pigtown"),
    ("20740", "College Park"),
    ("20910", "Silver Spring"),
    ("21740", "Hagerstown"),
    ("21804", "Eastern Shore"),
    ("20774", "Prince George's"),
    ("21061", "Anne Arundel"),
    ("19104", "West Philadelphia"),
    ("19121", "North Philadelphia"),
    ("19134", "Kensington"),
    ("17101", "Harrisburg"),
    ("15206", "East Liberty"),
    ("15212", "North Side"),
    ("18102", "Lehigh Valley"),
    ("19801", "Wilmington"),
    ("19802", "Brandywine"),
    ("19901", "Dover"),
    ("07102", "Newark"),
    ("07103", "Central Ward"),
    ("08608", "Trenton"),
    ("08103", "Camden"),
    ("25301", "Kanawha Valley"),
    ("26505", "Morgantown"),
    ("27701", "Durham"),
    ("27601", "Raleigh"),
    ("28202", "Charlotte"),
]

# The demo cohort's organizations: (name, kind, ZIP code). All fictional.
DEMO_ORGANIZATIONS = [
    ("Alexandria Neighbors Food Pantry", "Food pantry", "22301"),
    ("Arlington Youth Mentoring Partnership", "Youth mentoring program", "22204"),
    ("Annandale Housing Counseling Center", "Housing counseling agency", "22003"),
    ("Richmond Newcomer Services", "Refugee resettlement agency", "23219"),
    ("Southside Adult Learning Center", "Literacy council", "23224"),
    ("Star City Free Clinic", "Community health clinic", "24016"),
    ("Blue Ridge Interfaith Outreach", "Faith-based outreach", "22903"),
    ("Tidewater Second Chance Center", "Reentry services", "23504"),
    ("Shaw Community Food Share", "Food pantry", "20001"),
    ("Eastern Market Reading Partners", "Literacy council", "20002"),
    ("Congress Heights Youth Futures", "Youth mentoring program", "20032"),
    ("East of the River Homeownership Center", "Housing counseling agency", "20019"),
    ("Chesapeake Resettlement Partners", "Refugee resettlement agency", "21201"),
    ("Druid Hill Reentry Partnership", "Reentry services", "21217"),
    ("Carroll Park Community Health Center", "Community health clinic", "21223"),
    ("College Park Family Pantry", "Food pantry", "20740"),
    ("Sligo Creek Literacy Council", "Literacy council", "20910"),
    ("Antietam Housing Opportunity Partners", "Housing counseling agency", "21740"),
    ("Delmarva Big Friends", "Youth mentoring program", "21804"),
    ("Patuxent Senior Services", "Senior services", "20774"),
    ("Severn River Food Pantry", "Food pantry", "21061"),
    ("Spruce Hill Community Pantry", "Food pantry", "19104"),
    ("Fairhill Health Partnership", "Community health clinic", "19121"),
    ("Frankford Avenue Reentry Network", "Reentry services", "19134"),
    ("Susquehanna Adult Learning Center", "Literacy council", "17101"),
    ("Penn Avenue Faith Coalition", "Faith-based outreach", "15206"),
    ("Allegheny North Youth Mentors", "Youth mentoring program", "15212"),
    ("Lehigh Valley Newcomer Services", "Refugee resettlement agency", "18102"),
    ("Christina River Housing Counseling Center", "Housing counseling agency", "19801"),
    ("Brandywine Community Health Center", "Community health clinic", "19802"),
    ("Kent County Interfaith Outreach", "Faith-based outreach", "19901"),
    ("Ironbound Resettlement Partners", "Refugee resettlement agency", "07102"),
    ("Central Ward Second Chance Center", "Reentry services", "07103"),
    ("Capital City Reading Partners", "Literacy council", "08608"),
    ("Cooper River Youth Futures", "Youth mentoring program", "08103"),
    ("Kanawha Community Ministries", "Faith-based outreach", "25301"),
    ("Mountaineer Free Clinic", "Community health clinic", "26505"),
    ("Bull City Housing Opportunity Partners", "Housing counseling agency", "27701"),
    ("Oak City Newcomer Services", "Refugee resettlement agency", "27601"),
    ("Uptown Jobs Collaborative", "Workforce development", "28202"),
    ("Rappahannock Aging in Place Network", "Senior services", "22401"),
    ("Hampton Roads Career Pathways Center", "Workforce development", "23669"),
]

FIRST_NAMES = _words(
    "Maria Aisha James Mei Carlos Fatima Robert Keisha David Priya Luis Grace Ahmed Tanya "
    "Michael Sofia Kwame Linh Daniel Rosa Jamal Elena Thomas Amina Kevin Hannah Andre Nadia "
    "Brian Yesenia Samuel Olga Marcus Leticia Paul Imani Victor Chloe Omar Teresa Devon Ruth "
    "Hector Joy Ibrahim Angela Raj Latoya Eric Mariam Jose Colleen Tariq Beatriz Gregory Ngozi"
)
LAST_NAMES = _words(
    "Johnson Nguyen Garcia Okafor Patel Williams Rodriguez Kim Brown Hassan Martinez Davis "
    "Lopez Chen Jackson Ali Thompson Rivera Wilson Haddad Moore Tran Harris Mensah Clark "
    "Gonzalez Lewis Park Walker Osei Hall Ramirez Young Nakamura King Diallo Wright Flores "
    "Scott Abebe Green Torres Baker Cohen Adams Santos Nelson Ibrahim Carter Reyes Mitchell"
)

FORMATS = [FormatPreference.IN_PERSON, FormatPreference.VIRTUAL, FormatPreference.EITHER]

DEMO_COHORT_SLUG = "mid-atlantic-capacity-builders"
DEMO_PASSWORD = "cop-demo-2026"  # noqa: S105 -- printed by seed_demo; refused in production


@lru_cache(maxsize=1024)
def place_for_zip(zip_code):
    """(city, state, latitude, longitude) of a ZIP code, from the offline `zipcodes` list."""
    matches = zipcodes.matching(zip_code)
    if not matches:
        return ("", "", None, None)
    found = matches[0]
    return (found["city"], found["state"], float(found["lat"]), float(found["long"]))


def program_dates(today=None):
    """A program year around `today`: mid-September to the end of the next June."""
    today = today or timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    return date(year, 9, 15), date(year + 1, 6, 30)


def _at(day, hour=10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def bulk(model, objects, batch_size=500):
    """bulk_create `objects` and return them with primary keys set on every backend."""
    created = model.objects.bulk_create(objects, batch_size=batch_size)
    if created and created[0].pk is None:  # a backend that cannot return ids from an insert
        by_public_id = model.objects.in_bulk(
            [obj.public_id for obj in created], field_name="public_id"
        )
        for obj in created:
            obj.pk = by_public_id[obj.public_id].pk
    return created


# --- rows --------------------------------------------------------------------------------


def add_topics(cohort):
    return bulk(
        Topic,
        [
            Topic(cohort=cohort, slug=slugify(name), name=name, description=description)
            for name, description in TOPICS
        ],
    )


def organization(cohort, name, kind, zip_code):
    city, state, latitude, longitude = place_for_zip(zip_code)
    return Organization(
        cohort=cohort,
        name=name,
        name_key=Organization.key_for(name),
        kind=kind,
        zip_code=zip_code,
        city=city,
        state=state,
        latitude=latitude,
        longitude=longitude,
    )


def generated_organizations(cohort, rng, count):
    """`count` organizations with distinct made-up names spread over PLACES."""
    kinds = list(KINDS.values())
    rows, seen = [], set()
    while len(rows) < count:
        zip_code, area = rng.choice(PLACES)
        kind = rng.choice(kinds)
        name = f"{area} {rng.choice(kind.name_endings)}"
        if name in seen:
            name = f"{name} {len(rows) + 1}"
        seen.add(name)
        rows.append(organization(cohort, name, kind.label, zip_code))
    return rows


def email_domain(org_name, suffix="example"):
    return slugify(org_name).replace("-", "")[:40] + "." + suffix


def person(rng, org, *, full_profile=True):
    """The fields of a made-up participant working at `org`."""
    kind = KINDS.get(org.kind)
    titles = COMMON_JOB_TITLES + (kind.job_titles if kind else ())
    skills = list(COMMON_EXPERTISE + (kind.expertise if kind else ()))
    profile = {
        "job_title": rng.choice(titles),
        "expertise": "",
        "format_preference": "",
    }
    if full_profile:
        profile["expertise"] = ", ".join(rng.sample(skills, rng.randint(1, 3)))
        profile["format_preference"] = rng.choice(FORMATS)
    return profile


def participant(cohort, org, name, email, user=None, joined_at=None, **profile):
    return Participant(
        cohort=cohort,
        organization=org,
        user=user,
        name=name,
        email=email.lower(),
        zip_code=org.zip_code,
        state=org.state,
        latitude=org.latitude,
        longitude=org.longitude,
        joined_at=joined_at,
        **profile,
    )


def community(cohort, name, topic, phase, **fields):
    return Community(
        cohort=cohort, slug=slugify(name)[:60], name=name, topic=topic, phase=phase, **fields
    )


def invitation(cohort, participant, invited_by, sent_at, accepted_at=None, send_count=1):
    return Invitation(
        cohort=cohort,
        participant=participant,
        invited_by=invited_by,
        created_at=sent_at,
        last_sent_at=sent_at,
        send_count=send_count,
        expires_at=sent_at + timedelta(days=14),
        accepted_at=accepted_at,
    )


def unusable_password():
    return make_password(None)


# --- the demo cohort ---------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    email: str
    name: str
    role: str


DEMO_LOGINS = {
    "staff": Login("staff@copkit.example", "Sam Okafor", "TTA staff (may create cohorts)"),
    "observer": Login("observer@copkit.example", "Olivia Grant", "observer (funder)"),
    "leader": Login("leader@copkit.example", "Denise Whitaker", "COP leader (participant)"),
    "participant": Login(
        "participant@copkit.example", "Marcus Bell", "participant (member of a COP)"
    ),
    "admin": Login("admin@copkit.example", "Site Administrator", "site administrator (/admin/)"),
}

# The demo's communities: name, topic slug, phase, type of work, meeting format, description,
# members besides the leader, whether it has a co-leader.
DEMO_COMMUNITIES = [
    (
        "Board Builders",
        "board-development",
        Community.Phase.ACTIVE,
        Community.WorkType.BEST_PRACTICES,
        Community.MeetingFormat.VIRTUAL,
        "Executive directors and board chairs trading what has worked to recruit and keep "
        "engaged board members.",
        6,
        True,
    ),
    (
        "Fundraising Circle",
        "raising-funds",
        Community.Phase.DEFINING,
        Community.WorkType.PROBLEM_SOLVING,
        Community.MeetingFormat.VIRTUAL,
        "Small shops working out how to grow individual giving when nobody's job is only "
        "fundraising.",
        7,
        True,
    ),
    (
        "Volunteer Champions",
        "volunteer-management",
        Community.Phase.FORMING,
        Community.WorkType.GROUP_LEARNING,
        Community.MeetingFormat.HYBRID,
        "Volunteer coordinators learning together how to keep volunteers past their first season.",
        5,
        False,
    ),
    (
        "Measuring What Matters",
        "program-evaluation",
        Community.Phase.ACTIVE,
        Community.WorkType.INNOVATING,
        Community.MeetingFormat.VIRTUAL,
        "Program staff building simple outcome measures they can collect without adding paperwork.",
        7,
        True,
    ),
    (
        "New Managers Roundtable",
        "leadership-and-management",
        Community.Phase.DEFINING,
        Community.WorkType.GROUP_LEARNING,
        Community.MeetingFormat.IN_PERSON,
        "People who stepped into managing a team in the last two years, meeting monthly in "
        "Baltimore.",
        5,
        False,
    ),
]
CUSTOM_TITLES = ["note-taker", "timekeeper", "host"]


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

    rng = random.Random(seed)  # noqa: S311 -- made-up demo data, not a secret
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
    for index, org in enumerate(seats):
        if index == 0:
            login, user = DEMO_LOGINS["leader"], leader_user
            people.append(
                participant(
                    cohort,
                    org,
                    login.name,
                    login.email,
                    user=user,
                    joined_at=_at(invited_from + timedelta(days=2)),
                    job_title="Executive Director",
                    expertise="board recruitment, strategic planning, food drives",
                    format_preference=FormatPreference.EITHER,
                )
            )
            continue
        if index == 1:
            login, user = DEMO_LOGINS["participant"], member_user
            # Expertise given, meeting format not yet: home asks them to finish the profile.
            people.append(
                participant(
                    cohort,
                    org,
                    login.name,
                    login.email,
                    user=user,
                    joined_at=_at(invited_from + timedelta(days=5)),
                    job_title="Volunteer Coordinator",
                    expertise="volunteer scheduling, mentor screening",
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
    rng = random.Random(f"{seed}-{label}")  # noqa: S311 -- made-up bench data, not a secret
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
