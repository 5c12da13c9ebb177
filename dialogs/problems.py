"""Problems found in content files, each pinned to a file, a line and a field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: A place inside a parsed file: mapping keys and list indexes from the root.
Path = tuple[str | int, ...]


class DialogsError(Exception):
    """Base of every error the domain package raises."""


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.file}:{self.line}: {self.field}: {prefix}{self.message}"


class ContentError(DialogsError):
    """Content that must not be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def field_name(path: Iterable[str | int]) -> str:
    """``('tracks', 1, 'title', 'zh')`` → ``tracks[1].title.zh``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"
