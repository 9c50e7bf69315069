"""A complete sunset plan for the shared personas (Lee leads Board Builders, Pat is a member),
in the stored format: the services, pages and browser tests of the sunset plan share it."""

from django.http import QueryDict

from planning.plans.forms import initial_from
from planning.plans.services import plans as plan_services
from tests import factories


def sunset_answers(world):
    lee = str(world.leader_participant.public_id)
    pat = str(world.participant_participant.public_id)
    return {
        "group_kind": {
            "group_kind": "lighter",
            "purpose": "Keep swapping board candidates and meet when one of us needs the group.",
        },
        "leadership": {
            "leaders": [
                {"member": lee, "role": "Convener"},
                {"member": pat, "role": "Back-up convener"},
            ],
            "succession": "Each January the convener hands over to the back-up.",
        },
        "meeting_plan": {
            "frequency": "quarterly",
            "platforms": ["video", "copkit"],
            "details": "Pat hosts the call.",
        },
        "library": {"storage": "copkit", "keeper": pat, "notes": "The workspace's files."},
        "contacts": {"ways": ["directory", "social"], "links": "A LinkedIn group"},
        "learning": {
            "needs": "Board succession planning",
            "support": "The state association of nonprofits",
        },
        "handoff": {
            "handoff": "Read this plan, then the workspace's pinned thread; ask Lee or Pat.",
            "first_steps": "Join the next quarterly call",
        },
    }


def fill_sunset(world, skip=()):
    """The community's sunset plan with every part answered (but those in `skip`)."""
    plan = plan_services.get_plan(world.community, "sunset")
    for key, value in sunset_answers(world).items():
        if key not in skip:
            factories.PlanPartFactory(plan=plan, key=key, data=value)
    return plan


def as_post(part, data, revision):
    """The form fields a browser would post for a stored answer."""
    query = QueryDict(mutable=True)
    for name, value in initial_from(part, data).items():
        if isinstance(value, list):
            query.setlist(name, value)
        else:
            query[name] = str(value)
    query["revision"] = str(revision)
    return query
