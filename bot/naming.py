"""Names that come from outside (an upload's file name, a path on the command line) made safe
to use as a report id and as a file name under the data folder.

A name is only ever a base name: no directories, no `..`, no control or format characters
(NUL, RTL overrides, zero-width joiners), bounded in length, and never empty.
"""

from __future__ import annotations

import re
import unicodedata

MAX_ID = 60  # characters of a report id before a year is appended
MAX_FILE_NAME = 100  # characters of a kept file name, extension included
FALLBACK_STEM = "report"
_SEPARATORS = re.compile(r"[\\/]")


def clean(text: str) -> str:
    """NFKC, without control, format, surrogate or private-use characters (category C*)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))


def path_parts(name: str) -> list[str]:
    """The components of a path written for any system, without empty, `.` and `..` parts."""
    return [
        p for p in (s.strip() for s in _SEPARATORS.split(clean(name))) if p not in ("", ".", "..")
    ]


def base_name(name: str) -> str:
    """The last path component, cleaned: "../../etc/x.txt" → "x.txt", "C:\\a\\b.txt" → "b.txt".
    Leading dots go (no hidden files); may be "" when nothing usable is left."""
    parts = path_parts(name)
    return parts[-1].lstrip(".").strip() if parts else ""


def slug(text: str) -> str:
    """Lower-case word characters joined by "-": what a report id is made of."""
    text = clean(text).casefold()
    return re.sub(r"[^\w]+", "-", text).strip("-_")


def split_suffix(name: str) -> tuple[str, str]:
    """("wuqia-2022", ".txt"); a suffix is a short run of letters or digits after the last dot."""
    stem, dot, ext = name.rpartition(".")
    if dot and stem and 1 <= len(ext) <= 10 and ext.isalnum():
        return stem, "." + ext.lower()
    return name, ""


def safe_file_name(name: str, *, default_suffix: str = ".txt") -> str:
    """A file name that is safe to create in a folder of ours: a cleaned base name whose stem
    is cut so the whole stays within MAX_FILE_NAME characters (and 255 bytes)."""
    stem, suffix = split_suffix(base_name(name))
    suffix = suffix or default_suffix
    stem = re.sub(r"\s+", " ", stem).strip(" .") or FALLBACK_STEM
    room = MAX_FILE_NAME - len(suffix)
    stem = stem[:room]
    while len((stem + suffix).encode("utf-8")) > 255:  # the file system's limit, in bytes
        stem = stem[:-1]
    return stem + suffix


def report_id(name: str) -> str:
    """A report id from a file name or path: wuqia-2022.txt → wuqia-2022; national/2023.txt →
    national-2023 (a bare year says too little, so the folder is kept). Bounded, never empty."""
    parts = path_parts(name)
    stem = slug(split_suffix(parts[-1])[0]) if parts else ""
    if stem.isdigit() and len(parts) >= 2:
        stem = f"{slug(parts[-2])}-{stem}"
    return stem[:MAX_ID].strip("-_") or FALLBACK_STEM
