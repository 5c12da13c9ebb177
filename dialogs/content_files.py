"""A content set as files: what a version stores, what an admin uploads, what the loader reads.

A content folder (``facts.yaml``, ``programs/*.yaml``, ``notices/*.txt`` and the
optional ``staff.yaml``, ``ask.yaml``, ``faq.yaml``) travels as a mapping of its
relative paths to their text. The database keeps that mapping per version; an
admin sends one file (it replaces its namesake in the active set) or a ZIP of the
folder; either way the whole set is loaded and validated exactly as at start,
through :func:`dialogs.loader.load_content`, from a private temporary folder.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from dialogs.loader import ASK_FILE, FACTS_FILE, FAQ_FILE, NOTICES_DIR, PROGRAMS_DIR, STAFF_FILE, Content, load_content
from dialogs.problems import ContentError, Problem

#: Files at the top of a content folder, besides the programs and the notices.
TOP_FILES = (FACTS_FILE, STAFF_FILE, ASK_FILE, FAQ_FILE)
#: The folder name problems are reported under (``content/programs/x.yaml:12: …``), as for the shipped files.
FOLDER = "content"
#: Limits on an upload: the shipped set is about 0.6 MB in 16 files.
MAX_FILES = 200
MAX_BYTES = 8 * 1024 * 1024

ContentFiles = Mapping[str, str]


class UploadError(ValueError):
    """An upload that is not a content file or folder at all (the message says why, for the admin)."""


def is_content_path(path: str) -> bool:
    """Whether ``path`` (relative, POSIX) is a place a content file may live."""
    parts = PurePosixPath(path).parts
    if len(parts) == 1:
        return parts[0] in TOP_FILES
    if len(parts) == 2 and parts[0] == PROGRAMS_DIR:
        return parts[1].endswith(".yaml")
    if len(parts) == 2 and parts[0] == NOTICES_DIR:
        return parts[1].endswith(".txt")
    return False


def read_folder(root: Path) -> dict[str, str]:
    """Every content file under ``root`` by its relative path (other files are not content and are left out)."""
    files: dict[str, str] = {}
    for file in sorted(root.rglob("*")):
        if not file.is_file():
            continue
        relative = file.relative_to(root).as_posix()
        if is_content_path(relative):
            files[relative] = file.read_text(encoding="utf-8")
    return files


def write_folder(files: ContentFiles, root: Path) -> None:
    for relative, text in files.items():
        if not is_content_path(relative):
            raise UploadError(f"{relative}: not a place for a content file")
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def load_files(files: ContentFiles) -> Content:
    """Load and validate a content set; raises :class:`ContentError` (file:line: field: message) as at start.

    Without its own ``notices/`` a set would be checked against the shipped notices; a set from the
    database always carries them, so what is published is checked against what it cites.
    """
    with tempfile.TemporaryDirectory(prefix="content-") as scratch:
        root = Path(scratch) / FOLDER
        root.mkdir()
        write_folder(files, root)
        return load_content(root)


def placed(name: str) -> str:
    """Where a single uploaded file goes in the set: by its name (``facts.yaml`` at the top, a notice
    ``*.txt`` in ``notices/``, any other ``*.yaml`` in ``programs/``)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    if base in TOP_FILES:
        return base
    if base.endswith(".txt"):
        return f"{NOTICES_DIR}/{base}"
    if base.endswith((".yaml", ".yml")):
        return f"{PROGRAMS_DIR}/{base.removesuffix('.yml').removesuffix('.yaml')}.yaml"
    raise UploadError(f"{base}: send a content file (.yaml), a notice (.txt) or a ZIP of the content folder")


def decode(name: str, data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise UploadError(f"{name}: {len(data):,} bytes is over the {MAX_BYTES:,} a content file may have")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(f"{name}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None


def with_file(active: ContentFiles, name: str, data: bytes) -> tuple[dict[str, str], str]:
    """The active set with one uploaded file put in its place: ``(files, path it took)``."""
    path = placed(name)
    files = dict(active)
    files[path] = decode(name, data)
    return files, path


def from_zip(data: bytes) -> dict[str, str]:
    """A ZIP of a content folder, with or without one folder around it (``content/facts.yaml`` or
    ``facts.yaml``); files that are not content (a README, ``__MACOSX/``) are ignored. The ZIP is the
    whole set: what it leaves out is removed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadError("the file is not a valid ZIP archive") from None
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        if len(entries) > MAX_FILES:
            raise UploadError(f"the ZIP holds {len(entries)} files; a content folder has at most {MAX_FILES}")
        if sum(info.file_size for info in entries) > MAX_BYTES:
            raise UploadError(f"the ZIP unpacks to more than {MAX_BYTES:,} bytes")
        names = [PurePosixPath(info.filename) for info in entries]
        if any(path.is_absolute() or ".." in path.parts for path in names):
            raise UploadError("the ZIP holds a path outside its folder")
        prefix = _common_folder(names)
        files: dict[str, str] = {}
        for info, path in zip(entries, names, strict=True):
            relative = PurePosixPath(*path.parts[len(prefix) :]).as_posix() if prefix else path.as_posix()
            if is_content_path(relative):
                files[relative] = decode(relative, archive.read(info))
    if FACTS_FILE not in files:
        raise UploadError(f"the ZIP has no {FACTS_FILE}: zip the content folder itself (facts.yaml, programs/, …)")
    return files


def _common_folder(names: list[PurePosixPath]) -> tuple[str, ...]:
    """The one folder every content file of the ZIP sits in, if the folder itself was zipped."""
    facts = [path for path in names if path.name == FACTS_FILE]
    if len(facts) != 1:
        return ()
    return facts[0].parts[:-1]


def as_content_error(error: UploadError) -> ContentError:
    """An upload that cannot even be read, reported the way content problems are."""
    return ContentError([Problem("(upload)", 1, "(file)", str(error))])
