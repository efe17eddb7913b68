"""Tiny image sets made in the tests: real PNG and JPEG pictures whose classes a model can tell apart (colour and
a shape), zipped as class folders, split folders or pictures with a labels CSV; and hostile archives."""

import io
import random
import stat
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

COLOURS = {"apple": (200, 30, 30), "banana": (230, 210, 40), "lime": (40, 170, 50)}


def picture(label: str, index: int, *, size=(48, 40), kind="PNG") -> bytes:
    """A picture of class ``label``: its colour as background with a pale shape somewhere, some noise."""
    rng = random.Random(f"{label}-{index}")
    base = COLOURS.get(label, (120, 120, 120))
    image = Image.new("RGB", size, tuple(max(0, min(255, c + rng.randint(-25, 25))) for c in base))
    draw = ImageDraw.Draw(image)
    x, y = rng.randint(0, size[0] // 2), rng.randint(0, size[1] // 2)
    if label == "banana":
        draw.rectangle([x, y, x + 16, y + 8], fill=(250, 250, 250))
    else:
        draw.ellipse([x, y, x + 14, y + 14], fill=(250, 250, 250))
    out = io.BytesIO()
    image.save(out, format=kind)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def class_folders(per_class: int = 6, classes=("apple", "banana", "lime"), *, prefix: str = "") -> dict[str, bytes]:
    return {
        f"{prefix}{label}/{label}-{index}.{'jpg' if index % 2 else 'png'}": picture(
            label, index, kind="JPEG" if index % 2 else "PNG"
        )
        for label in classes
        for index in range(per_class)
    }


def split_folders(train=6, val=2, test=2, classes=("apple", "banana", "lime")) -> dict[str, bytes]:
    members = {}
    for split, count in (("train", train), ("val", val), ("test", test)):
        for label in classes:
            for index in range(count):
                members[f"{split}/{label}/{split}-{index}.png"] = picture(label, hash((split, index)) % 1000)
    return members


def pictures_with_labels(per_class: int = 5, classes=("apple", "banana")) -> dict[str, bytes]:
    members, rows = {}, ["file,label"]
    for label in classes:
        for index in range(per_class):
            name = f"img_{label}_{index}.png"
            members[f"pictures/{name}"] = picture(label, index)
            rows.append(f"{name},{label}")
    members["labels.csv"] = ("\n".join(rows) + "\n").encode()
    return members


def unlabelled(count: int = 4) -> dict[str, bytes]:
    labels = list(COLOURS)
    return {f"new/photo-{index}.png": picture(labels[index % len(labels)], 100 + index) for index in range(count)}


def upload(content: bytes, name: str = "images.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/zip")


# --- hostile archives ----------------------------------------------------------------------------------------------
def zip_bomb(megabytes: int = 20) -> bytes:
    """One member of ``megabytes`` zeros: a few tens of kilobytes compressed."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("apple/bomb.png", "w", force_zip64=True) as member,
    ):
        chunk = b"\x00" * (1024 * 1024)
        for _ in range(megabytes):
            member.write(chunk)
    return out.getvalue()


def with_traversal() -> bytes:
    members = class_folders(5, ("apple", "banana"))
    members["../../etc/evil.png"] = picture("apple", 99)
    members["/abs/apple.png"] = picture("apple", 98)
    return zip_bytes(members)


def with_symlink() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in class_folders(5, ("apple", "banana")).items():
            archive.writestr(name, data)
        link = zipfile.ZipInfo("apple/link.png")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    return out.getvalue()


def with_non_image_and_empty_file() -> bytes:
    members = class_folders(5, ("apple", "banana"))
    members["apple/notes.png"] = b"<html><script>alert(1)</script></html>"
    members["banana/empty.jpg"] = b""
    members["banana/report.pdf"] = b"%PDF-1.4\n%%EOF\n"
    return zip_bytes(members)


def too_many_files(count: int) -> bytes:
    small = picture("apple", 0, size=(8, 8))
    return zip_bytes({f"apple/{index}.png": small for index in range(count)}, compression=zipfile.ZIP_STORED)
