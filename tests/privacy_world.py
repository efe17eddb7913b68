"""A person with personal data in every app, and other people's data beside it: the shared world of the
data-protection tests (tests/core/test_privacy.py, tests/members/test_erasure.py)."""

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from bacuda_portal.core.models import PersonalDataExport
from bacuda_portal.core.services import audit_record
from bacuda_portal.mailings.models import Mailing, MailingRecipient
from bacuda_portal.members.models import ContactPoint, User
from bacuda_portal.notifications import services as notify_services
from bacuda_portal.notifications.enums import Kind as NotificationKind
from bacuda_portal.reports.models import Report
from bacuda_portal.website.models import ContactMessage
from tests.algorithms.factories import DatasetFactory, JobArtifactFactory
from tests.factories import InvitationFactory, UserFactory
from tests.missions.factories import ClaimFactory, ClaimLineFactory, MissionFactory, TravelRequestFactory
from tests.scholarships.factories import SubmittedApplicationFactory
from tests.workshops.factories import ExpertFactory, NominationFactory, SessionFactory, WorkshopFactory
from workshops.models import Attendance, Certificate

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
NAME = "Wanjiru Kamau"
EMAIL = "wanjiru.kamau@kra.example"


@dataclass
class World:
    person: User
    nominations: list
    certificate: Certificate
    other_nomination: object
    expert: object
    mission: object
    draft_mission: object
    claim_line: object
    message: ContactMessage
    other_message: ContactMessage
    dataset: object
    artifact: object
    application: object
    invitation: object
    export: PersonalDataExport
    report: Report
    notification: object
    mailing_recipient: object = None


def build_world(kenya, *, uploader) -> World:
    """Wanjiru Kamau: an applicant, twice a workshop participant (one certificate), an expert with a CV and two
    missions (one approved and claimed, one draft with a receipt), who wrote through the contact form and was
    once invited as a contact point; and a dataset her administration's contact point (``uploader``) uploaded."""
    today = timezone.localdate()
    person = UserFactory(role="applicant", email=EMAIL, full_name=NAME)
    workshops = [
        WorkshopFactory(
            status="delivered",
            start_date=today - dt.timedelta(days=days),
            end_date=today - dt.timedelta(days=days - 4),
        )
        for days in (400, 40)
    ]
    nominations = []
    for workshop in workshops:
        session = SessionFactory(workshop=workshop)
        nomination = NominationFactory(workshop=workshop, status="accepted", full_name=NAME, email=EMAIL.upper())
        Attendance.objects.create(session=session, nomination=nomination, status="present")
        nominations.append(nomination)
    certificate = Certificate.objects.create(nomination=nominations[1], issued_on=workshops[1].end_date, status="ready")
    certificate.file.save("certificate.pdf", ContentFile(PDF), save=True)
    other_nomination = NominationFactory(workshop=workshops[1], status="accepted", full_name="Otieno Odhiambo")
    _named_answer(nominations[1], uploader)
    audit_record(actor=uploader, action="workshops.nomination.accepted", target=nominations[1], email=EMAIL)

    expert = ExpertFactory(user=person, email=EMAIL, full_name=NAME, phone="+254 700 000000", biography="Analyst.")
    expert.cv.save("cv.pdf", ContentFile(PDF), save=True)
    mission = MissionFactory(traveller_expert=expert)
    TravelRequestFactory(mission=mission, approved=True)
    claim_line = ClaimLineFactory(claim=ClaimFactory(mission=mission, approved=True))
    draft_mission = MissionFactory(traveller_expert=expert)
    ClaimLineFactory(claim=ClaimFactory(mission=draft_mission))

    message = ContactMessage.objects.create(
        name=NAME, email=EMAIL, subject="Scholarship question", message="When does the call open?"
    )
    other_message = ContactMessage.objects.create(
        name="Someone Else", email="someone@example.org", subject="Hi", message="A question."
    )
    dataset = DatasetFactory(administration=kenya, uploaded_by=uploader)
    artifact = JobArtifactFactory(job__dataset=dataset)
    application = SubmittedApplicationFactory(applicant=person, full_name=NAME, administration=kenya)
    invitation = InvitationFactory(email=EMAIL, full_name=NAME)
    export = PersonalDataExport.objects.create(user=person, status="ready", finished_at=timezone.now())
    export.file.save("export.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=True)
    report = Report.objects.create(
        kind="workshop", parameters={"workshop": workshops[1].pk}, parameters_key="workshop",
        period_start=workshops[1].start_date, period_end=workshops[1].end_date, language="en", status="ready",
    )  # fmt: skip
    report.file.save("workshop.pdf", ContentFile(PDF), save=True)
    mailing = Mailing.objects.create(audience="workshop_accepted", workshop=workshops[1], status="sent",
                                     subject_en="Practical information", body_en="Dear {{ name }}")  # fmt: skip
    mailing_recipient = MailingRecipient.objects.create(mailing=mailing, email=EMAIL, name=NAME, status="sent",
                                                        preferred_language="en", language="en")  # fmt: skip
    notification = notify_services.notify_user(
        kind=NotificationKind.OFFER_REPLY_DUE, user=person, about=application, occasion="reply_by",
        context={"call": str(application.call), "reply_by": timezone.now() + dt.timedelta(days=2)},
    )  # fmt: skip
    return World(
        mailing_recipient=mailing_recipient,
        notification=notification,
        report=report,
        person=person,
        nominations=nominations,
        certificate=certificate,
        other_nomination=other_nomination,
        expert=expert,
        mission=mission,
        draft_mission=draft_mission,
        claim_line=claim_line,
        message=message,
        other_message=other_message,
        dataset=dataset,
        artifact=artifact,
        application=application,
        invitation=invitation,
        export=export,
    )


def end_contact_point(contact_point_user, *, ended_on: dt.date) -> ContactPoint:
    row = ContactPoint.objects.get(user=contact_point_user)
    ContactPoint.objects.filter(pk=row.pk).update(
        position="Head of risk",
        phone="+254 711 111111",
        active_from=ended_on - dt.timedelta(days=30),
        active_to=ended_on,
    )
    row.refresh_from_db()
    return row


def _named_answer(nomination, by) -> None:
    """The person's named answer to the workshop's (non-anonymous) reaction survey, with a free-text comment."""
    from tests.evaluations.factories import QuestionFactory
    from workshops.evaluations import services as evaluation_services

    rating = QuestionFactory(text_en="Rate the workshop")
    comment = QuestionFactory(text_en="Comments", kind="text", low_label_en="", high_label_en="")
    survey = evaluation_services.questionnaire_create(
        workshop=nomination.workshop, kind="reaction", questions=[rating, comment], by=by, anonymous=False
    )
    evaluation_services.questionnaire_open(questionnaire=survey, by=by)
    evaluation_services.submit(
        nomination=nomination, questionnaire=survey, answers={str(rating.pk): 5, str(comment.pk): "Thank you"}
    )
