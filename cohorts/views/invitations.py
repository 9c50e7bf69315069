from django.http import HttpResponse
from django.views.decorators.http import require_POST

from copkit.access import cohort_view


@require_POST
@cohort_view("cohort.manage")
def invite(request, access):
    return HttpResponse("invite: not built yet", status=501)


@require_POST
@cohort_view("cohort.manage")
def invitation_resend(request, access, participant_id):
    return HttpResponse("resend: not built yet", status=501)


def accept_invitation(request, token):
    return HttpResponse("accept: not built yet", status=501)
