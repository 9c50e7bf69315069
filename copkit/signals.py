from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.dispatch import receiver


@receiver(password_reset)
def reset_link_proves_the_address(sender, request, user, **kwargs):
    """A password chosen through an emailed link proves the person reads that address:
    team members added by staff start this way, and production requires a verified email."""
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "primary": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
