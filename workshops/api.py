"""REST API of the workshops app: workshops with their agenda and flow, nominations, expert assignments and workshop
requests (scoped by ``access``; every write goes through the services, as on the pages)."""

import datetime as dt
from collections import defaultdict

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin, ScopedPrimaryKeyRelatedField
from bacuda_portal.core.api_filters import ScopedModelChoiceFilter

from . import access, selectors, services
from .api_bulk import NOMINATION_DECISIONS, WorkshopBulkMixin
from .enums import AssignmentRole, AttendanceStatus, Gender, WorkingLanguage
from .experts.models import Expert
from .models import Assignment, Beneficiary, Nomination, Session, Workshop, WorkshopRequest


class SessionSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    trainer = serializers.StringRelatedField()

    class Meta:
        model = Session
        fields = ["id", "date", "start_time", "end_time", "topic", "trainer"]

    def to_representation(self, session: dict) -> dict:
        """What the fields above give (ISO dates and times) for the rows ``with_agenda`` reads, written out: a page
        of workshops has hundreds of sessions, and DRF's field-by-field path cost several milliseconds."""
        return {
            "id": session["id"],
            "date": session["date"].isoformat(),
            "start_time": session["start_time"].isoformat(),
            "end_time": session["end_time"].isoformat(),
            "topic": session["topic"],
            "trainer": session["trainer"],
        }


# Reads ``beneficiary_codes`` and ``agenda``, which ``with_agenda`` attaches (no docstring: it would become the
# schema's description of a workshop).
class WorkshopSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    beneficiaries = serializers.SerializerMethodField()
    sessions = SessionSerializer(source="agenda", many=True, read_only=True)
    accepted_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Workshop
        fields = ["id", "title", "kind", "status", "region", "beneficiaries", "host_city", "venue", "online_url",
                  "start_date", "end_date", "time_zone", "languages", "seats", "accepted_count",
                  "clikc_workspace_url", "sessions"]  # fmt: skip

    def get_beneficiaries(self, workshop) -> list[str]:
        return workshop.beneficiary_codes


# The columns WorkshopSerializer reads (the region's code comes with select_related).
WORKSHOP_FIELDS = ("title", "kind", "status", "region__code", "host_city", "venue", "online_url", "start_date",
                   "end_date", "time_zone", "languages", "seats", "clikc_workspace_url")  # fmt: skip
SESSION_FIELDS = ("id", "date", "start_time", "end_time", "topic")


def with_agenda(workshops: list[Workshop]) -> list[Workshop]:
    """Attach the beneficiaries' codes and the sessions (as the dicts SessionSerializer reads) of ``workshops``.

    Two plain queries for the page: a prefetch would build model instances for every session and beneficiary
    and a filtered queryset per workshop and relation, which cost more than the rest of the request."""
    ids = [workshop.pk for workshop in workshops]
    codes, agendas = defaultdict(list), defaultdict(list)
    links = Beneficiary.objects.filter(workshop__in=ids).order_by("administration__name_en", "pk")
    for workshop_id, code in links.values_list("workshop_id", "administration__code"):
        codes[workshop_id].append(code)
    sessions = Session.objects.filter(workshop__in=ids).order_by("date", "start_time", "pk")
    for workshop_id, trainer, *values in sessions.values_list("workshop_id", "trainer__full_name", *SESSION_FIELDS):
        agendas[workshop_id].append({**dict(zip(SESSION_FIELDS, values, strict=True)), "trainer": trainer})
    for workshop in workshops:
        workshop.beneficiary_codes, workshop.agenda = codes[workshop.pk], agendas[workshop.pk]
    return workshops


class WorkshopFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code")
    administration = django_filters.CharFilter(field_name="beneficiary_links__administration__code", distinct=True)
    starts_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Workshop
        fields = ["status", "kind", "region", "administration", "starts_after", "starts_before"]


class NominationSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    workshop = ScopedPrimaryKeyRelatedField(model=Workshop, visible=access.workshops_visible_to)
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True)
    gender = serializers.ChoiceField(choices=Gender.choices)
    language = serializers.ChoiceField(choices=WorkingLanguage.choices)
    prerequisite_completed = serializers.SerializerMethodField(
        help_text="Whether the official finished the workshop's prerequisite e-learning course on CLiKC! (null when "
        "the workshop has none)."
    )
    prerequisite_completed_at = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField(
        help_text="What staff should know about the decision just made (the decision endpoint only), such as an "
        "acceptance without the prerequisite course."
    )

    class Meta:
        model = Nomination
        fields = ["id", "workshop", "administration", "full_name", "gender", "position", "email", "language",
                  "consent_to_list", "status", "prerequisite_completed", "prerequisite_completed_at",
                  "warnings", "created_at"]  # fmt: skip
        read_only_fields = ["status", "created_at"]

    def get_prerequisite_completed(self, nomination) -> bool | None:
        if nomination.workshop.prerequisite_course_id is None:
            return None
        return getattr(nomination, "prerequisite_completed_at", None) is not None

    def get_warnings(self, nomination) -> list[str]:
        return getattr(nomination, "warnings", [])

    def get_prerequisite_completed_at(self, nomination) -> dt.datetime | None:
        moment = getattr(nomination, "prerequisite_completed_at", None)  # selectors.with_prerequisite_completion
        return None if moment is None else serializers.DateTimeField().to_representation(moment)


class NominationFilter(django_filters.FilterSet):
    workshop = ScopedModelChoiceFilter(visible=access.workshops_visible_to)

    class Meta:
        model = Nomination
        fields = ["workshop", "status"]


# --- Writes: the workshop flow, attendance, certificates, expert assignments ------------------------------------
WORKSHOP_STEPS = {
    "plan": services.workshop_plan,
    "confirm": services.workshop_confirm,
    "deliver": services.workshop_deliver,
    "close": services.workshop_close,
}


class WorkshopStepSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[*WORKSHOP_STEPS, "cancel"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text="Required to cancel.")


class AttendanceMarkSerializer(serializers.Serializer):
    session = serializers.IntegerField(min_value=1)
    nomination = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(choices=[*AttendanceStatus.values, ""], help_text="Empty clears the mark.")


class AttendanceInputSerializer(serializers.Serializer):
    marks = AttendanceMarkSerializer(many=True, max_length=20_000)


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class AssignmentSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    expert = ScopedPrimaryKeyRelatedField(model=Expert, visible=access.assignable_experts)
    expert_name = serializers.CharField(source="expert.full_name", read_only=True)
    role = serializers.ChoiceField(choices=AssignmentRole.choices)

    class Meta:
        model = Assignment
        fields = ["id", "workshop", "expert", "expert_name", "role", "status", "answered_at"]
        read_only_fields = ["workshop", "status", "answered_at"]


def _staff_workshop(view, pk) -> Workshop:
    """The workshop of a staff write: 404 for anyone else, as on the pages."""
    if not access.can_manage_workshops(view.request.user):
        raise NotFound
    return view.get_object()


class WorkshopWritesMixin:
    """The workshop flow through the API, by the same services and access rules as the pages (staff only)."""

    @extend_schema(request=WorkshopStepSerializer, responses=WorkshopSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the workshop along its flow: plan, confirm, deliver, close, or cancel (with a reason)."""
        workshop = _staff_workshop(self, pk)
        step = WorkshopStepSerializer(data=request.data)
        step.is_valid(raise_exception=True)
        if step.validated_data["action"] == "cancel":
            if not step.validated_data.get("reason", "").strip():
                raise ApiValidationError({"reason": [_("Please give the reason for cancelling.")]})
            services.workshop_cancel(workshop=workshop, reason=step.validated_data["reason"], by=request.user)
        else:
            WORKSHOP_STEPS[step.validated_data["action"]](workshop=workshop, by=request.user)
        return Response(self.get_serializer(with_agenda([self.get_queryset().get(pk=workshop.pk)])[0]).data)

    @extend_schema(request=AttendanceInputSerializer, responses=CountSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record attendance marks (session, accepted participant, status); all or none. Returns how many changed."""
        workshop = _staff_workshop(self, pk)
        body = AttendanceInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marks = {(m["session"], m["nomination"]): m["status"] for m in body.validated_data["marks"]}
        return Response({"count": services.attendance_record(workshop=workshop, marks=marks, by=request.user)})

    @extend_schema(request=None, responses=CountSerializer)
    @action(detail=True, methods=["post"])
    def certificates(self, request, pk=None):
        """Issue the certificates of every eligible participant (rendered by a worker). Returns how many."""
        workshop = _staff_workshop(self, pk)
        return Response({"count": services.certificates_issue(workshop=workshop, by=request.user)})

    @extend_schema(request=AssignmentSerializer, responses={201: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def assignments(self, request, pk=None):
        """Propose an expert for the workshop (the expert is emailed); a double booking is allowed but flagged."""
        workshop = _staff_workshop(self, pk)
        body = AssignmentSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        assignment, _overlaps = services.assignment_create(workshop=workshop, by=request.user, **body.validated_data)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class NominationDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=list(NOMINATION_DECISIONS))


class NominationWritesMixin:
    @extend_schema(request=NominationDecisionSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Staff accept (while a seat is free), wait-list or decline a nomination. Accepting someone who has not
        finished the workshop's prerequisite e-learning course is allowed, with a warning in ``warnings``."""
        if not access.can_manage_workshops(request.user):
            raise NotFound
        nomination = self.get_object()
        body = NominationDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = body.validated_data["decision"]
        NOMINATION_DECISIONS[decision](nomination=nomination, by=request.user)
        decided = self.get_queryset().get(pk=nomination.pk)
        decided.warnings = []
        if decision == "accept" and selectors.prerequisite_missing(decided):
            decided.warnings.append(
                _("Accepted without having completed the prerequisite course “%(course)s”.")
                % {"course": decided.workshop.prerequisite_course}
            )
        return Response(self.get_serializer(decided).data)

    @extend_schema(request=None, responses=NominationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The nominating administration's contact point (or staff) withdraws a nomination: its place is freed."""
        nomination = self.get_object()
        services.nomination_withdraw(nomination=nomination, by=request.user)
        nomination.refresh_from_db()
        return Response(self.get_serializer(nomination).data)


class AssignmentAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField()


class AssignmentFilter(django_filters.FilterSet):
    workshop = ScopedModelChoiceFilter(visible=access.workshops_visible_to)

    class Meta:
        model = Assignment
        fields = ["workshop", "status"]


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Expert assignments: staff see all; an expert sees and answers their own."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter

    def get_queryset(self):
        visible = access.assignments_visible_to(self.request.user)
        if self.action == "answer":  # only the expert's own: anyone else finds nothing, as for a missing row
            visible = access.assignments_to_answer(self.request.user)
        return visible.select_related("expert").order_by("-pk")

    @extend_schema(request=AssignmentAnswerSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The expert confirms or declines a proposed assignment."""
        assignment = self.get_object()
        body = AssignmentAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.assignment_answer(assignment=assignment, accept=body.validated_data["accept"], by=request.user)
        assignment.refresh_from_db()
        return Response(self.get_serializer(assignment).data)


class WorkshopViewSet(WorkshopWritesMixin, WorkshopBulkMixin, viewsets.ReadOnlyModelViewSet):
    """Workshops the user may see: all for staff, their administration's for a contact point, their
    assignments' for an expert."""

    serializer_class = WorkshopSerializer
    filterset_class = WorkshopFilter
    search_fields = ["title", "host_city"]
    ordering_fields = ["start_date", "title"]

    def get_queryset(self):
        visible = access.workshops_visible_to(self.request.user)
        return selectors.workshop_list(visible=visible).only(*WORKSHOP_FIELDS)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else with_agenda(page)

    def get_object(self):
        return with_agenda([super().get_object()])[0]


class NominationViewSet(
    NominationWritesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Nominations: staff see all; a contact point sees and creates only their administration's."""

    serializer_class = NominationSerializer
    filterset_class = NominationFilter
    search_fields = ["full_name", "email"]

    def get_queryset(self):
        # Newest first along the created_at index: sorting all rows by administration name before taking a page of
        # 50 cost ~100 ms at 40,000 nominations (benchmarks/load.py); the pages keep the by-administration order.
        visible = access.nominations_visible_to(self.request.user)
        if self.action == "withdraw":  # only those this user may withdraw: any other is not found, like a missing one
            visible = access.nominations_to_withdraw(self.request.user)
        return selectors.nominations_of(visible).select_related("workshop").order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        # Decided before the body is read, so that the answer never depends on which workshop it names.
        if not access.can_nominate(request.user):
            raise NotFound
        return super().create(request, *args, **kwargs)

    @extend_schema(responses=NominationSerializer)
    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        workshop = data.pop("workshop")  # one the user may see: the field looks it up there
        administration = access.nominating_administration(self.request.user, workshop)
        if administration is None:
            raise NotFound
        try:
            serializer.instance = services.nomination_create(
                workshop=workshop, administration=administration, by=self.request.user, **data
            )
        except DjangoValidationError as error:
            raise ApiValidationError(getattr(error, "message_dict", None) or {"non_field_errors": error.messages})


# --- Workshop requests ------------------------------------------------------------------------------------------
class WorkshopRequestSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True)
    language = serializers.ChoiceField(choices=WorkingLanguage.choices)

    class Meta:
        model = WorkshopRequest
        fields = ["id", "administration", "topic", "preferred_start", "preferred_end", "language",
                  "expected_participants", "justification", "status", "decline_reason", "workshop",
                  "created_at"]  # fmt: skip
        read_only_fields = ["status", "decline_reason", "workshop", "created_at"]


class RequestDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "decline"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text="Required to decline.")


class WorkshopRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Workshop requests: a contact point asks for a workshop for their administration; staff accept or decline."""

    serializer_class = WorkshopRequestSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        visible = access.requests_visible_to(self.request.user)
        if self.action == "withdraw":  # the requesting administration's only: anyone else finds nothing
            visible = access.requests_to_withdraw(self.request.user)
        return visible.select_related("administration").order_by("-pk")

    def create(self, request, *args, **kwargs):
        if not access.can_request_workshop(request.user):
            raise NotFound
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.request_submit(
            administration=access.requesting_administration(self.request.user),
            by=self.request.user,
            **serializer.validated_data,
        )

    @extend_schema(request=RequestDecisionSerializer, responses=WorkshopRequestSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Staff accept a request (a workshop is created in the "requested" state) or decline it with a reason."""
        if not access.can_manage_workshops(request.user):
            raise NotFound
        workshop_request = self.get_object()
        body = RequestDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data["decision"] == "accept":
            services.request_accept(workshop_request=workshop_request, by=request.user)
        else:
            reason = body.validated_data.get("reason", "").strip()
            if not reason:
                raise ApiValidationError({"reason": [_("Please give the reason for declining.")]})
            services.request_decline(workshop_request=workshop_request, reason=reason, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=workshop_request.pk)).data)

    @extend_schema(request=None, responses=WorkshopRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The requesting contact point withdraws a request that is still submitted."""
        workshop_request = self.get_object()
        services.request_withdraw(workshop_request=workshop_request, by=request.user)
        workshop_request.refresh_from_db()
        return Response(self.get_serializer(workshop_request).data)
