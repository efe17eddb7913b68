"""The scholarship selection written through the API (issue 19, part 6): endorsement by the administration's contact
point, reviewers assigned by staff (one reviewer for many applications at once), reviews by their reviewer, decisions
and their release by staff (one at a time or in bulk), offers answered by the applicant and confirmed by staff. Mixed
into the viewsets of ``scholarships.api``.

The same services and access rules as the pages: anyone who may not act finds nothing (404, 401 when anonymous); a
body the form would refuse is a 400 naming the field; a state that does not allow the change is a 409
(``core.api_writes.StateConflict``)."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin
from bacuda_portal.core.api_writes import (
    BulkIdsSerializer,
    BulkSummarySerializer,
    ConflictSerializer,
    bulk_summary,
)

from . import access, services
from .enums import SCORE_MAX, SCORE_MIN, DecisionOutcome, EndorsementDecision, Recommendation
from .forms import ManualAssignForm
from .models import Call, Decision

SEATS_TAKEN_EXAMPLE = "All 2 seats of this call are taken: put this candidate on the reserve list."
WRITE_ERRORS = {400: None, 404: None, 409: ConflictSerializer}


# --- Serializers -------------------------------------------------------------------------------------------------
class EndorsementInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=EndorsementDecision.values, help_text="endorsed or declined.")
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Required to decline: why not endorsed."
    )


class EndorsementSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    decision = serializers.CharField()
    comment = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True, help_text="Place among the administration's endorsed ones.")


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1, help_text="A criterion of the review's call (its id).")
    score = serializers.IntegerField(min_value=SCORE_MIN, max_value=SCORE_MAX, allow_null=True)


class ReviewInputSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True, max_length=200)
    recommendation = serializers.ChoiceField(choices=[*Recommendation.values, ""], required=False, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    submit = serializers.BooleanField(
        required=False, default=True, help_text="False saves a draft; true submits (every criterion scored)."
    )


class ConflictInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Briefly, what the conflict of interest is.")


class DecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.values)
    reserve_rank = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1000, help_text="Reserve: a place, or the next free."
    )


class BulkDecisionInputSerializer(BulkIdsSerializer):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.values, help_text="One outcome for every id given.")


class BulkReviewerInputSerializer(BulkIdsSerializer):
    reviewer = serializers.IntegerField(min_value=1, help_text="An active reviewer of the call's pool (their id).")


class DecisionSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    outcome = serializers.CharField(read_only=True, help_text="selected, reserve or not_selected.")
    status = serializers.CharField(read_only=True, help_text="pending or released.")
    offer_status = serializers.CharField(
        read_only=True, help_text="Empty, proposed, open, accepted, declined or expired."
    )

    class Meta:
        model = Decision
        fields = ["application", "call", "outcome", "reserve_rank", "status", "released_at", "offer_status",
                  "reply_by", "replied_at"]  # fmt: skip
        read_only_fields = fields


class OfferReplySerializer(serializers.Serializer):
    accept = serializers.BooleanField()


class ReleasedCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


# --- Applications: endorsement, decision, offer ------------------------------------------------------------------
class ApplicationWritesMixin:
    @extend_schema(
        request=EndorsementInputSerializer,
        responses={200: EndorsementSerializer, **WRITE_ERRORS},
        examples=[OpenApiExample("Decline", value={"decision": "declined", "comment": "Not in the analytics unit."},
                                 request_only=True)],
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def endorsement(self, request, pk=None):
        """The contact point endorses or declines (saying why) a submitted application of their own administration;
        a new decision replaces the earlier one. Endorsing beyond the call's quota is a 409."""
        if access.endorsing_administration(request.user) is None:  # before the lookup: alike for every id
            raise NotFound
        application = self.get_object()
        if not access.can_endorse(request.user, application):
            raise NotFound
        body = EndorsementInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        endorsement = services.endorsement_decide(
            application=application,
            administration=access.endorsing_administration(request.user),
            decision=body.validated_data["decision"],
            comment=body.validated_data.get("comment", ""),
            by=request.user,
        )
        return Response(EndorsementSerializer(endorsement).data)

    @extend_schema(
        request=DecisionInputSerializer,
        responses={200: DecisionSerializer, **WRITE_ERRORS},
        examples=[OpenApiExample("Reserve", value={"outcome": "reserve", "reserve_rank": 2}, request_only=True)],
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Staff record (or change) the pending decision on a submitted application; it stays pending until the call's
        decisions are released. Selecting beyond the seats, or an application not eligible, is a 409."""
        if not access.can_run_review(request.user):
            raise NotFound
        application = self.get_object()
        body = DecisionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = services.decision_record(application=application, by=request.user, **body.validated_data)
        return Response(DecisionSerializer(decision).data)

    @extend_schema(request=OfferReplySerializer, responses={200: DecisionSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path="offer-reply")
    def offer_reply(self, request, pk=None):
        """The applicant accepts or declines their offer before its reply-by date (after it: 409). A decline proposes
        the seat to the next reserve candidate."""
        if not access.can_apply(request.user):  # before the lookup: alike for every id
            raise NotFound
        application = self.get_object()
        decision = access.get_own_released_decision(request.user, application.pk)
        body = OfferReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = services.offer_reply(decision=decision, accept=body.validated_data["accept"], by=request.user)
        return Response(DecisionSerializer(decision).data)

    @extend_schema(request=None, responses={200: DecisionSerializer, 404: None, 409: ConflictSerializer})
    @action(detail=True, methods=["post"], url_path="offer-confirm")
    def offer_confirm(self, request, pk=None):
        """Staff confirm the seat proposed to a reserve candidate: they are selected with an open offer, and their
        letter is drafted into the outbox."""
        if not access.can_run_review(request.user):
            raise NotFound
        application = self.get_object()
        decision = Decision.objects.filter(application=application).first()
        if decision is None:
            raise NotFound
        decision = services.offer_confirm(decision=decision, by=request.user)
        return Response(DecisionSerializer(decision).data)


# --- Calls: release, bulk decisions ------------------------------------------------------------------------------
def _staff_call(request, pk) -> Call:
    """A call for a staff write: 404 for anyone else (and for an id that is not a number)."""
    try:
        return access.get_call_for_staff(request.user, int(pk))
    except (TypeError, ValueError):
        raise NotFound from None
    except Http404:
        raise NotFound from None


class CallWritesMixin:
    @extend_schema(request=None, responses={200: ReleasedCountSerializer, 404: None, 409: ConflictSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def release(self, request, pk=None):
        """Staff release every pending decision of the call at once: offers open for the selected, and a letter for
        each is drafted into the outbox for staff to check. Returns how many were released; none pending is a 409."""
        call = _staff_call(request, pk)
        return Response({"count": services.decisions_release(call=call, by=request.user)})

    @extend_schema(
        request=BulkDecisionInputSerializer,
        responses={200: BulkSummarySerializer, 400: None, 404: None},
        examples=[
            OpenApiExample("Select three", value={"outcome": "selected", "ids": [412, 415, 431]}, request_only=True),
            OpenApiExample(
                "Summary",
                value={"done": [412, 415], "failed": [{"id": 431, "reason": SEATS_TAKEN_EXAMPLE}]},
                response_only=True,
            ),
        ],
    )  # fmt: skip
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def decisions(self, request, pk=None):
        """Staff record one outcome for many applications of the call, in the order given (the first take the seats,
        reserve places follow the order): one transaction per application, and a summary of which succeeded and why
        each other failed. An id of another call, or unknown, fails as not found."""
        call = _staff_call(request, pk)
        body = BulkDecisionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids, outcome = body.validated_data["ids"], body.validated_data["outcome"]
        rows = {a.pk: a for a in access.applications_visible_to(request.user).filter(call=call, pk__in=ids)}
        return Response(
            bulk_summary(
                ids,
                rows,
                lambda application: services.decision_record(application=application, outcome=outcome, by=request.user),
            )
        )

    @extend_schema(
        request=BulkReviewerInputSerializer,
        responses={200: BulkSummarySerializer, 400: None, 404: None},
        examples=[
            OpenApiExample("One reviewer, three applications", value={"reviewer": 9, "ids": [412, 415, 431]},
                           request_only=True),
            OpenApiExample("Summary", response_only=True, value={"done": [412, 431], "failed": [
                {"id": 415, "reason": "A reviewer never reviews an applicant from their own administration."}]}),
        ],
    )  # fmt: skip
    @action(
        detail=True, methods=["post"], url_path="reviewer-assignments", permission_classes=[permissions.IsAuthenticated]
    )
    def reviewer_assignments(self, request, pk=None):
        """Staff assign one reviewer of the call's pool to many of its applications at once, as on the review page:
        one transaction per application, and a summary of which succeeded and why each other failed (the reviewer's
        own administration, a declared conflict of interest, already assigned). The reviewer is notified. An id of
        another call, or unknown, fails as not found; a reviewer outside the call's active pool is a 400."""
        call = _staff_call(request, pk)
        body = BulkReviewerInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # The pool the review page offers: the call's active reviewers.
        reviewer = ManualAssignForm(call=call).reviewers.get(body.validated_data["reviewer"])
        if reviewer is None:
            raise ApiValidationError({"reviewer": [_("Choose an active reviewer of this call's pool.")]})
        ids = body.validated_data["ids"]
        rows = {a.pk: a for a in access.applications_visible_to(request.user).filter(call=call, pk__in=ids)}
        assign = services.review_assign
        return Response(
            bulk_summary(
                ids, rows, lambda application: assign(application=application, reviewer=reviewer, by=request.user)
            )
        )


# --- Reviews: scores, conflict of interest -----------------------------------------------------------------------
class ReviewWritesMixin:
    def _own_review(self):
        """The reviewer's own assignment (not one with a declared conflict): 404 for anyone else, staff included."""
        if not access.is_reviewer(self.request.user):  # before the lookup: alike for every id
            raise NotFound
        review = self.get_object()
        return access.get_review_for(self.request.user, review.pk)

    @extend_schema(
        request=ReviewInputSerializer,
        examples=[OpenApiExample("Submit", request_only=True, value={
            "scores": [{"criterion": 7, "score": 8}, {"criterion": 8, "score": 6}], "recommendation": "yes",
            "comment": "Strong analytics background.", "submit": True})],
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        """The reviewer saves (``submit`` false) or submits their scores for an assigned application, in an open review
        phase of the call. A missing score or recommendation on submit is a 400 naming it; a review already submitted,
        or no phase open, is a 409."""
        review = self._own_review()
        body = ReviewInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        scores = {row["criterion"]: row["score"] for row in body.validated_data["scores"]}
        if len(scores) != len(body.validated_data["scores"]):
            raise ApiValidationError({"scores": [_("Give each criterion once.")]})
        services.review_save(
            review=review,
            scores=scores,
            recommendation=body.validated_data["recommendation"],
            comment=body.validated_data["comment"],
            submit=body.validated_data["submit"],
            by=request.user,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=review.pk)).data)

    @extend_schema(request=ConflictInputSerializer, responses={204: None, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def conflict(self, request, pk=None):
        """The reviewer declares a conflict of interest: the application is hidden from them from now on and any score
        they gave is removed."""
        review = self._own_review()
        body = ConflictInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.review_declare_conflict(review=review, reason=body.validated_data["reason"], by=request.user)
        return Response(status=204)
