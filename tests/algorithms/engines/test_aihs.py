"""AI-HS engine (issue 5): suggestions, quality against the plain TF-IDF baseline, labelled training, CSV
validation, progress and cancel, model round trip. Pure Python: no database."""

import csv
import json
import re
from pathlib import Path

import pytest

from algorithms.engines import aihs
from algorithms.engines.aihs import metrics as X
from algorithms.engines.base import EngineError, JobCancelled, noop_progress

DATA = X.DATA_DIR


def write_csv(path: Path, rows, header=("description", "hs_code")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def default():
    return aihs.default_model()


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The job trained on the shipped labelled sample (about 1,600 templated descriptions)."""
    workdir = tmp_path_factory.mktemp("aihs")
    return aihs.train(
        DATA / "labelled_sample.csv", workdir=workdir, seed=7, progress=noop_progress, params={"holdout": 0.1}
    )


@pytest.mark.parametrize(
    ("description", "family"),
    [
        pytest.param(
            "men's cotton t-shirts knitted",
            "6109",
            marks=pytest.mark.xfail(
                strict=True,
                reason="known miss of the issue-13 default: 'shirts' pulls 6105/6205 above 6109 without the "
                "hand-written lexicon (which did not help on real descriptions)",
            ),
        ),
        ("lithium-ion battery pack for laptop", "8507"),
        ("frozen shrimp peeled", "0306"),
        ("portland cement in 50kg bags", "2523"),
        ("laptop computer 14 inch", "8471"),
        ("fresh cut roses", "0603"),
        ("new car tyres", "4011"),
    ],
)
def test_default_model_suggests_the_right_family(default, description, family):
    codes = [s["code"] for s in default.suggest(description, 5)]
    assert any(code.startswith(family) for code in codes), (description, codes)


def test_suggestions_are_valid_hs6_with_text_and_decreasing_confidence(default):
    valid = set(default.nomenclature.codes)
    for description in ("frozen chicken leg quarters", "HP LASERJET PRO MFP", "urea fertilizer 46% N"):
        suggestions = default.suggest(description, 5)
        assert len(suggestions) == 5
        confidences = [s["confidence"] for s in suggestions]
        assert all(0.0 <= c <= 1.0 for c in confidences)
        assert confidences == sorted(confidences, reverse=True)
        assert len({s["code"] for s in suggestions}) == 5
        for s in suggestions:
            assert s["code"] in valid and len(s["code"]) == 6 and s["code"].isdigit()
            assert s["code"][:4] in s["description"]  # the heading context follows the subheading text
            assert len(s["description"]) > 10


def test_blank_or_meaningless_description_gives_an_empty_list(default):
    assert default.suggest("") == []
    assert default.suggest("   \n\t") == []
    assert default.suggest("123 456") == []
    assert default.suggest("frozen shrimp", 0) == []


def test_nomenclature_only_job_without_real_data_says_its_figures_are_not_real(tmp_path, monkeypatch):
    """No local real descriptions and no recorded measurement of this model: our own set, said to be so."""
    from algorithms.engines.aihs import recorded

    monkeypatch.setenv("BACUDA_AIHS_REAL_DATA_DIR", str(tmp_path / "none"))
    monkeypatch.setattr(recorded, "RECORD_FILE", tmp_path / "no-record.json")
    result = aihs.train(None, workdir=tmp_path, seed=1, progress=noop_progress, params={})
    m = result.metrics
    assert m["real_data"] is False and m["evaluated_on"].startswith("NOT real data")
    assert m["n_eval"] >= 400
    assert m["hs6_top5"] >= m["baseline_hs6_top5"] + 0.10
    loaded = aihs.load(result.artifacts["model"])
    assert loaded.labelled is None
    assert loaded.suggest("frozen shrimp peeled") == aihs.default_model().suggest("frozen shrimp peeled")


def test_nomenclature_only_job_measures_on_the_real_test_split_per_kind(tmp_path, monkeypatch):
    """A small real set in the documented layout: the job reports its test split, per kind, with reliability."""
    real = tmp_path / "real" / "demo"
    real.mkdir(parents=True)
    rows = [
        ("Frozen shrimps, peeled and deveined, in 1 kg bags", "030617", "technical"),
        ("Men's T-shirt, knitted, 100% cotton", "610910", "title"),
        ("Portland cement, grey, in 50 kg bags", "252329", "technical"),
        ("Fresh cut roses", "060311", "title"),
        ("New pneumatic tyres of rubber for motor cars", "401110", "technical"),
        ("Laptop computer, 14 inch screen", "847130", "title"),
    ]
    write_csv(
        real / "demo.csv",
        [(d, c, k, "demo", str(i)) for i, (d, c, k) in enumerate(rows)],
        header=("description", "hs_code", "kind", "source", "group"),
    )
    monkeypatch.setenv("BACUDA_AIHS_REAL_DATA_DIR", str(tmp_path / "real"))
    test_rows = [r for r in X_real(set(aihs.default_model().nomenclature.codes)) if r.split == "test"]
    result = aihs.train(None, workdir=tmp_path / "job", seed=1, progress=noop_progress, params={})
    m = result.metrics
    assert m["real_data"] is True and m["real_sources"] == ["demo"]
    assert m["n_eval"] == len(test_rows)
    assert sum(m[f"kind_{k}"]["n"] for k in ("technical", "title") if f"kind_{k}" in m) == len(test_rows)
    assert sum(m["reliability"]["counts"]) == len(test_rows)


def X_real(valid):
    from algorithms.engines.aihs import realdata

    return realdata.real_examples(valid)


def test_the_independent_checks_sets_are_refused(tmp_path):
    from algorithms.engines.aihs import realdata

    write_csv(
        tmp_path / "atlas.csv",
        [("a leather wallet", "420231", "technical", "atlas-test", "1")],
        header=("description", "hs_code", "kind", "source", "group"),
    )
    with pytest.raises(ValueError, match="independent check"):
        realdata.real_examples({"420231"}, root=tmp_path)


def test_labelled_training_improves_on_its_held_out_split(trained):
    m = trained.metrics
    assert m["n_holdout"] == round(m["n_rows"] * 0.1)
    assert m["n_train"] + m["n_holdout"] == m["n_rows"]
    # measured here: about 0.95 against 0.5 for HS6 top-1, 1.0 against 0.8 for HS6 top-5
    assert m["hs6_top1"] >= m["nomenclature_hs6_top1"] + 0.25
    assert m["hs6_top5"] >= m["nomenclature_hs6_top5"] + 0.10
    assert m["hs6_top5"] > m["baseline_hs6_top5"]
    for key in ("hs2_top1", "hs4_top3", "hs6_top5"):
        assert 0.0 <= m[key] <= 1.0


def test_labelled_model_round_trips_through_load(trained):
    model_dir = trained.artifacts["model"]
    meta = json.loads((model_dir / "meta.json").read_text())
    assert meta["kind"] == "labelled" and meta["seed"] == 7
    loaded = aihs.load(model_dir)
    again = aihs.load(model_dir / "meta.json")
    assert loaded.suggest("frozen vannamei prawns headless") == again.suggest("frozen vannamei prawns headless")
    # a description the administration labelled is suggested with its own code first
    assert loaded.suggest("premium motor spirit")[0]["code"] == "271012"
    # the labels help where the nomenclature alone does not know the trade name
    assert loaded.suggest("AGO 50PPM")[0]["code"] == "271019"


def test_a_labelled_job_is_compared_with_the_nomenclature_model_when_there_is_no_champion(trained):
    m = trained.metrics
    comparison = m["comparison"]
    assert comparison["n_holdout"] == m["n_holdout"] and comparison["champion_model"] == "nomenclature only"
    assert comparison["new"] == {key: m[key] for key in ("hs6_top5", "hs6_top1", "hs4_top5")}
    assert comparison["champion"] == {key: m[f"nomenclature_{key}"] for key in ("hs6_top5", "hs6_top1", "hs4_top5")}
    assert comparison["better"] is True and comparison["error"] == ""


def test_a_labelled_champion_is_measured_on_the_same_held_out_split_without_having_seen_it(trained, tmp_path):
    """The champion was trained on the whole sample; the new job's held-out rows come from it too: the champion
    is rebuilt without them, so both models are measured on descriptions neither has seen."""
    rows = X.labelled_sample()[:60]
    result = aihs.train(
        write_csv(tmp_path / "in.csv", rows),
        workdir=tmp_path / "job",
        seed=3,
        progress=noop_progress,
        params={"holdout": 0.2},
        champion=trained.artifacts["model"],
    )
    comparison = result.metrics["comparison"]
    assert comparison["n_holdout"] == 12 and comparison["error"] == ""
    pattern = r"labelled: (\d+) examples \((\d+) held-out description\(s\) left out\)"
    left_out = re.fullmatch(pattern, comparison["champion_model"])
    assert left_out and int(left_out[2]) >= 12  # every held-out row was among the champion's (some twice)
    new, champion = comparison["new"], comparison["champion"]
    assert comparison["better"] == ((new["hs6_top5"], new["hs6_top1"]) > (champion["hs6_top5"], champion["hs6_top1"]))
    unreadable = aihs.train(
        write_csv(tmp_path / "in.csv", rows),
        workdir=tmp_path / "job2",
        seed=3,
        progress=noop_progress,
        params={"holdout": 0.2},
        champion=tmp_path / "nowhere",
    )
    assert unreadable.metrics["comparison"]["better"] is False
    assert unreadable.metrics["comparison"]["error"].startswith("The champion model could not be read")


def test_loading_a_model_can_leave_descriptions_out(trained):
    from algorithms.engines.aihs import realdata

    model_dir = trained.artifacts["model"]
    full = aihs.load(model_dir)
    first = full.labelled.descriptions[0]
    same = {d for d in full.labelled.descriptions if realdata.normalised(d) == realdata.normalised(first)}
    fewer = aihs.load(model_dir, exclude={realdata.normalised(first)})
    assert len(fewer.labelled.descriptions) == len(full.labelled.descriptions) - len(same)
    assert fewer.info["n_left_out"] == len(same) and first not in fewer.labelled.descriptions


def test_a_labelled_model_shows_why_with_the_nearest_labelled_examples(trained, default):
    model = aihs.load(trained.artifacts["model"])
    first = model.suggest("premium motor spirit", 3)[0]
    assert first["code"] == "271012" and first["heading_code"] == "2710"
    assert first["subheading"] and first["heading"].startswith("Petroleum oils")
    assert first["examples"] and all(example["code"] == "271012" for example in first["examples"])
    assert len(first["examples"]) <= 3
    assert [e["similarity"] for e in first["examples"]] == sorted(
        (e["similarity"] for e in first["examples"]), reverse=True
    )
    plain = default.suggest("premium motor spirit", 1)[0]
    assert "examples" not in plain and plain["subheading"]


def test_training_is_reproducible_from_the_seed(tmp_path):
    rows = X.labelled_sample()[:120]
    source = write_csv(tmp_path / "in.csv", rows)
    first = aihs.train(source, workdir=tmp_path / "a", seed=3, progress=noop_progress, params={"holdout": 0.25})
    second = aihs.train(source, workdir=tmp_path / "b", seed=3, progress=noop_progress, params={"holdout": 0.25})
    drop = {"seconds"}
    assert {k: v for k, v in first.metrics.items() if k not in drop} == {
        k: v for k, v in second.metrics.items() if k not in drop
    }
    assert first.metrics["n_holdout"] == 30


def test_leading_zeros_and_dotted_codes_are_kept(tmp_path):
    rows = [("live horses for breeding", "010121"), ("pure bred horses", "0101.21"), *X.labelled_sample()[:20]]
    result = aihs.train(
        write_csv(tmp_path / "in.csv", rows), workdir=tmp_path, seed=1, progress=noop_progress, params={}
    )
    with (result.artifacts["model"] / "examples.csv").open(encoding="utf-8") as handle:
        codes = [r["hs_code"] for r in csv.DictReader(handle)]
    assert codes[:2] == ["010121", "010121"]


def test_semicolon_files_and_extra_columns_are_read(tmp_path):
    path = tmp_path / "in.csv"
    lines = ["id;hs_code;description"] + [f"{i};{c};{d}" for i, (d, c) in enumerate(X.labelled_sample()[:12])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = aihs.read_labelled_csv(path)
    assert rows == [(d.strip(), c) for d, c in X.labelled_sample()[:12]]


def test_bad_rows_are_reported_by_row_number(tmp_path):
    rows = X.labelled_sample()[:20]
    rows[1] = ("frozen fish", "30617")  # file row 3: leading zero lost
    rows[2] = ("", "030617")  # row 4: no description
    rows[4] = ("mystery goods", "999999")  # row 6: not an HS 2022 subheading
    rows[6] = ("steel bars", "72 14 x")  # row 8: not digits
    with pytest.raises(EngineError) as caught:
        aihs.train(write_csv(tmp_path / "bad.csv", rows), workdir=tmp_path, seed=1, progress=noop_progress, params={})
    message = str(caught.value)
    assert "4 row(s)" in message
    for row in ("row 3:", "row 4:", "row 6:", "row 8:"):
        assert row in message
    assert "leading zeros" in message and "999999" in message
    assert "row 2:" not in message and "row 5:" not in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"text,code\nfrozen fish,030617\n", "Missing column(s): description, hs_code"),
        (b"description,hs_code\n" + b"frozen fish,030617\n" * 3, "at least 10"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (b"description,hs_code\ncaf\xe9,090111\n", "UTF-8"),
        (b"description,hs_code\n" + b"12345,030617\n" * 12, "contains a word"),
    ],
)
def test_malformed_files_give_a_clear_error(tmp_path, content, expected):
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(EngineError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        aihs.train(path, workdir=tmp_path, seed=1, progress=noop_progress, params={})


def test_bad_parameters_are_refused(tmp_path):
    source = write_csv(tmp_path / "in.csv", X.labelled_sample()[:20])
    with pytest.raises(EngineError, match="holdout"):
        aihs.train(source, workdir=tmp_path, seed=1, progress=noop_progress, params={"holdout": 0.9})
    with pytest.raises(EngineError, match="Unknown parameter"):
        aihs.train(source, workdir=tmp_path, seed=1, progress=noop_progress, params={"epochs": 3})
    with pytest.raises(EngineError, match="neighbours"):
        aihs.train(source, workdir=tmp_path, seed=1, progress=noop_progress, params={"neighbours": "many"})


def test_progress_is_reported_and_cancel_stops_training(tmp_path):
    source = write_csv(tmp_path / "in.csv", X.labelled_sample()[:80])
    seen = []
    aihs.train(source, workdir=tmp_path / "ok", seed=1, progress=lambda p, s: seen.append((p, s)), params={})
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[-1] == 100 and len(percents) >= 10
    assert all(isinstance(s, str) and s for _, s in seen)

    def cancel_at_40(percent, stage):
        if percent >= 40:
            raise JobCancelled()

    with pytest.raises(JobCancelled):
        aihs.train(source, workdir=tmp_path / "cancelled", seed=1, progress=cancel_at_40, params={})
    assert not (tmp_path / "cancelled" / "aihs-model" / "meta.json").exists()


def test_load_refuses_what_is_not_a_model(tmp_path):
    with pytest.raises(EngineError, match="not an AI-HS model"):
        aihs.load(tmp_path)
    (tmp_path / "meta.json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(EngineError, match="Unsupported"):
        aihs.load(tmp_path)


def test_evaluation_set_codes_are_hs2022_subheadings():
    valid = set(aihs.default_model().nomenclature.codes)
    rows = X.evaluation_set(None)
    assert len(rows) >= 400
    assert all(code in valid for _, code in rows)
    assert {code[:2] for _, code in rows} >= {f"{c:02d}" for c in range(1, 98) if c != 77}
    test, tune = X.evaluation_set("test"), X.evaluation_set("tune")
    assert len(test) + len(tune) == len(rows) and not set(test) & set(tune)
    labelled = {d.lower() for d, _ in X.labelled_sample()}
    assert not labelled & {d.lower() for d, _ in rows}


def test_batch_classification_with_the_default_model(default, tmp_path):
    """The batch job's engine function with the real nomenclature model: five codes a row, calibrated
    probabilities, and the row whose declared code is far from the description flagged."""
    source = tmp_path / "week.csv"
    source.write_text(
        "Declaration ID,Goods description,HS6 Code\n"
        "D1,frozen shrimp peeled,030617\n"
        "D2,portland cement in 50kg bags,610910\n",
        encoding="utf-8",
    )
    result = aihs.classify_batch(
        None, source, workdir=tmp_path, seed=1, progress=noop_progress, params={"description_column": ""}
    )
    with result.artifacts["suggestions"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert result.metrics["description_column"] == "Goods description"
    assert all(row["code_5"] and 0 < float(row["probability_1"]) <= 1 for row in rows)
    assert rows[0]["declared_rank"] and rows[0]["flag"] == ""
    assert rows[1]["flag"] == "declared code not among the top 5"
    assert any(rows[1][f"code_{i}"].startswith("2523") for i in range(1, 6))
    assert rows[0]["code_1"] == default.suggest("frozen shrimp peeled", 1)[0]["code"]
