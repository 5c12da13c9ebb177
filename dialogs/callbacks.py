"""Typed button payloads: small classes that pack their fields into a button's data and read them back.

A Telegram button carries at most 64 bytes of data that anyone can forge, replay
from an old message or type by hand with a modified client. Splitting
``"3:am:2"`` by hand in each handler let a malformed payload reach code that
assumed its shape. Here each kind of payload is a frozen dataclass with a
``prefix`` and typed fields (``str``, ``int``, ``bool``, a ``StrEnum``, or one of
those or ``None``), in the manner of aiogram's ``CallbackData``: ``pack`` checks
the fields on the way out, ``unpack`` checks them on the way in, and anything
that does not read back as one of the expected classes is ``None`` for the caller
to answer with "this menu has expired". Pure: the engines use it; channels only
carry the strings.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from typing import Any, ClassVar, Self, TypeVar

#: Telegram refuses a button whose callback data is longer than this (in UTF-8 bytes).
MAX_BYTES = 64
SEPARATOR = ":"

C = TypeVar("C", bound="CallbackData")


class CallbackError(ValueError):
    """A payload that cannot be packed (a field too long or holding the separator) or read back."""


@dataclasses.dataclass(frozen=True)
class CallbackData:
    """Base of every button payload: ``prefix`` names the class; subclasses are frozen dataclasses."""

    prefix: ClassVar[str]

    def pack(self) -> str:
        parts = [self.prefix] + [_encode(getattr(self, f.name), f.name) for f in dataclasses.fields(self)]
        data = SEPARATOR.join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise CallbackError(f"{type(self).__name__} packs to more than {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def unpack(cls, data: str) -> Self:
        """Read ``data`` back as this class; :class:`CallbackError` when it is not one."""
        prefix, *values = data.split(SEPARATOR)
        hints = _field_types(typing.cast(type[CallbackData], cls))
        if prefix != cls.prefix or len(values) != len(hints):
            raise CallbackError(f"not a {cls.__name__}: {data!r}")
        kwargs = {name: _decode(value, kind, name) for (name, kind), value in zip(hints.items(), values, strict=True)}
        return cls(**kwargs)


def parse(data: str, *classes: type[CallbackData]) -> CallbackData | None:
    """The payload as the first of ``classes`` whose prefix it carries, or None when it is none of them
    (forged, truncated, from an older version of the bot, or meant for another screen)."""
    prefix = data.split(SEPARATOR, 1)[0]
    for cls in classes:
        if cls.prefix == prefix:
            try:
                return cls.unpack(data)
            except CallbackError:
                return None
    return None


def _field_types(cls: type[CallbackData]) -> dict[str, Any]:
    """Each field's type, resolved once per class (annotations are strings under ``from __future__``)."""
    found = _FIELD_TYPES.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _FIELD_TYPES[cls] = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    return found


_FIELD_TYPES: dict[type[CallbackData], dict[str, Any]] = {}


def _encode(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, enum.Enum):
        value = value.value
    text = str(value)
    if SEPARATOR in text or not text:
        raise CallbackError(f"field {name!r} cannot be packed: {value!r}")
    return text


def _decode(text: str, kind: Any, name: str) -> Any:
    optional = False
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(kind) if a is not type(None)]
        optional = len(members) < len(typing.get_args(kind))
        if len(members) != 1:
            raise CallbackError(f"field {name!r} has an unsupported type {kind!r}")
        kind = members[0]
    if text == "":
        if optional:
            return None
        raise CallbackError(f"field {name!r} is empty")
    if kind is bool:
        if text not in ("0", "1"):
            raise CallbackError(f"field {name!r} is not 0 or 1: {text!r}")
        return text == "1"
    if kind is int:
        if not text.isascii() or not text.lstrip("-").isdigit():
            raise CallbackError(f"field {name!r} is not a whole number: {text!r}")
        return int(text)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        try:
            return kind(text)
        except ValueError:
            raise CallbackError(f"field {name!r} is not a {kind.__name__}: {text!r}") from None
    if kind is str:
        return text
    raise CallbackError(f"field {name!r} has an unsupported type {kind!r}")
