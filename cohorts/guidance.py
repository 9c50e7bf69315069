"""What a COP's phase asks of its leaders and members next, in copkit's own words,
drawn from TTA practice for communities of practice."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Community

Phase = Community.Phase

LEADER_NEXT_STEP = {
    Phase.FORMING: _(
        "Welcome your members and agree a first meeting: a regular time (monthly works for "
        "many groups) and a format everyone can join."
    ),
    Phase.DEFINING: _(
        "Gather what members need and what they can offer, pick the three most pressing "
        "needs, and start the action plan: goals, how you will know you met them, and roles."
    ),
    Phase.ACTIVE: _(
        "Keep the meetings going, record who came, and tell your TTA coach how things are "
        "going at each check-in."
    ),
    Phase.SUNSETTING: _(
        "Plan how the COP carries on after the program: who convenes it, where resources "
        "live, and what you want to keep doing."
    ),
    Phase.CONTINUING: _("Your COP runs on its own now. Keep sharing what you learn."),
    Phase.CLOSED: _("This COP has closed. Its records stay here for reference."),
}

MEMBER_NEXT_STEP = {
    Phase.FORMING: _("Get to know your fellow members and say when you can meet."),
    Phase.DEFINING: _(
        "Share a need your organization has and the expertise you could offer the group."
    ),
    Phase.ACTIVE: _("Join the next meeting and bring a question or a practice to share."),
    Phase.SUNSETTING: _("Tell your leaders how you would like the COP to carry on."),
    Phase.CONTINUING: _("Your COP runs on its own now. Keep taking part."),
    Phase.CLOSED: _("This COP has closed."),
}


def next_step(community, leading):
    table = LEADER_NEXT_STEP if leading else MEMBER_NEXT_STEP
    return table.get(community.phase, "")


# Where a leader's next step is done, when a page is there for it (URL name, link text).
LEADER_NEXT_LINK = {
    Phase.ACTIVE: ("planning:community-checkins", _("Go to your check-ins")),
}


def next_link(community, leading):
    """{"url", "label"} of the page where the leader's next step is done, or None."""
    entry = LEADER_NEXT_LINK.get(community.phase) if leading else None
    if entry is None:
        return None
    name, label = entry
    url = reverse(
        name, kwargs={"cohort_slug": community.cohort.slug, "community_slug": community.slug}
    )
    return {"url": url, "label": label}
