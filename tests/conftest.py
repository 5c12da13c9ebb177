"""Shared fixtures: the shipped content, a writable copy of it, and the CLI (in this process, or as a
subprocess where only a real process will do)."""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pytest
from hypothesis import settings

from dialogs.loader import SHIPPED, Content, load_content

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
# No per-example deadline: a test never asserts a wall-clock time, and on a shared 2-core machine
# a loaded moment made hypothesis fail examples that pass (DeadlineExceeded under a load of 17).
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")

#: Settings a developer's shell may hold that would change what a test sees.
CLEARED_ENV = ("BOT_TOKEN", "DEFAULT_LOCALE", "BOT_DEBUG", "DATABASE_URL")
#: Where a command run by a test looks for published content unless the test names a database: a file
#: that never exists, so the commands read the shipped files whatever a developer published in data/.
UNPUBLISHED_URL = f"sqlite+aiosqlite:///{Path(tempfile.gettempdir()) / f'desk-tests-{os.getpid()}' / 'none.db'}"


def _command_env(env: dict[str, str] | None) -> dict[str, str]:
    return {"DATABASE_URL": UNPUBLISHED_URL, **(env or {})}


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content folder, to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(SHIPPED, target)
    return target


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> CliResult:
    """Run ``python -m bot`` as a user would, in a clean environment: a real process, for the few tests
    that need one (a fresh interpreter, the bare run command). Others use :func:`run_in_process`."""
    full_env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
    full_env.update(_command_env(env))
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=full_env,
        timeout=60,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


class _LastResort(logging.Handler):
    """What ``logging.lastResort`` does in ``python -m bot``, where the CLI and the terminal chat configure
    no logging: a warning or an error is written to stderr. (Under pytest the root logger has pytest's
    handlers, so the last resort never fires; this puts what a user would read back into ``err``.)"""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(self.format(record) + "\n")


@contextlib.contextmanager
def bot_process(
    args: Sequence[str], env: dict[str, str] | None, stdin: TextIO, stdout: TextIO, stderr: TextIO
) -> Iterator[None]:
    """This process made to look like ``python -m bot ARGS`` started by :func:`run_cli`: the same
    environment (settings are read from it by pydantic-settings), working directory, argv and standard
    streams. Undone on leaving."""
    patch = pytest.MonkeyPatch()
    last_resort = _LastResort()
    try:
        for name in CLEARED_ENV:
            patch.delenv(name, raising=False)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        patch.chdir(ROOT)
        patch.setattr(sys, "argv", [str(ROOT / "bot" / "__main__.py"), *args])
        patch.setattr(sys, "stdin", stdin)
        patch.setattr(sys, "stdout", stdout)
        patch.setattr(sys, "stderr", stderr)
        logging.getLogger().addHandler(last_resort)
        yield
    finally:
        logging.getLogger().removeHandler(last_resort)
        patch.undo()


def call_main() -> int:
    """``sys.exit(main())`` of ``bot/__main__.py``, returning the exit status the interpreter would:
    ``SystemExit`` (argparse's ``--help``) gives its code, an uncaught exception its traceback and 1."""
    from bot.__main__ import main

    try:
        code: object = main()
    except SystemExit as exit_:
        code = exit_.code
    except Exception:
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def run_in_process(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> CliResult:
    """:func:`run_cli` without the process: the same entry point, argv, stdin text, environment and
    working directory, with stdout, stderr and the exit status captured as the user would see them."""
    out, err = io.StringIO(), io.StringIO()
    with bot_process(args, _command_env(env), io.StringIO(stdin or ""), out, err):
        code = call_main()
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture()
def cli() -> Callable[..., CliResult]:
    return run_in_process


def _freeze_the_heap() -> None:
    """Collect the garbage, then move every object still alive out of the collector's sight."""
    gc.collect()
    gc.freeze()


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection imported (aiogram's and PTB's types, pydantic's schemas, SQLAlchemy…) lives until
    the end, and each full collection of the garbage collector walked it again: a fifth of a second each,
    seconds over the suite. Frozen, it is skipped; what tests make is collected as before."""
    _freeze_the_heap()


@pytest.fixture(autouse=True, scope="module")
def _freeze_what_a_module_imported() -> Iterator[None]:
    """The same for what tests import on first use (Alembic at the first migration, a runtime at its first
    start…), after each module; what a module's tests leave as garbage is collected before."""
    yield
    _freeze_the_heap()
