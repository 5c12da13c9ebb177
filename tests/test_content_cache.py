"""The content cache: a hit gives the same content and index as loading; anything else is a miss, never an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content_cache import ContentCache, key_of
from dialogs.content_files import load_files, read_folder
from dialogs.loader import SHIPPED
from dialogs.problems import ContentError
from dialogs.question_index import _CACHE
from dialogs.question_reading import forget_readings, read

QUESTION = "喀什的项目要带什么材料"


def test_a_second_load_comes_from_disk_with_its_index_and_reads_questions_alike(tmp_path: Path) -> None:
    files = read_folder(SHIPPED)
    cache = ContentCache(tmp_path)
    first = cache.load(files)
    second = ContentCache(tmp_path).load(files)
    assert second is not first and second.version == first.version
    assert id(second) in _CACHE
    reading = read(QUESTION, second)
    forget_readings()
    assert reading == read(QUESTION, load_files(files))


def test_changed_files_are_a_new_entry(tmp_path: Path) -> None:
    files = read_folder(SHIPPED)
    changed = dict(files)
    changed["faq.yaml"] = files["faq.yaml"] + "\n# a comment\n"
    assert key_of(files) != key_of(changed)
    cache = ContentCache(tmp_path)
    cache.load(files)
    cache.load(changed)
    assert len(list(tmp_path.glob("content-*.pickle"))) == 2


def test_an_unreadable_entry_is_rebuilt(tmp_path: Path) -> None:
    files = read_folder(SHIPPED)
    entry = tmp_path / f"content-{key_of(files)}.pickle"
    tmp_path.mkdir(exist_ok=True)
    entry.write_bytes(b"not a pickle")
    content = ContentCache(tmp_path).load(files)
    assert content.version == load_files(files).version
    assert entry.read_bytes() != b"not a pickle"


def test_a_broken_set_raises_as_loading_does_and_is_not_kept(tmp_path: Path) -> None:
    files = read_folder(SHIPPED)
    files["facts.yaml"] = "facts: [unclosed"
    with pytest.raises(ContentError):
        ContentCache(tmp_path).load(files)
    assert not list(tmp_path.glob("content-*.pickle"))
