"""Every kind of email the code queues is declared (copkit.kinds), so that the settings page
offers the optional ones and the outbox knows which it may hold or skip."""

import re
from pathlib import Path

from copkit import kinds

ROOT = Path(__file__).resolve().parent.parent
LITERAL = re.compile(r"""(?:kind=|"kind":\s*)"([a-z_]+)\"""")


def queued_kinds():
    """The kinds named as literals next to an outbox call, and the survey emails (whose kind
    is their template's name)."""
    found = {"survey_invitation", "survey_reminder"}
    for package in ("cohorts", "planning", "copkit"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text()
            if "outbox.enqueue" in text:
                found |= set(LITERAL.findall(text))
    return found


def test_every_queued_kind_is_declared():
    found = queued_kinds()
    assert {"invitation", "meeting_reminder", "plan_reviewed"} <= found  # the scan works
    undeclared = {name for name in found if kinds.get(name) is None}
    assert not undeclared, f"declare these in the app's messages.py: {sorted(undeclared)}"


def test_what_carries_a_personal_link_cannot_be_turned_off():
    for name in ("invitation", "survey_invitation", "formation", "digest"):
        assert kinds.get(name).optional is False, name
    for name in ("meeting_reminder", "survey_reminder", "plan_submitted", "plan_reviewed"):
        assert kinds.get(name).optional is True, name
