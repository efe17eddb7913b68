"""``evaluation-questionnaires/``: a workshop's questionnaires (staff build, change, open and close them) and their
results (staff: in full, as on the results page; a contact point: their own officials', aggregated)."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin, ScopedPrimaryKeyRelatedField
from bacuda_portal.core.api_filters import ScopedModelChoiceFilter
from bacuda_portal.core.exceptions import TransitionError

from ... import access as workshop_access
from ...models import Workshop
from .. import access, group_selectors, selectors, services
from ..enums import KNOWLEDGE_KINDS, QuestionnaireKind
from ..models import Question, Questionnaire
from .results import GroupResultsSerializer, StaffResultsSerializer

MAX_PK = 2**63 - 1
MAX_QUESTIONS = 200


def _bank(user):
    return Question.objects.all() if access.can_manage_evaluations(user) else Question.objects.none()


def _staff_workshops(user):
    if not access.can_manage_evaluations(user):
        return Workshop.objects.none()
    return workshop_access.workshops_visible_to(user)


class QuestionnaireOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text_en = serializers.CharField()
    text_fr = serializers.CharField()
    is_correct = serializers.BooleanField(help_text="Staff only: the correct options of a scored question.")


class QuestionnaireItemSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id")
    position = serializers.IntegerField()
    required = serializers.BooleanField()
    text_en = serializers.CharField(source="question.text_en")
    text_fr = serializers.CharField(source="question.text_fr")
    kind = serializers.CharField(source="question.kind", help_text="rating, single, multiple or text.")
    points = serializers.IntegerField(source="question.points")
    options = QuestionnaireOptionSerializer(source="question.options.all", many=True)


# Reads the ``items`` the viewset prefetches (no docstring: it would become the schema's description).
class QuestionnaireSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    workshop = ScopedPrimaryKeyRelatedField(model=Workshop, visible=_staff_workshops)
    kind = serializers.ChoiceField(choices=QuestionnaireKind.choices)
    anonymous = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Empty: the reaction survey is anonymous, the others are named. Knowledge tests are never anonymous.",
    )
    questions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_PK),
        max_length=MAX_QUESTIONS,
        write_only=True,
        required=False,
        help_text="Bank questions' ids, in order (all required). Ignored for the post-test: it asks the pre-test's.",
    )
    items = QuestionnaireItemSerializer(many=True, read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft (being prepared), open or closed.")

    class Meta:
        model = Questionnaire
        fields = ["id", "workshop", "kind", "status", "anonymous", "opens_at", "closes_at", "follow_up_months",
                  "questions", "items", "created_at"]  # fmt: skip
        read_only_fields = ["created_at"]
        validators = []  # the service says it, in the pages' words: "already has a questionnaire of this kind"

    def validate_questions(self, ids: list[int]) -> list[Question]:
        """The bank's questions in the order given, in one query; an unknown id is refused like a missing row."""
        request = self.context.get("request")
        found = _bank(getattr(request, "user", None)).in_bulk(ids)
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(
                _("No such question in the bank: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
            )
        return [found[pk] for pk in ids]

    def to_representation(self, questionnaire):
        data = super().to_representation(questionnaire)
        request = self.context.get("request")
        if not access.can_manage_evaluations(getattr(request, "user", None)):
            # A contact point may pass the questions on to their officials: never the answers of a knowledge test.
            for item in data["items"]:
                for option in item["options"]:
                    option.pop("is_correct", None)
        return data


class QuestionnaireUpdateSerializer(serializers.Serializer):
    anonymous = serializers.BooleanField(required=False)
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    closes_at = serializers.DateTimeField(required=False, allow_null=True)
    follow_up_months = serializers.IntegerField(required=False, min_value=1, max_value=24)


class QuestionnaireItemInputSerializer(serializers.Serializer):
    question = ScopedPrimaryKeyRelatedField(model=Question, visible=_bank)
    required = serializers.BooleanField(default=True)


class QuestionnaireItemsInputSerializer(serializers.Serializer):
    items = QuestionnaireItemInputSerializer(many=True, max_length=MAX_QUESTIONS)


class QuestionnaireRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()


class QuestionnaireFilter(django_filters.FilterSet):
    workshop = ScopedModelChoiceFilter(visible=workshop_access.workshops_visible_to)

    class Meta:
        model = Questionnaire
        fields = ["workshop", "kind", "status"]


RESULTS_RESPONSES = PolymorphicProxySerializer(
    component_name="QuestionnaireResults",
    serializers=[StaffResultsSerializer, GroupResultsSerializer],
    resource_type_field_name=None,
)


class QuestionnaireViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Workshops' questionnaires: staff see, build, change, open and close them all; a contact point reads those
    opened for their administration's workshops (without the correct answers) and their own officials' results."""

    serializer_class = QuestionnaireSerializer
    filterset_class = QuestionnaireFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        user = self.request.user
        if self.action in ("create", "update", "partial_update", "open", "close", "questions"):
            visible = access.questionnaires_to_manage(user)  # anyone but staff finds nothing to change
        else:
            visible = access.questionnaires_visible_to(user)
        return visible.select_related("workshop").prefetch_related(selectors._items_prefetch()).order_by("-pk")

    def _reread(self, questionnaire: Questionnaire) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=questionnaire.pk)).data)

    @extend_schema(responses={201: QuestionnaireSerializer})
    def create(self, request, *args, **kwargs):
        # Decided before the body is read, so that the answer never depends on which workshop it names.
        if not access.can_manage_evaluations(request.user):
            raise NotFound
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        questionnaire = services.questionnaire_create(by=request.user, **body.validated_data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=questionnaire.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=QuestionnaireUpdateSerializer, responses=QuestionnaireSerializer)
    def update(self, request, *args, **kwargs):
        """Change the dates, the anonymity (until someone answers) or the follow-up delay; what is left out stays."""
        questionnaire = self.get_object()
        body = QuestionnaireUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        current = {field: getattr(questionnaire, field) for field in QuestionnaireUpdateSerializer().fields}
        changes = {**current, **body.validated_data}
        services.questionnaire_update(questionnaire=questionnaire, by=request.user, **changes)
        return self._reread(questionnaire)

    @extend_schema(request=QuestionnaireUpdateSerializer, responses=QuestionnaireSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: QuestionnaireSerializer, 400: QuestionnaireRefusalSerializer})
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Open the questionnaire to the workshop's accepted participants (from its opening time, if it has one)."""
        questionnaire = self.get_object()
        services.questionnaire_open(questionnaire=questionnaire, by=request.user)
        return self._reread(questionnaire)

    @extend_schema(request=None, responses={200: QuestionnaireSerializer, 400: QuestionnaireRefusalSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close an open questionnaire: no more answers (drafts stay unsubmitted)."""
        questionnaire = self.get_object()
        services.questionnaire_close(questionnaire=questionnaire, by=request.user)
        return self._reread(questionnaire)

    @extend_schema(
        request=QuestionnaireItemsInputSerializer,
        responses={200: QuestionnaireSerializer, 409: QuestionnaireRefusalSerializer},
    )
    @action(detail=True, methods=["post"])
    def questions(self, request, pk=None):
        """Choose, order and mark as required the questions, before anyone answers (409 once someone has)."""
        questionnaire = self.get_object()
        body = QuestionnaireItemsInputSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        items = [(item["question"], item["required"]) for item in body.validated_data["items"]]
        try:
            services.questionnaire_set_items(questionnaire=questionnaire, by=request.user, items=items)
        except TransitionError as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        return self._reread(questionnaire)

    @extend_schema(request=None, responses=RESULTS_RESPONSES)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """The results. Staff: everything the results page shows (response rate, averages, distributions, free
        texts, each participant's knowledge gain). A contact point: their own administration's officials only,
        aggregated, and only once at least five of them have answered (``minimum_group``); no free text, no
        individual scores, nothing of an anonymous questionnaire but how many answered."""
        questionnaire = self.get_object()
        administration = access.results_administration(request.user)
        if administration is None:
            workshop_results = selectors.workshop_results(questionnaire.workshop)
            own = next(r for r in workshop_results.questionnaires if r.questionnaire.pk == questionnaire.pk)
            gain = workshop_results.knowledge_gain if questionnaire.kind in KNOWLEDGE_KINDS else None
            return Response(StaffResultsSerializer(own, context={"knowledge_gain": gain}).data)
        results = group_selectors.administration_results(questionnaire, administration)
        return Response(GroupResultsSerializer(results).data)
