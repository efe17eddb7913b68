"""The AI-HS job: validate a labelled CSV, measure on a held-out split, write a model directory; load it back."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import time
from pathlib import Path

from ..base import EngineError, EngineResult, ProgressCallback
from . import calibration as C
from . import metrics as X
from . import realdata as R
from . import recorded
from . import text as T
from .model import LabelledIndex, PlainTfidfIndex, Recommender, nomenclature

FORMAT = "bacuda-aihs/1"
MAX_CSV_BYTES = 50 * 1024 * 1024  # an administration's labelled descriptions: 50 MB is several hundred thousand rows
MAX_REPORTED_ROW_ERRORS = 10
MIN_ROWS = 10
MAX_DESCRIPTION_CHARS = 2000
_CODE_RE = re.compile(r"^\d{6,12}$")


def _params(params: dict | None) -> dict:
    params = dict(params or {})
    out = {"holdout": 0.2, "neighbours": 12, "trust": 0.55}
    unknown = sorted(set(params) - set(out))
    if unknown:
        raise EngineError(f"Unknown parameter(s) for the AI-HS engine: {', '.join(unknown)}.")
    for key, (low, high, kind) in {
        "holdout": (0.05, 0.5, float),
        "neighbours": (1, 100, int),
        "trust": (0.0, 1.0, float),
    }.items():
        if key in params and params[key] is not None:
            try:
                value = kind(params[key])
            except (TypeError, ValueError):
                raise EngineError(f"Parameter {key!r} must be a number between {low} and {high}.")
            if not low <= value <= high:
                raise EngineError(f"Parameter {key!r} must be between {low} and {high} (got {value}).")
            out[key] = value
    return out


def read_labelled_csv(path: Path) -> list[tuple[str, str]]:
    """Read and validate a labelled CSV (columns ``description`` and ``hs_code``; other columns are ignored).

    HS codes are digits only (dots and spaces are removed, so ``0101.21`` is read as ``010121``), 6 to 12 digits,
    leading zeros kept; the first six digits must be an HS 2022 subheading. Raises :class:`EngineError` naming the
    rows (file line numbers, the header being row 1) that are wrong."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise EngineError("The labelled file could not be read.")
    if size == 0:
        raise EngineError("The labelled file is empty.")
    if size > MAX_CSV_BYTES:
        raise EngineError(f"The labelled file is too large ({size:,} bytes; at most {MAX_CSV_BYTES:,}).")
    raw = path.read_bytes()
    if b"\x00" in raw[:65536]:
        raise EngineError("The labelled file is not a text CSV (it contains binary data).")
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EngineError(f"The labelled file is not UTF-8 text (invalid byte at position {exc.start}).")
    delimiter = ","  # or ";" or tab, when that is what separates the two required names in the header
    first_line = content.split("\n", 1)[0]
    for candidate in (",", ";", "\t"):
        names = {name.strip().strip('"').lower() for name in first_line.split(candidate)}
        if {"description", "hs_code"} <= names:
            delimiter = candidate
            break
    reader = csv.reader(io.StringIO(content), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise EngineError("The labelled file is empty.")
    except csv.Error as exc:
        raise EngineError(f"Row 1: the header could not be read as CSV ({exc}).")
    names = [h.strip().lower() for h in header]
    missing = [c for c in ("description", "hs_code") if c not in names]
    if missing:
        raise EngineError(
            f"Missing column(s): {', '.join(missing)}. The file needs the columns description and hs_code "
            f"(found: {', '.join(h for h in names if h) or 'none'})."
        )
    i_desc, i_code = names.index("description"), names.index("hs_code")
    valid = set(nomenclature().codes)
    rows: list[tuple[str, str]] = []
    errors: list[str] = []
    n_errors = 0
    line = 1
    try:
        for line, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue  # a blank line
            problem = None
            description = record[i_desc].strip() if i_desc < len(record) else ""
            code = re.sub(r"[\s.]", "", record[i_code]) if i_code < len(record) else ""
            if not description:
                problem = "the description is empty"
            elif len(description) > MAX_DESCRIPTION_CHARS:
                problem = f"the description is longer than {MAX_DESCRIPTION_CHARS} characters"
            elif not code:
                problem = "the hs_code is empty"
            elif not _CODE_RE.match(code):
                hint = " (leading zeros lost? write 010121, not 10121)" if code.isdigit() and len(code) == 5 else ""
                problem = f"hs_code {record[i_code].strip()!r} is not a code of 6 to 12 digits{hint}"
            elif code[:6] not in valid:
                problem = f"hs_code {code!r}: {code[:6]} is not an HS 2022 subheading"
            if problem:
                n_errors += 1
                if len(errors) < MAX_REPORTED_ROW_ERRORS:
                    errors.append(f"row {line}: {problem}")
                continue
            rows.append((description, code[:6]))
    except csv.Error as exc:
        raise EngineError(f"Row {line + 1}: the file could not be read as CSV ({exc}).")
    if n_errors:
        more = f" (and {n_errors - len(errors)} more)" if n_errors > len(errors) else ""
        raise EngineError(f"{n_errors} row(s) are not valid: " + "; ".join(errors) + more + ".")
    if len(rows) < MIN_ROWS:
        raise EngineError(f"The labelled file has {len(rows)} row(s); at least {MIN_ROWS} are needed.")
    if not any(T.tokens(description) for description, _ in rows):
        raise EngineError("None of the descriptions contains a word (only numbers or symbols).")
    return rows


def _evaluate(examples, scorers: dict, codes: list[str], progress: ProgressCallback, start: int, end: int):
    """Top-k accuracy of several scorers on ``examples``, reporting progress (and so allowing cancel)."""
    results = {}
    total = len(scorers) * max(len(examples), 1)
    done = 0
    step = max(1, len(examples) // 10)
    for name, scorer in scorers.items():
        hits: dict = {}
        n = 0
        for i in range(0, len(examples), step):
            part, count = X.topk_hits(examples[i : i + step], scorer, codes)
            hits = {key: hits.get(key, 0) + value for key, value in part.items()}
            n += count
            done += count
            progress(start + int((end - start) * done / total), f"Measuring on the held-out split ({name})")
        results[name] = X.as_accuracy(hits, n)
    return results


def real_metrics(model: Recommender, examples: list, progress: ProgressCallback | None = None) -> dict:
    """Top-k accuracy on real held-out descriptions, overall and per kind of text, and the reliability of the
    first suggestion's confidence (bins, ECE, mean confidence against top-1 accuracy)."""
    codes = model.nomenclature.codes
    pairs = [(e.description, e.code) for e in examples]
    out: dict = {
        "evaluated_on": "real labelled descriptions, test split: " + ", ".join(R.sources(examples)),
        "real_data": True,
        "real_sources": R.sources(examples),
        "n_eval": len(examples),
    }
    confidences, correct = [], []
    for i, (description, truth) in enumerate(pairs):
        probs = model.distribution(description)
        best = int(probs.argmax())
        confidences.append(float(probs[best]))
        correct.append(codes[best] == truth)
        if progress is not None and i % 10 == 0:
            progress(40 + int(30 * i / max(len(pairs), 1)), "Measuring the confidence on real descriptions")
    out.update(X.topk_accuracy(pairs, model.distribution, codes))
    for kind, subset in R.by_kind(examples, model.reads_as_french).items():
        acc = X.topk_accuracy([(e.description, e.code) for e in subset], model.distribution, codes)
        out[f"kind_{kind}"] = {"n": len(subset), **acc}
    out["reliability"] = C.reliability(confidences, correct).as_dict()
    return out


# Figures of the comparison with the champion, and the order in which they decide (issue 13).
COMPARED = ("hs6_top5", "hs6_top1", "hs4_top5")
CRITERION = "top-5 HS6 accuracy, then top-1 HS6 accuracy, on the same held-out descriptions"


def _champion_scorer(champion: Path | None, held: list[tuple[str, str]]):
    """(scorer, what the champion is, error) for the comparison. ``None`` as scorer: the champion is the
    nomenclature-only model, already measured. A labelled champion is rebuilt from its own examples without the
    held-out descriptions (it was trained on every row it had, so it may have seen them): both models are then
    measured on descriptions neither has seen."""
    if champion is None:
        return None, "nomenclature only", ""
    left_out = {R.normalised(description) for description, _code in held}
    try:
        model = load(champion, exclude=left_out)
    except EngineError as error:
        return None, "", f"The champion model could not be read: {error}"
    if model.labelled is None:  # a nomenclature-only champion (or every example was held out): already measured
        return None, "nomenclature only", ""
    removed = int(model.info.get("n_left_out", 0))
    note = f"labelled: {len(model.labelled.codes)} examples ({removed} held-out description(s) left out)"
    return model.distribution, note, ""


def comparison(new: dict, champion: dict | None, *, n: int, champion_model: str, error: str = "") -> dict:
    """The new model against the champion on the same held-out descriptions; ``better`` decides whether the
    champion alias may move (strictly higher top-5 HS6 accuracy, or equal and a higher top-1)."""
    better = False
    if champion is not None and not error:
        better = (new["hs6_top5"], new["hs6_top1"]) > (champion["hs6_top5"], champion["hs6_top1"])
    return {
        "n_holdout": n,
        "criterion": CRITERION,
        "new": {key: new[key] for key in COMPARED},
        "champion": {key: champion[key] for key in COMPARED} if champion is not None and not error else None,
        "champion_model": champion_model,
        "better": better,
        "error": error,
    }


def train(
    labelled_csv: Path | None,
    *,
    workdir: Path,
    seed: int,
    progress: ProgressCallback,
    params: dict,
    champion: Path | None = None,
) -> EngineResult:
    """Build an AI-HS model (see the package docstring). With labelled descriptions, the held-out figures are
    also compared with those of ``champion`` (a model directory; None: the nomenclature-only model) on the same
    held-out descriptions (``metrics["comparison"]``). Raises EngineError for bad input; lets JobCancelled
    (raised by ``progress``) propagate."""
    options = _params(params)
    workdir = Path(workdir)
    started = time.perf_counter()
    progress(2, "Reading the labelled descriptions" if labelled_csv else "Loading the HS 2022 nomenclature")
    rows = read_labelled_csv(Path(labelled_csv)) if labelled_csv is not None else []
    progress(10, "Indexing the HS 2022 nomenclature")
    from . import default_model  # the cached nomenclature index, shared with interactive suggestions

    base = default_model()
    nom = base.nomenclature
    codes = nom.codes
    metrics: dict = {"format": FORMAT, "seed": seed}
    if not rows:
        real = R.real_examples(set(codes), "test")
        record = None if real else recorded.recorded()
        if real:
            progress(40, "Measuring on real labelled descriptions (test split)")
            metrics.update(real_metrics(base, real, progress))
            summary_rows = f"{len(real)} real held-out descriptions ({', '.join(R.sources(real))})"
        elif record is not None:
            # The real descriptions are not shipped: the benchmark's measurement of this very model (same
            # fingerprint) is what the version shows, and it says so.
            metrics.update(record["metrics"])
            metrics["evaluated_on"] += f" (measured on {record['measured_on']} by `{record['command']}`)"
            metrics["recorded"] = True
            summary_rows = f"{metrics['n_eval']} real held-out descriptions ({', '.join(metrics['real_sources'])})"
        else:
            progress(40, "Measuring on the shipped evaluation set")
            examples = X.evaluation_set("test")
            plain = PlainTfidfIndex(nom)
            results = _evaluate(
                examples, {"nomenclature": base.index.scores, "plain TF-IDF": plain.scores}, codes, progress, 40, 90
            )
            metrics.update(
                {
                    "evaluated_on": "NOT real data: our own written descriptions (algorithms/data/hs/README.md); "
                    "no real labelled descriptions were found",
                    "real_data": False,
                    "n_eval": len(examples),
                    **results["nomenclature"],
                    **{f"baseline_{k}": v for k, v in results["plain TF-IDF"].items()},
                }
            )
            summary_rows = f"{len(examples)} descriptions we wrote ourselves (not real data)"
    else:
        rng = random.Random(seed)  # noqa: S311 (a seeded, reproducible split)
        order = list(range(len(rows)))
        rng.shuffle(order)
        n_hold = max(1, round(len(rows) * options["holdout"]))
        held = [rows[i] for i in order[:n_hold]]
        fit = [rows[i] for i in order[n_hold:]]
        progress(20, f"Indexing {len(fit):,} labelled descriptions")
        knn = {"neighbours": options["neighbours"], "trust": options["trust"]}
        labelled = LabelledIndex([d for d, _ in fit], [c for _, c in fit], nom, knn)
        model = Recommender(base.index, labelled)
        plain = PlainTfidfIndex(nom)
        scorers = {"combined": model.distribution, "nomenclature": base.index.scores, "plain TF-IDF": plain.scores}
        champion_scorer, champion_model, champion_error = _champion_scorer(champion, held)
        if champion_scorer is not None:
            scorers["champion"] = champion_scorer
        results = _evaluate(held, scorers, codes, progress, 30, 90)
        champion_figures = None if champion_error else results.get("champion", results["nomenclature"])
        metrics.update(
            {
                "evaluated_on": "held-out split of the labelled file",
                "n_rows": len(rows),
                "n_train": len(fit),
                "n_holdout": len(held),
                "n_codes": len({c for _, c in rows}),
                "holdout_fraction": options["holdout"],
                **results["combined"],
                **{f"nomenclature_{k}": v for k, v in results["nomenclature"].items()},
                **{f"baseline_{k}": v for k, v in results["plain TF-IDF"].items()},
                "comparison": comparison(
                    results["combined"],
                    champion_figures,
                    n=len(held),
                    champion_model=champion_model,
                    error=champion_error,
                ),
            }
        )
        summary_rows = f"{len(held):,} held-out of {len(rows):,} labelled descriptions"
    progress(92, "Writing the model")
    model_dir = workdir / "aihs-model"
    model_dir.mkdir(parents=True, exist_ok=True)
    if rows:
        with (model_dir / "examples.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["description", "hs_code"])
            writer.writerows(rows)  # the final model uses every row; the figures come from the held-out split
    meta = {
        "format": FORMAT,
        "kind": "labelled" if rows else "nomenclature",
        "seed": seed,
        "params": options,
        "nomenclature": "HS 2022",
        "n_examples": len(rows),
    }
    (model_dir / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    metrics["seconds"] = round(time.perf_counter() - started, 2)
    baseline = f" (plain TF-IDF baseline {metrics['baseline_hs6_top5']:.0%})" if "baseline_hs6_top5" in metrics else ""
    summary = (
        f"AI-HS ({meta['kind']}): on {summary_rows}, right HS6 in the top 5 for {metrics['hs6_top5']:.0%}"
        f"{baseline}, right HS4 in the top 5 for {metrics['hs4_top5']:.0%}, top-1 HS6 {metrics['hs6_top1']:.0%}."
    )
    progress(100, "Done")
    return EngineResult(metrics=metrics, artifacts={"model": model_dir}, summary=summary)


def load(model_path: Path, *, exclude: set[str] | None = None) -> Recommender:
    """Read a model directory written by :func:`train` (or its ``meta.json``). ``exclude``: normalised
    descriptions (``realdata.normalised``) to leave out of its labelled examples (to measure it on them)."""
    from . import default_model

    path = Path(model_path)
    if path.is_file():
        path = path.parent
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise EngineError("This is not an AI-HS model (meta.json is missing or unreadable).")
    if meta.get("format") != FORMAT:
        raise EngineError(f"Unsupported AI-HS model format {meta.get('format')!r} (expected {FORMAT}).")
    base = default_model()
    if meta.get("kind") == "nomenclature":
        return Recommender(base.index, None, info=meta)
    try:
        with (path / "examples.csv").open(encoding="utf-8", newline="") as handle:
            examples = [(r["description"], r["hs_code"]) for r in csv.DictReader(handle)]
    except (OSError, KeyError, csv.Error):
        raise EngineError("The AI-HS model's examples.csv is missing or unreadable.")
    valid = set(base.nomenclature.codes)
    examples = [(d, c) for d, c in examples if c in valid and d]
    if not examples:
        raise EngineError("The AI-HS model has no labelled examples.")
    if exclude:
        kept = [(d, c) for d, c in examples if R.normalised(d) not in exclude]
        meta = {**meta, "n_left_out": len(examples) - len(kept)}
        if not kept:
            return Recommender(base.index, None, info=meta)
        examples = kept
    params = meta.get("params") or {}
    knn = {k: params[k] for k in ("neighbours", "trust") if k in params}
    labelled = LabelledIndex([d for d, _ in examples], [c for _, c in examples], base.nomenclature, knn)
    return Recommender(base.index, labelled, info=meta)
