"""A person's own data: what they can download, and deleting their account.

The core knows no app, so each app registers a `Source` (in its AppConfig.ready): `export(user)`
returns what the app holds about that person as JSON-ready data (and may add files), and
`forget(user)` takes their name off everything shared and unlinks their answers from them,
keeping the rows others count on. Deleting an account runs every source's `forget` in one
transaction, then disables the login."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    name: str
    # user -> (data, files): JSON-ready data, and [(path in the ZIP, bytes)] of their files.
    export: Callable
    # user -> None: remove their name, unlink their answers; run inside the deletion's transaction.
    forget: Callable
    order: int = 50  # sources forget in this order (the people last: others find them by name)


_registry: dict[str, Source] = {}

FORMER_MEMBER = "Former member"


def register(source):
    _registry[source.name] = source
    return source


def sources():
    return sorted(_registry.values(), key=lambda s: (s.order, s.name))
