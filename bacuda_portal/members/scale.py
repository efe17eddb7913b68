"""Contact points at scale for ``seed_demo --scale large``: 1,500 across the 186 administrations."""

import random

from allauth.account.models import EmailAddress
from django.db import transaction

from .enums import Role
from .models import Administration, ContactPoint, User

CONTACT_POINTS = 1500


@transaction.atomic
def seed_large_contact_points(*, rng: random.Random) -> None:
    administrations = list(Administration.objects.all())
    users = User.objects.bulk_create(
        User(email=f"cp{n}@scale.example.org", full_name=f"Contact point {n}", role=Role.CONTACT_POINT, password="!")
        for n in range(CONTACT_POINTS)
    )
    EmailAddress.objects.bulk_create(EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users)
    ContactPoint.objects.bulk_create(
        ContactPoint(user=user, administration=administrations[n % len(administrations)])
        for n, user in enumerate(users)
    )


def large_set_loaded() -> bool:
    """``seed_large_contact_points`` ran already (the large data set loads once, on an empty database)."""
    return ContactPoint.objects.filter(user__email__endswith="@scale.example.org").exists()
