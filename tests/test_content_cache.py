"""The content cache (and the compiled catalogs kept beside it): a hit gives the same as loading or compiling;
anything else is a miss, never an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import i18n
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


# --------------------------------------------------------------------------- compiled catalogs


@pytest.fixture()
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Compiled catalogs kept in a folder of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(i18n, "_compiled_dir", folder)
    return folder


def test_a_compiled_catalog_is_kept_and_read_back_without_babel(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = i18n._compile("en")
    assert compiled is not None and len(list(kept.glob("catalog-en-*.mo"))) == 1

    def no_babel(source: bytes, lang: str) -> bytes:
        raise AssertionError("compiled again")

    monkeypatch.setattr(i18n, "_mo_of", no_babel)
    again = i18n._compile("en")
    assert again is not None and again._catalog == compiled._catalog  # type: ignore[attr-defined]


def test_an_edited_catalog_is_compiled_anew_and_replaces_its_entry(
    kept: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, locales)
    monkeypatch.setattr(i18n, "LOCALES_DIR", locales)
    before = i18n._compile("en")
    po = locales / "en" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Back"', 'msgstr "Go back"', 1), encoding="utf-8")
    after = i18n._compile("en")
    assert before is not None and after is not None
    assert (before.gettext("Back"), after.gettext("Back")) == ("Back", "Go back")
    assert len(list(kept.glob("catalog-en-*.mo"))) == 1


def test_an_unreadable_compiled_catalog_is_compiled_again(kept: Path) -> None:
    i18n._compile("zh")
    [entry] = kept.glob("catalog-zh-*.mo")
    entry.write_bytes(b"not a catalog")
    compiled = i18n._compile("zh")
    assert compiled is not None and compiled.gettext("Back") != "Back"
    assert entry.read_bytes() != b"not a catalog"
