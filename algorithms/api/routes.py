"""``register``: the app's viewsets on the project's one router."""

from .cards import AlgorithmViewSet, VersionViewSet
from .datasets import DatasetViewSet
from .hs import HsFeedbackViewSet, HsSuggestionViewSet
from .images import ImageClassificationViewSet
from .jobs import JobViewSet


def register(router) -> None:
    """Add this app's viewsets to the router (called by bacuda_portal.api)."""
    router.register("algorithms", AlgorithmViewSet, basename="algorithm")
    router.register("algorithm-versions", VersionViewSet, basename="algorithm-version")
    router.register("datasets", DatasetViewSet, basename="dataset")
    router.register("model-jobs", JobViewSet, basename="model-job")
    router.register("hs-suggestions", HsSuggestionViewSet, basename="hs-suggestion")
    router.register("hs-feedback", HsFeedbackViewSet, basename="hs-feedback")
    router.register("image-classifications", ImageClassificationViewSet, basename="image-classification")
