"""Translation catalogs are complete and current: every message in the code is translated in every language."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES
from tests.conftest import ROOT

CATALOGS = sorted((ROOT / "locales").glob("*/LC_MESSAGES/messages.po"))
IDS = [p.parent.parent.name for p in CATALOGS]
#: The README's two commands (section "Translations"), minus the paths.
EXTRACT = ["extract", "-F", "babel.cfg", "--no-location", "--sort-output"]
UPDATE = ["update", "--ignore-pot-creation-date"]
#: The marker functions: babel.cfg lists the engine's own (say, say_n, B) besides gettext's usual names.
MARKERS = {"_", "gettext", "ngettext", "N_", "say", "say_n", "B"}
CJK = re.compile(r"[\u3400-\u9fff]")


def pybabel(*args: str, cwd: Path = ROOT) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=cwd, check=True, capture_output=True)


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel(*EXTRACT, "-o", str(pot), ".")
    return pot


def test_there_is_a_catalog_for_every_language():
    assert sorted(IDS) == sorted(LANGUAGES)


@pytest.mark.parametrize("catalog", CATALOGS, ids=IDS)
def test_catalog_has_no_empty_or_fuzzy_entry(catalog):
    messages = [m for m in read(catalog) if m.id]
    assert messages
    for message in messages:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"empty translation for {message.id!r}"
        assert not message.fuzzy, f"fuzzy translation for {message.id!r}"
    assert not read(catalog).obsolete, "obsolete entries left: run the README's catalog update"


@pytest.mark.parametrize("catalog", CATALOGS, ids=IDS)
def test_plural_forms_are_those_of_the_language(catalog):
    lang = catalog.parent.parent.name
    expected = get_plural(lang)
    assert read(catalog).plural_forms == f"nplurals={expected.num_plurals}; plural={expected.plural_expr};"


@pytest.mark.parametrize("catalog", CATALOGS, ids=IDS)
def test_every_message_in_the_code_is_in_the_catalog(template, catalog):
    known = {key(m) for m in read(catalog) if m.id}
    missing = {key(m) for m in read(template) if m.id} - known
    assert not missing, f"run the catalog update in README.md; missing: {sorted(missing)}"


def test_extract_then_update_changes_nothing(tmp_path, template):
    """The README's update, run on a clean tree, leaves every catalog byte for byte as committed."""
    copy = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", copy)
    pybabel(*UPDATE, "-i", str(template), "-d", str(copy))
    for catalog in CATALOGS:
        updated = copy / catalog.relative_to(ROOT / "locales")
        assert updated.read_bytes() == catalog.read_bytes(), (
            f"{catalog.relative_to(ROOT)} is not current: run the README's catalog update"
        )


@pytest.mark.parametrize("catalog", CATALOGS, ids=IDS)
def test_translations_keep_every_placeholder(catalog):
    for message in read(catalog):
        if not message.id:
            continue
        sources = (message.id,) if isinstance(message.id, str) else message.id
        targets = (message.string,) if isinstance(message.string, str) else message.string
        wanted = set().union(*(re.findall(r"\{\w+\}", s) for s in sources)) - {"{currency}"}  # 元 / يۈەن stand for CNY
        for target in targets:
            assert wanted <= set(re.findall(r"\{\w+\}", target)), message.id
            assert set(re.findall(r"\{\w+\}", target)) <= wanted | {"{currency}"}, (
                f"unknown placeholder in {message.id!r}"
            )


@pytest.mark.parametrize("lang", ["en", "ug"])
def test_english_and_uyghur_catalogs_hold_no_chinese(lang):
    catalog = ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po"
    for message in read(catalog):
        targets = (message.string,) if isinstance(message.string, str) else message.string
        assert not any(CJK.search(t) for t in targets if message.id), message.id


def _source_files() -> list[Path]:
    return sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "dialogs").rglob("*.py")])


@pytest.mark.parametrize("path", _source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_message_id_is_built_at_run_time(path):
    """An f-string (or a concatenation) as a message id can never be in the catalog."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = (
            node.func.id
            if isinstance(node.func, ast.Name)
            else node.func.attr
            if isinstance(node.func, ast.Attribute)
            else None
        )
        if name in MARKERS:
            first = node.args[0]
            assert not isinstance(first, (ast.JoinedStr, ast.BinOp)), (
                f"{path.name}:{node.lineno}: {name}() with a built message id"
            )
