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
from collections.abc import Callable
from typing import Any, ClassVar, Self, TypeVar

from dialogs.memo import Memo

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
        parts = [self.prefix]
        for name in _layout(type(self)).names:
            parts.append(_encode(getattr(self, name), name))
        data = SEPARATOR.join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise CallbackError(f"{type(self).__name__} packs to more than {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def unpack(cls, data: str) -> Self:
        """Read ``data`` back as this class; :class:`CallbackError` when it is not one."""
        prefix, *values = data.split(SEPARATOR)
        layout = _layout(typing.cast(type[CallbackData], cls))
        if prefix != cls.prefix or len(values) != len(layout.names):
            raise CallbackError(f"not a {cls.__name__}: {data!r}")
        return cls(
            **{name: decode(value) for name, decode, value in zip(layout.names, layout.decoders, values, strict=True)}
        )


def parse(data: str, *classes: type[CallbackData]) -> CallbackData | None:
    """The payload as the first of ``classes`` whose prefix it carries, or None when it is none of them
    (forged, truncated, from an older version of the bot, or meant for another screen)."""
    table = _TABLES.get(classes)
    if table is None:
        table = _TABLES[classes] = _Table(classes)
    return table.parse(data)


class _Table:
    """The classes of one call of :func:`parse` by prefix (the first with a prefix wins, as they are listed),
    and the payloads read so far: a payload is a frozen value, and the same buttons are pressed all day."""

    def __init__(self, classes: tuple[type[CallbackData], ...]):
        self.by_prefix: dict[str, type[CallbackData]] = {}
        for cls in classes:
            self.by_prefix.setdefault(cls.prefix, cls)
        self.read: Memo[str, CallbackData | None] = Memo(4_096)

    def parse(self, data: str) -> CallbackData | None:
        if data in self.read:
            return self.read[data]
        found = self.by_prefix.get(data.split(SEPARATOR, 1)[0])
        press = None
        if found is not None:
            try:
                press = found.unpack(data)
            except CallbackError:
                press = None
        return self.read.put(data, press)


_TABLES: dict[tuple[type[CallbackData], ...], _Table] = {}


@dataclasses.dataclass(frozen=True)
class _Layout:
    """A payload class's fields in packing order, and how each is read back: worked out once per class
    (annotations are strings under ``from __future__``; resolving them at every press cost more than the rest)."""

    names: tuple[str, ...]
    decoders: tuple[Callable[[str], Any], ...]


def _layout(cls: type[CallbackData]) -> _Layout:
    found = _LAYOUTS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        names = tuple(f.name for f in dataclasses.fields(cls))
        found = _LAYOUTS[cls] = _Layout(names, tuple(_decoder(hints[name], name) for name in names))
    return found


_LAYOUTS: dict[type[CallbackData], _Layout] = {}


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


def _decoder(kind: Any, name: str) -> Callable[[str], Any]:
    """How to read a field of type ``kind`` back from its text (checked: :class:`CallbackError` if it is not one)."""
    optional = False
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(kind) if a is not type(None)]
        optional = len(members) < len(typing.get_args(kind))
        if len(members) != 1:
            return _unsupported(kind, name)
        kind = members[0]
    read = _reader(kind, name)

    def decode(text: str) -> Any:
        if text == "":
            if optional:
                return None
            raise CallbackError(f"field {name!r} is empty")
        return read(text)

    return decode


def _reader(kind: Any, name: str) -> Callable[[str], Any]:
    if kind is bool:

        def read_bool(text: str) -> bool:
            if text not in ("0", "1"):
                raise CallbackError(f"field {name!r} is not 0 or 1: {text!r}")
            return text == "1"

        return read_bool
    if kind is int:

        def read_int(text: str) -> int:
            if not text.isascii() or not text.lstrip("-").isdigit():
                raise CallbackError(f"field {name!r} is not a whole number: {text!r}")
            return int(text)

        return read_int
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        members = kind

        def read_enum(text: str) -> Any:
            try:
                return members(text)
            except ValueError:
                raise CallbackError(f"field {name!r} is not a {members.__name__}: {text!r}") from None

        return read_enum
    if kind is str:
        return str
    return _unsupported(kind, name)


def _unsupported(kind: Any, name: str) -> Callable[[str], Any]:
    """A field no payload can be read back into: refused when one is read (packing it is not checked)."""

    def refuse(_text: str) -> Any:
        raise CallbackError(f"field {name!r} has an unsupported type {kind!r}")

    return refuse
