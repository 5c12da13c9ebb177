"""The terminal channel as a user runs it: ``python -m bot`` fed on stdin, on a real SQLite database.

Most sessions run the entry point in this process (in a thread, with stdin and stdout on pipes, as a
terminal would give it); the two that kill the bot with -9 start a real process, since only a process
can be killed that way. What a restart finds is the database, so it resumes in this process.
"""

from __future__ import annotations

import io
import os
import queue
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import pytest

from tests.conftest import CLEARED_ENV, ROOT, bot_process, call_main, run_in_process
from tests.engine_driver import EXPERT_ANSWERS

INSIDE_AID_WINDOW = "2023-06-10T10:00:00+08:00"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


@pytest.fixture()
def place(tmp_path: Path) -> dict[str, str]:
    """Settings for one isolated bot: its own database and file folder."""
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", "FILES_DIR": str(tmp_path / "files")}


class Screens:
    """A running ``python -m bot --lang en``: send a line, read the screen it answers with."""

    stdin: TextIO

    def __init__(self, stdout: TextIO) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(stdout,), daemon=True).start()
        self.screen = self._screen()

    def _read(self, stdout: TextIO) -> None:
        for line in stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def errors(self) -> str:
        raise NotImplementedError

    def _screen(self) -> str:
        out = []
        while True:
            line = self.lines.get(timeout=30)
            if line is None:
                raise AssertionError("the bot ended: " + "\n".join(out) + self.errors())
            if line == "" and out and not out[-1].startswith(">"):
                return "\n".join(out)
            if line:
                out.append(line)

    def send(self, line: str) -> str:
        self.stdin.write(line + "\n")
        self.stdin.flush()
        self.screen = self._screen()
        return self.screen

    def press(self, label: str) -> str:
        numbers = re.findall(r"\[(\d+|[a-z])\] ([^\[]+?)(?=\s{3}\[|$)", self.screen, flags=re.M)
        matches = [n for n, text in numbers if text.strip() == label]
        assert len(matches) == 1, f"no single button {label!r} in:\n{self.screen}"
        return self.send(matches[0])

    def close(self) -> int:
        """End the input, as Ctrl-D or the end of a pipe does; the exit status."""
        raise NotImplementedError


class Process(Screens):
    """``python -m bot`` as a real process: for the tests that kill it."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        full_env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
        full_env.update(env)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "--lang", "en", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            env=full_env,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin = self.proc.stdin
        try:
            super().__init__(self.proc.stdout)
        except BaseException:
            self.kill()
            raise

    def errors(self) -> str:
        return self.proc.stderr.read() if self.proc.stderr else ""

    def kill(self) -> None:
        """kill -9: no cleanup of any kind runs in the bot."""
        self.proc.kill()
        self.proc.wait(timeout=30)

    def close(self) -> int:
        if not self.stdin.closed:
            self.stdin.close()
        return self.proc.wait(timeout=30)


class InProcess(Screens):
    """``python -m bot``'s entry point run in a thread of this process, its stdin and stdout on pipes."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        stdin_read, stdin_write = os.pipe()
        stdout_read, stdout_write = os.pipe()
        self.stdin = open(stdin_write, "w", encoding="utf-8")  # noqa: SIM115 (closed by close())
        self._bot_stdin = open(stdin_read, encoding="utf-8")  # noqa: SIM115
        self._bot_stdout = open(stdout_write, "w", encoding="utf-8")  # noqa: SIM115
        self._err = io.StringIO()
        self._as_process = bot_process(("--lang", "en", *args), env, self._bot_stdin, self._bot_stdout, self._err)
        self._as_process.__enter__()
        self.code: int | None = None
        self.ended = False
        self._thread = threading.Thread(target=self._main, name="python -m bot", daemon=True)
        self._thread.start()
        try:
            super().__init__(open(stdout_read, encoding="utf-8"))  # noqa: SIM115 (read to its end)
        except BaseException:
            self.end()
            raise

    def _main(self) -> None:
        try:
            self.code = call_main()
        finally:
            self._bot_stdout.close()  # the end of the output, as when a process exits

    def errors(self) -> str:
        self._thread.join(timeout=30)
        return self._err.getvalue()

    def end(self) -> None:
        """End the input, wait for the bot, and give this process its own environment and streams back."""
        if self.ended:
            return
        self.ended = True
        self.stdin.close()
        self._thread.join(timeout=30)
        self._as_process.__exit__(None, None, None)
        self._bot_stdin.close()

    def close(self) -> int:
        self.end()
        if self._thread.is_alive():
            raise AssertionError("the bot did not end at the end of its input")
        assert self.code is not None
        return self.code


@pytest.fixture()
def terminal(place: dict[str, str]) -> Iterator[Callable[..., InProcess]]:
    """Start ``python -m bot --lang en ARGS`` in this process on ``place``; ended after the test in any case."""
    started: list[InProcess] = []

    def start(*args: str) -> InProcess:
        started.append(InProcess(place, *args))
        return started[-1]

    yield start
    for session in started:
        session.end()


@pytest.fixture()
def process(place: dict[str, str]) -> Iterator[Callable[..., Process]]:
    """Start ``python -m bot --lang en ARGS`` as a real process on ``place``; killed after the test if alive."""
    started: list[Process] = []

    def start(*args: str) -> Process:
        started.append(Process(place, *args))
        return started[-1]

    yield start
    for session in started:
        if session.proc.poll() is None:
            session.kill()


def count(db: str, table: str) -> int:
    path = db.split("///", 1)[1]
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def start_application(session: Screens) -> None:
    session.press("Apply")
    session.press("2023 aid-talent plan (batch 2)")
    session.press("Flexible aid experts")
    for _ in range(12):
        if "Question" not in session.screen:
            break
        if "How many months" in session.screen:
            session.send("3")
            continue
        [label] = [a for q, a in EXPERT_ANSWERS.items() if q in session.screen]
        session.press(label)


def test_whole_application_in_the_terminal_with_a_fix_on_the_review_screen(place, terminal, tmp_path):
    (tmp_path / "form.pdf").write_bytes(PDF)
    (tmp_path / "photo.png").write_bytes(PNG)
    session = terminal("--now", INSIDE_AID_WINDOW)
    assert "What would you like to do?" in session.screen
    start_application(session)
    assert "Your full name" in session.screen
    session.send("李四")
    session.send("13812345678")
    session.send("复旦大学")
    session.press("Education (Regional Education Department)")
    assert "Document 1 of 2" in session.screen
    session.send(f"/file {tmp_path / 'form.pdf'}")
    assert "Received form.pdf." in session.screen
    session.send(f"/file {tmp_path / 'photo.png'}")
    session.press("Done with this document")
    session.press("Skip: my unit sends this one")
    assert "Please check your application" in session.screen
    session.press("Change phone")
    session.send("12345")
    assert "That is not a phone number I can use" in session.screen or "11 digits" in session.screen
    session.send("0991-3689692")
    assert "Phone: +86 991 368 9692" in session.screen
    session.press("Confirm and submit")
    reference = re.search(r"Reference: (AD-[A-Z2-9]{5}-[A-Z2-9]{5})", session.screen).group(1)
    session.press("My submissions")
    assert reference in session.screen and "submitted: sent to the office, not yet reviewed" in session.screen
    assert session.close() == 0

    assert count(place["DATABASE_URL"], "submissions") == 1
    assert count(place["DATABASE_URL"], "documents") == 2
    assert count(place["DATABASE_URL"], "outbox") == 1
    stored = sorted(p.name for p in Path(place["FILES_DIR"]).iterdir())
    assert len(stored) == 2 and not any("form" in name or "photo" in name for name in stored)


def test_killed_mid_journey_the_conversation_resumes_at_the_same_step(process, terminal):
    session = process("--now", INSIDE_AID_WINDOW)
    start_application(session)
    session.send("王五")
    assert "Your phone number?" in session.screen
    session.kill()

    again = terminal("--now", INSIDE_AID_WINDOW)
    assert "Welcome back. We continue where you left off." in again.screen
    assert "Your phone number?" in again.screen
    again.send("13912345678")
    again.send("同济大学")
    again.press("Education (Regional Education Department)")
    assert "Document 1 of 2" in again.screen
    assert again.close() == 0


def test_a_confirm_replayed_after_the_submission_creates_nothing_more(place, process, terminal, tmp_path):
    (tmp_path / "form.pdf").write_bytes(PDF)
    session = process("--now", INSIDE_AID_WINDOW)
    start_application(session)
    for line in ("赵六", "13712345678", "中山大学"):
        session.send(line)
    session.press("Education (Regional Education Department)")
    session.send(f"/file {tmp_path / 'form.pdf'}")
    session.press("Done with this document")
    session.press("Skip: my unit sends this one")
    review = session.screen
    confirm_number = re.search(r"\[(\d+)\] Confirm and submit", review).group(1)
    session.send(confirm_number)
    assert "; not yet reviewed." in session.screen
    session.kill()

    again = terminal("--now", INSIDE_AID_WINDOW)
    again.send(confirm_number)  # the old button number, typed again after a restart
    assert count(place["DATABASE_URL"], "submissions") == 1
    assert count(place["DATABASE_URL"], "outbox") == 1
    again.close()


def test_piped_input_runs_to_the_end_and_exits_0(place, tmp_path):
    result = run_in_process("--lang", "en", stdin="1\n/help\n/file /nonexistent/x.pdf\nhello there\n", env=place)
    assert result.code == 0, result.err
    assert "Question 1: Where do you work now?" in result.out
    assert "Commands: /start" in result.out
    assert "Cannot read /nonexistent/x.pdf" in result.out
    assert "Traceback" not in result.out + result.err


def test_closed_program_cannot_be_applied_for_today(place):
    result = run_in_process("--lang", "en", "--now", "2026-11-21T12:00", stdin="4\n2\n3\n", env=place)
    assert result.code == 0, result.err
    assert "are not open now" in result.out
    assert "Tell me when the next round opens" in result.out


def test_find_check_and_read_deadlines_and_contacts_in_the_terminal(terminal):
    session = terminal("--now", "2026-11-21T12:00")
    session.press("Which program fits me?")
    session.press("Shanxi Province")
    for _ in range(40):
        if "Question" not in session.screen:
            break
        if "[a]" in session.screen:  # a number is asked: lettered buttons
            session.send("8")
        else:
            session.press("Yes" if "Yes" in session.screen else "I don't know")
    assert "Not eligible:" in session.screen
    result = session.screen
    while more := re.search(r"More \(\d+ of \d+\)", session.screen):  # a long result: the rest one tap away
        result += session.press(more.group(0))
    assert "2019 minority backbone training" in result  # ruled out by working in Shanxi, with the reason
    session.press("Main menu")
    session.press("Am I eligible for a program?")
    session.press("2023 special allowance (Shanxi)")
    session.press("Highly skilled workers")
    # the answers given while finding a program are kept: the verdict comes at once, with its clauses
    assert "2023 special allowance (Shanxi) — Highly skilled workers:" in session.screen
    assert "[002_1f98ae5d320914ac.txt §一(二)]" in session.screen
    session.send("/menu")
    session.press("Deadlines, contacts and documents")
    session.press("2023 special allowance (Shanxi)")
    session.press("Deadlines")
    assert "31 March 2023 (Beijing time) (closed 3 years ago)" in session.screen
    session.press("Back")
    session.press("Contacts")
    assert "娄正豹" in session.screen and "2299977" in session.screen
    assert session.close() == 0
