"""``python -m bot content publish|versions|diff|rollback`` and ``audit`` as an admin runs them (CONTRACT §4).

Every command here works on a database of the test's own (``DATABASE_URL``), as a deployment would.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

SX = "programs/sx-state-allowance-2023.yaml"
CITY_CLOSES = "closes: {date: 2023-03-31}"


@pytest.fixture()
def place(tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", "FILES_DIR": str(tmp_path / "files")}


@pytest.fixture()
def moved(content_copy: Path) -> Path:
    """A content folder whose Yangquan deadline is a year later."""
    file = content_copy / SX
    file.write_text(file.read_text(encoding="utf-8").replace(CITY_CLOSES, "closes: {date: 2024-03-29}"), "utf-8")
    return content_copy


def sx_deadline(cli: Callable[..., CliResult], place: dict[str, str]) -> str:
    result = cli("programs", "--json", env=place)
    assert result.code == 0, result.err
    [sx] = [p for p in json.loads(result.out)["programs"] if p["id"] == "sx-state-allowance-2023"]
    return str(sx["deadline"])


def test_publish_shows_the_change_and_publishes_with_yes(cli, place, moved) -> None:
    result = cli("content", "publish", str(moved), "--yes", "--lang", "en", env=place)
    assert result.code == 0, result.err
    assert "31 March 2023" in result.out and "29 March 2024" in result.out
    assert "Version 2 is published" in result.out
    assert sx_deadline(cli, place).startswith("2024-03-29")


def test_publish_without_yes_and_without_a_terminal_changes_nothing(cli, place, moved) -> None:
    result = cli("content", "publish", str(moved), env=place)
    assert result.code == 0, result.err
    assert "--yes" in result.out
    assert sx_deadline(cli, place).startswith("2023-03-31")


def test_a_broken_file_is_refused_with_file_and_line_and_nothing_changes(cli, place, content_copy) -> None:
    file = content_copy / SX
    file.write_text(file.read_text(encoding="utf-8").replace(CITY_CLOSES, "closes: {date: 2024-02-30}"), "utf-8")
    result = cli("content", "publish", str(file), "--yes", env=place)
    assert result.code == 1
    assert "nothing was published" in result.err and "Traceback" not in result.err
    assert f"content/{SX}:" in result.err and "deadlines[0].closes.date" in result.err
    versions = cli("content", "versions", "--json", env=place)
    assert [v["number"] for v in json.loads(versions.out)["versions"]] == [1]


def test_one_file_replaces_its_namesake_in_the_version_in_force(cli, place, moved) -> None:
    result = cli("content", "publish", str(moved / SX), "--yes", "--lang", "zh", env=place)
    assert result.code == 0, result.err
    assert "2024年3月29日" in result.out
    assert sx_deadline(cli, place).startswith("2024-03-29")


def test_a_zip_of_the_folder_is_published_as_a_whole(cli, place, moved, tmp_path) -> None:
    archive = tmp_path / "round-2024.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for file in sorted(moved.rglob("*")):
            if file.is_file():
                out.write(file, f"content/{file.relative_to(moved).as_posix()}")
    archive.write_bytes(buffer.getvalue())
    result = cli("content", "publish", str(archive), "--yes", env=place)
    assert result.code == 0, result.err
    assert sx_deadline(cli, place).startswith("2024-03-29")


def test_versions_diff_rollback_and_audit(cli, place, moved) -> None:
    assert cli("content", "publish", str(moved), "--yes", env=place).code == 0

    listing = json.loads(cli("content", "versions", "--json", env=place).out)["versions"]
    assert [(v["number"], v["kind"], v["active"]) for v in listing] == [(2, "publish", True), (1, "seed", False)]
    assert listing[0]["actor"].startswith("cli")

    diff = cli("content", "diff", "1", "2", "--lang", "en", env=place)
    assert diff.code == 0, diff.err
    assert "29 March 2024" in diff.out

    rollback = cli("content", "rollback", "--yes", "--lang", "en", env=place)
    assert rollback.code == 0, rollback.err
    assert "Version 1 is back in force, as version 3" in rollback.out
    assert sx_deadline(cli, place).startswith("2023-03-31")

    audit = json.loads(cli("audit", "--json", env=place).out)["audit"]
    assert [(e["action"], e["target"]) for e in audit[:3]] == [("rollback", "v3"), ("publish", "v2"), ("seed", "v1")]


def test_rollback_to_a_version_that_does_not_exist_is_a_clear_error(cli, place) -> None:
    result = cli("content", "rollback", "7", "--yes", env=place)
    assert result.code == 1
    assert "no version 7" in result.err and "Traceback" not in result.err
