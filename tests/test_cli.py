"""The ``python -m bot`` command line: the contract's output, and one clear line for bad input.

The commands run in this process through the real entry point (the ``cli`` fixture); two tests start a
real process because only one can show it: the imports of a fresh interpreter, and the bare run command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS, run_cli
from tests.services import require_seeds

ELIGIBLE_2020_PROFESSIONAL = {
    "nationality": "CN",
    "age": 48,
    "region": "xinjiang",
    "employer": "public_institution",
    "post": "professional",
    "title": "senior",
    "leader_not_practicing": False,
    "vice_provincial_or_above": False,
    "academician": False,
    "has_state_allowance": False,
    "professional_achievement": True,
}


@pytest.fixture()
def profile_file(tmp_path: Path):
    def write(data: object, raw: str | None = None) -> str:
        file = tmp_path / "profile.json"
        file.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8")
        return str(file)

    return write


def test_check_returns_one_result_per_track_in_contract_shape(cli, profile_file):
    result = cli("check", "--json", "--profile", profile_file(ELIGIBLE_2020_PROFESSIONAL), "--now", "2020-04-01T10:00")
    assert result.code == 0, result.err
    results = json.loads(result.out)["results"]
    assert len(results) == 11
    for entry in results:
        assert set(entry) == {"program", "track", "verdict", "open", "missing", "reasons"}
        assert entry["verdict"] in {"eligible", "ineligible", "undetermined"}
        for reason in entry["reasons"]:
            assert {"rule", "met", "text", "source"} <= set(reason)
            assert reason["met"] in (True, False, None)
            assert reason["text"]
            file, clause = reason["source"].split(" ", 1)
            assert file.endswith(".txt") and clause.startswith("§")
    mine = next(r for r in results if (r["program"], r["track"]) == ("xj-state-allowance-2020", "professional"))
    assert mine["verdict"] == "eligible" and mine["open"] is True and mine["missing"] == []
    assert (
        next(r for r in results if (r["program"], r["track"]) == ("sx-state-allowance-2023", "professional"))["verdict"]
        == "ineligible"
    )


def test_check_order_is_stable(cli, profile_file):
    path = profile_file(ELIGIBLE_2020_PROFESSIONAL)
    first = [(r["program"], r["track"]) for r in json.loads(cli("check", "--json", "--profile", path).out)["results"]]
    second = [(r["program"], r["track"]) for r in json.loads(cli("check", "--json", "--profile", path).out)["results"]]
    assert first == second


def test_check_reads_the_profile_from_stdin_and_lists_missing_facts(cli):
    result = cli(
        "check",
        "--json",
        "--profile",
        "-",
        "--program",
        "xj-minority-backbone-2019",
        stdin='{"age": 30, "region": "xinjiang_south"}',
    )
    assert result.code == 0, result.err
    [entry] = json.loads(result.out)["results"]
    assert entry["verdict"] == "undetermined"
    assert entry["track"] is None
    assert "employer" in entry["missing"] and "age" not in entry["missing"]


def test_check_cites_sources_that_exist_in_the_notices(cli, profile_file):
    result = cli("check", "--json", "--profile", profile_file({}))
    sources = {r["source"] for entry in json.loads(result.out)["results"] for r in entry["reasons"]}
    files = {s.split(" ", 1)[0] for s in sources}
    assert files <= {p.name for p in require_seeds(SEEDS).glob("*.txt")}
    assert len(files) == 5


def test_check_explains_softened_requirements_in_english(cli, profile_file):
    profile = {"region": "shanxi", "post": "skilled", "skill_level": "technician"}
    result = cli(
        "check",
        "--json",
        "--lang",
        "en",
        "--profile",
        profile_file(profile),
        "--program",
        "sx-state-allowance-2023",
        "--track",
        "skilled",
    )
    [entry] = json.loads(result.out)["results"]
    assert entry["verdict"] == "ineligible"
    reason = next(r for r in entry["reasons"] if r["rule"] == "senior-technician")
    assert reason["met"] is False and reason["softened"] == "generally"
    assert 'The notice says "generally": exceptions are possible.' in reason["text"]
    assert any("0351-7676026" in contact for contact in reason["ask"])  # whom to ask, with a number
    assert reason["source"] == "002_1f98ae5d320914ac.txt §一(二)"


def test_check_prints_readable_verdicts_without_json(cli, profile_file):
    result = cli(
        "check",
        "--profile",
        profile_file(ELIGIBLE_2020_PROFESSIONAL),
        "--program",
        "xj-state-allowance-2020",
        "--track",
        "professional",
        "--now",
        "2026-11-21",
    )
    assert result.code == 0
    assert "符合条件" in result.out and "当前不在申报期" in result.out
    assert "001_f6ccedd1290f421a.txt §二(一)" in result.out


@pytest.mark.parametrize(
    ("profile", "raw", "message"),
    [
        (None, "{not json", "not valid JSON"),
        (["age", 30], None, "a profile is a JSON object of facts"),
        ({"agee": 30}, None, "unknown fact 'agee'"),
        ({"age": "forty"}, None, "'age' is a whole number, not 'forty'"),
        ({"age": True}, None, "'age' is a whole number, not True"),
        ({"age": 12.5}, None, "'age' is a whole number"),
        ({"civil_servant": "no"}, None, "'civil_servant' is true or false"),
        ({"title": "professor"}, None, "'title' is one of none, junior, intermediate, associate_senior, senior"),
        ({"nationality": "China"}, None, "ISO 3166 alpha-2 country code"),
        ({"age": 300}, None, "'age' cannot be above 100"),
    ],
    ids=[
        "malformed-json",
        "not-an-object",
        "unknown-fact",
        "text-for-number",
        "bool-for-number",
        "fraction",
        "text-for-bool",
        "unknown-level",
        "country-name",
        "impossible-age",
    ],
)
def test_bad_profile_exits_2_with_one_clear_line(cli, profile_file, profile, raw, message):
    result = cli("check", "--json", "--profile", profile_file(profile, raw))
    assert result.code == 2
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--profile", "/nonexistent/p.json"], "no such file"),
        (["check", "--profile", "-", "--program", "xj-nothing"], "unknown program 'xj-nothing'"),
        (["check", "--profile", "-", "--program", "xj-aid-talent-2023b2", "--track", "pilot"], "unknown track 'pilot'"),
        (["check", "--profile", "-", "--track", "skilled"], "--track needs --program"),
        (["programs", "--now", "2023-02-30"], "--now: '2023-02-30' is not an ISO 8601"),
        (["programs", "--now", "yesterday"], "--now: 'yesterday' is not an ISO 8601"),
        (["check"], "the following arguments are required: --profile"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["ask", "--lang", "fr", "hello"], "invalid choice: 'fr'"),
        (["ask", "--program", "nope", "截止时间"], "unknown program 'nope'"),
        (["ask", " "], "the question is empty"),
    ],
    ids=[
        "missing-file",
        "unknown-program",
        "unknown-track",
        "track-without-program",
        "feb-30",
        "not-a-date",
        "no-profile",
        "unknown-command",
        "unknown-language",
        "ask-unknown-program",
        "empty-question",
    ],
)
def test_bad_arguments_exit_2_with_one_clear_line(cli, args, message):
    result = cli(*args, stdin="{}")
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.err
    assert "Traceback" not in result.err


def test_content_check_passes_on_shipped_content(cli):
    result = cli("content", "check")
    assert result.code == 0, result.out
    assert "content is valid" in result.out


def test_content_check_lists_each_problem_with_file_line_and_field(cli, content_copy):
    file = content_copy / "programs" / "xj-state-allowance-2020.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace("{fact: nationality, eq: CN}", "{fact: nationalty, eq: CN}"),
        encoding="utf-8",
    )
    result = cli("content", "check", str(content_copy))
    assert result.code == 1
    [line] = [out for out in result.out.splitlines() if "nationalty" in out]
    assert line.startswith("content/programs/xj-state-allowance-2020.yaml:")
    assert line.endswith("requirements[2].rule.fact: unknown fact 'nationalty'")


def test_content_check_reports_a_quote_that_is_not_in_the_cited_clause(cli, content_copy):
    file = content_copy / "programs" / "xj-minority-backbone-2019.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace('quote: "年龄在45岁以下（含45岁）"', "quote: 具有本科以上学历", 1), encoding="utf-8")
    result = cli("content", "check", str(content_copy))
    assert result.code == 1
    [line] = [out for out in result.out.splitlines() if "本科" in out]
    assert line.startswith("content/programs/xj-minority-backbone-2019.yaml:")
    assert "requirements[4].quote: '具有本科以上学历' is in the notice, but not in §二(三)" in line


def test_commands_refuse_to_run_on_broken_content(cli, content_copy):
    (content_copy / "facts.yaml").write_text("facts: [", encoding="utf-8")
    result = cli("programs", "--content", str(content_copy))
    assert result.code == 1
    assert "content check" in result.err and "Traceback" not in result.err


def test_cli_does_not_import_telegram_or_database_libraries(tmp_path):
    """Where nothing was published (no database file), a command reads the shipped files and stays quick."""
    probe = (
        "import sys, io, contextlib\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['programs', '--json'])\n"
        "    main(['ask', '援疆项目什么时候截止'])\n"
        "heavy = [m for m in ('aiogram', 'telegram', 'sqlalchemy', 'aiohttp', 'httpx') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'none.db'}", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
    assert not (tmp_path / "none.db").exists()


def test_bare_command_opens_the_local_chat_and_ends_with_the_input(tmp_path):
    """The README's run command, ``python -m bot`` with nothing but its input piped: a real process."""
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "FILES_DIR": str(tmp_path / "files"),
        "DEFAULT_LOCALE": "en",
    }
    result = run_cli(stdin="", env=env)
    assert result.code == 0, result.err
    assert "What would you like to do?" in result.out
    assert (tmp_path / "bot.db").is_file()
