"""``inspect_archive``: an uploaded archive checked before anything is kept."""

from __future__ import annotations

import csv
import hashlib
import io
import posixpath
import re
import stat
import statistics
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from bacuda_portal.core.uploads import check_size
from bacuda_portal.core.uploads.images import check_image
from bacuda_portal.core.uploads.signatures import JPEG_HEADER, PNG_HEADER

SPLITS = ("train", "val", "test")
EXTENSIONS = {"png": ".png", "jpeg": ".jpg"}
# Files a computer adds to an archive by itself: skipped without a word.
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_DRIVE = re.compile(r"^[A-Za-z]:")
_LABELS_COLUMNS = ("file", "label")
CLASS_NAME_MAX = 100
SAMPLES_PER_CLASS = 4
MAX_SAMPLES = 160


def limits() -> dict:
    """The caps of an image archive (settings, read at call time so that tests may lower them)."""
    return {
        "max_megabytes": settings.BACUDA_IMAGE_SET_MAX_MEGABYTES,
        "max_files": settings.BACUDA_IMAGE_SET_MAX_FILES,
        "max_uncompressed": settings.BACUDA_IMAGE_SET_MAX_UNCOMPRESSED_MEGABYTES * 1024 * 1024,
        "max_image_bytes": settings.BACUDA_IMAGE_SET_MAX_IMAGE_MEGABYTES * 1024 * 1024,
        "max_ratio": settings.BACUDA_IMAGE_SET_MAX_RATIO,
        "min_per_class": settings.BACUDA_IMAGE_SET_MIN_PER_CLASS,
        "max_problems": settings.BACUDA_DATASET_MAX_PROBLEMS,
    }


@dataclass
class Problem:
    """One problem of the archive: ``column`` is the file's name in the archive ("" for the archive as a whole).
    The fields match the CSV validation report's, so the upload page lists both the same way."""

    row: int | None
    column: str
    message: str


@dataclass
class ImageEntry:
    member: str  # the name in the archive
    label: str  # the class ("" for pictures to score)
    split: str  # "train", "val", "test" or "" (no split given)
    kind: str = ""  # "png" or "jpeg", once checked
    width: int = 0
    height: int = 0


@dataclass
class ImageSetReport:
    labelled: bool
    size: int = 0
    sha256: str = ""
    layout: str = ""  # "folders", "splits", "csv" or "images"
    entries: list[ImageEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    more_problems: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def row_count(self) -> int:
        return len(self.entries)

    def add(self, name: str, message: str, max_problems: int) -> None:
        if len(self.problems) < max_problems:
            self.problems.append(Problem(None, name[:200], message))
        else:
            self.more_problems = True

    def summary(self) -> dict:
        """What the dataset page shows, kept as JSON with the dataset."""
        classes: dict[str, int] = {}
        splits: dict[str, dict[str, int]] = {}
        formats: dict[str, int] = {}
        for entry in self.entries:
            if entry.label:
                classes[entry.label] = classes.get(entry.label, 0) + 1
            if entry.split:
                split = splits.setdefault(entry.split, {})
                split[entry.label] = split.get(entry.label, 0) + 1
            formats[entry.kind.upper()] = formats.get(entry.kind.upper(), 0) + 1
        samples, taken = [], {}
        for entry in self.entries:
            if len(samples) >= MAX_SAMPLES:
                break
            if taken.get(entry.label, 0) < SAMPLES_PER_CLASS:
                taken[entry.label] = taken.get(entry.label, 0) + 1
                samples.append({"member": entry.member, "label": entry.label, "split": entry.split})
        widths = [entry.width for entry in self.entries] or [0]
        heights = [entry.height for entry in self.entries] or [0]
        return {
            "layout": self.layout,
            "images": len(self.entries),
            "classes": dict(sorted(classes.items(), key=lambda item: item[0].lower())),
            "splits": {name: dict(sorted(splits[name].items())) for name in SPLITS if name in splits},
            "formats": formats,
            "width": {"min": min(widths), "median": int(statistics.median(widths)), "max": max(widths)},
            "height": {"min": min(heights), "median": int(statistics.median(heights)), "max": max(heights)},
            "samples": samples,
        }


class _Refused(Exception):
    """The archive as a whole is refused (its problem is already in the report)."""


def _name_problem(name: str) -> str:
    """Why a member's name is refused; "" when it is a plain relative name."""
    if "\x00" in name or "\\" in name:
        return _("The name contains a backslash or a NUL character, which are not accepted in an archive.")
    if name.startswith("/") or _DRIVE.match(name):
        return _("An absolute path is not accepted: names in the archive must be relative.")
    if any(part == ".." for part in name.split("/")):
        return _("A name that leads out of the archive (“..”) is not accepted.")
    return ""


def _is_junk(name: str) -> bool:
    parts = [part for part in name.split("/") if part]
    return (
        not parts
        or parts[0] == "__MACOSX"
        or parts[-1].lower() in _JUNK_NAMES
        or any(part.startswith(".") for part in parts)
    )


def _kind_of(head: bytes) -> str:
    if head.startswith(PNG_HEADER):
        return "png"
    if head.startswith(JPEG_HEADER):
        return "jpeg"
    return ""


def _class_problem(label: str) -> str:
    if not label.strip():
        return _("The class name is empty.")
    if len(label) > CLASS_NAME_MAX:
        return _("The class name is longer than %(max)d characters.") % {"max": CLASS_NAME_MAX}
    if label in (".", "..") or "/" in label or "\\" in label or any(ord(char) < 32 for char in label):
        return _("The class name “%(name)s” is not accepted.") % {"name": label[:100]}
    return ""


def _declared_entries(handle) -> int | None:
    """The number of entries the archive's end record declares (read before Python parses the whole directory:
    millions of tiny entries would take gigabytes of memory); None when there is no readable end record."""
    try:
        record = zipfile._EndRecData(handle)  # the standard library's own reader of that record
    except (OSError, ValueError, AttributeError):
        return None
    finally:
        handle.seek(0)
    return int(record[zipfile._ECD_ENTRIES_TOTAL]) if record else None


def open_archive(source) -> zipfile.ZipFile:
    """The archive in ``source`` (a path or a binary file); ValidationError when it is not a readable ZIP."""
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ValidationError(_("This is not a readable ZIP archive."), code="not_zip") from None


def _directory_checks(archive: zipfile.ZipFile, report: ImageSetReport, caps: dict) -> list[zipfile.ZipInfo]:
    """The members to read, after the checks of the archive's directory (nothing decompressed yet)."""
    infos = archive.infolist()
    files = [info for info in infos if not info.is_dir()]
    if len(files) > caps["max_files"]:
        report.add("", _("The archive holds %(count)d files; the limit is %(limit)d.")
                   % {"count": len(files), "limit": caps["max_files"]}, caps["max_problems"])  # fmt: skip
        raise _Refused
    total = sum(info.file_size for info in files)
    if total > caps["max_uncompressed"]:
        report.add("", _("Unpacked, the archive would take %(size).1f MB; the limit is %(limit)d MB.")
                   % {"size": total / 1024 / 1024, "limit": caps["max_uncompressed"] // 1024 // 1024},
                   caps["max_problems"])  # fmt: skip
        raise _Refused
    seen, kept = set(), []
    for info in infos:
        name = info.filename
        problem = _name_problem(name)
        mode = info.external_attr >> 16
        if not problem and stat.S_ISLNK(mode):
            problem = _("Symbolic links are not accepted in an archive.")
        if not problem and info.flag_bits & 0x1:
            problem = _("Encrypted files are not accepted: upload the archive without a password.")
        if not problem and info.file_size > caps["max_image_bytes"]:
            problem = _("This file is larger than %(limit)d MB unpacked.") % {
                "limit": caps["max_image_bytes"] // 1024 // 1024
            }
        if not problem and info.compress_size and info.file_size / info.compress_size > caps["max_ratio"]:
            problem = _("This file is compressed %(ratio)d times, which only a zip bomb does.") % {
                "ratio": info.file_size // info.compress_size
            }
        if not problem and info.compress_size == 0 and info.file_size > 0:
            problem = _("This file's sizes in the archive are not consistent.")
        normalised = posixpath.normpath(name) if not problem else name
        if not problem and not info.is_dir() and normalised in seen:
            problem = _("This name appears twice in the archive.")
        if problem:
            report.add(name, problem, caps["max_problems"])
            continue
        seen.add(normalised)
        if not info.is_dir() and not _is_junk(name):
            kept.append(info)
    if report.problems:
        raise _Refused  # names and sizes first: nothing of a hostile archive is decompressed
    return kept


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The member's bytes, never more than ``limit`` (the directory's sizes are not trusted)."""
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("This file is larger than %(limit)d MB unpacked.")
                              % {"limit": limit // 1024 // 1024})  # fmt: skip
    return data


def _strip_common_folder(names: list[str]) -> str:
    """A single folder holding everything (a zipped folder): its prefix, to be ignored; else ""."""
    firsts = {name.split("/", 1)[0] for name in names}
    if len(firsts) == 1 and all("/" in name for name in names):
        first = next(iter(firsts))
        if first.lower() not in SPLITS:
            return first + "/"
    return ""


def _labels_from_csv(archive, csv_info, images: list[str], report, caps) -> dict[str, tuple[str, str]]:
    """member name -> (label, split) from the labels CSV (columns file, label and optionally split)."""
    try:
        text = _read_member(archive, csv_info, 20 * 1024 * 1024).decode("utf-8-sig")
    except (UnicodeDecodeError, ValidationError):
        report.add(csv_info.filename, _("The labels file is not a UTF-8 CSV text file."), caps["max_problems"])
        raise _Refused from None
    rows = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(rows, [])]
    if any(column not in header for column in _LABELS_COLUMNS):
        report.add(csv_info.filename, _("The labels file needs the columns file and label (and may have split)."),
                   caps["max_problems"])  # fmt: skip
        raise _Refused
    folder = posixpath.dirname(csv_info.filename)
    by_name = {name: name for name in images}
    by_base: dict[str, list[str]] = {}
    for name in images:
        by_base.setdefault(posixpath.basename(name), []).append(name)
    labels: dict[str, tuple[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        record = dict(zip(header, (cell.strip() for cell in row), strict=False))
        file_name, label = record.get("file", ""), record.get("label", "")
        split = record.get("split", "").lower()
        where = f"{csv_info.filename}:{line}"
        member = by_name.get(posixpath.join(folder, file_name) if folder else file_name)
        if member is None and len(by_base.get(file_name, [])) == 1:
            member = by_base[file_name][0]
        if member is None:
            report.add(where, _("The labels file names “%(name)s”, which is not in the archive.")
                       % {"name": file_name[:100]}, caps["max_problems"])  # fmt: skip
            continue
        problem = _class_problem(label) or (
            _("The split “%(split)s” is not train, val or test.") % {"split": split[:20]}
            if split and split not in SPLITS
            else ""
        )
        if problem:
            report.add(where, problem, caps["max_problems"])
            continue
        if member in labels:
            report.add(where, _("“%(name)s” is labelled twice.") % {"name": file_name[:100]}, caps["max_problems"])
            continue
        labels[member] = (label, split)
    return labels


def _plan(archive, infos: list[zipfile.ZipInfo], report: ImageSetReport, caps: dict) -> list[ImageEntry]:
    """Which member is which picture of which class (and split), from the folders or the labels CSV."""
    csv_infos = [info for info in infos if info.filename.lower().endswith(".csv")]
    image_infos = [info for info in infos if not info.filename.lower().endswith(".csv")]
    if not report.labelled:
        report.layout = "images"
        for info in csv_infos:
            report.add(info.filename, _("Pictures to score need no labels file; remove it."), caps["max_problems"])
        return [ImageEntry(member=info.filename, label="", split="") for info in image_infos]
    if len(csv_infos) > 1:
        report.add("", _("The archive holds several CSV files; put one labels file (file,label) in it."),
                   caps["max_problems"])  # fmt: skip
        raise _Refused
    if csv_infos:
        report.layout = "csv"
        labels = _labels_from_csv(archive, csv_infos[0], [info.filename for info in image_infos], report, caps)
        entries = []
        for info in image_infos:
            if info.filename not in labels:
                report.add(info.filename, _("This picture has no label in the labels file."), caps["max_problems"])
                continue
            label, split = labels[info.filename]
            entries.append(ImageEntry(member=info.filename, label=label, split=split))
        if any(entry.split for entry in entries) and not all(entry.split for entry in entries):
            report.add(csv_infos[0].filename, _("Give a split to every picture, or to none."), caps["max_problems"])
        return entries
    prefix = _strip_common_folder([info.filename for info in image_infos])
    relative = {info.filename: info.filename[len(prefix) :] for info in image_infos}
    firsts = {name.split("/", 1)[0].lower() for name in relative.values() if "/" in name}
    split_layout = bool(firsts) and firsts <= set(SPLITS)
    report.layout = "splits" if split_layout else "folders"
    entries = []
    for info in image_infos:
        parts = relative[info.filename].split("/")
        split = parts.pop(0).lower() if split_layout and len(parts) > 1 else ""
        if len(parts) < 2:
            report.add(info.filename, _("This picture is not in a class folder: put each class's pictures in a "
                                        "folder named after the class."), caps["max_problems"])  # fmt: skip
            continue
        problem = _class_problem(parts[0])
        if problem:
            report.add(info.filename, problem, caps["max_problems"])
            continue
        entries.append(ImageEntry(member=info.filename, label=parts[0], split=split))
    if split_layout and "train" not in {entry.split for entry in entries}:
        report.add("", _("With split folders, a train folder is needed."), caps["max_problems"])
    return entries


def _check_pictures(archive, entries: list[ImageEntry], report: ImageSetReport, caps: dict) -> list[ImageEntry]:
    good = []
    infos = {info.filename: info for info in archive.infolist()}
    for entry in entries:
        info = infos[entry.member]
        if info.file_size == 0:
            report.add(entry.member, _("The file is empty (0 bytes)."), caps["max_problems"])
            continue
        try:
            data = _read_member(archive, info, caps["max_image_bytes"])
            entry.kind = _kind_of(data[:16])
            if not entry.kind:
                raise ValidationError(_("This is not a PNG or JPEG picture."))
            check_image(data, entry.kind)
            with Image.open(io.BytesIO(data)) as image:
                entry.width, entry.height = image.size
        except ValidationError as error:
            report.add(entry.member, " ".join(str(message) for message in error.messages), caps["max_problems"])
            continue
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
            report.add(entry.member, _("This file cannot be read from the archive (damaged or an unsupported "
                                       "compression)."), caps["max_problems"])  # fmt: skip
            continue
        good.append(entry)
    return good


def inspect_archive(uploaded, *, labelled: bool = True) -> ImageSetReport:
    """Check an uploaded ZIP (anything with ``size``, ``seek`` and ``read``) and describe it. ``labelled``: a set
    to train on (classes needed) or pictures to score (any folders, no labels)."""
    caps = limits()
    report = ImageSetReport(labelled=labelled, size=uploaded.size)
    try:
        check_size(uploaded, caps["max_megabytes"])
    except ValidationError as error:
        report.add("", error.messages[0], caps["max_problems"])
        return report
    if uploaded.size == 0:
        report.add("", _("The file is empty."), caps["max_problems"])
        return report
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: uploaded.read(1024 * 1024), b""):
        digest.update(chunk)
    report.sha256 = digest.hexdigest()
    uploaded.seek(0)
    declared = _declared_entries(uploaded)
    if declared is not None and declared > 2 * caps["max_files"]:  # before the directory is parsed into memory
        report.add("", _("The archive holds %(count)d files; the limit is %(limit)d.")
                   % {"count": declared, "limit": caps["max_files"]}, caps["max_problems"])  # fmt: skip
        return report
    try:
        archive = open_archive(uploaded)
    except ValidationError as error:
        report.add("", error.messages[0], caps["max_problems"])
        return report
    try:
        with archive:
            infos = _directory_checks(archive, report, caps)
            entries = _plan(archive, infos, report, caps)
            report.entries = _check_pictures(archive, entries, report, caps)
    except _Refused:
        report.entries = []
        return report
    finally:
        uploaded.seek(0)
    if not report.entries and not report.problems:
        report.add("", _("The archive holds no pictures."), caps["max_problems"])
    if labelled and report.entries:
        _class_counts(report, caps)
    return report


def _class_counts(report: ImageSetReport, caps: dict) -> None:
    counts: dict[str, int] = {}
    for entry in report.entries:
        counts[entry.label] = counts.get(entry.label, 0) + 1
    if len(counts) < 2:
        report.add("", _("A model needs at least two classes; the archive has %(count)d.") % {"count": len(counts)},
                   caps["max_problems"])  # fmt: skip
    for label, count in sorted(counts.items()):
        if count < caps["min_per_class"]:
            report.add(label, _("The class “%(name)s” has %(count)d pictures; each class needs at least %(min)d.")
                       % {"name": label, "count": count, "min": caps["min_per_class"]},
                       caps["max_problems"])  # fmt: skip
