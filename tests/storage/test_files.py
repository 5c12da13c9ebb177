"""The file store names files itself, writes them whole, and hands back only names it made."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from storage import UnsafeName
from storage.files import FileStore

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_stored_names_are_generated_never_the_senders(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    stored = store.put(PDF, ".pdf")
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored.stored_name)
    assert stored.size == len(PDF) and stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert [p.name for p in (tmp_path / "files").iterdir()] == [stored.stored_name]
    assert store.read(stored.stored_name) == PDF


def test_the_same_bytes_twice_get_two_names(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    assert store.put(PDF, ".pdf").stored_name != store.put(PDF, ".pdf").stored_name


def test_without_a_suffix_the_type_is_read_from_the_bytes(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    assert store.put(PNG).stored_name.endswith(".png")
    assert "." not in store.put(b"plain words").stored_name


@pytest.mark.parametrize("suffix", ["/../../etc/passwd", "../x", ".p/df", "pdf\x00.sh", ".toolongsuffix"])
def test_a_suffix_cannot_smuggle_a_path(tmp_path: Path, suffix: str) -> None:
    store = FileStore(tmp_path / "files")
    stored = store.put(PDF, suffix)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored.stored_name)
    assert (tmp_path / "files" / stored.stored_name).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files"]


@pytest.mark.parametrize(
    "name",
    [
        "../secret",
        "../../etc/passwd",
        "/etc/passwd",
        "a/b",
        "a\\b",
        "..",
        "",
        "证书.pdf",
        "0" * 32 + "/../x",
        "0" * 32 + ".pdf/..",
        ".incoming-abc.part",
    ],
)
def test_names_with_separators_or_not_of_our_making_are_refused(tmp_path: Path, name: str) -> None:
    store = FileStore(tmp_path)
    with pytest.raises(UnsafeName):
        store.open(name)
    with pytest.raises(UnsafeName):
        store.path(name)


def test_a_write_leaves_no_temporary_file_behind(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    for _ in range(3):
        store.put(PDF, ".pdf")
    assert all(not p.name.startswith(".") for p in tmp_path.iterdir())
    assert len(list(tmp_path.iterdir())) == 3
