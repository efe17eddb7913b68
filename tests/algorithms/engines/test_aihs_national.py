"""AI-HS with the EU's 8-digit tariff texts and the recorded real-data figures (issue 13). Pure Python."""

import json

import numpy as np
import pytest

from algorithms.engines import aihs
from algorithms.engines.aihs import calibration as C
from algorithms.engines.aihs import hybrid, national, recorded
from algorithms.engines.base import noop_progress


@pytest.fixture(scope="module")
def default():
    return aihs.default_model()


def test_every_hs6_subheading_has_its_tariff_lines_and_their_embeddings():
    codes = aihs.nomenclature().codes
    texts = national.national_texts(codes)
    assert len(texts.codes) == 9755  # 9,759 CN lines less chapter 99's four statistical codes
    assert set(np.unique(texts.hs6_position)) == set(range(len(codes)))
    assert all(cn[:6] == codes[i] for cn, i in zip(texts.codes, texts.hs6_position, strict=True))
    assert all(english and french for english, french in zip(texts.english, texts.french, strict=True))
    assert national.load_embeddings(len(texts.codes)).shape == (9755, 384)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Live horses (excl. for slaughter, pure-bred for breeding)", "Live horses"),
        ("Thorium salts [Euratom]", "Thorium salts"),
        ("Tea (other than green), in packings <= 3 kg", "Tea , in packings <= 3 kg"),
        ("Frozen shrimps", "Frozen shrimps"),
    ],
)
def test_exclusion_clauses_are_left_out_of_what_is_embedded(text, expected):
    assert national.without_exclusions(text) == expected


def test_french_words_lose_accents_plurals_and_stop_words():
    assert national.french_tokens("Chemises de coton, pour hommes ou garçonnets") == [
        "chemise",
        "coton",
        "homme",
        "garconnet",
    ]


def test_each_code_takes_the_best_of_its_lines():
    similarities = np.array([0.1, 0.7, 0.3, 0.2])
    positions = np.array([0, 0, 2, 2])
    assert national.best_per_code(similarities, positions, 3).tolist() == pytest.approx([0.7, 0.0, 0.3])


def test_a_suggestion_shows_the_closest_tariff_line_of_its_code(default):
    suggestions = default.suggest("Frozen shrimps of the genus Penaeus, peeled", 5)
    assert suggestions[0]["code"] == "030617"
    for item in suggestions:
        assert item["tariff_code"].startswith(item["code"]) and len(item["tariff_code"]) == 8
        assert item["tariff_line"]
    assert "Penaeus" in suggestions[0]["tariff_line"]


def test_a_line_of_a_few_words_is_calibrated_apart_from_a_description_in_sentences(default):
    short, long = "cotton shirts", "Men's shirts of woven cotton fabric, long sleeves, with a collar and buttons"
    assert hybrid.length_class(short) == "short" and hybrid.length_class(long) == "long"
    index = default.index
    assert index.temperature(short) == hybrid.TEMPERATURES["short"]
    assert index.temperature(long) == hybrid.TEMPERATURES["long"]
    scores = index.scores(short)
    assert default.distribution(short) == pytest.approx(C.softmax(scores, hybrid.TEMPERATURES["short"]))


def test_the_recorded_real_data_figures_describe_the_shipped_model():
    """The figures shown without local real data must be those of this very model: a change to the weights, the
    temperatures or a data file without a new measurement (benchmarks/algorithms_aihs.py --write) fails here."""
    record = recorded.recorded()
    assert record is not None, "re-measure: .venv/bin/python -m benchmarks.algorithms_aihs --write"
    metrics = record["metrics"]
    assert metrics["real_data"] is True and metrics["n_eval"] >= 500
    assert {"kind_technical", "kind_title"} <= set(metrics)
    assert sum(metrics["reliability"]["counts"]) == metrics["n_eval"]
    assert not any("atlas" in s.lower() or "hscodecomp" in s.lower() for s in metrics["real_sources"])


def test_a_record_of_another_model_is_not_shown(tmp_path, monkeypatch):
    stale = json.loads(recorded.RECORD_FILE.read_text(encoding="utf-8"))
    stale["fingerprint"] = "0" * 16
    path = tmp_path / "real_evaluation.json"
    path.write_text(json.dumps(stale), encoding="utf-8")
    monkeypatch.setattr(recorded, "RECORD_FILE", path)
    assert recorded.recorded() is None


def test_without_local_real_data_the_job_shows_the_recorded_real_figures_and_says_where_they_come_from(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("BACUDA_AIHS_REAL_DATA_DIR", str(tmp_path / "none"))
    result = aihs.train(None, workdir=tmp_path, seed=1, progress=noop_progress, params={})
    metrics, record = result.metrics, recorded.recorded()
    assert metrics["real_data"] is True and metrics["recorded"] is True
    assert metrics["hs6_top5"] == record["metrics"]["hs6_top5"]
    assert record["measured_on"] in metrics["evaluated_on"] and "benchmarks.algorithms_aihs" in metrics["evaluated_on"]
    assert "real held-out descriptions" in result.summary


def test_vagueness_is_judged_on_the_first_suggestions_heading():
    assert C.too_vague([])
    assert C.too_vague([{"code": "620520", "confidence": 0.06, "heading_confidence": 0.09}])
    assert not C.too_vague([{"code": "620520", "confidence": 0.06, "heading_confidence": 0.10}])
    assert not C.too_vague([{"code": "090111", "confidence": 0.9}])  # a model without heading probabilities


def test_a_clear_heading_is_not_vague_even_when_its_subheadings_share_the_probability(default):
    description = "Men's shirt of woven cotton fabric, long sleeves, button front closure"
    shirt = default.suggest(description, 5)
    probs = default.distribution(description)
    in_heading = [p for code, p in zip(default.nomenclature.codes, probs, strict=True) if code[:4] == "6205"]
    assert shirt[0]["code"][:4] == "6205"
    assert shirt[0]["heading_confidence"] == pytest.approx(sum(in_heading), abs=1e-4)
    assert shirt[0]["heading_confidence"] > shirt[0]["confidence"]
    assert not C.too_vague(shirt)
    assert C.too_vague(default.suggest("goods", 5))


@pytest.mark.parametrize(
    ("description", "french"),
    [
        ("Crevettes congelées décortiquées du genre Penaeus", True),
        ("Chaussures de sport à semelles en caoutchouc et dessus en matière textile", True),
        ("chemises en coton pour hommes", True),
        ("frozen shrimps peeled", False),
        ("men's cotton shirts", False),
        ("Portland cement in 50 kg bags", False),
    ],
)
def test_a_description_in_french_is_told_from_one_in_english(default, description, french):
    assert default.index.national.is_french(description) is french
    assert bool(default.read_as(description)) is french


def test_a_french_description_is_read_in_english_through_the_parallel_tariff_texts(default):
    """Words of our own (a test, not a figure): the English parts of the model read the EU's English lines."""
    shrimps = "Crevettes congelées décortiquées du genre Penaeus"
    assert "Frozen shrimps" in default.read_as(shrimps)
    assert default.suggest(shrimps, 1)[0]["code"] == "030617"
    shoes = default.suggest("Chaussures de sport à semelles en caoutchouc et dessus en matière textile", 5)
    assert shoes[0]["code"][:4] == "6404"
    assert default.read_as("frozen shrimps peeled") == ""


def test_a_french_description_is_calibrated_apart(default):
    """Matched through the parallel texts, French descriptions are right less often than their scores say: their
    own temperature, fitted on real French rulings of the validation split."""
    french = "Chaussures de sport à semelles en caoutchouc et dessus en matière textile"
    assert default.index.temperature(french) == hybrid.TEMPERATURES["french"]
    assert (
        default.index.temperature("Sports footwear with outer soles of rubber and uppers of textile materials")
        == (hybrid.TEMPERATURES["long"])
    )


def test_real_examples_are_grouped_by_kind_with_the_french_ones_apart():
    from algorithms.engines.aihs import realdata

    examples = [
        realdata.RealExample("Frozen shrimps of the genus Penaeus", "030617", "technical", "a", "1"),
        realdata.RealExample("Crevettes congelées du genre Penaeus", "030617", "technical", "b", "2"),
        realdata.RealExample("hoody", "611020", "title", "c", "3"),
    ]
    groups = realdata.by_kind(examples, lambda text: text.startswith("Crevettes"))
    assert {kind: [e.group for e in rows] for kind, rows in groups.items()} == {
        "technical": ["1"],
        "title": ["3"],
        "french": ["2"],
    }
    assert list(realdata.by_kind(examples)) == ["technical", "title"]
