"""The workshop pages' bulk actions through the API (issue 19, part 6): staff decide many nominations of a workshop
at once, and issue the certificates of several workshops at once. One transaction per row, and the summary of
``core.api_writes.bulk_summary`` (which rows changed, and why each other did not), as on the pages; the same
services and access rules. Anyone but staff finds nothing (404, 401 when anonymous). Mixed into
``api.WorkshopViewSet``."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bacuda_portal.core.api_writes import BulkIdsSerializer, BulkSummarySerializer, bulk_summary

from . import access, selectors, services

NOMINATION_DECISIONS = {
    "accept": services.nomination_accept,
    "waitlist": services.nomination_waitlist,
    "decline": services.nomination_decline,
}
SEATS_TAKEN_EXAMPLE = "All 25 seats are taken: wait-list this person instead."


class BulkNominationDecisionSerializer(BulkIdsSerializer):
    decision = serializers.ChoiceField(choices=list(NOMINATION_DECISIONS), help_text="One decision for every id.")


class NominationBulkSummarySerializer(BulkSummarySerializer):
    without_prerequisite = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Accepted ids whose official has not finished the workshop's prerequisite e-learning course.",
    )


class WorkshopBulkMixin:
    @extend_schema(
        request=BulkNominationDecisionSerializer,
        responses={200: NominationBulkSummarySerializer, 400: None, 404: None},
        examples=[
            OpenApiExample("Accept three", value={"decision": "accept", "ids": [812, 815, 820]}, request_only=True),
            OpenApiExample(
                "Summary",
                value={
                    "done": [812, 815],
                    "failed": [{"id": 820, "reason": SEATS_TAKEN_EXAMPLE}],
                    "without_prerequisite": [815],
                },
                response_only=True,
            ),
        ],
    )
    @action(detail=True, methods=["post"], url_path="nomination-decisions")
    def nomination_decisions(self, request, pk=None):
        """Staff accept, wait-list or decline many nominations of the workshop at once, in the order of the list (the
        first nominated take the free seats), one transaction per nomination. An id of another workshop, or unknown,
        fails as not found. Accepting someone who has not finished the prerequisite course is allowed, and named in
        ``without_prerequisite``."""
        if not access.can_manage_workshops(request.user):
            raise NotFound
        workshop = self.get_object()
        body = BulkNominationDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids, decision = body.validated_data["ids"], body.validated_data["decision"]
        rows = {n.pk: n for n in access.nominations_visible_to(request.user, workshop).filter(pk__in=ids)}
        # As on the page: the nomination date decides who comes first; unknown ids follow in the order given.
        in_line = sorted(rows.values(), key=lambda nomination: (nomination.created_at, nomination.pk))
        ordered = [nomination.pk for nomination in in_line] + [pk for pk in ids if pk not in rows]
        without_prerequisite = []

        def decide(nomination):
            NOMINATION_DECISIONS[decision](nomination=nomination, by=request.user)
            if decision == "accept" and selectors.prerequisite_missing(nomination):
                without_prerequisite.append(nomination.pk)

        summary = bulk_summary(ordered, rows, decide)
        done = set(summary["done"])
        return Response({**summary, "without_prerequisite": [pk for pk in without_prerequisite if pk in done]})

    @extend_schema(
        request=BulkIdsSerializer,
        responses={200: BulkSummarySerializer, 400: None, 404: None},
        examples=[
            OpenApiExample("Three workshops", value={"ids": [41, 42, 45]}, request_only=True),
            OpenApiExample(
                "Summary",
                value={
                    "done": [41, 45],
                    "failed": [{"id": 42, "reason": "Certificates are issued once the workshop has been delivered."}],
                },
                response_only=True,
            ),
        ],
    )
    @action(detail=False, methods=["post"], url_path="bulk-certificates")
    def bulk_certificates(self, request):
        """Staff issue the certificates of several workshops at once, one workshop per transaction (rendered by a
        worker; each participant is emailed when theirs is ready). A workshop not delivered yet, or with nobody left
        to certify, fails with the reason; an unknown id fails as not found."""
        if not access.can_manage_workshops(request.user):
            raise NotFound
        body = BulkIdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = body.validated_data["ids"]
        rows = {workshop.pk: workshop for workshop in access.workshops_visible_to(request.user).filter(pk__in=ids)}
        issue = services.certificates_issue_new
        return Response(bulk_summary(ids, rows, lambda workshop: issue(workshop=workshop, by=request.user)))
