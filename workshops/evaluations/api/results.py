"""The results' serializers: staff's (everything the results page shows) and a contact point's (their own
officials', aggregated; ``group_selectors``)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import group_selectors


class ResultBucketSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="A rating (with its scale label) or an option's text.")
    count = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="Percent of those who answered the question.")
    correct = serializers.BooleanField(help_text="A scored question's correct option.")


class QuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="item.question_id")
    text_en = serializers.CharField(source="question.text_en")
    text_fr = serializers.CharField(source="question.text_fr")
    kind = serializers.CharField(source="question.kind", help_text="rating, single, multiple or text.")
    answered = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True, help_text="Ratings: the average from 1 to 5.")
    correct_share = serializers.FloatField(allow_null=True, help_text="Scored questions: percent answering right.")
    buckets = ResultBucketSerializer(many=True)
    texts = serializers.ListField(child=serializers.CharField(), help_text="Free text: the answers, sorted.")


class KnowledgeGainRowSerializer(serializers.Serializer):
    nomination = serializers.IntegerField(source="nomination_id")
    full_name = serializers.CharField()
    administration = serializers.CharField()
    pre = serializers.IntegerField(allow_null=True)
    post = serializers.IntegerField(allow_null=True)
    maximum = serializers.IntegerField(allow_null=True)
    gain = serializers.IntegerField(allow_null=True)
    normalised_gain = serializers.FloatField(allow_null=True)


class KnowledgeGainSummarySerializer(serializers.Serializer):
    maximum = serializers.IntegerField(allow_null=True)
    paired = serializers.SerializerMethodField(help_text="How many took both tests.")
    average_pre = serializers.FloatField(allow_null=True)
    average_post = serializers.FloatField(allow_null=True)
    average_gain = serializers.FloatField(allow_null=True)
    average_gain_percent = serializers.FloatField(allow_null=True)
    average_normalised_gain = serializers.FloatField(allow_null=True)
    positive_share = serializers.FloatField(allow_null=True, help_text="Percent whose score went up.")

    def get_paired(self, gain) -> int:
        return len(gain.paired)


class StaffKnowledgeGainSerializer(KnowledgeGainSummarySerializer):
    participants = KnowledgeGainRowSerializer(source="rows", many=True)


class StaffResultsSerializer(serializers.Serializer):
    questionnaire = serializers.IntegerField(source="questionnaire.pk")
    kind = serializers.CharField(source="questionnaire.kind")
    anonymous = serializers.BooleanField(source="questionnaire.anonymous")
    accepted = serializers.IntegerField(help_text="The workshop's accepted participants.")
    submitted = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    withheld = serializers.BooleanField(help_text="Anonymous, and too few answers to show them without telling whose.")
    questions = QuestionResultSerializer(many=True)
    knowledge_gain = serializers.SerializerMethodField(help_text="Knowledge tests: the gain from pre- to post-test.")

    @extend_schema_field(StaffKnowledgeGainSerializer(allow_null=True))
    def get_knowledge_gain(self, results):
        gain = self.context.get("knowledge_gain")
        return None if gain is None else StaffKnowledgeGainSerializer(gain).data


class GroupResultBucketSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


class GroupQuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="item.question_id")
    text_en = serializers.CharField(source="question.text_en")
    text_fr = serializers.CharField(source="question.text_fr")
    kind = serializers.CharField(source="question.kind")
    answered = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    correct_share = serializers.FloatField(allow_null=True)
    buckets = GroupResultBucketSerializer(many=True)


def withheld_reason(results: group_selectors.GroupResults) -> str:
    if results.withheld == group_selectors.WITHHELD_ANONYMOUS:
        return _("This questionnaire is anonymous: its answers cannot be attributed to an administration.")
    if results.withheld == group_selectors.WITHHELD_TOO_FEW:
        return _(
            "Fewer than %(count)d of your officials have answered: the figures are withheld so that no one can be "
            "singled out."
        ) % {"count": group_selectors.MINIMUM_GROUP}
    return ""


class GroupResultsSerializer(serializers.Serializer):
    questionnaire = serializers.IntegerField(source="questionnaire.pk")
    kind = serializers.CharField(source="questionnaire.kind")
    anonymous = serializers.BooleanField(source="questionnaire.anonymous")
    administration = serializers.CharField(source="administration.code")
    minimum_group = serializers.SerializerMethodField(help_text="Figures are shown from this many answers.")
    accepted = serializers.IntegerField(help_text="The administration's accepted participants in the workshop.")
    submitted = serializers.IntegerField(help_text="How many of them have answered.")
    response_rate = serializers.FloatField(allow_null=True)
    withheld = serializers.SerializerMethodField(help_text="Why the figures are not shown; empty when they are.")
    questions = GroupQuestionResultSerializer(many=True)
    knowledge_gain = KnowledgeGainSummarySerializer(allow_null=True)

    def get_minimum_group(self, results) -> int:
        return group_selectors.MINIMUM_GROUP

    def get_withheld(self, results) -> str:
        return withheld_reason(results)
