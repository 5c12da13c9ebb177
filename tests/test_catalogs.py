"""Translation catalogs are complete and current: every message in the code is translated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT

CATALOGS = sorted((ROOT / "locales").glob("*/LC_MESSAGES/messages.po"))


def extracted_ids(tmp_path: Path) -> set[str]:
    """Run the same extraction as the README's update command."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "ngettext:1,2", "-k", "N_", "-k", "say", "-k", "B", "-o", str(pot), "--no-location", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_there_are_chinese_and_english_catalogs():
    assert {p.parent.parent.name for p in CATALOGS} >= {"zh", "en"}


@pytest.mark.parametrize("catalog", CATALOGS, ids=[p.parent.parent.name for p in CATALOGS])
def test_catalog_has_no_empty_or_fuzzy_entry(catalog):
    with catalog.open("rb") as handle:
        messages = [m for m in read_po(handle) if m.id]
    assert messages
    for message in messages:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"empty translation for {message.id!r}"
        assert not message.fuzzy, f"fuzzy translation for {message.id!r}"


@pytest.mark.parametrize("catalog", CATALOGS, ids=[p.parent.parent.name for p in CATALOGS])
def test_every_message_in_the_code_is_in_the_catalog(tmp_path, catalog):
    with catalog.open("rb") as handle:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    missing = extracted_ids(tmp_path) - known
    assert not missing, f"run the catalog update in README.md; missing: {sorted(missing)}"


@pytest.mark.parametrize("catalog", CATALOGS, ids=[p.parent.parent.name for p in CATALOGS])
def test_translations_keep_every_placeholder(catalog):
    import re

    with catalog.open("rb") as handle:
        for message in read_po(handle):
            if not message.id:
                continue
            source = message.id if isinstance(message.id, str) else message.id[-1]
            target = message.string if isinstance(message.string, str) else message.string[0]
            placeholders = set(re.findall(r"\{\w+\}", source)) - {"{currency}"}  # Chinese writes 元 for CNY
            assert placeholders <= set(re.findall(r"\{\w+\}", target)), message.id
