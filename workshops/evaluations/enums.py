from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating scale (1 to 5)")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


# Kinds whose answer is one or more of the question's options (and which may be scored).
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
RATING_VALUES = (1, 2, 3, 4, 5)


class QuestionnaireKind(models.TextChoices):
    REACTION = "reaction", _("Reaction survey")
    PRE_TEST = "pre_test", _("Knowledge pre-test")
    POST_TEST = "post_test", _("Knowledge post-test")
    FOLLOW_UP = "follow_up", _("Follow-up survey")


# The knowledge tests: scored questions only, named answers (the gain is per participant), the same items.
KNOWLEDGE_KINDS = frozenset({QuestionnaireKind.PRE_TEST, QuestionnaireKind.POST_TEST})


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
