"""Who may see or change what in the scholarships app: the one place it is decided.

Anyone may read the published calls. An applicant sees and edits only their own applications. A contact
point sees the submitted (and withdrawn) applications from their own administration and endorses them. Staff
see every application and override eligibility. Anything else is "not found".
"""

from django.db.models import QuerySet
from django.http import Http404

from bacuda_portal.members.access import administration_of, is_wco_staff
from bacuda_portal.members.enums import Role

from .enums import ApplicationStatus
from .models import Application, Call


def calls_visible_to(user) -> QuerySet[Call]:
    """Staff see every call; everyone else the published ones."""
    if is_wco_staff(user):
        return Call.objects.all()
    return Call.objects.filter(is_published=True)


def get_call_for(user, pk: int) -> Call:
    call = calls_visible_to(user).select_related("programme").filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def can_apply(user) -> bool:
    """Self-registered applicants apply; staff, contact points, experts and reviewers do not."""
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.APPLICANT)


def applications_visible_to(user) -> QuerySet[Application]:
    if not (user and user.is_authenticated and user.is_active):
        return Application.objects.none()
    if is_wco_staff(user):
        return Application.objects.all()
    administration = administration_of(user)
    if administration is not None:
        # A draft is the applicant's own work until they submit it.
        return Application.objects.filter(administration=administration).exclude(status=ApplicationStatus.DRAFT)
    return Application.objects.filter(applicant=user)


def get_application_for(user, pk: int) -> Application:
    application = (
        applications_visible_to(user)
        .select_related("call__programme", "administration__region", "applicant", "endorsement")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def get_own_application(user, pk: int) -> Application:
    """The applicant's own application, for the form, submitting and withdrawing."""
    application = None
    if user and user.is_authenticated:
        application = Application.objects.select_related("call__programme").filter(pk=pk, applicant=user).first()
    if application is None:
        raise Http404
    return application


def is_own_application(user, application: Application) -> bool:
    return bool(user and user.is_authenticated and application.applicant_id == user.pk)


def endorsing_administration(user):
    """The administration whose applications a user endorses, or None."""
    return administration_of(user)


def can_endorse(user, application: Application) -> bool:
    administration = administration_of(user)
    return (
        administration is not None
        and application.administration_id == administration.pk
        and application.status == ApplicationStatus.SUBMITTED
    )


def get_application_to_endorse(user, pk: int) -> Application:
    application = get_application_for(user, pk)
    if not can_endorse(user, application):
        raise Http404
    return application


def can_manage_applications(user) -> bool:
    """The staff list, exports and eligibility overrides."""
    return is_wco_staff(user)


def get_application_for_staff(user, pk: int) -> Application:
    if not can_manage_applications(user):
        raise Http404
    return get_application_for(user, pk)


def is_personal_data_viewer(user, application: Application) -> bool:
    """Views of personal data that are logged: anyone but the applicant themselves."""
    return not is_own_application(user, application)
