"""An application from the applicant's side: started, saved step by step, submitted, withdrawn."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bacuda_portal.core.emails import send_templated_email
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User
from bacuda_portal.notifications import services as notifications
from bacuda_portal.notifications.enums import Kind as NotificationKind

from ..enums import (
    ApplicationStatus,
    ApplicationStep,
    EndorsementStatus,
    OfferStatus,
)
from ..models import (
    Application,
    Call,
    Decision,
    Endorsement,
)
from ..models.applications import DOCUMENT_FIELDS
from .common import STEP_FIELDS, _now, _require_editable_draft, _require_open, word_count_errors
from .eligibility import eligibility_screen
from .endorsement import _close_up_ranks
from .selection import _propose_next_reserve


@transaction.atomic
def application_start(*, call: Call, applicant: User, now: dt.datetime | None = None) -> Application:
    """Open the applicant's draft for a call, or return the one they already have.

    Side effects: audit record when the draft is created.
    """
    existing = Application.objects.filter(call=call, applicant=applicant).first()
    if existing is not None:
        return existing
    _require_open(call, _now(now))
    try:
        with transaction.atomic():
            application = Application.objects.create(call=call, applicant=applicant, full_name=applicant.full_name)
    except IntegrityError:  # the same applicant in two tabs: the other request created it
        return Application.objects.get(call=call, applicant=applicant)
    audit_record(actor=applicant, action="scholarships.application.started", target=application)
    return application


@transaction.atomic
def application_save_step(
    *, application: Application, step: str, by: User, values: dict[str, Any], now: dt.datetime | None = None
) -> Application:
    """Save one step of a draft. Everything is checked before anything is written: a refused upload saves
    neither the file nor the step's other values.

    Side effects: audit record (field names only, never the values); uploaded files written to private storage.
    """
    application = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
    _require_editable_draft(application, _now(now))
    fields = STEP_FIELDS[step]
    changed = []
    for name in fields:
        if name not in values:
            continue
        value = values[name]
        if name in DOCUMENT_FIELDS and not value:
            continue  # no new file chosen: keep the one uploaded before
        if isinstance(value, str):
            value = value.strip()
        setattr(application, name, value)
        changed.append(name)
    if step == ApplicationStep.MOTIVATION:
        errors = word_count_errors(application.call, application.motivation)
        if errors:
            raise ValidationError({"motivation": errors})
    application.full_clean(exclude=[name for name in _all_step_fields() if name not in fields])
    application.save()
    audit_record(actor=by, action="scholarships.application.saved", target=application, step=step, fields=changed)
    return application


def _all_step_fields() -> list[str]:
    return [name for names in STEP_FIELDS.values() for name in names]


def missing_for_submission(application: Application) -> list[str]:
    """The steps still incomplete, by label; empty when the application can be submitted."""
    required = {
        ApplicationStep.PERSONAL: ("full_name", "date_of_birth", "nationality"),
        ApplicationStep.ADMINISTRATION: ("administration_id", "position", "years_of_service"),
        ApplicationStep.EDUCATION: ("education_level", "education_details", "language_level"),
        ApplicationStep.MOTIVATION: ("motivation",),
        ApplicationStep.DOCUMENTS: DOCUMENT_FIELDS,
    }
    missing = []
    for step, names in required.items():
        if any(getattr(application, name) in (None, "") for name in names) or (
            step == ApplicationStep.MOTIVATION and word_count_errors(application.call, application.motivation)
        ):
            missing.append(str(ApplicationStep(step).label))
    return missing


@transaction.atomic
def application_submit(
    *, application: Application, by: User, consent: bool, now: dt.datetime | None = None
) -> Application:
    """Draft -> submitted, with the consent text as shown recorded; screening runs at once.

    Refused after the call's close, a second time (double submit), without consent or while a step is
    incomplete; a refusal writes nothing. Side effects: eligibility check recorded; audit record; the
    applicant is emailed a confirmation after commit; when the call asks for an endorsement, the contact points
    of the applicant's administration are notified.
    """
    now = _now(now)
    # Lock the call first: staff changing its frozen rules (programmes.call_save) wait for this submission to
    # commit and then see it, or this submission waits for their change and reads the rules as changed.
    Call.objects.select_for_update().filter(pk=application.call_id).first()
    # Lock the row: two submits racing each other see one draft, then one submitted application.
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "administration")
        .get(pk=application.pk)
    )
    _require_editable_draft(application, now)
    if not consent:
        raise ValidationError({"consent": _("Please agree to the processing of your personal data to submit.")})
    missing = missing_for_submission(application)
    if missing:
        raise ValidationError(_("Please complete these steps first: %(steps)s.") % {"steps": ", ".join(missing)})
    call = application.call
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.consent_given_at = now
    application.consent_text = call.consent_text
    application.consent_version = call.consent_version
    application.endorsement_status = (
        EndorsementStatus.PENDING if call.endorsement_required else EndorsementStatus.NOT_REQUIRED
    )
    application.save()
    eligibility_screen(application=application, by=None)
    audit_record(actor=by, action="scholarships.application.submitted", target=application)
    send_templated_email(
        template="scholarships/application_submitted",
        to=[application.applicant.email],
        language=application.applicant.preferred_language,
        context={
            "full_name": application.full_name,
            "call": call.name_for_emails,
            "reference": application.pk,
            "closes_at": call.closes_at,
            "status_url": application.get_absolute_url(),
        },
    )
    if application.endorsement_status == EndorsementStatus.PENDING and application.administration_id:
        notifications.notify_contact_points(
            kind=NotificationKind.ENDORSEMENT_REQUESTED,
            administration_ids=[application.administration_id],
            context={"applicant": application.full_name, "call": call.name_for_emails},
            about=application,
            link=("scholarships:endorsement_list", {}),
        )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User, now: dt.datetime | None = None) -> Application:
    """Draft or submitted -> withdrawn, by the applicant. An endorsement it held frees its place in the quota; an
    open offer it held is declined, and the seat proposed to the next reserve candidate.

    Side effects: audit record; the endorsement (if any) loses its rank and the others close up; the offer (if
    any) declined and the next reserve candidate proposed.
    """
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.status == ApplicationStatus.WITHDRAWN:
        raise TransitionError(_("This application has already been withdrawn."))
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = _now(now)
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    endorsement = Endorsement.objects.filter(application=application).first()
    if endorsement is not None and endorsement.rank is not None:
        endorsement.rank = None
        endorsement.save(update_fields=["rank", "updated_at"])
        _close_up_ranks(call=endorsement.call, administration=endorsement.administration)
    decision = Decision.objects.select_for_update(of=("self",)).filter(application=application).first()
    if decision is not None and decision.offer_status == OfferStatus.OPEN:
        decision.offer_status = OfferStatus.DECLINED
        decision.replied_at = application.withdrawn_at
        decision.save(update_fields=["offer_status", "replied_at", "updated_at"])
        _propose_next_reserve(call=decision.call)
    audit_record(actor=by, action="scholarships.application.withdrawn", target=application)
    return application
