"""The review board's presenter: what the board template shows for a proposal (the groups
with their figures and sizes, the summary, the map, the locks and forms, the page of groups),
built from the round, its newest proposal and the method's scores. The views only call
`board_context`."""

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cohorts.formation.forms.board import NEW_GROUP, PERSON_FIELDS, LockForm
from cohorts.formation.mapsvg import colour, render_map_svg
from cohorts.formation.methods import method_of
from cohorts.formation.methods.base import distance
from cohorts.formation.methods.map import location_of
from cohorts.formation.services.problem import size_limits
from cohorts.formation.services.proposals import lock_is_met, read_only_reason
from cohorts.models import ProposedMember

# Each person gets a "Move to…" list of the other groups on the board, up to this many options
# in all; past it (hundreds of people in dozens of groups) each person gets a link that opens
# their list, so the page stays small.
INLINE_MOVE_OPTIONS = 5000


# A board of more groups than this shows them a page at a time, with a box to find a person;
# the scores, the map and the move lists still cover every group.
GROUPS_PER_PAGE = 30


# -- forms ------------------------------------------------------------------------------


# Time zones of the United States: a cohort in one of them reads distances in miles.
US_TIME_ZONES = ("US/", "Pacific/Honolulu", "America/Puerto_Rico")
US_AMERICA = [
    "New_York",
    "Chicago",
    "Denver",
    "Phoenix",
    "Los_Angeles",
    "Anchorage",
    "Adak",
    "Boise",
    "Detroit",
    "Juneau",
    "Sitka",
    "Nome",
    "Metlakatla",
    "Yakutat",
    "Menominee",
    "Indiana",
    "Kentucky",
    "North_Dakota",
]


def default_unit(cohort):
    """Miles for a cohort in a US time zone, kilometres elsewhere."""
    zone = getattr(cohort, "time_zone", "") or ""
    if zone.startswith(US_TIME_ZONES):
        return "mi"
    place = zone.removeprefix("America/").split("/")[0]
    return "mi" if zone.startswith("America/") and place in US_AMERICA else "km"


def _unit(request, cohort=None):
    asked = request.GET.get("unit") or request.POST.get("unit")
    return asked if asked in ("km", "mi") else default_unit(cohort)


def _review_url(access, formation_round, *, unit="km", proposal=None):
    url = reverse(
        "cohorts:formation-review",
        kwargs={"cohort_slug": access.cohort.slug, "round_id": formation_round.public_id},
    )
    query = {}
    if proposal is not None:
        query["proposal"] = proposal
    if unit != default_unit(access.cohort):
        query["unit"] = unit
    return f"{url}?{urlencode(query)}" if query else url


def _proposals(formation_round):
    """Every proposal of the round, newest first, without the stored problem."""
    return list(formation_round.proposals.defer("problem"))


def _pick_proposal(request, proposals):
    """The proposal `?proposal=N` asks for (404 if there is none), or the newest."""
    number = request.GET.get("proposal")
    if not number:
        return proposals[0] if proposals else None
    for proposal in proposals:
        if str(proposal.number) == number:
            return proposal
    raise Http404("No such proposal")


def _summary(formation_round, proposal, groups, unit):
    """The proposal's figures as (label, value) rows: the method's, then the sizes."""
    rows = method_of(formation_round).summary_rows(formation_round, proposal.scores or {}, unit)
    sizes = [g.size for g in groups]
    rows.append((_("Groups"), str(len(groups))))
    if sizes:
        rows.append(
            (
                _("Group sizes"),
                _("%(smallest)s to %(largest)s people")
                % {"smallest": min(sizes), "largest": max(sizes)},
            )
        )
    return rows


def _size_problem(limits, size):
    low, high = limits
    if low and size < low:
        return _("Below the smallest size (%(n)s)") % {"n": low}
    if high and size > high:
        return _("Above the largest size (%(n)s)") % {"n": high}
    return ""


def _group_figures(formation_round, group, unit):
    """What the engine says about one group, as short lines."""
    lines = method_of(formation_round).group_figures(formation_round, group.details or {}, unit)
    if group.topic_id:
        lines.append(_("Topic: %(name)s") % {"name": group.topic.name})
    return lines


def _map_svg(formation_round, groups):
    points = []
    for index, group in enumerate(groups):
        for member in group.member_list:
            where = location_of(member.participant)
            if where is None:
                continue
            points.append(
                {
                    "id": str(member.participant.public_id),
                    "label": member.participant.name,
                    "lat": where[0],
                    "lon": where[1],
                    "group": index,
                }
            )
    if not points:
        return ""
    try:
        svg = render_map_svg(points, title=_("Where the members of each group are"))
    except ValueError:  # a stored location off the globe: the table below still tells
        return ""
    return mark_safe(svg)  # noqa: S308 - the drawing escapes every label it writes


def board_context(request, access, formation_round, proposal, *, newest, unit, **extra):
    """Everything `_board.html` shows, in a fixed number of queries: groups with their
    members (people and organizations), the round's entries and its locks."""
    entries = list(
        formation_round.entries.select_related("participant__organization").only(
            "round_id", "participant_id", "choices", "ranking", *PERSON_FIELDS
        )
    )
    locks = list(formation_round.locks.select_related("first", "second"))
    groups = []
    if proposal is not None:
        groups = list(
            proposal.groups.select_related("topic", "community__cohort").prefetch_related(
                Prefetch(
                    "members",
                    queryset=ProposedMember.objects.select_related(
                        "participant__organization"
                    ).only("group_id", *PERSON_FIELDS),
                    to_attr="member_list",
                )
            )
        )
    read_only = read_only_reason(formation_round, proposal, newest)
    by_entry = {e.participant_id: e for e in entries}
    method = method_of(formation_round)
    limits = size_limits(formation_round, sum(len(g.member_list) for g in groups))
    for group in groups:
        ids_here = {str(m.participant.public_id) for m in group.member_list}
        group.size = len(group.member_list)
        group.size_problem = _size_problem(limits, group.size)
        group.figures = _group_figures(formation_round, group, unit)
        topic_id = str(group.topic.public_id) if group.topic_id else None
        names = {m.participant_id: m.participant.name for m in group.member_list}
        group.leader_name = names.get(group.leader_id, "")
        group.co_leader_name = names.get(group.co_leader_id, "")
        for member in group.member_list:
            entry = by_entry.get(member.participant_id)
            member.no_choice = False
            if entry is not None:
                member.no_choice = method.no_choice(entry, ids_here, topic_id)
    group_of = {m.participant_id: g.pk for g in groups for m in g.member_list}
    for lock in locks:
        lock.unmet = bool(groups) and not lock_is_met(lock, group_of)
    # The lock form offers the people taking part (entries come ordered by name).
    people = [e.participant for e in entries]
    is_map = method.shows_map
    unplaced = 0
    if is_map:
        for index, group in enumerate(groups):
            group.map_number = index + 1
            group.default_name = f"Group {index + 1}"  # how the drawing labels it
            group.colour = colour(index)
            group.mean_text = distance((group.details or {}).get("mean_km"), unit)
            group.spread_text = distance((group.details or {}).get("spread_km"), unit)
            unplaced += sum(1 for m in group.member_list if location_of(m.participant) is None)
    older = proposal.number if proposal and newest and proposal.pk != newest.pk else None
    context = {
        "access": access,
        "round": formation_round,
        "proposal": proposal,
        "newest": newest,
        "groups": groups,
        "locks": locks,
        "unmet_locks": sum(1 for lock in locks if lock.unmet),
        # People grouped before they accepted their invitation: their email carries its link.
        "leaderless": sum(1 for g in groups if g.member_list and not g.leader_name),
        "not_joined": sum(
            1 for g in groups for m in g.member_list if m.participant.user_id is None
        ),
        "editable": not read_only,
        "read_only_reason": read_only,
        "unit": unit,
        "other_unit": "km" if unit == "mi" else "mi",
        "summary": _summary(formation_round, proposal, groups, unit) if proposal else [],
        "is_map": is_map,
        "map_svg": _map_svg(formation_round, groups) if is_map else "",
        "unplaced": unplaced,
        "review_url": _review_url(access, formation_round, unit=unit, proposal=older),
        "unit_urls": {
            u: _review_url(access, formation_round, unit=u, proposal=older) for u in ("km", "mi")
        },
        "size_problems": sum(1 for g in groups if g.size_problem),
        "locks_editable": not formation_round.is_published
        and (proposal is None or newest is None or proposal.pk == newest.pk),
        "lock_form": LockForm(people=people),
        "rename_forms": {},
        "board_error": "",
        "announce": "",
        "new_group": NEW_GROUP,
        "inline_moves": sum(g.size for g in groups) * len(groups) <= INLINE_MOVE_OPTIONS,
        "move_open": request.GET.get("move", ""),
        "move_link": _review_url(access, formation_round, unit=unit)
        + ("&" if unit != default_unit(access.cohort) else "?")
        + "move=",
    }
    context.update(_group_page(request, groups))
    if context["find"] or context["group_page"] > 1:
        # "Move…" on a large board reopens the same page or search with that person's list.
        keep = {"find": context["find"]} if context["find"] else {"page": context["group_page"]}
        context["move_link"] = context["move_link"].replace("move=", f"{urlencode(keep)}&move=")
    context.update(extra)
    for group in groups:
        group.rename_form = context["rename_forms"].get(group.pk)
    return context


def _group_page(request, groups):
    """The groups the board shows: all of them, or on a large board one page of them, or
    those with someone whose name holds the text looked for. htmx edits send the page and
    the search back (`hx-vals` on the board), so the board stays where it was."""
    data = request.POST if request.method == "POST" else request.GET
    find = data.get("find", "").strip()[:100]
    if find:
        needle = find.casefold()
        shown = [
            g for g in groups if any(needle in m.participant.name.casefold() for m in g.member_list)
        ]
        return {"shown_groups": shown, "find": find, "group_pages": None, "group_page": 1}
    if len(groups) <= GROUPS_PER_PAGE:
        return {"shown_groups": groups, "find": "", "group_pages": None, "group_page": 1}
    pages = (len(groups) + GROUPS_PER_PAGE - 1) // GROUPS_PER_PAGE
    try:
        page = min(max(int(data.get("page", 1)), 1), pages)
    except ValueError:
        page = 1
    start = (page - 1) * GROUPS_PER_PAGE
    return {
        "shown_groups": groups[start : start + GROUPS_PER_PAGE],
        "find": "",
        "group_pages": range(1, pages + 1),
        "group_page": page,
    }


def _newest(formation_round):
    return formation_round.proposals.defer("problem").first()
