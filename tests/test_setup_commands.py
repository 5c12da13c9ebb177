"""The README's two set-up commands are the ones CI runs, and they install from the lock."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    """The command lines of the README's "Set-up: two commands" block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Set-up: two commands\n.*?```sh\n(.*?)```", readme, re.S)
    assert block is not None, "README.md has no set-up block"
    return [line for line in block[1].splitlines() if line.strip() and not line.startswith("#")]


def test_there_are_two_commands_one_runs_the_bot_one_the_tests():
    run, test = readme_commands()
    assert run.endswith("python -m bot")
    assert test.endswith("python -m pytest")


def test_ci_runs_both_readme_commands_word_for_word():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in readme_commands():
        assert command in ci, command


def test_both_commands_install_with_the_lock_as_constraints():
    for command in readme_commands():
        assert "-c requirements.txt" in command, command


def test_the_lock_pins_every_package_to_one_version():
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.split("#")[0].strip()
    ]
    assert lines
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9._-]*==[^=\s]+", line) for line in lines), lines
    names = {line.split("==")[0] for line in lines}
    assert {"babel", "aiogram", "python-telegram-bot", "sqlalchemy", "pytest", "ruff", "mypy", "asyncpg"} <= names


def test_the_lock_names_no_local_path_or_index():
    """A path of the machine that made it, or its package index, would not exist on the next one."""
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    options = [line for line in lines if line.startswith("-")]
    assert options == []
    assert not any("file:" in line or "@ " in line for line in lines if not line.startswith("#"))
