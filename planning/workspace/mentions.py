"""@mentions in the workspace's discussion.

A mention is "@" followed by a COP member's full name as the member list shows it ("@Pat
Participant"), in any letter case. The longest name wins ("@Ana Maria Lopez" over "@Ana
Maria"); a name two members share cannot say who is meant, so a post mentioning it is refused
with a message asking to write it so that only one person matches (or to skip the mention).
Only members of the COP can be mentioned: a mention of anyone else is plain text.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cohorts.models import Participant
from copkit.errors import ServiceError

AT = re.compile(r"(?<![\w@])@")


@dataclass(frozen=True)
class Person:
    """Someone the workspace may email: a member of the COP (or staff)."""

    name: str
    email: str
    user_id: int | None


def members(community):
    """The COP's members (leaders too), by name, as Persons."""
    rows = (
        Participant.objects.filter(memberships__community=community)
        .order_by("name", "pk")
        .values_list("name", "email", "user_id")
    )
    return [Person(name, email, user_id) for name, email, user_id in rows]


def _key(name):
    return " ".join(name.casefold().split())


def find(text, people):
    """The Persons `text` mentions, each once, in the order first mentioned. Raises
    ServiceError (field "body") for a name two people share."""
    by_name = {}
    for person in people:
        by_name.setdefault(_key(person.name), []).append(person)
    names = sorted(by_name, key=len, reverse=True)
    found = []
    lowered = text.casefold()
    for match in AT.finditer(text):
        rest = " ".join(lowered[match.end() : match.end() + 300].split())
        for name in names:
            if rest.startswith(name) and not rest[len(name) : len(name) + 1].isalnum():
                same = by_name[name]
                if len(same) > 1:
                    raise ServiceError(
                        _(
                            "%(n)d members are called “%(name)s”, so “@%(name)s” cannot "
                            "say who you mean. Write it without the @ and tell them apart "
                            "in your words."
                        )
                        % {"n": len(same), "name": same[0].name},
                        field="body",
                    )
                if same[0] not in found:
                    found.append(same[0])
                break
    return found
