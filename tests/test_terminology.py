"""The English and Uyghur say what the Chinese says, with one rendering per term (issue 15, point 1).

The glossary (tests/data/glossary.yaml) fixes one English and one Uyghur rendering for each Chinese
term that names a unit, a level of government or a kind of track; a text that renders 研修单位 with
the words for 依托单位, or 省区市 as "province or region", tells an applicant something the notice
does not say. Checked here: the fact questions and labels (facts.yaml) and the message catalogs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from dialogs.loader import SHIPPED
from tests.conftest import ROOT

GLOSSARY = ROOT / "tests" / "data" / "glossary.yaml"
#: Content files whose translations this test holds to the glossary.
CONTENT_FILES = ("facts.yaml",)
LOCALES = ROOT / "locales"


@dataclass(frozen=True)
class Term:
    zh: str
    en: tuple[re.Pattern[str], ...]
    ug: tuple[re.Pattern[str], ...]
    not_en: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Triple:
    where: str
    zh: str
    en: str
    ug: str


def load_glossary() -> list[Term]:
    raw = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))["terms"]
    return [
        Term(
            zh=entry["zh"],
            en=tuple(re.compile(p, re.IGNORECASE) for p in entry["en"]),
            ug=tuple(re.compile(p) for p in entry["ug"]),
            not_en=tuple(re.compile(p, re.IGNORECASE) for p in entry.get("not_en", ())),
        )
        for entry in raw
    ]


def _walk(node: object, where: str) -> Iterator[Triple]:
    if isinstance(node, dict):
        if isinstance(node.get("zh"), str) and isinstance(node.get("en"), str) and isinstance(node.get("ug"), str):
            yield Triple(where, node["zh"], node["en"], node["ug"])
        for key, value in node.items():
            yield from _walk(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{where}[{index}]")


def content_triples(name: str, folder: Path = SHIPPED) -> list[Triple]:
    return list(_walk(yaml.safe_load((folder / name).read_text(encoding="utf-8")), name))


def _text(string: str | tuple[str, ...]) -> str:
    return string if isinstance(string, str) else " ".join(string)


def catalog_triples() -> list[Triple]:
    """Each message as (where, zh msgstr, English msgid, ug msgstr): the msgid is the English text."""
    catalogs = {}
    for lang in ("zh", "ug"):
        with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalogs[lang] = read_po(handle)
    triples = []
    for message in catalogs["zh"]:
        if not message.id:
            continue
        english = _text(message.id)
        uyghur = catalogs["ug"].get(message.id)
        triples.append(
            Triple(f"messages.po {english!r}", _text(message.string), english, _text(uyghur.string) if uyghur else "")
        )
    return triples


def mistranslations(triples: list[Triple], glossary: list[Term]) -> list[str]:
    """Every text whose Chinese holds a glossary term that its English or Uyghur does not render as agreed."""
    problems = []
    for triple in triples:
        for term in glossary:
            if term.zh not in triple.zh:
                continue
            if not any(p.search(triple.en) for p in term.en):
                problems.append(f"{triple.where}: {term.zh} is not rendered in English: {triple.en!r}")
            problems.extend(
                f"{triple.where}: {term.zh} rendered as {p.pattern!r}, another term's word: {triple.en!r}"
                for p in term.not_en
                if p.search(triple.en)
            )
            if not any(p.search(triple.ug) for p in term.ug):
                problems.append(f"{triple.where}: {term.zh} is not rendered in Uyghur: {triple.ug!r}")
    return problems


@pytest.fixture(scope="module")
def glossary() -> list[Term]:
    return load_glossary()


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_fact_texts_render_each_term_as_the_glossary_does(name, glossary):
    triples = content_triples(name)
    assert any(term.zh in t.zh for t in triples for term in glossary), "no glossary term in the file: nothing checked"
    assert mistranslations(triples, glossary) == []


def test_catalog_messages_render_each_term_as_the_glossary_does(glossary):
    assert mistranslations(catalog_triples(), glossary) == []


def test_provinces_regions_and_municipalities_are_never_just_province_or_region(glossary):
    wrong = Triple("example", "其他省区市", "Another province or region", "باشقا ئۆلكە، ئاپتونوم رايون، شەھەرلەر")
    problems = mistranslations([wrong], glossary)
    assert any("省区市 is not rendered in English" in p for p in problems)
    assert any("省区市 is not rendered in Uyghur" in p for p in problems)


def test_the_training_unit_is_never_called_the_host_unit(glossary):
    wrong = Triple(
        "example", "疆内用人单位已与疆外研修单位签订意向研修协议", "signed with the host unit", "ئىلىم ئاشۇرۇش ئورنى"
    )
    assert mistranslations([wrong], glossary) == [
        "example: 研修单位 is not rendered in English: 'signed with the host unit'",
        "example: 研修单位 rendered as 'host unit', another term's word: 'signed with the host unit'",
    ]


def test_near_five_years_is_not_read_as_all_of_the_last_five_years(glossary):
    wrong = Triple("example", "近5年在专业技术岗位上工作", "worked in a post for the last 5 years", "يېقىنقى 5 يىل")
    assert mistranslations([wrong], glossary) == [
        "example: 近5年 is not rendered in English: 'worked in a post for the last 5 years'",
        "example: 近5年 rendered as 'for the last 5 years', another term's word: 'worked in a post for the last 5 years'",
    ]


def test_a_changed_fact_label_that_drops_the_municipalities_is_caught(content_copy, glossary):
    facts = content_copy / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(
        text.replace("Another province, autonomous region or municipality", "Another province"), encoding="utf-8"
    )
    [problem] = mistranslations(content_triples("facts.yaml", content_copy), glossary)
    assert ".value_labels.other: 省区市 is not rendered in English" in problem


def test_the_bot_never_tells_applicants_in_chinese_that_it_has_accepted_their_application_for_handling():
    # 受理 is what the office does after review; the bot only receives (收到/接收) a submission.
    offending = [t.where for t in catalog_triples() if "受理" in t.zh]
    assert offending == []
