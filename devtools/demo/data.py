"""The made-up material the demo and bench cohorts are built from: topics, kinds of
community-based organization, places, organizations, names, logins and communities.

All fictional (emails use the reserved `.example` domain), in real US ZIP codes.
"""

from dataclasses import dataclass

from cohorts.models import Community, FormatPreference

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
