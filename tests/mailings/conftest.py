import pytest

from bacuda_portal.mailings import services
from bacuda_portal.members.models import Region
from tests.factories import ContactPointFactory, UserFactory
from tests.scholarships.factories import ApplicationFactory, CallFactory, SubmittedApplicationFactory
from tests.workshops.factories import NominationFactory, WorkshopFactory


@pytest.fixture
def workshop(kenya, senegal):
    """A workshop for Kenya and Senegal: two accepted (one French-speaking), one nominated, one wait-listed,
    one declined, one withdrawn; and the same person nominated by another address case."""
    workshop = WorkshopFactory(title="Risk analytics for customs", beneficiaries=[(kenya, 5), (senegal, 5)])
    people = [
        ("Achieng Otieno", "achieng@kra.example", "accepted", "en", kenya),
        ("Awa Diop", "awa@douanes.example", "accepted", "fr", senegal),
        ("Brian Kamau", "brian@kra.example", "nominated", "en", kenya),
        ("Chebet Rono", "chebet@kra.example", "waitlisted", "en", kenya),
        ("Daudi Mwangi", "daudi@kra.example", "declined", "en", kenya),
        ("Esther Njeri", "esther@kra.example", "withdrawn", "en", kenya),
    ]
    for name, email, status, language, administration in people:
        NominationFactory(workshop=workshop, full_name=name, email=email, status=status, language=language,
                          administration=administration)  # fmt: skip
    return workshop


@pytest.fixture
def other_workshop(kenya):
    other = WorkshopFactory(title="Another workshop")
    NominationFactory(workshop=other, full_name="Someone Else", email="else@kra.example", status="accepted")
    return other


@pytest.fixture
def esa(db):
    return Region.objects.get(code="ESA")


@pytest.fixture
def call():
    """A call with two submitted applications (one French-speaking), a draft and a withdrawn one; and another
    call's applicant."""
    call = CallFactory(cohort_name="Cohort 2026")
    SubmittedApplicationFactory(call=call, full_name="Amina Wanjiru", applicant=UserFactory(email="amina@example.org"))
    SubmittedApplicationFactory(
        call=call, full_name="Moussa Fall", applicant=UserFactory(email="moussa@example.org", preferred_language="fr")
    )
    ApplicationFactory(call=call, full_name="Draft Person", applicant=UserFactory(email="draft@example.org"))
    SubmittedApplicationFactory(call=call, full_name="Gone Person", status="withdrawn",
                                applicant=UserFactory(email="gone@example.org"))  # fmt: skip
    SubmittedApplicationFactory(full_name="Other Call", applicant=UserFactory(email="othercall@example.org"))
    return call


@pytest.fixture
def french_contact_point(senegal):
    return ContactPointFactory(administration=senegal, user__email="cp2.senegal@example.org",
                               user__preferred_language="fr", user__full_name="Fatou Sarr").user  # fmt: skip


TEXTS = {
    "subject_en": "News for {{ name }}",
    "body_en": "Dear {{ name }},\n\nNews about {{ workshop }}.\n",
    "subject_fr": "Nouvelles pour {{ name }}",
    "body_fr": "Madame, Monsieur {{ name }},\n\nDes nouvelles de {{ workshop }}.\n",
}


def draft_for_workshop(workshop, by, *, audience="workshop_participants", **texts):
    return services.mailing_create(audience=audience, workshop=workshop, by=by, **{**TEXTS, **texts})
