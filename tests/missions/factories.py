import datetime as dt
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bacuda_portal.members.models import Administration
from tests.factories import StaffFactory
from tests.upload_samples import CLEAN_PDF, CLEAN_PNG
from tests.workshops.factories import ExpertFactory
from workshops.missions.enums import ClaimStatus, ExpenseCategory, TravelRequestStatus
from workshops.missions.models import Claim, ClaimLine, Mission, TravelRequest

PDF_BYTES = CLEAN_PDF
PNG_BYTES = CLEAN_PNG


def pdf_receipt(name: str = "receipt.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class MissionFactory(factory.django.DjangoModelFactory):
    """A mission of an expert to Nairobi that ended ten days ago (so its claim may be submitted)."""

    class Meta:
        model = Mission

    traveller_expert = factory.SubFactory(ExpertFactory)
    destination_city = "Nairobi"
    destination_country = factory.LazyFunction(lambda: Administration.objects.get(code="KEN"))
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=14))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=4))
    purpose = "Lead trainer of the national risk analytics workshop."
    created_by = factory.SubFactory(StaffFactory)


class TravelRequestFactory(factory.django.DjangoModelFactory):
    """A draft request in EUR: 4 days at 250.00 plus 120.00 terminal expenses (total 1120.00), advance 500.00."""

    class Meta:
        model = TravelRequest

    mission = factory.SubFactory(MissionFactory)
    itinerary = "GVA–NBO 3 March, NBO–GVA 7 March"
    currency = "EUR"
    dsa_days = 4
    dsa_rate = Decimal("250.00")
    terminal_expenses = Decimal("120.00")
    advance = Decimal("500.00")
    status = TravelRequestStatus.DRAFT

    class Params:
        submitted = factory.Trait(
            status=TravelRequestStatus.SUBMITTED,
            submitted_by=factory.SubFactory(StaffFactory),
            submitted_at=factory.LazyFunction(timezone.now),
        )
        approved = factory.Trait(
            status=TravelRequestStatus.APPROVED,
            submitted_by=factory.SubFactory(StaffFactory),
            submitted_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
        )


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    mission = factory.SubFactory(MissionFactory)
    status = ClaimStatus.DRAFT

    class Params:
        submitted = factory.Trait(status=ClaimStatus.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now))
        approved = factory.Trait(
            status=ClaimStatus.APPROVED,
            submitted_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
        )


class ClaimLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimLine

    claim = factory.SubFactory(ClaimFactory)
    date = factory.LazyAttribute(lambda o: o.claim.mission.start_date)
    category = ExpenseCategory.ACCOMMODATION
    description = "Hotel, four nights"
    amount = Decimal("480.00")
    currency = "EUR"
    receipt = factory.LazyFunction(pdf_receipt)
