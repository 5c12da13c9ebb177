"""Second versions of the content, made as an admin would: the shipped folder copied, its YAML edited as data.

Every edit keeps the content valid (every sourced item quoted, or marked as the office's own), so
:func:`dialogs.loader.load_content` and publishing take it. Used by the tests of conversations and
submissions that cross a publish.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from dialogs.loader import SHIPPED

AID_FILE = "programs/xj-aid-talent-2023b2.yaml"
#: An edit of a copied content folder.
Edit = Callable[[Path], None]


def copied(root: Path) -> Path:
    """The shipped content folder copied to ``root/content``."""
    target = root / "content"
    shutil.copytree(SHIPPED, target)
    return target


def edit(root: Path, relpath: str, change: Callable[[Any], None]) -> None:
    """Change one YAML file of the content folder as data (comments are not kept: the loader needs none)."""
    path = root / relpath
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def without_fact(fact: str, requirement: str) -> Callable[[Path], None]:
    """The question no longer asked: the fact and the one requirement that tested it are removed."""

    def change(root: Path) -> None:
        edit(root, "facts.yaml", lambda d: d.update(facts=[f for f in d["facts"] if f["id"] != fact]))
        edit(root, AID_FILE, lambda d: d.update(requirements=[r for r in d["requirements"] if r["id"] != requirement]))

    return change


def without_value(fact: str, value: str) -> Callable[[Path], None]:
    def drop(data: dict[str, Any]) -> None:
        for definition in data["facts"]:
            if definition["id"] == fact:
                definition["values"].remove(value)
                del definition["value_labels"][value]

    return lambda root: edit(root, "facts.yaml", drop)


def prune_track(node: Any, track: str) -> Any:
    """Every item of a list that names ``track`` among its ``tracks`` no longer names it (dropped when it named
    no other): requirements, documents, benefits, contacts' duties, the steps of applying."""
    if isinstance(node, list):
        kept = []
        for item in node:
            if isinstance(item, dict) and isinstance(item.get("tracks"), list):
                item["tracks"] = [t for t in item["tracks"] if t != track]
                if not item["tracks"]:
                    continue
            kept.append(prune_track(item, track))
        return kept
    if isinstance(node, dict):
        return {key: prune_track(value, track) for key, value in node.items()}
    return node


def without_track(track: str) -> Callable[[Path], None]:
    def drop(data: dict[str, Any]) -> None:
        tracks = [t for t in data["tracks"] if t["id"] != track]
        data.update({key: prune_track(value, track) for key, value in data.items() if key != "tracks"})
        data["tracks"] = tracks

    return lambda root: edit(root, AID_FILE, drop)


def without_program(root: Path) -> None:
    (root / AID_FILE).unlink()


def without_document(item: str) -> Callable[[Path], None]:
    return lambda root: edit(
        root, AID_FILE, lambda d: d.update(documents=[x for x in d["documents"] if x["id"] != item])
    )


def with_cv_first(root: Path) -> None:
    """A document the applicant sends themselves, added at the head of the experts' checklist."""
    cv = {
        "id": "cv",
        "tracks": ["flexible-expert"],
        "name": {"zh": "个人简历", "en": "Curriculum vitae", "ug": "تەرجىمىھال"},
        "provided_by": "applicant",
        "basis": "office",
        "source": "§二(三)2",
    }
    edit(root, AID_FILE, lambda d: d["documents"].insert(0, cv))


def closed_on_9_june(root: Path) -> None:
    """The application deadline moved to 9 June, 20:00 (its note, which stated the old date, dropped)."""

    def move(data: dict[str, Any]) -> None:
        for milestone in data["deadlines"]:
            if milestone["id"] == "application":
                milestone["closes"] = {"date": "2023-06-09", "time": "20:00"}
                milestone.pop("note", None)

    edit(root, AID_FILE, move)


def shanxi_renamed(root: Path) -> None:
    """A change elsewhere: another program's track is renamed."""

    def rename(data: dict[str, Any]) -> None:
        data["tracks"][0]["title"]["en"] = "Professional and technical talent"

    edit(root, "programs/sx-state-allowance-2023.yaml", rename)


#: The experts' track and their application form as renamed by :func:`experts_renamed`.
RENAMED_TRACK = {"zh": "柔性引进专家", "en": "Flexibly recruited experts", "ug": "جانلىق جەلپ قىلىنغان مۇتەخەسسىسلەر"}
RENAMED_FORM = {
    "zh": "专家人才项目申报表（新版）",
    "en": "Expert application form (new edition)",
    "ug": "مۇتەخەسسىس ئىلتىماس جەدۋىلى (يېڭى نەشرى)",
}


def experts_renamed(root: Path) -> None:
    """The experts' track and the application form they send get new names (same ids)."""

    def rename(data: dict[str, Any]) -> None:
        for track in data["tracks"]:
            if track["id"] == "flexible-expert":
                track["title"] = dict(RENAMED_TRACK)
        for document in data["documents"]:
            if document["id"] == "small-team-expert-application-form":
                document["name"] = dict(RENAMED_FORM)

    edit(root, AID_FILE, rename)
