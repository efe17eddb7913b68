"""Who may see or change what in the scholarships app: the one place it is decided.

Anyone may read the published calls. An applicant sees and edits only their own applications. A contact
point sees the submitted (and withdrawn) applications from their own administration and endorses them. Staff
see every application and override eligibility. Anything else is "not found".

A reviewer (a user with an active ``Reviewer`` profile) sees only their own assignments; an assignment on
which they declared a conflict of interest hides the application from them entirely; with a blind call the
pages and the API never show them the applicant's name, administration, nationality, birth date or files;
other reviewers' scores appear only once their own review is submitted. Staff run the review, the ranking,
decisions, letters, offers and erasure requests.
"""

from django.db.models import QuerySet
from django.http import Http404

from bacuda_portal.members.access import administration_of, is_wco_staff
from bacuda_portal.members.enums import Role

from .enums import ApplicationStatus, DecisionStatus, LetterStatus, ReviewStatus
from .models import Application, Call, Decision, Letter, Programme, Review, Reviewer


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
        .select_related(
            "call__programme", "administration__region", "applicant", "endorsement", "decision", "programme_outcome"
        )
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


# --- Reviewers -----------------------------------------------------------------------------------------------
def reviewer_of(user) -> Reviewer | None:
    """The active reviewer profile of a user, or None. Cached per user object."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, "_bacuda_reviewer"):
        user._bacuda_reviewer = Reviewer.objects.filter(user=user, is_active=True).first()
    return user._bacuda_reviewer


def is_reviewer(user) -> bool:
    return reviewer_of(user) is not None


def reviews_visible_to(user) -> QuerySet[Review]:
    """A reviewer's own assignments (those with a declared conflict included, without the application's
    content); staff see every review; nobody else any."""
    if is_wco_staff(user):
        return Review.objects.all()
    reviewer = reviewer_of(user)
    if reviewer is None:
        return Review.objects.none()
    return Review.objects.filter(reviewer=reviewer)


def get_review_for(user, pk: int) -> Review:
    """The reviewer's own assignment, to read or score. An assignment with a declared conflict is not found:
    the application is hidden from them from then on."""
    reviewer = reviewer_of(user)
    review = None
    if reviewer is not None:
        review = (
            Review.objects.select_related("call__programme", "application__administration__region")
            .filter(pk=pk, reviewer=reviewer)
            .exclude(status=ReviewStatus.CONFLICT)
            .first()
        )
    if review is None:
        raise Http404
    return review


def is_blind_for(user, review: Review) -> bool:
    """Names, administration and documents are hidden from the reviewer of a blind call (staff see them)."""
    return review.call.blind_review and not is_wco_staff(user)


def sees_other_reviews(review: Review) -> bool:
    """Other reviewers' scores are shown only once the reviewer has submitted their own."""
    return review.status == ReviewStatus.SUBMITTED


def can_run_review(user) -> bool:
    """Assign reviewers, see the ranking, record and release decisions, the outbox, offers, erasure."""
    return is_wco_staff(user)


def get_call_for_staff(user, pk: int) -> Call:
    if not can_run_review(user):
        raise Http404
    return get_call_for(user, pk)


def get_letter_for_staff(user, pk: int) -> Letter:
    letter = (
        Letter.objects.select_related("call", "application").filter(pk=pk).first() if can_run_review(user) else None
    )
    if letter is None:
        raise Http404
    return letter


def is_letter_editable(letter: Letter) -> bool:
    return letter.status == LetterStatus.DRAFT


def get_decision_for_staff(user, pk: int) -> Decision:
    decision = (
        Decision.objects.select_related("call", "application").filter(pk=pk).first() if can_run_review(user) else None
    )
    if decision is None:
        raise Http404
    return decision


def get_own_released_decision(user, application_pk: int) -> Decision:
    """The applicant's own released decision (to answer an offer)."""
    application = get_own_application(user, application_pk)
    decision = Decision.objects.filter(application=application, status=DecisionStatus.RELEASED).first()
    if decision is None:
        raise Http404
    return decision


def released_decision_of(application: Application) -> Decision | None:
    """What the applicant may see of the decision: only once released."""
    decision = getattr(application, "decision", None)
    return decision if decision is not None and decision.status == DecisionStatus.RELEASED else None


# --- Setting up programmes and calls ----------------------------------------------------------------------------
def can_set_up_calls(user) -> bool:
    """Create and change programmes and calls (their rules, rubric, phases, curriculum, letter templates): staff."""
    return is_wco_staff(user)


def require_call_setup(user) -> None:
    if not can_set_up_calls(user):
        raise Http404


def get_programme_for_setup(user, pk: int) -> Programme:
    programme = Programme.objects.filter(pk=pk).first() if can_set_up_calls(user) else None
    if programme is None:
        raise Http404
    return programme


def get_call_for_setup(user, pk: int) -> Call:
    """Any call, published or draft, for staff; 404 for anyone else."""
    call = Call.objects.select_related("programme").filter(pk=pk).first() if can_set_up_calls(user) else None
    if call is None:
        raise Http404
    return call


# --- Data protection -----------------------------------------------------------------------------------------
def can_manage_own_data(user) -> bool:
    """Download one's own data and ask for erasure: applicants."""
    return can_apply(user)
