"""Button payloads read back as what was packed, and anything else is refused rather than misread."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.callbacks import CallbackData, CallbackError, parse


class Colour(enum.StrEnum):
    RED = "r"
    BLUE = "b"


@dataclass(frozen=True)
class Pick(CallbackData):
    prefix = "pk"
    menu: int
    colour: Colour
    item: str | None = None
    sure: bool = False


@dataclass(frozen=True)
class Other(CallbackData):
    prefix = "o"
    reference: str


def test_a_payload_reads_back_as_the_same_typed_value() -> None:
    pick = Pick(7, Colour.BLUE, "id_card", True)
    assert pick.pack() == "pk:7:b:id_card:1"
    assert Pick.unpack(pick.pack()) == pick
    assert parse("pk:7:r::0", Other, Pick) == Pick(7, Colour.RED, None, False)


@pytest.mark.parametrize(
    "data",
    ["pk:x:b::0", "pk:7:g::0", "pk:7:b::2", "pk:7:b", "pk:7:b::0:extra", "", ":", "zz:1", "pk:٣:b::0", "pk::b::0"],
)
def test_a_forged_or_truncated_payload_is_none(data: str) -> None:
    assert parse(data, Pick, Other) is None


def test_a_field_holding_the_separator_or_too_long_is_refused_when_packing() -> None:
    with pytest.raises(CallbackError):
        Other("a:b").pack()
    with pytest.raises(CallbackError):
        Other("x" * 70).pack()


@given(st.text(max_size=80))
def test_any_string_is_refused_or_read_as_a_payload_that_packs_back(data: str) -> None:
    result = parse(data, Pick, Other)
    if result is not None:
        assert type(result).unpack(result.pack()) == result
