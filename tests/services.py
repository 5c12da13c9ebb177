"""What some tests need from outside the project: a PostgreSQL server and the notices in ``../shared/seeds``.

Found, or a clear way out. In CI (``CI=true``) nothing may be skipped: a missing server or folder fails
the test with how to provide it. A developer without PostgreSQL may opt out with ``TEST_POSTGRES_URL=skip``;
the tests then show as skipped with that reason (``-rs``), never silently.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import asyncpg
import pytest
from sqlalchemy.engine import URL, make_url

#: Every machine of this project (and CI's) runs PostgreSQL 15 here, with trust auth.
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
OPT_OUT = "skip"
T = TypeVar("T")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(what: str, how: str, *, may_skip: bool) -> NoReturn:
    """Fail with ``how`` (always in CI), or skip with the same words where a developer may."""
    if may_skip and not in_ci():
        pytest.skip(f"{what}: {how}")
    rule = " (CI may not skip)" if may_skip else ""
    pytest.fail(f"{what}{rule}: {how}", pytrace=False)


def require_seeds(seeds: Path) -> Path:
    if not seeds.is_dir():
        unavailable(
            f"the notices are not at {seeds}",
            "check the project out next to shared/ (CI lays shared/ beside the clone)",
            may_skip=True,
        )
    return seeds


def _asyncpg_arguments(url: URL) -> dict[str, object]:
    return {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username,
        "password": url.password,
        "database": url.database,
    }


async def _admin(url: URL, statement: str) -> None:
    connection = await asyncpg.connect(**_asyncpg_arguments(url), timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def run_apart(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` on a loop of its own in another thread: a synchronous fixture may be asked for
    from inside a running loop (an async fixture's), where ``asyncio.run`` is refused."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


def postgres_database() -> Iterator[str]:
    """A database of this test session's own on the PostgreSQL server, dropped at the end.

    Its own, so that two runs on one machine (a developer's and CI's, or two worktrees) never wipe
    each other's tables."""
    configured = os.environ.get("TEST_POSTGRES_URL", "").strip()
    if configured.lower() == OPT_OUT:
        unavailable(
            "PostgreSQL tests not run on request (TEST_POSTGRES_URL=skip)",
            f"unset it to run them; start the server with: {START_POSTGRES}",
            may_skip=True,
        )
    base = make_url(configured or DEFAULT_POSTGRES_URL)
    name = f"bot_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        run_apart(_admin(base, f'CREATE DATABASE "{name}"'))
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        unavailable(
            f"no PostgreSQL server at {base.render_as_string(hide_password=True)} ({error})",
            f"start it with: {START_POSTGRES}  (or set TEST_POSTGRES_URL to another server; "
            "TEST_POSTGRES_URL=skip skips these tests outside CI)",
            may_skip=False,
        )
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        run_apart(_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
