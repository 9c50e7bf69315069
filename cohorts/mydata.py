"""The cohorts app's part of a person's own data (copkit.mydata): their participant records
and memberships in every cohort; on deletion, their name and contact details come off them,
while the rows stay so that communities keep their size and the cohort its counts."""

from django.db.models import Q

from cohorts.models import Activity, Invitation, Membership, Participant
from cohorts.services import activity
from copkit import mydata


def export(user):
    participants = Participant.objects.filter(user=user).select_related("cohort", "organization")
    memberships = Membership.objects.filter(participant__user=user).select_related(
        "community__cohort"
    )
    data = {
        "participant_records": [
            {
                "cohort": p.cohort.name,
                "name": p.name,
                "email": p.email,
                "organization": p.organization.name if p.organization_id else "",
                "role_in_organization": p.job_title,
                "zip_code": p.zip_code,
                "state": p.state,
                "expertise": p.expertise,
                "format_preference": p.format_preference,
                "other_details": p.extra,
                "joined_at": p.joined_at,
            }
            for p in participants
        ],
        "memberships": [
            {
                "cohort": m.community.cohort.name,
                "community": m.community.name,
                "role": m.get_role_display(),
                "custom_role": m.title,
            }
            for m in memberships
        ],
    }
    return data, []


def forget(user):
    # Their records in every cohort: those linked to the account, and the roster entries of
    # cohorts they were invited to and never joined (found by their address).
    participants = list(
        Participant.objects.filter(Q(user=user) | Q(email__iexact=user.email)).select_related(
            "cohort"
        )
    )
    # An invitation not yet accepted would let its link claim the renamed record.
    Invitation.objects.filter(participant__in=participants, accepted_at__isnull=True).delete()
    names = {p.name for p in participants} | {user.name} - {""}
    for participant in participants:
        activity.record(
            participant.cohort, None, "deleted account", participant=mydata.FORMER_MEMBER
        )
    if names:
        Activity.objects.filter(
            cohort__in=[p.cohort_id for p in participants], target__in=names
        ).update(target=mydata.FORMER_MEMBER)
    # What they did stays in the log, done by a former member.
    for row in Activity.objects.filter(actor=user).only("pk", "data"):
        row.data = {**row.data, "participant": mydata.FORMER_MEMBER}
        row.actor = None
        row.save(update_fields=["actor", "data"])
    for participant in participants:
        participant.name = mydata.FORMER_MEMBER
        participant.email = f"former-{participant.public_id.hex}@deleted.invalid"
        participant.zip_code = participant.state = participant.job_title = ""
        participant.latitude = participant.longitude = None
        participant.expertise = ""
        participant.extra = {}
        participant.user = None
        participant.save()


mydata.register(mydata.Source("people", export, forget, order=90))
