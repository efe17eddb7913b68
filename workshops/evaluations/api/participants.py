"""``participant/{token}/questionnaires/``: a participant answers their workshop's questionnaires through the API,
with their personal link's token as the credential (no account), by the same services and rules as the pages:
a draft keeps what is valid, a second answer is refused politely (409), an expired or revoked link says so (410),
an unknown one is not found (404), and another workshop's questionnaire opens nothing (404)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response

from bacuda_portal.core.api_fields import BoundedJSONField
from bacuda_portal.core.exceptions import TransitionError

from ... import access as workshop_access
from .. import access, selectors, services

MAX_PK = 2**63 - 1

LINK_REFUSALS = {
    workshop_access.LINK_EXPIRED: lambda: (
        _("This link has expired"),
        _("Personal links to a workshop's page work until some months after the workshop."),
    ),
    workshop_access.LINK_REVOKED: lambda: (
        _("This link has been revoked"),
        _(
            "This personal link no longer works. If you think this is a mistake, ask your administration's contact "
            "point."
        ),
    ),
    workshop_access.LINK_UNKNOWN: lambda: (
        _("This link does not work"),
        _("The address may be incomplete: check that you copied the whole link from the email."),
    ),
}


class LinkGone(APIException):
    status_code = status.HTTP_410_GONE
    default_code = "link_gone"


class LinkUnknown(NotFound):
    default_code = "link_unknown"


def _refusal(state: str) -> APIException:
    title, explanation = LINK_REFUSALS[state]()
    detail = {"detail": title, "state": state, "explanation": explanation}
    return LinkUnknown(detail) if state == workshop_access.LINK_UNKNOWN else LinkGone(detail)


class ParticipantOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text_en = serializers.CharField()
    text_fr = serializers.CharField()


class ParticipantItemSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id", help_text="The key of its answer in ``answers``.")
    required = serializers.BooleanField()
    kind = serializers.CharField(
        source="question.kind",
        help_text="rating (answer 1 to 5), single (an option's id), multiple (a list of option ids) or text.",
    )
    text_en = serializers.CharField(source="question.text_en")
    text_fr = serializers.CharField(source="question.text_fr")
    low_label_en = serializers.CharField(source="question.low_label_en")
    low_label_fr = serializers.CharField(source="question.low_label_fr")
    high_label_en = serializers.CharField(source="question.high_label_en")
    high_label_fr = serializers.CharField(source="question.high_label_fr")
    options = ParticipantOptionSerializer(source="question.options.all", many=True)


class ParticipantQuestionnaireSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="questionnaire.pk")
    kind = serializers.CharField(source="questionnaire.kind", help_text="reaction, pre_test, post_test or follow_up.")
    title = serializers.CharField(source="questionnaire.get_kind_display")
    anonymous = serializers.BooleanField(source="questionnaire.anonymous")
    opens_at = serializers.DateTimeField(source="questionnaire.opens_at", allow_null=True)
    closes_at = serializers.DateTimeField(source="questionnaire.closes_at", allow_null=True)
    state = serializers.CharField(help_text="answered, open, upcoming or closed.")


class ParticipantQuestionnaireDetailSerializer(ParticipantQuestionnaireSerializer):
    refusal = serializers.SerializerMethodField(help_text="Why answers are not taken now; empty when they are.")
    draft = serializers.SerializerMethodField(help_text="The answers saved so far, or null.")
    questions = ParticipantItemSerializer(source="questionnaire.items.all", many=True)

    def get_refusal(self, entry) -> str:
        return self.context["refusal"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_draft(self, entry):
        return self.context["draft"]


class ParticipantAnswersSerializer(serializers.Serializer):
    answers = BoundedJSONField(
        help_text="An object keyed by question id (as text): a rating, an option's id, a list of option ids, or a text."
    )

    def validate_answers(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Give the answers as an object keyed by question id."))
        return value


class ParticipantAnswersSavedSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="draft or submitted.")
    detail = serializers.CharField()
    answers = serializers.DictField(help_text="The answers kept.")


class ParticipantRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()


ANSWERS_EXAMPLE = OpenApiExample(
    "Answers", value={"answers": {"12": 4, "13": 41, "14": [44, 45], "15": "More exercises, please."}}
)
TOKEN = OpenApiParameter("token", str, OpenApiParameter.PATH, description="The token of the personal link.")
QUESTIONNAIRE = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The questionnaire's id.")
LINK_ERRORS = {404: ParticipantRefusalSerializer, 410: ParticipantRefusalSerializer}


# The draft and the submission take the same body and answer alike.
ANSWERING_SCHEMA = extend_schema(
    parameters=[TOKEN, QUESTIONNAIRE],
    request=ParticipantAnswersSerializer,
    examples=[ANSWERS_EXAMPLE],
    responses={
        200: ParticipantAnswersSavedSerializer,
        400: ParticipantRefusalSerializer,
        409: ParticipantRefusalSerializer,
        **LINK_ERRORS,
    },
)


@extend_schema_view(
    list=extend_schema(
        parameters=[TOKEN], responses={200: ParticipantQuestionnaireSerializer(many=True), **LINK_ERRORS}
    ),
    retrieve=extend_schema(
        parameters=[TOKEN, QUESTIONNAIRE], responses={200: ParticipantQuestionnaireDetailSerializer, **LINK_ERRORS}
    ),
)
class ParticipantQuestionnaireViewSet(viewsets.ViewSet):
    """The questionnaires of the personal link's participant: list, read, save a draft, submit."""

    # The token in the path is the credential; no session or API token is read (and so no CSRF check applies).
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    lookup_field = "id"

    def _nomination(self):
        link, state = workshop_access.participant_link_for(self.kwargs.get("token", ""))
        if link is None:
            raise _refusal(state)
        return link.nomination

    def _questionnaire(self, nomination, id):
        try:
            pk = int(id)
        except (TypeError, ValueError):
            raise NotFound from None
        if not 0 < pk <= MAX_PK:
            raise NotFound
        return selectors.questionnaire_with_items(access.get_questionnaire_for_participant(nomination, pk))

    def list(self, request, token=None):
        entries = selectors.participant_questionnaires(self._nomination())
        return Response(ParticipantQuestionnaireSerializer(entries, many=True).data)

    def retrieve(self, request, token=None, id=None):
        nomination = self._nomination()
        questionnaire = self._questionnaire(nomination, id)
        state = next(
            entry.state
            for entry in selectors.participant_questionnaires(nomination)
            if entry.questionnaire.pk == questionnaire.pk
        )
        entry = selectors.ParticipantQuestionnaire(questionnaire, state)
        try:
            services.check_may_answer(questionnaire, nomination)
            refusal = ""
        except TransitionError as error:
            refusal = str(error)
        draft = services.find_draft(questionnaire, nomination)
        context = {"refusal": refusal, "draft": draft.answers if draft else None}
        return Response(ParticipantQuestionnaireDetailSerializer(entry, context=context).data)

    def _answer(self, request, id, *, submitting: bool) -> Response:
        nomination = self._nomination()
        questionnaire = self._questionnaire(nomination, id)
        body = ParticipantAnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answers = body.validated_data["answers"]
        change = services.submit if submitting else services.save_draft
        try:
            response = change(nomination=nomination, questionnaire=questionnaire, answers=answers)
        except TransitionError as error:  # answered already, closed, not open yet: the page's 409
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            errors = dict(error.message_dict)
            if submitting:
                errors["detail"] = _("Some answers are missing or invalid: your answers were kept as a draft.")
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        if submitting:
            detail = _("Thank you: your answers were recorded.")
        else:
            detail = _("Your answers were saved as a draft. You can come back to finish.")
        return Response({"status": response.status, "detail": detail, "answers": response.answers})

    @ANSWERING_SCHEMA
    @action(detail=True, methods=["post"])
    def draft(self, request, token=None, id=None):
        """Keep the answers so far without submitting them. Invalid answers are refused (400, by ``q<question
        id>``) and nothing is saved; missing ones are fine."""
        return self._answer(request, id, submitting=False)

    @ANSWERING_SCHEMA
    @action(detail=True, methods=["post"])
    def submit(self, request, token=None, id=None):
        """Submit the answers, once: a second submission is refused (409). Missing or invalid answers are refused
        (400, by ``q<question id>``) and the valid ones are kept as a draft."""
        return self._answer(request, id, submitting=True)
