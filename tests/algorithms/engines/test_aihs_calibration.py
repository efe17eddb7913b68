"""AI-HS confidence (issue 13): temperature fitting, reliability bins and bands, on small fixed sets with known
answers. Pure Python: no database, no model."""

import math

import numpy as np
import pytest

from algorithms.engines.aihs import calibration as C

# Four held-out examples, two candidate codes each, the same scores; the first code is right three times in four.
SCORES = [np.array([1.0, 0.0])] * 4
TRUTH = [0, 0, 0, 1]
KNOWN_TEMPERATURE = 1 / math.log(3)  # softmax(1/T) = 0.75 exactly when 1/T = ln 3


@pytest.mark.parametrize("objective", ["match", "nll"])
def test_temperature_is_the_known_answer(objective):
    temperature = C.fit_temperature(SCORES, TRUTH, objective=objective)
    assert temperature == pytest.approx(KNOWN_TEMPERATURE, rel=0.02)
    assert C.mean_top1_confidence(SCORES, temperature) == pytest.approx(0.75, abs=0.005)


def test_matching_makes_the_mean_confidence_equal_the_accuracy_on_its_own_set():
    rng = np.random.default_rng(0)
    rows = [rng.normal(size=20) for _ in range(60)]
    truth = [int(np.argmax(r)) if i % 3 else int(np.argmin(r)) for i, r in enumerate(rows)]
    accuracy = np.mean([int(np.argmax(r)) == t for r, t in zip(rows, truth, strict=True)])
    temperature = C.fit_temperature(rows, truth)
    assert abs(C.mean_top1_confidence(rows, temperature) - accuracy) < 0.01


def test_calibration_needs_examples():
    with pytest.raises(ValueError):
        C.fit_temperature([], [])


def test_reliability_bins_and_expected_error_are_the_known_answer():
    rel = C.reliability([0.1, 0.1, 0.9, 0.9], [False, False, True, False], bins=2)
    assert rel.counts == [2, 2]
    assert rel.accuracy == [0.0, 0.5]
    assert rel.mean_confidence == [0.1, 0.9]
    assert rel.overall_confidence == 0.5 and rel.overall_accuracy == 0.25
    assert rel.ece == pytest.approx((2 * 0.1 + 2 * 0.4) / 4)


@pytest.mark.parametrize(("p", "word"), [(0.95, "likely"), (0.5, "likely"), (0.3, "possible"), (0.05, "unlikely")])
def test_bands(p, word):
    assert C.band(p) == word


def test_reliability_diagram_is_an_svg_with_one_bar_per_filled_bin():
    svg = C.reliability_svg(C.reliability([0.1, 0.9, 0.9], [False, True, True]).as_dict(), title="T <1>")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 1 + 2  # the background and two filled bins
    assert "T &lt;1&gt;" in svg
