"""The DATE fraud-detection engine: ``train`` and ``score`` (pure Python, no Django).

``train`` splits a labelled declarations CSV by date into train / valid / test, builds one feature table
(``features.DeclarationFeatures``, fitted on train only), trains four models on it -- LightGBM with native
categorical features, plain XGBoost, a routed LightGBM and DATE (``date_model``) -- chooses the champion on valid
and measures every model on test, on all rows and on the rows whose goods combination is unseen in training.
Artifacts: ``model`` (a directory with everything ``score`` needs), ``chart`` (SVG, precision at n % per model on
test) and ``metrics`` (JSON).

Champion rule (issue 14): on the public synthetic data a seen goods combination (``features.COMBINATION``: HS6,
both countries, tax rate, tax type, net mass) nearly fixes the label, so every model reaches precision ~1.0 on all
valid rows and a choice made there is noise. The champion is the model with the best precision at
``target_rate`` % (default 5) on the valid declarations whose combination never occurs in training (ranked among
themselves), then the best revenue share at that rate there; figures equal to two decimals are a tie, which goes
to the earlier of ``MODEL_NAMES`` (simplest and fastest first). With fewer than ``MIN_EVAL_FRAUDS`` frauds or
non-frauds among those rows the rule falls back to all valid rows and says so. ``metrics["champion_selection"]``
records the criterion and every model's figures; every model also has ``valid_unseen`` and ``test_unseen``.

The routed model uses the LightGBM's score on rows whose combination was seen in training and, on unseen rows,
the average of ``unseen_models`` LightGBMs trained on the label-free features only (``LABEL_FREE_FEATURES``: no
history statistics, plus the file's extra columns when used), early-stopped on the unseen valid rows.

Extra columns: with ``params["use_extra_columns"]`` (default true) the tree models also use the file's usable extra
columns and a national tariff code longer than the HS6 (``extra_features.py``); ``metrics["extra_features"]``
lists those used.

Split: ``params["split_dates"] = ["YYYY-MM-DD", "YYYY-MM-DD"]`` gives the first day of valid and of test. By default
the dates are cut chronologically at 70 % and 85 % of the rows; when a calendar month starts within 3 % of the rows
of a cut, the cut moves to that month's first date (so the three public files concatenated split at their real
boundaries, 2021-01-01 and 2021-04-01). A date never straddles two parts.

Revenue: the data has no raised-tax column (the DATE paper's revenue). The proxy used everywhere here is the duty
at stake on a fraudulent declaration, ``Item Price x Tax Rate / 100`` (KRW), and 0 on non-fraud rows
(``features.revenue_proxy``). Revenue@n% is the share of the test split's total proxy revenue carried by the top
n %. DATE's revenue head is trained on ``log1p(proxy) / scale`` and ``score`` reports its output back in KRW as
"predicted revenue" (the duty at stake the model expects from inspecting that declaration). The proxy is very
heavy-tailed (a few declarations carry most of it), so Revenue@n% is noisy.

Determinism: the same CSV, params and seed give the same models and figures (numpy, LightGBM ``deterministic``,
XGBoost ``hist`` and ``torch.manual_seed`` with a fixed number of threads, default 1).

Scale (issue 14, part 4): ``score`` streams. It reads, featurises and scores ``SCORE_CHUNK_ROWS`` declarations at
a time (progress and cancellation after each chunk), keeps only each row's id, probability and predicted revenue,
ranks the whole file once and writes the CSV in parts, so memory is bounded by the chunk and time grows linearly.
Features are computed once per distinct value (factorised codes), every row's figures depend on that row alone, and
the DATE network runs fixed-size forward passes that chunks never split, so the ranked CSV is byte for byte the
one of scoring the whole file at once. ``train`` fits the DATE trees and networks on at most ``date_max_rows``
(default 100,000) training declarations drawn at random with the job's seed (and chooses their epoch on at most as
many valid ones); the other models use every row; ``metrics["subsampling"]`` records the rule and the row counts.
Training memory: the history features are grouped by integer codes one key at a time (no string per row and key),
the raw declarations are cut to the columns DATE reads (and to DATE's sample of training rows) once featurised and
their memory handed back to the system, XGBoost trains on a quantised ``QuantileDMatrix`` (the same bins as the
hist method builds from a ``DMatrix``, so the same model) and DATE predicts valid and test in chunks; none of this
changes a figure.
``benchmarks/date_scale.py`` measures both at 100k, 1M and 3M declarations.

The engine lives in one module per part (``data``, ``models``, ``champion``, ``training``, ``scoring``); this
package re-exports their names, so callers write ``date.train``.
"""

from .champion import choose_champion, selection_figures
from .data import (
    BOOL_PARAMS,
    CHAMPION_DECIMALS,
    DEFAULT_CUTS,
    DEFAULT_PARAMS,
    ENGINE_VERSION,
    FLOAT_PARAMS,
    INT_PARAMS,
    MIN_DATES,
    MIN_EVAL_FRAUDS,
    MIN_TRAIN_FRAUDS,
    MODEL_LABELS,
    MODEL_NAMES,
    READABLE_ENGINE_VERSIONS,
    SNAP_TOLERANCE,
    read_dataset,
    resolve_params,
    split_by_date,
)
from .models import (
    DateModel,
    fit_date,
    fit_unseen_models,
    fit_xgboost,
    is_unseen,
    predict_unseen,
    predict_xgboost,
    routed_scores,
)
from .scoring import _load_model as _load_model  # the tests read a saved model back
from .scoring import score
from .training import train

__all__ = [
    "BOOL_PARAMS",
    "CHAMPION_DECIMALS",
    "DEFAULT_CUTS",
    "DEFAULT_PARAMS",
    "ENGINE_VERSION",
    "FLOAT_PARAMS",
    "INT_PARAMS",
    "MIN_DATES",
    "MIN_EVAL_FRAUDS",
    "MIN_TRAIN_FRAUDS",
    "MODEL_LABELS",
    "MODEL_NAMES",
    "READABLE_ENGINE_VERSIONS",
    "SNAP_TOLERANCE",
    "DateModel",
    "choose_champion",
    "fit_date",
    "fit_unseen_models",
    "fit_xgboost",
    "is_unseen",
    "predict_unseen",
    "predict_xgboost",
    "read_dataset",
    "resolve_params",
    "routed_scores",
    "score",
    "selection_figures",
    "split_by_date",
    "train",
]
