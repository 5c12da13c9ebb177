"""Uploaded documents on disk, under ``FILES_DIR``.

Names are generated (uuid4 hex + a suffix from the detected content type) and
never built from the sender's file name, so a name like ``../../etc/passwd`` or
``证书.pdf`` cannot choose where bytes land. Writes go to a temporary file in the
same folder and are moved into place with ``os.replace``: a crash leaves either
the whole file or none. Only names of the generated shape are accepted back.

The methods are synchronous (files are at most a few tens of MB); async callers
may wrap them in ``asyncio.to_thread``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import uuid
from pathlib import Path
from typing import BinaryIO, NamedTuple

from storage.errors import MissingFile, UnsafeName

#: A uuid4 hex (from :meth:`FileStore.put`) or a SHA-256 hex (content-addressed, from :meth:`FileStore.write`).
_NAME = re.compile(r"([0-9a-f]{32}|[0-9a-f]{64})(\.[a-z0-9]{1,8})?")
_SUFFIX = re.compile(r"\.?([A-Za-z0-9]{1,8})")


class StoredFile(NamedTuple):
    stored_name: str
    size: int
    sha256: str


def safe_suffix(suffix: str | None, content: bytes) -> str:
    """``.pdf`` from a caller's suffix if it is a plain extension, else from the bytes, else nothing."""
    if suffix:
        match = _SUFFIX.fullmatch(suffix.strip())
        if match:
            return "." + match.group(1).lower()
    import filetype  # only for a file sent without a usable name: not loaded with every start

    guessed = filetype.guess_extension(content)
    return f".{guessed}" if guessed else ""


class FileStore:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def put(self, content: bytes, suffix: str | None = None) -> StoredFile:
        """Write ``content`` under a fresh name; ``suffix`` should come from the detected type."""
        name = uuid.uuid4().hex + safe_suffix(suffix, content)
        self._write_atomically(self.root / name, content)
        return StoredFile(name, len(content), hashlib.sha256(content).hexdigest())

    def write(self, stored_name: str, content: bytes) -> StoredFile:
        """Write ``content`` under a name the engine derived from it (its SHA-256 and type suffix).

        Writing the same content again is harmless: the name is the content's own.
        """
        target = self.path(stored_name)
        digest = hashlib.sha256(content).hexdigest()
        if len(stored_name.split(".")[0]) == 64 and not stored_name.startswith(digest):
            raise UnsafeName(f"{stored_name!r} is not the name of this content")
        if not target.is_file():
            self._write_atomically(target, content)
        return StoredFile(stored_name, len(content), digest)

    def _write_atomically(self, target: Path, content: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.root, prefix=".incoming-", suffix=".part")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def path(self, stored_name: object) -> Path:
        """The file's path, for channels that upload from disk; refuses names we did not make
        (anything not a string too: names come back from stored conversation state)."""
        if not isinstance(stored_name, str) or not _NAME.fullmatch(stored_name):
            raise UnsafeName(f"not a stored file name: {stored_name!r}")
        return self.root / stored_name

    def open(self, stored_name: str) -> BinaryIO:
        path = self.path(stored_name)
        try:
            return path.open("rb")
        except FileNotFoundError as error:
            raise MissingFile(f"no stored file {stored_name}") from error

    def read(self, stored_name: str) -> bytes:
        with self.open(stored_name) as handle:
            return handle.read()

    def exists(self, stored_name: str) -> bool:
        return self.path(stored_name).is_file()

    def delete(self, stored_name: str) -> None:
        self.path(stored_name).unlink(missing_ok=True)
