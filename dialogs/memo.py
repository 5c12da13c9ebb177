"""What the engine works out once and reuses: per content version, and per set of answers.

The engine is pure, so the same content and the same answers always give the same assessment, the
same next question and the same reading of a question. Applicants come in thousands and share most
of their answers (every fit-finder starts with none), so each result is kept and reused:

- :class:`PerObject` keeps what is compiled from one loaded object (a content version, a program) as
  long as that object lives, keyed by its identity (content holds mappings, so it is not hashable) and
  dropped by a weakref finalizer when the object goes — a new version never reads an old one's tables;
- :class:`Memo` is a bounded table of answers (cleared whole when full: no bookkeeping per hit, and the
  working set of a round of applicants refills it at once). Every memo registers itself, so
  :func:`forget_answers` empties them all: benchmarks measure a first applicant with it, tests compare
  with a fresh start.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")

#: Every memo table made (weakly: a table goes with whatever owns it; dead ones are swept now and then).
_MEMOS: list[weakref.ref[Memo[Any, Any]]] = []


class Memo(dict[K, V]):
    """A bounded table of results: ``get`` as a dict, :meth:`put` to add (emptied when ``limit`` is reached)."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        if len(_MEMOS) >= 1024 and len(_MEMOS) & (len(_MEMOS) - 1) == 0:  # at each power of two
            _MEMOS[:] = [ref for ref in _MEMOS if ref() is not None]
        _MEMOS.append(weakref.ref(self))

    def put(self, key: K, value: V) -> V:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


#: Other tables of answers, kept in their own way (an LRU of recent readings), by how to empty them.
_FORGETTERS: list[Callable[[], None]] = []


def also_forget(forget: Callable[[], None]) -> None:
    """Have :func:`forget_answers` call ``forget`` too (a table that is not a :class:`Memo`)."""
    _FORGETTERS.append(forget)


def forget_answers() -> None:
    """Empty every memo table: what follows runs as for the first applicant (compiled content stays)."""
    for forget in _FORGETTERS:
        forget()
    for ref in _MEMOS:
        memo = ref()
        if memo is not None:
            memo.clear()


class PerObject(Generic[T, V]):
    """What ``build`` makes of an object, made once and kept exactly as long as the object lives.

    The value must not refer to the object itself (it would keep it alive for ever); it may refer to
    the object's parts."""

    def __init__(self, build: Callable[[T], V]):
        self._build = build
        self._made: dict[int, V] = {}

    def __call__(self, owner: T) -> V:
        made = self._made.get(id(owner))
        if made is None:
            made = self._made[id(owner)] = self._build(owner)
            weakref.finalize(owner, self._made.pop, id(owner), None)
        return made

    def __len__(self) -> int:
        return len(self._made)
