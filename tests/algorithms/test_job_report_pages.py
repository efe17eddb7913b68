"""What a Customs analyst reads on a finished model job's page, its version's page and the model card's PDF
(issue 20): the parameters as a labelled table, the DATE models compared (models x metrics, champion and why), the
precision/recall/revenue curves over the inspection rate, the confusion at the chosen rate, feature importance,
the AI-Synth and AI-HS sections; the raw figures folded; the page's final state; the catalogue's counts."""

import re
from pathlib import Path

import numpy as np
import pytest
from django.urls import reverse

from algorithms.engines.fraud_metrics import CURVE_RATES, ranking_curves
from bacuda_portal.reports import services as report_services
from tests.algorithms.factories import AlgorithmFactory, AlgorithmVersionFactory, JobArtifactFactory, ModelJobFactory

pytestmark = pytest.mark.django_db

RATES = (1, 2, 5, 10)
LABELS = {"lightgbm": "LightGBM (native categoricals)", "xgboost": "XGBoost (plain)", "date": "DATE"}


def _figures(precision: float, recall: float, revenue: float, auc: float) -> dict:
    out = {"auc": auc}
    for rate in RATES:
        out |= {f"precision@{rate}": precision, f"recall@{rate}": round(recall * rate / 5, 4),
                f"revenue@{rate}": round(revenue * rate / 5, 4)}  # fmt: skip
    return out


def date_metrics(*, curves: bool = True) -> dict:
    """A DATE training's metrics as the engine records them (452 test declarations, 97 frauds)."""
    models = {
        "lightgbm": (1.0, 0.2371, 0.0437, 0.9866, 0.6),
        "xgboost": (0.9, 0.2, 0.0675, 0.9808, 0.4),
        "date": (0.8, 0.18, 0.0931, 0.9731, 0.4),
    }
    metrics = {
        "engine": "date-2",
        "champion": "lightgbm",
        "champion_selection": {
            "criterion": "precision at 5 % on unseen rows",
            "on_unseen": True,
            "target_rate": 5,
            "combination": ["HS6 Code", "Net Mass"],
            "order": list(models),
        },
        "unseen_share": {"valid": 0.2174, "test": 0.1881, "test_fraud_rate": 0.1176},
        "models": {
            name: {
                "label": LABELS[name],
                "valid": _figures(p, r, v, a),
                "test": _figures(p, r, v, a),
                "test_unseen": _figures(p / 2, r / 2, v / 2, 0.6123),
                "selection": {"unseen_precision": u, "unseen_revenue": 0.09, "all_precision": 1.0, "all_revenue": 0.4},
                "train_seconds": 0.5,
            }
            for name, (p, r, v, a, u) in models.items()
        },
        "split": {
            "train": {"first_date": "2020-01-01", "last_date": "2020-12-31", "rows": 2111, "frauds": 484},
            "valid": {"first_date": "2021-01-02", "last_date": "2021-03-31", "rows": 437, "frauds": 90},
            "test": {"first_date": "2021-04-01", "last_date": "2021-06-30", "rows": 452, "frauds": 97},
        },
        "params": {
            "xgb_rounds": 30,
            "xgb_depth": 6,
            "date_self_attention": False,
            "target_rate": 5,
            "split_dates": None,
        },
        "feature_importance": {
            "model": "lightgbm",
            "kind": "gain",
            "features": [["goods_low", 0.5], ["log_mass", 0.3], ["Office ID", 0.2]],
        },
    }
    if curves:
        metrics["curves"] = {
            "rates": list(CURVE_RATES),
            "models": {
                name: {
                    part: {measure: [round(0.05 * i, 4) for i in range(len(CURVE_RATES))]
                           for measure in ("precision", "recall", "revenue")}
                    for part in ("test", "test_unseen")
                }
                for name in models
            },
        }  # fmt: skip
    return metrics


def date_job(kenya, **kwargs):
    defaults = {"kind": "date_train", "status": "succeeded", "params": {"xgb_rounds": 30}, "metrics": date_metrics()}
    return ModelJobFactory(dataset__administration=kenya, **(defaults | kwargs))


def page_of(client_as, user, url) -> str:
    response = client_as(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _table(page: str, table_id: str) -> str:
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S)
    assert match, f"no table {table_id}"
    return match.group(0)


def _cells(row_html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row_html, re.S)]


# --- (1) parameters ---------------------------------------------------------------------------------------------
def test_parameters_are_a_labelled_table_with_units_not_python(kenya, contact_point, client_as):
    job = date_job(kenya)
    page = page_of(client_as, contact_point, job.get_absolute_url())
    assert "{&#x27;xgb_rounds&#x27;" not in page and "{'xgb_rounds'" not in page
    asked = _table(page, "job-parameters")
    assert _cells(re.search(r"<tbody>(.*?)</tbody>", asked, re.S).group(1)) == ["XGBoost: boosting rounds", "30"]
    defaults = page[page.index('id="job-parameter-defaults"') :]
    assert "The engine’s defaults for 4 other parameters" in defaults
    for label, value in (("XGBoost: tree depth", "6"), ("DATE: self-attention over the leaves", "no"),
                         ("Inspection rate the champion is chosen at", "5 %"),
                         ("First days of the validation and test periods", "automatic")):  # fmt: skip
        assert re.search(rf"<th scope=\"row\">{re.escape(label)}</th><td>{re.escape(value)}</td>", defaults), label
    synth = ModelJobFactory(dataset__administration=kenya, kind="synth", status="queued", params={"rows": 500})
    page = page_of(client_as, contact_point, synth.get_absolute_url())
    assert '<th scope="row">Synthetic rows</th><td>500 rows</td>' in page and "&#x27;rows&#x27;" not in page


def test_parameters_are_translated(kenya, contact_point, client_as):
    job = date_job(kenya)
    client = client_as(contact_point)
    page = client.get(job.get_absolute_url().replace("/en/", "/fr/"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # the French catalogue is filled by the lead from locale/pending; the label is always a translatable string
    assert "XGBoost" in page and "xgb_rounds" not in _table(page, "job-parameters")


# --- (2) comparison -----------------------------------------------------------------------------------------------
def test_the_models_are_compared_in_a_table_with_the_champion_and_why(kenya, contact_point, client_as):
    job = date_job(kenya)
    page = page_of(client_as, contact_point, job.get_absolute_url())
    assert "Models compared" in page and "Champion: LightGBM (native categoricals)." in page
    assert "Champion chosen on the validation declarations whose goods combination never occurs" in page
    table = _table(page, "date-comparison-test")
    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\">.*?</tr>", table, re.S)
    assert [_cells(row)[0] for row in rows] == [
        "LightGBM (native categoricals) (champion)", "XGBoost (plain)", "DATE"
    ]  # fmt: skip
    # AUC, precision at 1, 2, 5, 10 %, recall and revenue share at 5 %, training seconds
    assert _cells(rows[1])[1:] == ["0.981", "0.900", "0.900", "0.900", "0.900", "0.200", "0.068", "0.5"]
    unseen = _table(page, "date-comparison-test_unseen")
    assert "0.612" in unseen and "0.450" in unseen
    # the raw keys are only in the folded "all figures"
    folded = page.index('<details id="all-figures">')
    assert page.index("models / xgboost / test / recall@5") > folded
    assert "models / " not in page[:folded]


def test_the_confusion_at_the_chosen_rate_and_the_feature_importance(kenya, contact_point, client_as):
    page = page_of(client_as, contact_point, date_job(kenya).get_absolute_url())
    confusion = _table(page, "date-confusion")
    assert "23 of 452 declarations inspected; 97 frauds in all." in confusion
    numbers = [int(n) for n in re.findall(r'<td class="number">(\d+) ', confusion)]
    assert numbers == [23, 0, 74, 355]  # found, inspected for nothing, missed, cleared: 452 in all
    importance = _table(page, "date-importance")
    assert "History of HS6 Code + Country of Departure" in importance and "fraud rate, cautious estimate" in importance
    assert "Net mass" in importance and "Office ID" in importance
    assert importance.index("goods_low") < importance.index("log_mass") < importance.index("Office ID")


def test_the_extra_columns_the_models_used_are_named_on_the_job_and_version_pages(
    kenya, staff, contact_point, client_as
):
    metrics = date_metrics() | {
        "extra_features": {"numeric": ["Inspection score"], "categorical": ["Broker"], "national_code": True}
    }
    metrics["feature_importance"]["features"].append(["tariff_rate", 0.1])
    job = date_job(kenya, metrics=metrics)
    algorithm = AlgorithmFactory(slug="date", kind="date", publication="published")
    version = AlgorithmVersionFactory(algorithm=algorithm, job=job, metrics=metrics, publication="published")
    line = "Extra columns of the file used as features: national tariff code, Broker, Inspection score"
    for page in (page_of(client_as, contact_point, job.get_absolute_url()),
                 page_of(client_as, staff, version.get_absolute_url())):  # fmt: skip
        assert line in page
        assert "History of Tariff Code: fraud rate" in _table(page, "date-importance")
    # a job without extra columns says nothing about them
    assert 'id="date-extra-columns"' not in page_of(client_as, contact_point, date_job(kenya).get_absolute_url())


# --- (3) curves -------------------------------------------------------------------------------------------------
def test_the_curves_over_the_inspection_rate_replace_the_bar_chart(kenya, contact_point, client_as):
    job = date_job(kenya)
    JobArtifactFactory(job=job, name="chart")
    page = page_of(client_as, contact_point, job.get_absolute_url())
    for part in ("test", "test_unseen"):
        for measure in ("precision", "recall", "revenue"):
            figure = re.search(rf'<figure class="job-chart" id="curve-{part}-{measure}">(.*?)</figure>', page, re.S)
            assert figure, (part, measure)
            svg = figure.group(1)
            assert svg.count("<polyline") == 3 and svg.count("<circle") == 3 * len(CURVE_RATES)
    assert "Precision, all test declarations" in page and "Revenue share, unseen goods combinations" in page
    assert "<img" not in page.split('id="date-report-heading"')[1].split("Files")[0]  # the bars are not shown


def test_older_jobs_get_curves_from_their_four_rates(kenya, contact_point, client_as):
    job = date_job(kenya, metrics=date_metrics(curves=False))
    page = page_of(client_as, contact_point, job.get_absolute_url())
    svg = re.search(r'id="curve-test-recall">(.*?)</figure>', page, re.S).group(1)
    assert svg.count("<circle") == 3 * len(RATES) and "XGBoost (plain), 10 %: 0.400" in svg


def test_the_engine_measures_the_curves_at_every_rate():
    labels = np.array([1] * 5 + [0] * 5 + [1] * 5 + [0] * 85)  # 10 frauds among 100, ranked by the score
    scores = np.linspace(1, 0, len(labels))
    curves = ranking_curves(scores, labels, labels * 10.0, rates=(10, 50, 100))
    assert curves["precision"] == [0.5, 0.2, 0.1]
    assert curves["recall"] == curves["revenue"] == [0.5, 1.0, 1.0]
    assert len(ranking_curves(scores, labels, labels)["precision"]) == len(CURVE_RATES)


# --- (4) final state ----------------------------------------------------------------------------------------------
def test_a_running_job_offers_cancel_and_the_finished_one_its_results(kenya, contact_point, client_as):
    running = ModelJobFactory(dataset__administration=kenya, status="running", percent=40)
    page = page_of(client_as, contact_point, running.get_absolute_url())
    assert 'id="job-page"' in page and f'data-page-url="{running.get_absolute_url()}"' in page
    assert "Cancel the job" in page and "No file yet." in page and "js/algorithms.js" in page
    running.status, running.metrics = "succeeded", date_metrics()
    running.save()
    page = page_of(client_as, contact_point, running.get_absolute_url())
    assert "Cancel the job" not in page and "No file yet." not in page and "js/algorithms.js" not in page
    assert "Run again with the same seed" in page and "Models compared" in page
    failed = ModelJobFactory(dataset__administration=kenya, status="failed", error="No fraud at all.")
    assert "This job left no file." in page_of(client_as, contact_point, failed.get_absolute_url())


def test_the_script_swaps_the_page_for_its_final_state():
    from django.contrib.staticfiles import finders

    script = Path(finders.find("js/algorithms.js")).read_text(encoding="utf-8")
    assert "data.finished" in script and 'getElementById("job-page")' in script and "replaceWith" in script


# --- (5) catalogue ----------------------------------------------------------------------------------------------
def test_the_catalogue_counts_published_versions_and_says_when_there_is_none(client, staff, client_as):
    empty = AlgorithmFactory(name_en="Image analysis", publication="published")
    AlgorithmVersionFactory(algorithm=empty, publication="draft")
    shared = AlgorithmFactory(name_en="DATE", publication="published")
    AlgorithmVersionFactory(algorithm=shared, publication="published")
    AlgorithmVersionFactory(algorithm=shared, publication="published")
    AlgorithmVersionFactory(algorithm=shared, publication="awaiting_approval")
    page = client.get(reverse("algorithms:catalogue")).content.decode()
    assert "2 published versions" in page and "0 published versions" not in page
    assert "No trained version published yet: the model card describes the method." in page
    assert "in draft or awaiting approval" not in page  # the public sees no drafts
    page = page_of(client_as, staff, reverse("algorithms:catalogue"))
    assert page.count("1 version in draft or awaiting approval.") == 2


# --- (6) AI-Synth and AI-HS -------------------------------------------------------------------------------------------
SYNTH = {
    "column_shapes": 0.8657, "pair_trends": 0.8914, "detection_auc": 0.5087, "detection": 0.9826, "exact_copies": 0,
    "column_shapes_by_column": {"Importer ID": 0.2406, "Date": 0.9605},
    "pair_trends_worst": {"Declarant ID / Net Mass": 0.7295},
    "utility_precision_real": 1.0, "utility_precision_synthetic": 0.8, "utility": 0.8,
    "dcr_synthetic_median": 0.1509, "dcr_holdout_median": 0.2438, "dcr_share_below_holdout_p5": 0.062,
    "rows_learned": 2400, "rows_holdout": 600, "rows_generated": 500, "params": {"holdout_fraction": 0.2},
}  # fmt: skip


def test_the_synthetic_data_report_is_readable(kenya, contact_point, client_as):
    job = ModelJobFactory(dataset__administration=kenya, kind="synth", status="succeeded", params={"rows": 500},
                          metrics=SYNTH)  # fmt: skip
    page = page_of(client_as, contact_point, job.get_absolute_url())
    assert "500 synthetic rows generated from 2400 real rows; 600 real rows were kept out" in page
    fidelity, utility, privacy = (_table(page, f"synth-{key}") for key in ("fidelity", "utility", "privacy"))
    assert "Column shapes" in fidelity and "0.866" in fidelity and "0.983" in fidelity
    assert "Precision at 5 %, fraud model trained on synthetic rows" in utility and "0.800" in utility
    assert "Exact copies of a real row" in privacy and "0.062" in privacy
    assert page.index("Importer ID") < page.index("Date</th>")  # the weakest column first


AIHS = {"n_eval": 411, "real_data": False, "evaluated_on": "NOT real data",
        **{f"{level}_top{k}": 0.5 + 0.01 * k for level in ("hs2", "hs4", "hs6") for k in (1, 3, 5)},
        **{f"baseline_{level}_top{k}": 0.3 for level in ("hs2", "hs4", "hs6") for k in (1, 3, 5)}}  # fmt: skip


def test_the_hs_code_report_has_the_top_k_accuracy_and_the_calibration(kenya, contact_point, client_as):
    job = ModelJobFactory(dataset=None, administration=kenya, kind="aihs_train", status="succeeded", metrics=AIHS)
    page = page_of(client_as, contact_point, job.get_absolute_url())
    table = _table(page, "aihs-topk")
    hs6 = re.search(r"<tr><th scope=\"row\">HS6</th>.*?</tr>", table, re.S).group(0)
    assert _cells(hs6) == ["HS6", "0.510", "0.530", "0.550", "0.300", "0.300", "0.300"]
    assert "Measured on 411 held-out descriptions." in page and "No calibration plot" in page
    reliability = {"edges": [0.0, 0.5, 1.0], "counts": [10, 30], "accuracy": [0.4, 0.8],
                   "mean_confidence": [0.3, 0.8], "ece": 0.05, "mean_top1_confidence": 0.7,
                   "top1_accuracy": 0.7}  # fmt: skip
    job.metrics = {**AIHS, "real_data": True, "reliability": reliability}
    job.save()
    page = page_of(client_as, contact_point, job.get_absolute_url())
    assert "Calibration error (ECE): 0.050" in page and "<svg" in page.split('id="aihs-report-heading"')[1]


def test_the_hs_code_report_names_its_real_sources_and_gives_each_kind_of_text(kenya, contact_point, client_as):
    """The figures of a version measured on real data name the sources and say when they were recorded by the
    benchmark rather than measured by the job (the descriptions are not shipped)."""
    per_kind = {"n": 119, "hs6_top1": 0.185, "hs6_top5": 0.412, "hs4_top5": 0.504}
    metrics = {**AIHS, "real_data": True, "recorded": True, "real_sources": ["eu-ebti-en", "hmrc-atar-routelock"],
               "kind_technical": per_kind}  # fmt: skip
    job = ModelJobFactory(dataset=None, administration=kenya, kind="aihs_train", status="succeeded", metrics=metrics)
    page = page_of(client_as, contact_point, job.get_absolute_url())
    assert "(test split) from: eu-ebti-en, hmrc-atar-routelock." in page
    assert "measured on this very model by the benchmark" in page
    row = re.search(r"<tr><th scope=\"row\">Technical descriptions.*?</tr>", _table(page, "aihs-kinds"), re.S).group(0)
    assert _cells(row) == ["Technical descriptions (customs rulings)", "119", "0.185", "0.412", "0.504"]
    assert "aihs-kinds" not in page_of(client_as, contact_point, ModelJobFactory(
        dataset=None, administration=kenya, kind="aihs_train", status="succeeded", metrics=AIHS
    ).get_absolute_url())  # fmt: skip


# --- the version page and the model card's PDF ------------------------------------------------------------------
def test_the_version_page_and_the_model_card_pdf_show_the_same_sections(
    kenya, contact_point, staff, client_as, eager_tasks, django_capture_on_commit_callbacks
):
    from tests.reports.test_reports import pdf_text

    job = date_job(kenya)
    algorithm = AlgorithmFactory(slug="date", kind="date", publication="published")
    version = AlgorithmVersionFactory(algorithm=algorithm, job=job, metrics=job.metrics, publication="published")
    page = page_of(client_as, staff, version.get_absolute_url())
    assert "Champion: LightGBM (native categoricals)." in page and 'id="curve-test-precision"' in page
    assert '<th scope="row">XGBoost: boosting rounds</th><td>30</td>' in page
    with django_capture_on_commit_callbacks(execute=True):
        report, _created = report_services.report_request(
            kind="model_card", language="en", by=staff, parameters={"algorithm": algorithm.pk}
        )
    report.refresh_from_db()
    assert report.status == "ready", report.error
    text = re.sub(r"\s+", " ", pdf_text(report))
    for expected in ("Measured figures of version", "Models compared", "Champion: LightGBM (native categoricals).",
                     "Precision, recall and revenue over the inspection rate", "Precision, all test declarations",
                     "The champion at 5 % inspected (test period)", "23 of 452 declarations inspected",
                     "What the LightGBM model relies on", "XGBoost: boosting rounds", "0.981"):  # fmt: skip
        assert expected in text, expected


def test_the_models_are_named_in_the_readers_language(kenya, contact_point, client_as):
    job = date_job(kenya)
    client = client_as(contact_point)
    page = client.get(job.get_absolute_url().replace("/en/", "/fr/", 1)).content.decode()
    read = page[: page.index('class="metrics-table"')]  # what precedes the folded raw figures (stored as recorded)
    assert "LightGBM (catégories natives)" in read and "XGBoost (simple)" in read
    assert "native categoricals" not in read
