"""The algorithms app's API: `register` adds its viewsets to the project's one router.

- ``algorithms/`` (public: published cards; staff see all) and ``algorithm-versions/``;
- ``datasets/`` (the user's administration, staff all): list, detail, upload (multipart, validated);
- ``model-jobs/``: submit, list, detail, ``cancel``;
- ``hs-suggestions/``: POST one goods description, get ranked HS6 suggestions;
- ``hs-feedback/``: confirm or correct a suggestion; list, accept and reject the labelled descriptions;
- ``image-classifications/``: POST one picture (multipart), get the top classes and a heat map (issue 15);
  ``datasets/{id}/hs-codes/``: map an image set's classes to HS codes. Image sets are uploaded on ``datasets/``
  (kind ``images`` or ``images_to_score``, a ZIP) and trained or scored on ``model-jobs/`` (``image_train``,
  ``image_score``).

The endpoints live in one module per part of the app; this package re-exports them.
"""

from .cards import AlgorithmSerializer, AlgorithmViewSet, CardSectionSerializer, VersionSerializer, VersionViewSet
from .datasets import DatasetSerializer, DatasetViewSet, ImageHsCodesSerializer, administration_field
from .hs import (
    HsAnswerSerializer,
    HsExampleSerializer,
    HsFeedbackInputSerializer,
    HsFeedbackViewSet,
    HsLabelledDescriptionSerializer,
    HsQuerySerializer,
    HsReviewInputSerializer,
    HsReviewSummarySerializer,
    HsSuggestionSerializer,
    HsSuggestionViewSet,
    HsWhySerializer,
)
from .images import (
    ImageAnswerSerializer,
    ImageClassificationViewSet,
    ImageClassifyInputSerializer,
    ImagePredictionSerializer,
)
from .jobs import ArtifactSerializer, JobCancelRefusedSerializer, JobSerializer, JobViewSet
from .permissions import IsModelUser
from .routes import register

__all__ = [
    "AlgorithmSerializer",
    "AlgorithmViewSet",
    "ArtifactSerializer",
    "CardSectionSerializer",
    "DatasetSerializer",
    "DatasetViewSet",
    "HsAnswerSerializer",
    "HsExampleSerializer",
    "HsFeedbackInputSerializer",
    "HsFeedbackViewSet",
    "HsLabelledDescriptionSerializer",
    "HsQuerySerializer",
    "HsReviewInputSerializer",
    "HsReviewSummarySerializer",
    "HsSuggestionSerializer",
    "HsSuggestionViewSet",
    "HsWhySerializer",
    "ImageAnswerSerializer",
    "ImageClassificationViewSet",
    "ImageClassifyInputSerializer",
    "ImageHsCodesSerializer",
    "ImagePredictionSerializer",
    "IsModelUser",
    "JobCancelRefusedSerializer",
    "JobSerializer",
    "JobViewSet",
    "VersionSerializer",
    "VersionViewSet",
    "administration_field",
    "register",
]
