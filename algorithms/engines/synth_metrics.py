"""Quality metrics of a synthetic declaration table against the real one (AI-Synth).

Plain pandas/numpy/LightGBM; the definitions follow SDMetrics' (KSComplement, TVComplement, CorrelationSimilarity,
ContingencySimilarity, a detection classifier, DCR) but are written here. Every score is in [0, 1], higher is
better for fidelity and utility. See ``algorithms/engines/SYNTH_NOTES.md`` for what each one means.

- **Column shapes**: per column, 1 - Kolmogorov-Smirnov statistic for numbers and dates, 1 - total variation
  distance of the category frequencies for categorical columns; the score is the mean over columns.
- **Pair trends**: per pair of columns, 1 - |rho_real - rho_synth| / 2 (Spearman rank correlation) for two numeric
  columns, otherwise 1 - total variation distance of the joint frequency table (contingency similarity), numbers
  binned on the real data's deciles and categorical columns reduced to their ``PAIR_TOP_CATEGORIES`` most frequent
  real values (the rest pooled as one "other" value, so that ID columns with 10,000 values measure a trend and not
  sampling noise); the score is the mean over pairs.
- **Detection**: a LightGBM classifier tries to tell real from synthetic rows (balanced, 3-fold cross-validated ROC
  AUC); score = clip(2 * (1 - AUC), 0, 1): 1 when it cannot tell them apart (AUC 0.5), 0 when it always can.
- **Utility**: the DATE job's LightGBM fraud baseline (``fraud_metrics.train_lightgbm_baseline``) trained on the
  synthetic rows and on the real training rows, both tested on a real holdout; the score is the ratio of their
  precision at 5 % inspection (train-synthetic-test-real over train-real-test-real).
- **Privacy**: distance to the closest real (training) record of synthetic rows against that of real holdout rows
  (a Gower distance over the columns: categorical mismatch, and for numbers the difference of their ranks in the
  training data), and the count of synthetic rows that exactly copy a real row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import lightgbm as lgb
import numpy as np
import pandas as pd

from algorithms.declarations import (
    COLUMNS,
    CRITICAL_FRAUD,
    DATE,
    DECLARATION_ID,
    FRAUD,
    ITEM_PRICE,
    NET_MASS,
    TAX_RATE,
)

# The columns compared: every column but the primary key (fresh in the synthetic set by design).
COMPARED_COLUMNS = tuple(c for c in COLUMNS if c != DECLARATION_ID)
NUMERIC = (TAX_RATE, NET_MASS, ITEM_PRICE)
ORDINAL = (DATE, *NUMERIC)  # compared with KS / rank correlation
PAIR_TOP_CATEGORIES = 50
PAIR_BINS = 10
INSPECTION_RATE = 5  # percent, for the utility ratio


def _as_number(series: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.to_numpy("datetime64[D]").astype(np.int64).astype(float)
    return series.to_numpy(float)


def _as_text(series: pd.Series) -> np.ndarray:
    return series.astype(str).to_numpy()


# ----------------------------------------------------------------------------------------------- column shapes
def ks_complement(real: np.ndarray, synthetic: np.ndarray) -> float:
    """1 - the two-sample Kolmogorov-Smirnov statistic (largest gap between the empirical CDFs)."""
    real = np.sort(np.asarray(real, float))
    synthetic = np.sort(np.asarray(synthetic, float))
    if len(real) == 0 or len(synthetic) == 0:
        return 0.0
    grid = np.concatenate([real, synthetic])
    cdf_real = np.searchsorted(real, grid, side="right") / len(real)
    cdf_synthetic = np.searchsorted(synthetic, grid, side="right") / len(synthetic)
    return float(1.0 - np.max(np.abs(cdf_real - cdf_synthetic)))


def tv_complement(real: Sequence, synthetic: Sequence) -> float:
    """1 - the total variation distance between the two category frequency distributions."""
    p = pd.Series(real).value_counts(normalize=True)
    q = pd.Series(synthetic).value_counts(normalize=True)
    if p.empty or q.empty:
        return 0.0
    p, q = p.align(q, fill_value=0.0)
    return float(1.0 - 0.5 * np.abs(p.to_numpy() - q.to_numpy()).sum())


def column_shapes(real: pd.DataFrame, synthetic: pd.DataFrame, columns=COMPARED_COLUMNS) -> dict[str, float]:
    """Per-column shape similarity (KS complement for numbers and dates, TV complement otherwise)."""
    scores = {}
    for column in columns:
        if column in ORDINAL:
            scores[column] = ks_complement(_as_number(real[column]), _as_number(synthetic[column]))
        else:
            scores[column] = tv_complement(_as_text(real[column]), _as_text(synthetic[column]))
    return scores


# ----------------------------------------------------------------------------------------------- pair trends
def _discretise(real: pd.DataFrame, synthetic: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Both columns as small integer codes: deciles of the real data for numbers, top categories otherwise."""
    if column in ORDINAL:
        r, s = _as_number(real[column]), _as_number(synthetic[column])
        edges = np.unique(np.quantile(r, np.linspace(0, 1, PAIR_BINS + 1)[1:-1]))
        return np.searchsorted(edges, r, side="right"), np.searchsorted(edges, s, side="right")
    r, s = _as_text(real[column]), _as_text(synthetic[column])
    top = pd.Series(r).value_counts().index[:PAIR_TOP_CATEGORIES]
    codes = {value: i for i, value in enumerate(top)}
    other = len(codes)
    return (
        np.fromiter((codes.get(v, other) for v in r), dtype=np.int64, count=len(r)),
        np.fromiter((codes.get(v, other) for v in s), dtype=np.int64, count=len(s)),
    )


def contingency_similarity(real_a, real_b, synthetic_a, synthetic_b) -> float:
    """1 - total variation distance between the joint frequency tables of two discretised columns."""
    width = int(max(real_b.max(initial=0), synthetic_b.max(initial=0))) + 1
    p = pd.Series(real_a * width + real_b).value_counts(normalize=True)
    q = pd.Series(synthetic_a * width + synthetic_b).value_counts(normalize=True)
    p, q = p.align(q, fill_value=0.0)
    return float(1.0 - 0.5 * np.abs(p.to_numpy() - q.to_numpy()).sum())


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra, rb = pd.Series(a).rank().to_numpy(), pd.Series(b).rank().to_numpy()
    if ra.std() == 0 or rb.std() == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def correlation_similarity(real_a, real_b, synthetic_a, synthetic_b) -> float:
    """1 - |Spearman rho (real) - Spearman rho (synthetic)| / 2."""
    return float(1.0 - abs(_spearman(real_a, real_b) - _spearman(synthetic_a, synthetic_b)) / 2.0)


def pair_trends(real: pd.DataFrame, synthetic: pd.DataFrame, columns=COMPARED_COLUMNS) -> dict[str, float]:
    """Per-pair trend similarity, keyed "column A / column B"."""
    codes = {c: _discretise(real, synthetic, c) for c in columns}
    numbers = {c: (_as_number(real[c]), _as_number(synthetic[c])) for c in columns if c in ORDINAL}
    scores = {}
    for i, a in enumerate(columns):
        for b in columns[i + 1 :]:
            if a in numbers and b in numbers:
                score = correlation_similarity(numbers[a][0], numbers[b][0], numbers[a][1], numbers[b][1])
            else:
                score = contingency_similarity(codes[a][0], codes[b][0], codes[a][1], codes[b][1])
            scores[f"{a} / {b}"] = score
    return scores


# ----------------------------------------------------------------------------------------------- detection
def _classifier_table(frames: list[pd.DataFrame], columns) -> pd.DataFrame:
    """One table of both frames for a tree classifier: numbers as floats, categories as shared integer codes."""
    joined = pd.concat([f[list(columns)] for f in frames], ignore_index=True)
    table = pd.DataFrame(index=joined.index)
    for column in columns:
        if column in ORDINAL:
            table[column] = _as_number(joined[column])
        else:
            table[column] = pd.Categorical(joined[column].astype(str)).codes.astype(np.int32)
    return table


def detection_auc(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    *,
    seed: int,
    max_rows: int = 10_000,
    folds: int = 3,
    columns=COMPARED_COLUMNS,
):
    """Cross-validated ROC AUC of a LightGBM real-vs-synthetic classifier on a balanced sample."""
    rng = np.random.default_rng(seed)
    n = min(len(real), len(synthetic), max_rows)
    if n < 2 * folds:
        return 0.5
    r = real.iloc[rng.choice(len(real), n, replace=False)]
    s = synthetic.iloc[rng.choice(len(synthetic), n, replace=False)]
    table = _classifier_table([r, s], columns)
    categorical = [c for c in columns if c not in ORDINAL]
    labels = np.r_[np.zeros(n), np.ones(n)]
    fold = np.r_[rng.permutation(n) % folds, rng.permutation(n) % folds]
    params = {
        "objective": "binary",
        "learning_rate": 0.1,
        "num_leaves": 31,
        "min_data_in_leaf": 20,
        "cat_smooth": 10.0,
        "verbose": -1,
        "seed": seed,
        "num_threads": 1,  # OpenMP threads on a busy 2-core machine cost more than they bring here
        "deterministic": True,
        "force_row_wise": True,
    }
    scores = np.zeros(2 * n)
    for k in range(folds):
        test = fold == k
        data = lgb.Dataset(table[~test], label=labels[~test], categorical_feature=categorical)
        booster = lgb.train(params, data, num_boost_round=100)
        scores[test] = booster.predict(table[test])
    return _auc(scores, labels)


def _auc(scores, labels) -> float:
    labels = np.asarray(labels).astype(bool)
    positives, negatives = labels.sum(), (~labels).sum()
    if positives == 0 or negatives == 0:
        return 0.5
    ranks = pd.Series(np.asarray(scores, float)).rank(method="average").to_numpy()
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def detection_score(auc: float) -> float:
    """1 when the classifier does no better than chance (AUC <= 0.5), 0 when it separates perfectly."""
    return float(np.clip(2.0 * (1.0 - auc), 0.0, 1.0))


# ----------------------------------------------------------------------------------------------- utility
def _split_for_early_stopping(frame: pd.DataFrame, seed: int, share: float = 0.15):
    rng = np.random.default_rng(seed)
    inside = rng.random(len(frame)) < share
    return frame[~inside].reset_index(drop=True), frame[inside].reset_index(drop=True)


def fraud_precision(train: pd.DataFrame, holdout: pd.DataFrame, *, seed: int, rate: float = INSPECTION_RATE):
    """Precision at ``rate`` % on ``holdout`` of the DATE job's LightGBM baseline trained on ``train``.

    The model's early-stopping split is carved out of ``train`` itself, so a model trained on synthetic data sees
    no real row before the test.
    """
    from algorithms.engines.fraud_metrics import precision_at, train_lightgbm_baseline

    fit_part, stop_part = _split_for_early_stopping(train, seed)
    if fit_part[FRAUD].nunique() < 2 or stop_part[FRAUD].nunique() < 2:
        return 0.0
    model = train_lightgbm_baseline(fit_part, stop_part, seed)
    return precision_at(model.predict(holdout), holdout[FRAUD].to_numpy(), rate)


# ----------------------------------------------------------------------------------------------- privacy
def row_keys(frame: pd.DataFrame) -> pd.Series:
    """A hash per row of every compared column (values as they are written in the CSV)."""
    from algorithms.engines.synth import layout_strings  # the one formatting of the CSV

    text = layout_strings(frame)[list(COMPARED_COLUMNS)]
    return pd.util.hash_pandas_object(text, index=False)


def exact_copies(real: pd.DataFrame, synthetic: pd.DataFrame) -> np.ndarray:
    """Boolean mask of synthetic rows identical to some real row on every column but the Declaration ID."""
    return row_keys(synthetic).isin(set(row_keys(real))).to_numpy()


class GowerEncoder:
    """Encodes rows for a Gower distance to a reference (training) table.

    Categorical columns become integer codes (a value the reference lacks never matches); numbers become their
    empirical CDF in the reference (0..1), so that a difference is a share of the data between two values. The
    Date is left out: a holdout from a later period would be far from every training row by date alone.
    """

    def __init__(self, reference: pd.DataFrame, columns=COMPARED_COLUMNS):
        self.columns = [c for c in columns if c != DATE]
        self.numeric = [c for c in self.columns if c in NUMERIC]
        self.categorical = [c for c in self.columns if c not in NUMERIC]
        self.sorted = {c: np.sort(reference[c].to_numpy(float)) for c in self.numeric}
        self.vocab = {c: {v: i for i, v in enumerate(pd.unique(_as_text(reference[c])))} for c in self.categorical}

    def encode(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        cats = np.empty((len(frame), len(self.categorical)), dtype=np.int32)
        for j, column in enumerate(self.categorical):
            vocab = self.vocab[column]
            cats[:, j] = [vocab.get(v, -1 - i % 2) for i, v in enumerate(_as_text(frame[column]))]
        nums = np.empty((len(frame), len(self.numeric)), dtype=np.float32)
        for j, column in enumerate(self.numeric):
            ref = self.sorted[column]
            values = frame[column].to_numpy(float)
            low = np.searchsorted(ref, values, side="left")
            high = np.searchsorted(ref, values, side="right")
            nums[:, j] = (low + high) / (2.0 * len(ref))
        return cats, nums


def closest_distances(
    queries: pd.DataFrame, reference: pd.DataFrame, encoder: GowerEncoder, chunk: int = 256
) -> np.ndarray:
    """Gower distance (0..1) of each query row to its closest reference row."""
    qc, qn = encoder.encode(queries)
    rc, rn = encoder.encode(reference)
    width = qc.shape[1] + qn.shape[1]
    out = np.empty(len(queries), dtype=float)
    for start in range(0, len(queries), chunk):
        stop = min(start + chunk, len(queries))
        distance = np.zeros((stop - start, len(reference)), dtype=np.float32)
        for j in range(qc.shape[1]):
            distance += qc[start:stop, j, None] != rc[None, :, j]
        for j in range(qn.shape[1]):
            distance += np.abs(qn[start:stop, j, None] - rn[None, :, j])
        out[start:stop] = distance.min(axis=1) / width
    return out


def dcr_figures(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    *,
    seed: int,
    sample: int,
    columns=COMPARED_COLUMNS,
):
    """Distance to closest training record: synthetic rows against real holdout rows (same-size samples)."""
    rng = np.random.default_rng(seed)
    encoder = GowerEncoder(train, columns)
    n = min(sample, len(synthetic), len(holdout))
    synth_rows = synthetic.iloc[np.sort(rng.choice(len(synthetic), n, replace=False))]
    hold_rows = holdout.iloc[np.sort(rng.choice(len(holdout), n, replace=False))]
    d_synth = closest_distances(synth_rows, train, encoder)
    d_hold = closest_distances(hold_rows, train, encoder)
    hold_p5 = float(np.quantile(d_hold, 0.05))
    return {
        "dcr_synthetic_median": round(float(np.median(d_synth)), 4),
        "dcr_holdout_median": round(float(np.median(d_hold)), 4),
        "dcr_synthetic_p5": round(float(np.quantile(d_synth, 0.05)), 4),
        "dcr_holdout_p5": round(hold_p5, 4),
        # Share of synthetic rows closer to the training data than 95 % of real unseen rows (about 0.05 is ideal).
        "dcr_share_below_holdout_p5": round(float(np.mean(d_synth < hold_p5)), 4),
        "dcr_sample_rows": int(n),
    }


# ----------------------------------------------------------------------------------------------- everything
def evaluate(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame | None,
    *,
    seed: int,
    labelled: bool = True,
    progress: Callable[[int, str], None] | None = None,
    dcr_sample: int = 2000,
    detection_rows: int = 10_000,
) -> dict:
    """Every metric of the report.

    ``holdout`` (real rows the generator never saw) enables DCR, and utility when the data is ``labelled`` and both
    the training rows and the holdout have frauds and non-frauds. Without labels, the label columns are left out.
    """

    def step(percent: int, stage: str) -> None:
        if progress is not None:
            progress(percent, stage)

    columns = COMPARED_COLUMNS if labelled else tuple(c for c in COMPARED_COLUMNS if c not in (FRAUD, CRITICAL_FRAUD))
    step(0, "fidelity: column shapes")
    shapes = column_shapes(train, synthetic, columns)
    step(15, "fidelity: pair trends")
    pairs = pair_trends(train, synthetic, columns)
    step(35, "fidelity: detection")
    auc = detection_auc(train, synthetic, seed=seed, max_rows=detection_rows, columns=columns)
    real_and_holdout = train if holdout is None else pd.concat([train, holdout], ignore_index=True)
    copies = int(exact_copies(real_and_holdout, synthetic).sum())
    metrics: dict = {
        "column_shapes": round(float(np.mean(list(shapes.values()))), 4),
        "pair_trends": round(float(np.mean(list(pairs.values()))), 4),
        "detection_auc": round(auc, 4),
        "detection": round(detection_score(auc), 4),
        "exact_copies": copies,
        "column_shapes_by_column": {k: round(v, 4) for k, v in shapes.items()},
        "pair_trends_worst": dict(sorted(((k, round(v, 4)) for k, v in pairs.items()), key=lambda kv: kv[1])[:10]),
    }
    if holdout is None or len(holdout) == 0:
        step(100, "metrics done")
        return metrics
    both_labels = labelled and min(train[FRAUD].nunique(), holdout[FRAUD].nunique(), synthetic[FRAUD].nunique()) == 2
    if both_labels:
        step(55, "utility: fraud model on real data")
        real_precision = fraud_precision(train, holdout, seed=seed)
        step(70, "utility: fraud model on synthetic data")
        synthetic_precision = fraud_precision(synthetic, holdout, seed=seed)
        metrics["utility_precision_real"] = round(real_precision, 4)
        metrics["utility_precision_synthetic"] = round(synthetic_precision, 4)
        metrics["utility"] = round(min(1.0, synthetic_precision / real_precision), 4) if real_precision > 0 else 0.0
    step(85, "privacy: distance to closest record")
    metrics.update(dcr_figures(train, synthetic, holdout, seed=seed, sample=dcr_sample, columns=columns))
    step(100, "metrics done")
    return metrics
