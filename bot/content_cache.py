"""Loaded content and its question index kept on disk between runs, per content version and code version.

Loading a content version (YAML parsed, validated, rendered) and building its question
index take most of a start (~0.7 s and ~0.8 s here); reading both back from a pickle
takes ~0.1 s. An entry is keyed by a digest of the content files *and* of the engine's
source (``dialogs/``) and the Python version, so neither a published version nor an
upgraded bot can ever be served from a stale entry: a new key simply misses. The folder
is the bot's own (next to its files), written atomically; an entry that cannot be read
is rebuilt and written again, never trusted half-way.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from dialogs.content_files import load_files
from dialogs.loader import Content
from dialogs.question_index import adopt, build_index

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

#: Entries beyond this many (oldest first) are removed: a few versions stay warm, the folder stays small.
KEEP = 8


@functools.cache
def code_version() -> str:
    """A digest of the engine's source: what loading content and building an index depend on."""
    digest = hashlib.sha256(f"{sys.version}\0{pickle.HIGHEST_PROTOCOL}".encode())
    root = Path(__file__).resolve().parent.parent / "dialogs"
    for source in sorted(root.rglob("*.py")):
        digest.update(source.relative_to(root).as_posix().encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def key_of(files: Mapping[str, str]) -> str:
    payload = json.dumps(dict(sorted(files.items())), ensure_ascii=False).encode()
    return hashlib.sha256(code_version().encode() + b"\0" + payload).hexdigest()[:32]


def cache_for(settings: Settings) -> ContentCache:
    """The cache of these settings: CACHE_DIR, else a ``cache`` folder next to FILES_DIR."""
    folder = Path(settings.cache_dir) if settings.cache_dir else Path(settings.files_dir).parent / "cache"
    return ContentCache(folder)


class ContentCache:
    """``cache.load(files)``: what :func:`dialogs.content_files.load_files` returns, index built, from disk
    when this very content was loaded by this very code before. Thread-safe enough for ``to_thread``:
    entries are written to a temporary file and renamed into place."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def load(self, files: Mapping[str, str]) -> Content:
        key = key_of(files)
        entry = self.folder / f"content-{key}.pickle"
        cached = self._read(entry)
        if cached is not None:
            return cached
        content = load_files(dict(files))  # raises ContentError for a broken set, as before: nothing stored
        index = build_index(content)
        adopt(content, index)
        self._write(entry, content, index)
        return content

    def _read(self, entry: Path) -> Content | None:
        try:
            with entry.open("rb") as stream:
                content, index = pickle.load(stream)
        except FileNotFoundError:
            return None
        except Exception as error:  # a truncated or foreign file: rebuilt below
            log.warning("content cache entry %s unreadable (%s); rebuilding it", entry.name, error)
            return None
        if not isinstance(content, Content):
            return None
        adopt(content, index)
        return content

    def _write(self, entry: Path, content: Content, index: object) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=self.folder, prefix=".tmp-", delete=False) as stream:
                pickle.dump((content, index), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(stream.name, entry)
            self._prune()
        except OSError as error:  # a read-only disk only makes the next start slower
            log.warning("content cache not written to %s: %s", self.folder, error)

    def _prune(self) -> None:
        entries = sorted(self.folder.glob("content-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
