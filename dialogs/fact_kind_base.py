"""What a fact kind is: the interface every kind implements, and its defaults.

:mod:`dialogs.fact_kinds` holds the kinds themselves (one class per ``type`` a
fact may have in ``facts.yaml``) and their registry. This module holds what they
share: the base class with its default behaviour (unordered values compared by
equality, no buttons, no hint), the type of a fact's value and of a definition
problem, and the comparisons that need an ordered kind. It is apart so that the
modules that only speak *about* kinds (the schema, the checks, the facts) do not
need the kinds themselves, and so that the kinds module stays the one place a new
kind is added.

Pure: no clock (``today`` is an argument), no I/O.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar, TypeVar

from dialogs.i18n import Translator
from dialogs.inputs import Parsed

if TYPE_CHECKING:
    from dialogs.schema_facts import FactDef

#: What a fact holds: stored with the conversation as JSON, so only JSON scalars.
FactValue = bool | int | str
#: A problem in a fact's definition: the path below the fact (``("values",)``) and the message.
DefinitionProblem = tuple[tuple[str | int, ...], str]

V = TypeVar("V", bound=FactValue)

ORDERED_OPS = frozenset({"lt", "lte", "gt", "gte"})


def widen(parsed: Parsed[V]) -> Parsed[FactValue]:
    """A parser's typed result as a fact's (``Parsed`` is invariant in its value type)."""
    return Parsed(value=parsed.value, error=parsed.error)


class FactKind(ABC):
    """The base of every kind: unordered values compared by equality, no buttons, no hint.

    A kind must say which values it takes, which answers the matcher should try
    and how it reads a typed answer; the rest has a default to override."""

    #: The ``type`` written in ``facts.yaml``.
    name: ClassVar[str]
    #: Whether rules may compare values with ``lt lte gt gte`` (then :meth:`rank` orders them).
    ordered: ClassVar[bool] = False
    #: The optional definition fields this kind reads, among values, value_labels, min, max, unit and
    #: from_birth_date; a definition setting another one is refused.
    uses: ClassVar[frozenset[str]] = frozenset()
    #: What a typed answer should be (``number``), so a channel does not take it for a button.
    expects: ClassVar[str | None] = None
    #: How many answer buttons share a row.
    row_width: ClassVar[int] = 1

    # ---- the definition

    def check(self, fact: FactDef) -> Iterator[DefinitionProblem]:
        """What is wrong with the definition: here, optional fields this kind does not read."""
        if "values" not in self.uses and (fact.values or fact.value_labels):
            yield ("values",), f"a {self.name} fact has no list of values"
        if "min" not in self.uses and (fact.min is not None or fact.max is not None):
            yield ("min",), "min and max are for int facts"
        if "unit" not in self.uses and fact.unit is not None:
            yield ("unit",), "a unit is for int facts"
        if "from_birth_date" not in self.uses and fact.from_birth_date:
            yield ("from_birth_date",), "from_birth_date is for an int fact (an age)"

    @abstractmethod
    def value_problem(self, fact: FactDef, value: object) -> str | None:
        """Why ``value`` cannot be a value of ``fact`` (in a rule, a profile, an answer), or None."""

    # ---- rules

    def rank(self, fact: FactDef, value: FactValue) -> int:
        """The position of ``value`` on the kind's scale; only ordered kinds have one."""
        raise TypeError(f"a {self.name} fact has no order")

    def same(self, fact: FactDef, value: FactValue, operand: FactValue) -> bool:
        """Whether a rule's operand names this value (``True`` is not ``1``)."""
        return value == operand and type(value) is type(operand)

    def compare(self, fact: FactDef, op: str, value: FactValue, operand: FactValue | tuple[FactValue, ...]) -> bool:
        """One fact test of a rule: ``value op operand``."""
        if op in ("in", "not_in"):
            assert isinstance(operand, tuple)  # the schema's in and not_in hold a list of values
            found = any(self.same(fact, value, o) for o in operand)
            return found if op == "in" else not found
        assert not isinstance(operand, tuple)  # the other comparisons hold one value
        if op in ("eq", "ne"):
            return self.same(fact, value, operand) == (op == "eq")
        left, right = self.rank(fact, value), self.rank(fact, operand)
        return {"lt": left < right, "lte": left <= right, "gt": left > right, "gte": left >= right}[op]

    @abstractmethod
    def candidates(self, fact: FactDef, operands: Sequence[FactValue]) -> list[FactValue]:
        """Answers that could make a difference to rules comparing the fact with ``operands``
        (the matcher tries each to pick the most decisive question)."""

    # ---- the question

    def buttons(self, fact: FactDef) -> tuple[tuple[str, FactValue], ...]:
        """The answer buttons as ``(token, value)``: the token travels in the button's data."""
        return ()

    def from_button(self, fact: FactDef, token: str) -> FactValue | None:
        """The value a pressed button stands for; None for a token no button of this fact carries."""
        return next((value for own, value in self.buttons(fact) if own == token), None)

    def hint(self, fact: FactDef) -> str | None:
        """A line under the question saying how to answer (a message id), when buttons do not."""
        return None

    @abstractmethod
    def parse(self, fact: FactDef, text: str, *, lang: str, today: dt.date) -> Parsed[FactValue]:
        """A typed answer as a value, or a refusal saying why not (``lang`` names the reader's language)."""

    def label(self, fact: FactDef, value: FactValue, tr: Translator) -> str:
        """The value as the reader reads it (an answer button, "change an answer")."""
        return str(value)
