"""The shape of a program's eligibility: its rules over applicant facts and its requirements.

A rule is the small language eligibility is written in (``all``/``any``/``not``
and one comparison of one fact); :mod:`dialogs.rules` evaluates it,
:mod:`dialogs.matcher` reads which facts it needs, :mod:`dialogs.checks` checks
its facts and values against ``facts.yaml``. Requirements and the conditions the
reviewers judge are the parts of a program file (:mod:`dialogs.schema_program`)
that carry rules and texts.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from dialogs.schema import Clause, ContentModel, Grounded, Id, Text

Scalar = bool | int | str


class Rule(ContentModel):
    """A rule over applicant facts.

    Exactly one form per node: ``all: [...]``, ``any: [...]``, ``not: rule``, or a
    fact test ``{fact: title, gte: associate_senior}`` with exactly one
    comparison (``eq ne lt lte gt gte in not_in``).
    """

    all_: tuple[Rule, ...] | None = Field(default=None, alias="all", min_length=1)
    any_: tuple[Rule, ...] | None = Field(default=None, alias="any", min_length=1)
    not_: Rule | None = Field(default=None, alias="not")
    fact: str | None = None
    eq: Scalar | None = None
    ne: Scalar | None = None
    lt: Scalar | None = None
    lte: Scalar | None = None
    gt: Scalar | None = None
    gte: Scalar | None = None
    in_: tuple[Scalar, ...] | None = Field(default=None, alias="in", min_length=1)
    not_in: tuple[Scalar, ...] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_form(self) -> Rule:
        combinators = [k for k in ("all_", "any_", "not_") if getattr(self, k) is not None]
        ops = self.comparisons()
        if combinators and (ops or self.fact is not None):
            raise ValueError("a rule is either all/any/not or a fact test, not both")
        if len(combinators) > 1:
            raise ValueError("use one of all/any/not per rule; nest them to combine")
        if not combinators:
            if self.fact is None:
                raise ValueError("a rule needs all, any, not or fact")
            if len(ops) != 1:
                raise ValueError("a fact test needs exactly one comparison: eq, ne, lt, lte, gt, gte, in or not_in")
        return self

    def comparisons(self) -> dict[str, Scalar | tuple[Scalar, ...]]:
        """The comparison of a fact test as ``{op: value}`` (empty for combinators)."""
        found: dict[str, Scalar | tuple[Scalar, ...]] = {}
        for op in ("eq", "ne", "lt", "lte", "gt", "gte"):
            if getattr(self, op) is not None:
                found[op] = getattr(self, op)
        if self.in_ is not None:
            found["in"] = self.in_
        if self.not_in is not None:
            found["not_in"] = self.not_in
        return found

    def facts(self) -> frozenset[str]:
        """Every fact this rule reads."""
        if self.fact is not None:
            return frozenset({self.fact})
        children = self.all_ or self.any_ or ((self.not_,) if self.not_ else ())
        out: frozenset[str] = frozenset()
        for child in children:
            out |= child.facts()
        return out


class Softening(ContentModel):
    """A requirement with exceptions: still required, but failing it may not rule the applicant out.

    ``generally`` (一般) and ``in_principle`` (原则上) are the notice's own softening
    words; ``elsewhere`` is a relaxation the notice grants to cases listed somewhere
    the applicant cannot see (e.g. "some scarce specialties" of an annex the notice
    does not include), so the bot cannot decide it and must not ask it as a fact.
    """

    word: Literal["generally", "in_principle", "elsewhere"]
    #: Contacts (ids) who can say whether an exception is possible.
    ask: tuple[Id, ...] = ()


class Requirement(Grounded):
    id: Id
    #: ``requirement``: must hold. ``exclusion``: the rule describes who is excluded.
    kind: Literal["requirement", "exclusion"] = "requirement"
    #: Tracks this applies to; empty means every track of the program.
    tracks: tuple[str | None, ...] = ()
    text: Text
    rule: Rule
    softened: Softening | None = None
    source: Clause


class Assessed(Grounded):
    """A condition the reviewers judge (character, merit), stated so applicants know it exists."""

    id: Id
    tracks: tuple[str | None, ...] = ()
    text: Text
    #: A few words naming the condition, where one line is all there is room for (the verdict, the staff
    #: notice); without it those show the text's first clause (:mod:`dialogs.open_ends`).
    title: Text | None = None
    source: Clause
