"""Choice lists of the algorithms app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AlgorithmKind(models.TextChoices):
    DATE = "date", _("Fraud detection (DATE)")
    AIHS = "aihs", _("HS-code recommendation (AI-HS)")
    SYNTH = "synth", _("Synthetic data (AI-Synth)")
    IMAGE = "image", _("Image analysis")


class Publication(models.TextChoices):
    """The publication gate of a card or a version: staff ask, the data owner approves."""

    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting the data owner's approval")
    PUBLISHED = "published", _("Published")


class DatasetKind(models.TextChoices):
    DECLARATIONS = "declarations", _("Import declarations")
    HS_LABELLED = "hs_labelled", _("Labelled goods descriptions (description, HS code)")
    HS_DESCRIPTIONS = "hs_descriptions", _("Goods descriptions to classify (description, optional declared code)")
    IMAGES = "images", _("Labelled images (ZIP of class folders, or pictures and a labels CSV)")
    IMAGES_TO_SCORE = "images_to_score", _("Images to classify (ZIP of pictures)")


class JobKind(models.TextChoices):
    DATE_TRAIN = "date_train", _("Train fraud detection (DATE)")
    DATE_SCORE = "date_score", _("Score declarations (DATE)")
    DATE_SIMULATE = "date_simulate", _("Simulate selection strategies (DATE)")
    AIHS_TRAIN = "aihs_train", _("Train HS-code recommendation (AI-HS)")
    AIHS_BATCH = "aihs_batch", _("Classify goods descriptions in bulk (AI-HS)")
    SYNTH = "synth", _("Generate synthetic data (AI-Synth)")
    IMAGE_TRAIN = "image_train", _("Train image analysis")
    IMAGE_SCORE = "image_score", _("Classify images (image analysis)")


IMAGE_DATASET_KINDS = (DatasetKind.IMAGES, DatasetKind.IMAGES_TO_SCORE)


# Which algorithm each kind of job belongs to, and which kinds produce a model version.
JOB_ALGORITHM = {
    JobKind.DATE_TRAIN: AlgorithmKind.DATE,
    JobKind.DATE_SCORE: AlgorithmKind.DATE,
    JobKind.DATE_SIMULATE: AlgorithmKind.DATE,
    JobKind.AIHS_TRAIN: AlgorithmKind.AIHS,
    JobKind.AIHS_BATCH: AlgorithmKind.AIHS,
    JobKind.SYNTH: AlgorithmKind.SYNTH,
    JobKind.IMAGE_TRAIN: AlgorithmKind.IMAGE,
    JobKind.IMAGE_SCORE: AlgorithmKind.IMAGE,
}
VERSION_PRODUCING_KINDS = (JobKind.DATE_TRAIN, JobKind.AIHS_TRAIN, JobKind.SYNTH, JobKind.IMAGE_TRAIN)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
FINAL_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


class Alias(models.TextChoices):
    CHAMPION = "champion", _("Champion")
    CHALLENGER = "challenger", _("Challenger")


class LabelSource(models.TextChoices):
    """Where an administration's labelled goods description came from."""

    SUGGESTION_FEEDBACK = "suggestion_feedback", _("Feedback on an HS suggestion")


class FeedbackKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed a suggested code")
    CORRECTED = "corrected", _("Corrected with another code")


class ReviewStatus(models.TextChoices):
    """An administration reviews its labelled descriptions before a training job may use them."""

    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
