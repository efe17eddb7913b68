import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from bacuda_portal.members.enums import ContactPointRole, Role
from bacuda_portal.members.models import Administration, ContactPoint, Invitation, Region, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.APPLICANT
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    role = Role.PROJECT_OFFICER


class AdministrationFactory(factory.django.DjangoModelFactory):
    """A made-up administration (codes ZZAAA, ZZAAB...), beside the real WCO Members loaded by the migration."""

    class Meta:
        model = Administration

    code = factory.Sequence(lambda n: "ZZ" + "".join(chr(65 + (n // 26**i) % 26) for i in (2, 1, 0)))
    name_en = factory.Sequence(lambda n: f"Test administration {n}")
    name_fr = factory.Sequence(lambda n: f"Administration d'essai {n}")
    region = factory.LazyFunction(lambda: Region.objects.get(code="ESA"))


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    user = factory.SubFactory(UserFactory, role=Role.CONTACT_POINT)
    administration = factory.LazyFunction(lambda: Administration.objects.get(code="KEN"))
    role = ContactPointRole.BACUDA_FOCAL_POINT


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    administration = factory.LazyFunction(lambda: Administration.objects.get(code="KEN"))
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))
