"""Writes to the needs-and-expertise inventory and its connections."""


def fill_from_response(response):
    """Add the needs and expertise a survey or live poll response names to the responder's
    inventory (questions whose `fills` is set; options named like a cohort topic).

    STUB until the inventory is built: does nothing yet."""
    return []
