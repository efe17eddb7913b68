"""Known-answer tests of the image-analysis engine (algorithms/engines/images.py) on a tiny set made here: coloured
discs on grey backgrounds, one colour per class. The real pretrained backbone runs (no stub)."""

import csv
import io
import json

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from algorithms.engines import images
from algorithms.engines.base import EngineError, JobCancelled

COLOURS = {"blue": (30, 40, 220), "green": (30, 190, 40), "red": (225, 30, 30)}


def disc(colour, rng, size=96):
    img = Image.new("RGB", (size, size), tuple(int(v) for v in rng.integers(100, 160, 3)))
    x, y = (int(v) for v in rng.integers(4, size // 2 - 4, 2))
    ImageDraw.Draw(img).ellipse((x, y, x + size // 2, y + size // 2), fill=colour)
    return img


def make_set(root, per_class=6, seed=0):
    rng = np.random.default_rng(seed)
    for name, colour in COLOURS.items():
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            disc(colour, rng).save(root / name / f"{name}_{i}.png")
    return root


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    base = tmp_path_factory.mktemp("images")
    root = make_set(base / "set")
    seen = []
    result = images.train_images(
        root, base / "work", seed=3, epochs=15, progress=lambda p, s: seen.append((p, s)), feature_cache=base / "cache"
    )
    return {"base": base, "root": root, "result": result, "progress": seen}


def test_training_reports_both_models_on_test_and_the_champion_on_validation(trained):
    metrics = trained["result"].metrics
    assert metrics["classes"] == ["blue", "green", "red"]
    assert metrics["seed"] == 3
    # 6 per class: 1 to test, 1 of the remaining 5 to validation, 4 to train (stratified)
    assert metrics["split_sizes"] == {"train": 12, "val": 3, "test": 3}
    assert metrics["split_notes"]["val"] == "carved from train"
    models = metrics["models"]
    for name in ("network", "baseline"):
        m = models[name]
        assert 0 <= m["top1"] <= m["top3"] <= 1
        assert m["top3"] == 1.0  # three classes: the truth is always in the top 3
        assert set(m["per_class"]) == set(COLOURS)
        assert all(v["support"] == 1 for v in m["per_class"].values())
        assert np.array(m["confusion"]).shape == (3, 3)
        assert np.array(m["confusion"]).sum() == 3
        assert np.trace(m["confusion"]) == round(m["top1"] * 3)
        assert len(m["calibration"]["bins"]) == 10
        assert sum(b["count"] for b in m["calibration"]["bins"]) == 3
        assert 0 <= m["calibration"]["ece"] <= 1
    # the pretrained features separate plain colours: the network is right on every test image
    assert models["network"]["top1"] == 1.0
    # the champion is the better model on validation, the network on a tie
    expected = "network" if models["network"]["val_top1"] >= models["baseline"]["val_top1"] else "baseline"
    assert metrics["champion"] == expected
    assert "validation" in metrics["champion_reason"]
    json.dumps(metrics)  # JSON-serialisable


def test_progress_per_epoch_and_model_directory(trained):
    epochs = [s for _, s in trained["progress"] if "epoch" in s]
    assert len(epochs) == 15
    percents = [p for p, _ in trained["progress"]]
    assert percents == sorted(percents) and percents[-1] == 100
    model = trained["result"].artifacts["model"]
    assert {p.name for p in model.iterdir()} == {"classes.json", "head.pt", "baseline.joblib", "manifest.json"}
    manifest = json.loads((model / "manifest.json").read_text())
    assert manifest["champion"] == trained["result"].metrics["champion"]
    assert manifest["backbone"]["name"] == "efficientnet-lite0"
    assert set(manifest["files"]) == {"classes.json", "head.pt", "baseline.joblib"}


def test_predict_and_explain(trained):
    classifier = images.load_classifier(trained["result"].artifacts["model"])
    rng = np.random.default_rng(99)  # new images, never seen in training
    fresh = [disc(COLOURS[name], rng) for name in ("red", "green", "blue")]
    predictions = classifier.predict(fresh, top_k=3)
    assert [p[0][0] for p in predictions] == ["red", "green", "blue"]
    for top in predictions:
        assert len(top) == 3
        scores = [s for _, s in top]
        assert scores == sorted(scores, reverse=True)
        assert 0.99 <= sum(scores) <= 1.01  # three classes: the top 3 carry all the probability
    assert classifier.predict(fresh[:1], top_k=1)[0][0][0] == "red"

    top, png = classifier.explain(fresh[0], top_k=2)
    assert [c for c, _ in top] == [c for c, _ in predictions[0][:2]]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    heat = Image.open(io.BytesIO(png))
    assert heat.size == (336, 336) and heat.mode == "RGB"


def test_heat_map_points_at_the_disc(trained):
    """The occlusion map is hottest where the coloured disc is (the region that decides the class)."""
    classifier = images.load_classifier(trained["result"].artifacts["model"])
    img = Image.new("RGB", (224, 224), (130, 130, 130))
    ImageDraw.Draw(img).ellipse((8, 8, 100, 100), fill=COLOURS["red"])  # top-left quarter
    if classifier.champion != "network":
        pytest.skip("the champion of this run is the baseline")
    fmap = images.feature_maps([img])[0].numpy()
    full = fmap.reshape(images.FEATURES, -1)
    without = (full.sum(axis=1)[:, None] - full) / (full.shape[1] - 1)
    proba = classifier._proba_pooled(full.mean(axis=1)[None, :])[0]
    best = int(proba.argmax())
    drop = (proba[best] - classifier._proba_pooled(without.T)[:, best]).reshape(7, 7)
    assert classifier.classes[best] == "red"
    assert drop[:3, :3].mean() > drop[4:, 4:].mean()


def test_score_images_ranked_csv(trained, tmp_path):
    incoming = tmp_path / "incoming"
    (incoming / "sub").mkdir(parents=True)
    rng = np.random.default_rng(7)
    for i, name in enumerate(["red", "green", "blue", "red"]):
        disc(COLOURS[name], rng).save(incoming / ("sub" if i % 2 else ".") / f"{i}_{name}.png")
    (incoming / "=broken.jpg").write_bytes(b"not an image")
    result = images.score_images(
        trained["result"].artifacts["model"], incoming, tmp_path / "out", hs_codes={"red": "0808.10"}
    )
    with open(result.artifacts["scores"], encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["rank"] for r in rows] == ["1", "2", "3", "4", ""]
    confidences = [float(r["confidence"]) for r in rows[:4]]
    assert confidences == sorted(confidences, reverse=True)
    by_file = {r["file"]: r for r in rows}
    assert by_file["0_red.png"]["class"] == "red" and by_file["0_red.png"]["hs_code"] == "0808.10"
    assert by_file["sub/1_green.png"]["class"] == "green" and by_file["sub/1_green.png"]["hs_code"] == ""
    assert by_file["sub/3_red.png"]["top3"].startswith("red ")
    broken = rows[-1]
    assert broken["file"] == "'=broken.jpg"  # a formula-like name is quoted for spreadsheets
    assert "Not a readable image" in broken["error"]
    assert result.metrics["counts"] == {"blue": 1, "green": 1, "red": 2}
    assert result.metrics["scored"] == 4 and result.metrics["unreadable"] == 1


def test_cancel_propagates(tmp_path):
    root = make_set(tmp_path / "set", per_class=3)

    def cancel(percent, stage):
        if "features" in stage:
            raise JobCancelled

    with pytest.raises(JobCancelled):
        images.train_images(root, tmp_path / "work", progress=cancel)
    assert not (tmp_path / "work" / "model").exists()


def test_same_seed_same_model(trained):
    base = trained["base"]
    again = images.train_images(trained["root"], base / "again", seed=3, epochs=15, feature_cache=base / "cache")
    first, second = trained["result"].metrics, again.metrics
    for key in ("models", "champion", "split_sizes", "classes"):
        assert first[key] == second[key]
    heads = [torch.load(r.artifacts["model"] / "head.pt", weights_only=True) for r in (trained["result"], again)]
    for name, tensor in heads[0]["state_dict"].items():
        assert torch.equal(tensor, heads[1]["state_dict"][name])


def test_given_splits_and_bad_layouts(tmp_path):
    rng = np.random.default_rng(1)
    for split, count in (("train", 4), ("test", 2)):
        for name in ("a", "b"):
            folder = tmp_path / "ok" / split / name
            folder.mkdir(parents=True)
            for i in range(count):
                disc(COLOURS["red" if name == "a" else "blue"], rng).save(folder / f"{i}.png")
    classes, splits, notes = images.read_layout(tmp_path / "ok", seed=0)
    assert classes == ["a", "b"]
    assert notes == {"layout": "train/val/test folders", "val": "carved from train", "test": "given"}
    assert {k: len(v) for k, v in splits.items()} == {"train": 6, "val": 2, "test": 4}
    train_files = {f for f, _ in splits["train"]}
    assert not train_files & {f for f, _ in splits["val"]}

    (tmp_path / "ok" / "test" / "c").mkdir()
    disc((0, 0, 0), rng).save(tmp_path / "ok" / "test" / "c" / "x.png")
    with pytest.raises(EngineError, match="classes that train lacks"):
        images.read_layout(tmp_path / "ok")

    (tmp_path / "one" / "only").mkdir(parents=True)
    for i in range(4):
        disc((0, 0, 0), rng).save(tmp_path / "one" / "only" / f"{i}.png")
    with pytest.raises(EngineError, match="two classes"):
        images.read_layout(tmp_path / "one")

    (tmp_path / "one" / "few").mkdir()
    disc((0, 0, 0), rng).save(tmp_path / "one" / "few" / "0.png")
    with pytest.raises(EngineError, match="at least 3"):
        images.read_layout(tmp_path / "one")


def test_tampered_model_is_refused(trained, tmp_path):
    import shutil

    copy = tmp_path / "model"
    shutil.copytree(trained["result"].artifacts["model"], copy)
    (copy / "classes.json").write_text('["x", "y", "z"]')
    with pytest.raises(EngineError, match="checksum"):
        images.load_classifier(copy)


def test_shipped_demo_sample_is_a_valid_image_set_with_an_hs_code_per_class():
    from pathlib import Path

    data = Path(images.__file__).resolve().parents[2] / "data" / "images"
    classes, splits, notes = images.read_layout(data / "demo", seed=0)
    assert len(classes) == 43 and notes["layout"] == "class folders"
    assert {k: len(v) for k, v in splits.items()} == {"train": 43, "val": 43, "test": 43}
    for path, _ in splits["train"][:5]:
        assert max(images.open_image(path).size) <= 224
    with open(data / "hs_codes.csv", encoding="utf-8") as handle:
        codes = {row["class"]: row["hs_code"] for row in csv.DictReader(handle)}
    assert set(codes) == set(classes)
    assert all(len(code.replace(".", "")) in (4, 6) for code in codes.values())
    assert (data / "LICENSE").read_text().startswith("MIT License")
