"""The shape of ``facts.yaml``: the applicant facts rules may test and the dialog asks.

A fact's ``type`` names its kind (:data:`dialogs.fact_kinds.KINDS`); the kind,
not this model, knows what the rest of the definition may hold. Meaning (a
value list the kind refuses, an unknown unit) is checked in :mod:`dialogs.checks`.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from dialogs.fact_kind_base import FactKind
from dialogs.fact_kinds import KINDS
from dialogs.schema import ContentModel, Id, Text


class FactDef(ContentModel):
    """One applicant fact: what rules test and what the dialog asks.

    ``type`` names its kind (:data:`dialogs.fact_kinds.KINDS`): the kind checks
    the rest of the definition, reads answers and compares values.
    """

    id: Id
    type: str
    label: Text
    question: Text
    help: Text | None = None
    #: For ``choice`` and ``level``: the allowed values; for ``level`` in ascending order.
    values: tuple[str, ...] | None = None
    value_labels: dict[str, Text] | None = None
    min: int | None = None
    max: int | None = None
    #: For ``int``: what the number counts (``years_of_age``, ``years``, ``months``, ``people``).
    unit: str | None = None
    #: For an age: the applicant may answer with a birth date instead, and the age is worked out.
    from_birth_date: bool = False
    #: The list the answer rests on, when the notice names it but does not contain it (an annex the
    #: applicant does not have, "the scarce specialties" it never lists): nobody can answer from the
    #: notice, so the fact is never asked and a verdict resting on it says so and whom to ask.
    needs_list: Text | None = None

    @field_validator("type")
    @classmethod
    def _a_known_kind(cls, name: str) -> str:
        if name not in KINDS:
            raise ValueError(f"'{name}' is not a known type (known: {', '.join(sorted(KINDS))})")
        return name

    @property
    def kind(self) -> FactKind:
        """The kind of answer this fact takes: its buttons, parsing, labels and comparisons."""
        return KINDS[self.type]


class FactsFile(ContentModel):
    facts: tuple[FactDef, ...] = Field(min_length=1)
