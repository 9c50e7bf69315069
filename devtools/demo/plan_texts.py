"""What the demo's action plans say: the potential, goals, formats, agendas, roles and the
staff's comments that `devtools.demo.plans` writes into each community's plan."""

from datetime import time

from cohorts.models import Community
from planning.models import Meeting

# --- what the plans say -------------------------------------------------------------------

# Per practice area: the potential, up to three goals (goal, indicator, months after the
# cohort's start or None for its end), what success looks like to each audience, and the
# topics members could teach each other.
TOPIC_PLANS = {
    "Board development": {
        "potential": (
            "Between us we have recruited, lost and rebuilt boards of every size. Pooling "
            "our recruitment lists and onboarding packets would save each of us months, and "
            "a shared pipeline of candidates is something none of us could keep up alone."
        ),
        "goals": [
            (
                "Every member organization fills its open board seats",
                "Open seats across our boards, counted at the start and each quarter",
                None,
            ),
            (
                "A shared onboarding packet for new board members",
                "Packet finished and used with at least three new members",
                4,
            ),
            (
                "Board meetings that reach quorum",
                "Share of board meetings with quorum over the last three months",
                8,
            ),
        ],
        "success": (
            "Stronger boards that can oversee the grants and raise money on their own.",
            "Full boards, with members who know their role by their third meeting.",
            "Organizations that stay open and steady because their boards are engaged.",
        ),
        "trainings": ["Running a board recruitment drive", "The first ninety days on a board"],
    },
    "Leadership and management": {
        "potential": (
            "Most of us run small teams with no one above us to ask. Meeting as peers gives "
            "us a place to test decisions before we make them and to borrow tools that work."
        ),
        "goals": [
            (
                "Each member writes a one-page plan for the year",
                "Plans shared with the group and reviewed at mid-year",
                3,
            ),
            (
                "Regular one-to-ones with every direct report",
                "Members holding them at least monthly, by our own count",
                6,
            ),
        ],
        "success": (
            "Leaders who can plan, delegate and report without crisis management.",
            "Managers who feel less alone and make decisions with more confidence.",
            "Steadier services, because teams are led and kept.",
        ),
        "trainings": ["Delegating without losing track", "Holding a hard conversation"],
    },
    "Staff development": {
        "potential": (
            "We all lose staff and start training again from nothing. Shared onboarding "
            "and a mentoring swap between organizations could shorten that every time."
        ),
        "goals": [
            (
                "A common onboarding checklist",
                "Checklist in use at four or more member organizations",
                4,
            ),
            (
                "Cross-organization mentoring pairs",
                "Number of pairs meeting at least monthly",
                7,
            ),
        ],
        "success": (
            "Lower turnover in funded programs.",
            "New staff productive sooner, with less of the manager's time.",
            "Clients who see familiar faces from one year to the next.",
        ),
        "trainings": ["Onboarding in the first two weeks", "Supervision that develops people"],
    },
    "Raising funds": {
        "potential": (
            "None of us has a full-time fundraiser, but together we have run appeals, "
            "events and business partnerships. Sharing what worked can broaden every "
            "member's income beyond the one grant most of us depend on."
        ),
        "goals": [
            (
                "Each member runs an individual giving appeal",
                "Appeals sent, and the number of new donors they bring",
                3,
            ),
            (
                "A second source of income for every member",
                "Share of income from outside the largest grant",
                None,
            ),
            (
                "Three local business partnerships across the group",
                "Signed partnerships",
                7,
            ),
        ],
        "success": (
            "Organizations less dependent on its grant when the program ends.",
            "More donors and a plan for keeping them.",
            "Services that continue even when one funder steps back.",
        ),
        "trainings": ["Writing the year-end appeal", "Asking a local business"],
    },
    "Volunteer management": {
        "potential": (
            "Our programs run on volunteers and we all lose them after a season. Trading "
            "our onboarding and thank-you practices could keep more of them for longer."
        ),
        "goals": [
            (
                "Keep more volunteers past their first three months",
                "Share of new volunteers still active after three months",
                6,
            ),
            (
                "A shared volunteer orientation",
                "Orientation delivered by two or more members",
                4,
            ),
        ],
        "success": (
            "Programs that can grow without adding paid staff.",
            "Volunteers who stay, so coordinators train fewer new ones.",
            "Reliable help for the families who come to us.",
        ),
        "trainings": ["Scheduling tools that volunteers use", "Saying thank you well"],
    },
    "Program evaluation": {
        "potential": (
            "We all count activities and want to show change. Building a few simple outcome "
            "measures together means each of us does not have to invent them alone."
        ),
        "goals": [
            (
                "Three outcome measures we all collect",
                "Measures agreed and collected by every member",
                4,
            ),
            (
                "Results used in a funder report",
                "Members who report an outcome, not only counts",
                None,
            ),
        ],
        "success": (
            "Evidence of what its investment changes for people.",
            "Data that helps staff improve the program, collected without extra paperwork.",
            "Services that improve because we look at what works.",
        ),
        "trainings": ["A five-question client survey", "Making a chart funders read"],
    },
}
GENERAL_PLAN = {
    "potential": (
        "Our organizations face the same problems in different places. Meeting regularly "
        "lets us learn from each other's attempts instead of repeating the same mistakes."
    ),
    "goals": [
        (
            "Share one practice that worked in each organization",
            "Practices written up in our shared folder",
            5,
        ),
        ("Try one shared practice", "Members who tried it and reported back", None),
    ],
    "success": (
        "Stronger organizations that can carry on the work after the program.",
        "Practical ideas each member can use the following week.",
        "Better services for the people our members serve.",
    ),
    "trainings": ["A practice that worked for us"],
}

WHY = {
    Community.WorkType.INNOVATING: (
        "No off-the-shelf answer fits our size; we want to build and try our own."
    ),
    Community.WorkType.BEST_PRACTICES: (
        "Several of us have solved parts of this already; gathering what works is the "
        "fastest way forward."
    ),
    Community.WorkType.PROBLEM_SOLVING: (
        "We share one stubborn problem and want to work through it together, step by step."
    ),
    Community.WorkType.GROUP_LEARNING: (
        "We are all new to this practice and would rather learn it together than alone."
    ),
}

FORMATS = (
    ["check_ins", "practice_reviews"],
    ["peer_trainings", "problem_solving"],
    ["check_ins", "peer_trainings"],
    ["practice_reviews", "problem_solving"],
)

# Meeting rules: (week of the month, weekday 0=Monday, start time, minutes).
RULES = (
    ("2", 1, time(19, 0), 90),  # second Tuesday, 7 p.m.
    ("1", 3, time(18, 0), 60),  # first Thursday, 6 p.m.
    ("3", 2, time(18, 0), 75),  # third Wednesday, 6 p.m.
    ("last", 0, time(19, 0), 60),  # last Monday, 7 p.m.
)
MODE_FOR_FORMAT = {
    Community.MeetingFormat.IN_PERSON: Meeting.Mode.IN_PERSON,
    Community.MeetingFormat.VIRTUAL: Meeting.Mode.VIRTUAL,
    Community.MeetingFormat.HYBRID: Meeting.Mode.CALL,
}

AGENDAS = (
    "Round of updates: one win and one worry each (15 min)\n"
    "Goal check: where each goal stands (10 min)\n"
    "A member presents a practice, then questions and ideas (45 min)\n"
    "What each of us will try before next time (15 min)\n"
    "Next host and date (5 min)",
    "Welcome and check-in (10 min)\n"
    "Peer training by this month's member (30 min)\n"
    "Problem clinic: one member's problem, everyone's ideas (30 min)\n"
    "Actions and who owns them (10 min)",
    "Quick round: news from each organization (10 min)\n"
    "Main topic (35 min)\n"
    "Resources to add to the shared folder (5 min)\n"
    "Commitments for next month (10 min)",
)

RESOURCES = (
    "One shared folder for the group: templates, slides and notes from each meeting. The "
    "note-taker files the notes within two days; the keeper of the folder tidies it "
    "each quarter and writes a short guide for new members.",
    "We keep a shared drive with a folder per goal, and post anything useful in the group's "
    "email list with a one-line summary. Nothing goes into the drive without a clear name.",
    "Documents live in a shared folder with an index page; links to outside resources go "
    "in one running list. Each meeting's host adds what was shown.",
)

DECISIONS = (
    "Members decide the topics, the meeting schedule and what goes into shared products, "
    "by consensus or by a show of hands when time is short. The leaders set agendas, "
    "invite guests and speak for the group to the TTA team. The TTA team advises, connects "
    "us with resources and approves the plan; it speaks for the program and its funder, "
    "not for any member organization.",
    "Anything that commits a member organization's time or money is decided by that "
    "organization. The group decides its goals and schedule together; the leaders handle "
    "day-to-day choices. The TTA team decides on program resources and reviews our plan.",
)

COMMITMENTS = (
    "Come to most meetings and lead one session this year.",
    "Attend monthly and share our board recruitment packet.",
    "Host one in-person meeting and bring a practice to review.",
    "Come prepared, try one idea between meetings and report back.",
    "Share our templates and give feedback on others' drafts.",
    "Attend when possible and keep the group's notes for a quarter.",
    "Lead the session on our area of strength and mentor one newer member.",
)

ROLE_NAMES = ("Note-taker", "Timekeeper", "Keeper of the shared folder", "Host of the next meeting")

RETURN_COMMENT = (
    "A good start. Please make the indicators for goals 2 and 3 something you can count, "
    "and name who keeps the shared folder. Then send it back."
)
GOALS_COMMENT = "Could the second goal have a target date before the mid-year review?"
MEMBER_COMMENT = "Could we also keep the recordings of the peer trainings in the folder?"
