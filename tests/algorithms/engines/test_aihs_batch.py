"""AI-HS batch classification (issue 13), the engine side: columns found or named, the top five with probabilities
and bands, the declared code's rank and the flags, formula-neutral cells, progress and cancel. A fixed suggester
stands in for the model (the real model is run in test_aihs.py); pure Python, no database."""

import csv
from pathlib import Path

import pytest

from algorithms.engines.aihs import batch
from algorithms.engines.base import EngineError, JobCancelled, noop_progress

ANSWERS = {
    "green coffee beans": [("090111", 0.7), ("090112", 0.2), ("090121", 0.05), ("090122", 0.03), ("090190", 0.02)],
    "frozen shrimp": [("030617", 0.3), ("030616", 0.25), ("160521", 0.2), ("030695", 0.15), ("030636", 0.1)],
    "=cmd|' /C calc'!A0": [("999999", 0.05)],
}


class FixedSuggester:
    def __init__(self):
        self.calls = 0

    def suggest(self, description, k=5):
        self.calls += 1
        return [{"code": code, "confidence": p} for code, p in ANSWERS.get(description, [])[:k]]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def run(tmp_path, text, params, progress=noop_progress):
    source = write(tmp_path / "in.csv", text)
    result = batch.run_batch(FixedSuggester(), source, workdir=tmp_path, seed=3, progress=progress, params=params)
    with result.artifacts["suggestions"].open(encoding="utf-8", newline="") as handle:
        return result, list(csv.DictReader(handle))


def test_top_five_probabilities_band_rank_and_flags(tmp_path):
    text = (
        "Item,Goods description,Declared code\n"
        "1,green coffee beans,0901.11\n"  # declared first
        "2,frozen shrimp,0306.16\n"  # declared second
        "3,frozen shrimp,6109.10\n"  # declared, not among the five: flagged
        "4,frozen shrimp,12\n"  # not a subheading: flagged
        "5,,090111\n"  # no description
        "6,green coffee beans,\n"  # no declared code
        ",,\n"  # a blank row is skipped
    )
    result, rows = run(tmp_path, text, {"description_column": "goods description", "code_column": "DECLARED_CODE"})
    assert [row["row"] for row in rows] == ["2", "3", "4", "5", "6", "7"]
    first = rows[0]
    assert [first[f"code_{i}"] for i in range(1, 6)] == ["090111", "090112", "090121", "090122", "090190"]
    assert first["probability_1"] == "0.7000" and first["band"] == "likely" and first["too_vague"] == "no"
    assert (first["declared_code"], first["declared_rank"], first["flag"]) == ("0901.11", "1", "")
    assert (rows[1]["declared_rank"], rows[1]["flag"], rows[1]["band"]) == ("2", "", "possible")
    assert rows[2]["flag"] == "declared code not among the top 5" and rows[2]["declared_rank"] == ""
    assert rows[3]["flag"] == "declared code is not an HS 2022 subheading"
    assert rows[4]["flag"] == "no description" and rows[4]["code_1"] == ""
    assert rows[5]["flag"] == "" and rows[5]["declared_rank"] == ""
    m = result.metrics
    assert (m["rows"], m["with_declared_code"], m["declared_first"], m["declared_in_top5"]) == (6, 5, 1, 2)
    assert (m["flagged_not_in_top5"], m["flagged_unknown_declared_code"], m["no_description"]) == (1, 1, 1)
    assert m["bands"] == {"likely": 2, "possible": 3, "unlikely": 0}
    assert m["description_column"] == "Goods description" and m["code_column"] == "Declared code"
    assert m["seed"] == 3 and "1 of them not among the top 5" in result.summary


def test_columns_are_found_by_their_usual_names():
    assert batch.find_column(["Declaration ID", "HS6 Code", "Description"], None, batch.CODE_NAMES) == "HS6 Code"
    assert batch.find_column(["id", "goods_description"], None, batch.DESCRIPTION_NAMES) == "goods_description"
    assert batch.find_column(["Désignation", "code"], None, batch.DESCRIPTION_NAMES) == "Désignation"
    assert batch.find_column(["text", "notes"], None, batch.DESCRIPTION_NAMES) is None
    assert batch.find_column(["Goods Text"], "goods_text", batch.DESCRIPTION_NAMES) == "Goods Text"
    assert batch.find_column(["Goods Text"], "other", batch.DESCRIPTION_NAMES) is None


def test_a_vague_description_and_spreadsheet_formulas_are_neutralised(tmp_path):
    result, rows = run(tmp_path, "description\n=cmd|' /C calc'!A0\n", {"description_column": "description"})
    assert rows[0]["description"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["too_vague"] == "yes" and rows[0]["band"] == "unlikely"
    assert result.metrics["too_vague"] == 1 and result.metrics["code_column"] == ""


def test_without_a_declared_code_column_nothing_is_flagged_for_it(tmp_path):
    result, rows = run(tmp_path, "description,notes\nfrozen shrimp,610910\n", {"description_column": "description"})
    assert rows[0]["declared_code"] == "" and rows[0]["flag"] == ""
    assert result.metrics["with_declared_code"] == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"description_column": "nope"}, "No column of goods descriptions"),
        ({"description_column": "description", "code_column": "nope"}, "No column 'nope'"),
        ({"description_column": "description", "colour": "red"}, "Unknown parameter(s)"),
    ],
)
def test_missing_columns_and_unknown_parameters_are_clear_errors(tmp_path, params, message):
    with pytest.raises(EngineError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(tmp_path, "description\nfrozen shrimp\n", params)


def test_progress_is_reported_and_cancel_stops_the_run(tmp_path):
    text = "description\n" + "frozen shrimp\n" * (batch.CHUNK * 3)
    stages = []
    run(tmp_path, text, {"description_column": "description"}, progress=lambda p, s: stages.append((p, s)))
    assert stages[-1] == (100, "Done") and any("Classified 64 of 192" in s for _p, s in stages)
    assert [p for p, _s in stages] == sorted(p for p, _s in stages)

    def cancel_after_first_chunk(percent, stage):
        if stage.startswith("Classified"):
            raise JobCancelled

    suggester = FixedSuggester()
    with pytest.raises(JobCancelled):
        batch.run_batch(
            suggester,
            write(tmp_path / "in.csv", text),
            workdir=tmp_path,
            seed=1,
            progress=cancel_after_first_chunk,
            params={"description_column": "description"},
        )
    assert suggester.calls == batch.CHUNK
