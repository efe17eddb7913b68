"""Reading a checked archive: ``extract_image_set``, ``read_picture`` and ``thumbnail_png``."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from bacuda_portal.core.uploads.images import MAX_IMAGE_PIXELS

from .checks import EXTENSIONS, _read_member, inspect_archive


# --- reading a checked archive ------------------------------------------------------------------------------------
def extract_image_set(archive_path: Path, root: Path, *, labelled: bool = True) -> dict[str, str]:
    """Write the archive's pictures as the engine reads them, under names the portal makes, and return
    {written relative path: name in the archive}. The archive is checked again (it may be an old upload)."""
    root.mkdir(parents=True, exist_ok=True)
    with Path(archive_path).open("rb") as handle:
        uploaded = _SizedFile(handle, Path(archive_path).stat().st_size)
        report = inspect_archive(uploaded, labelled=labelled)
        if not report.ok:
            raise ValidationError([problem.message for problem in report.problems[:3]])
        written: dict[str, str] = {}
        with zipfile.ZipFile(handle) as archive:
            classes = sorted({entry.label for entry in report.entries})
            folder_of = {label: label for label in classes}
            for number, entry in enumerate(report.entries, start=1):
                parts = [entry.split] if entry.split else []
                if labelled:
                    parts.append(folder_of[entry.label])
                stem = posixpath.splitext(posixpath.basename(entry.member))[0][:60] if not labelled else ""
                name = f"{number:06d}-{_safe_stem(stem)}" if stem else f"{number:06d}"
                relative = "/".join([*parts, name + EXTENSIONS[entry.kind]])
                target = root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(entry.member))
                written[relative] = entry.member
    return written


def _safe_stem(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).strip("._") or "image"


class _SizedFile:
    """A binary file with the ``size`` an upload has."""

    def __init__(self, handle, size: int):
        self._handle, self.size = handle, size

    def __getattr__(self, name):
        return getattr(self._handle, name)


def read_picture(archive_path: Path, member: str) -> Image.Image:
    """One picture of a checked archive, decoded (the member must be one the summary lists)."""
    with zipfile.ZipFile(archive_path) as archive:
        data = _read_member(archive, archive.getinfo(member), settings.BACUDA_IMAGE_SET_MAX_IMAGE_MEGABYTES << 20)
    image = Image.open(io.BytesIO(data), formats=["PNG", "JPEG"])
    if image.width * image.height > MAX_IMAGE_PIXELS:
        raise ValidationError(_("This picture is too large."))
    return image


def thumbnail_png(image: Image.Image, box: int = 160) -> bytes:
    """A normalised thumbnail (upright, RGB, within ``box`` pixels, PNG) of a picture."""
    image.draft("RGB", (box * 2, box * 2))  # JPEG: decode at a reduced size, much faster
    picture = ImageOps.exif_transpose(image).convert("RGB")
    picture.thumbnail((box, box))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=False)
    return out.getvalue()
