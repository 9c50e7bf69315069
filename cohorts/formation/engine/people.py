"""Read each person's part of a formation problem: who they chose, their attributes, where
they are and how they ranked the topics (see docs/formation-format.md). `problem.parse`
calls `read_people`; faults are gathered in `errors`, one line each."""


def is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def read_people(people, method, index, topic_index, errors):
    """Per person (in order): their choices, attributes, location and ranking."""
    choices, attributes, locations, rankings = [], [], [], []
    missing_location = []
    for person in people:
        pid = person["id"]
        choices.append(_read_choices(person, pid, index, errors))
        attributes.append(_read_attributes(person, pid, errors))
        if person.get("location") is None and method == "map":
            missing_location.append(pid)
        locations.append(_read_location(person, pid, errors))
        rankings.append(_read_ranking(person, pid, topic_index, errors))
    if missing_location:
        shown = ", ".join(missing_location[:10]) + (" ..." if len(missing_location) > 10 else "")
        errors.append(f"The map method needs a location for everyone; missing for: {shown}.")
    return choices, attributes, locations, rankings


def _read_choices(person, pid, index, errors):
    """The indexes of the others the person chose (themself and repeats dropped)."""
    me = index[pid]
    raw = person.get("choices") or []
    mine = []
    if not isinstance(raw, list):
        errors.append(f"{pid}: choices must be a list of ids.")
        raw = []
    for other in raw:
        if other not in index:
            errors.append(f"{pid} chose {other!r}, who is not in this round.")
        elif index[other] != me and index[other] not in mine:
            mine.append(index[other])
    return mine


def _read_attributes(person, pid, errors):
    attrs = person.get("attributes") or {}
    if not isinstance(attrs, dict):
        errors.append(f"{pid}: attributes must be an object.")
        attrs = {}
    for key, value in attrs.items():
        ok = (
            value is None
            or isinstance(value, str)
            or is_number(value)
            or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        )
        if not ok:
            errors.append(
                f"{pid}: attribute {key!r} must be a string, a number or a list of strings."
            )
    return attrs


def _read_location(person, pid, errors):
    """(lat, lon) as floats, or None (no location, or a wrong one, told in errors)."""
    loc = person.get("location")
    if loc is None:
        return None
    lat = loc.get("lat") if isinstance(loc, dict) else None
    lon = loc.get("lon") if isinstance(loc, dict) else None
    if is_number(lat) and is_number(lon) and -90 <= lat <= 90 and -180 <= lon <= 180:
        return (float(lat), float(lon))
    errors.append(f"{pid}: location needs lat (-90..90) and lon (-180..180).")
    return None


def _read_ranking(person, pid, topic_index, errors):
    ranked = []
    for tid in person.get("ranking") or []:
        if tid not in topic_index:
            errors.append(f"{pid} ranked {tid!r}, which is not one of the topics.")
        elif topic_index[tid] not in ranked:
            ranked.append(topic_index[tid])
    return ranked
