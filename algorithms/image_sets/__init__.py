"""Image sets: a ZIP of labelled pictures (class folders, or pictures and a labels CSV), or of pictures to score.

``inspect_archive`` checks an uploaded archive before anything is kept, the way every upload is checked: its
declared size before it is read; the archive's own directory before any member is decompressed (number of
members, total uncompressed size, compression ratio of each member: a zip bomb is refused from the directory);
names (absolute paths, ``..``, backslashes, drive letters, symbolic links, encrypted members, repeated names are
refused); then every picture is read with a byte limit and decoded whole by the portal's one picture check
(``core.uploads.images.check_image``: Pillow's verify then load, the decompression-bomb limit, nothing appended).
Every problem is listed by file name. The summary (classes, counts, sizes, samples) is kept with the dataset.

``extract_image_set`` writes a checked archive as the engine reads it: ``root/<class>/<files>`` or
``root/{train,val,test}/<class>/<files>`` (labelled), or ``root/<files>`` (to score), under names the portal
makes (the uploaded names never reach the file system). ``thumbnail_png`` makes the contact sheet's thumbnails.

The checks are in ``checks``, the reading of a checked archive in ``reading``; this package re-exports their
names (a test that replaces ``open_archive`` or ``_read_member`` replaces it in ``image_sets.checks``).
"""

from .checks import (
    CLASS_NAME_MAX,
    EXTENSIONS,
    MAX_SAMPLES,
    SAMPLES_PER_CLASS,
    SPLITS,
    ImageEntry,
    ImageSetReport,
    Problem,
    inspect_archive,
    limits,
    open_archive,
)
from .reading import extract_image_set, read_picture, thumbnail_png

__all__ = [
    "CLASS_NAME_MAX",
    "EXTENSIONS",
    "MAX_SAMPLES",
    "SAMPLES_PER_CLASS",
    "SPLITS",
    "ImageEntry",
    "ImageSetReport",
    "Problem",
    "extract_image_set",
    "inspect_archive",
    "limits",
    "open_archive",
    "read_picture",
    "thumbnail_png",
]
