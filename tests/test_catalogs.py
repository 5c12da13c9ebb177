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


def _source_files() -> list[Path]:
    return sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "dialogs").rglob("*.py")])


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


def messages_of(catalog) -> dict[tuple[str | None, str], tuple[object, object, tuple[str, ...]]]:
    """What a catalog says, message by message: id (with plural), translation(s) and flags.

    The header (the tool's version, dates) is left out on purpose: it changes with the tool,
    not with what the bot says.
    """
    return {(m.context, key(m)): (m.id, m.string, tuple(sorted(m.flags))) for m in catalog if m.id}


def test_extract_then_update_changes_no_message(tmp_path, template):
    """The README's update, run on a clean tree, changes no message, translation, flag or plural form."""
    copy = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", copy)
    pybabel(*UPDATE, "-i", str(template), "-d", str(copy))
    for catalog in CATALOGS:
        committed, updated = read(catalog), read(copy / catalog.relative_to(ROOT / "locales"))
        name = catalog.relative_to(ROOT)
        before, after = messages_of(committed), messages_of(updated)
        assert sorted(after.keys() - before.keys()) == [], f"{name}: new messages: run the README's catalog update"
        assert sorted(before.keys() - after.keys()) == [], f"{name}: messages gone from the code are still here"
        changed = sorted(k for k in before if before[k] != after[k])
        assert changed == [], f"{name}: the update changes these messages: run the README's catalog update"
        assert updated.plural_forms == committed.plural_forms, name
        assert [key(m) for m in updated.obsolete.values()] == [], name


def _marker_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _marker_calls(tree: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _marker_name(n) in MARKERS]


def _ids_in_code() -> dict[str, str]:
    """Every literal message id passed to a marker in bot/ and dialogs/, read with Python's own parser,
    so that a call an extractor misses (nested, split over lines, a new marker form) is still seen."""
    found: dict[str, str] = {}
    for path in _source_files():
        for call in _marker_calls(ast.parse(path.read_text(encoding="utf-8"))):
            plural = _marker_name(call) in {"say_n", "ngettext"}
            for arg in call.args[: 2 if plural else 1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, f"{path.relative_to(ROOT)}:{call.lineno}")
    return found


def test_the_code_holds_messages_to_check():
    assert len(_ids_in_code()) > 200


@pytest.mark.parametrize("catalog", CATALOGS, ids=IDS)
def test_every_marked_message_found_by_pythons_parser_is_in_the_catalog(catalog):
    known = set()
    for message in read(catalog):
        if message.id:
            known.update((message.id,) if isinstance(message.id, str) else message.id)
    missing = {text: where for text, where in _ids_in_code().items() if text not in known}
    assert missing == {}, (
        f"messages in the code but not in {catalog.relative_to(ROOT)}: run the README's catalog update"
    )


@pytest.mark.parametrize("path", _source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_marker_call_is_nested_in_another(path):
    """say("…", [[B("…")]]) hides the inner message from some extractors (Babel 2.19): build it first."""
    for outer in _marker_calls(ast.parse(path.read_text(encoding="utf-8"))):
        for argument in [*outer.args, *(k.value for k in outer.keywords)]:
            inner = _marker_calls(argument)
            assert inner == [], (
                f"{path.name}:{inner[0].lineno if inner else 0}: {_marker_name(outer)}() holds a marker call"
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


@pytest.mark.parametrize("path", _source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_message_id_is_built_at_run_time(path):
    """An f-string (or a concatenation) as a message id can never be in the catalog."""
    for call in _marker_calls(ast.parse(path.read_text(encoding="utf-8"))):
        if call.args:
            assert not isinstance(call.args[0], (ast.JoinedStr, ast.BinOp)), (
                f"{path.name}:{call.lineno}: {_marker_name(call)}() with a built message id"
            )
