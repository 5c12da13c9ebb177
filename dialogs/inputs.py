"""Answers typed by applicants, read at the edge of each question: a value, or a refusal that says why.

People answer the way they talk — "四十五岁", "１９８０年５月３日", "+86 139-1234-5678",
"第二个" — and a wrong answer must be explained and asked again, never accepted
silently (issue 3, point 3). Each parser takes the raw text and returns a
:class:`Parsed`: either the value, or a :class:`Refusal` carrying a message key
and its arguments. The parsers live by what they read:
:mod:`dialogs.input_numbers` (whole numbers, Chinese numerals),
:mod:`dialogs.input_quantities` (amounts with a unit: "一年", "two months", «يېرىم يىل»),
:mod:`dialogs.input_dates`, :mod:`dialogs.input_phones` and
:mod:`dialogs.input_words` (one of the options, yes or no, free text). This
module holds what they all share: the result types, every refusal key, the
rendering of a refusal and the normalisation of an answer.

The key is an English sentence with ``{placeholders}`` used as a gettext msgid,
so the engine can put it straight into a :class:`dialogs.events.Reply`; nothing
here builds prose. Arguments are JSON-friendly (``str``, ``int`` or a tuple of
``str`` that the renderer joins with :meth:`Translator.format_list`, see :func:`render`),
because replies are persisted with the conversation.

Every key is listed in :data:`REFUSAL_KEYS`, kept here in one place so the
catalogs and the tests see them all.

Pure: no I/O, no clock — ``today`` is an argument.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from dialogs.i18n import N_

if TYPE_CHECKING:
    from dialogs.i18n import Translator

T = TypeVar("T")

#: What a refusal argument may be: text, a whole number, or a list of texts (joined when rendered).
Arg = str | int | tuple[str, ...]

# --------------------------------------------------------------------------- result types


@dataclass(frozen=True)
class Refusal:
    """Why an answer was not accepted: a message key (English msgid) and its arguments."""

    key: str
    args: Mapping[str, Arg] = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """The outcome of reading one answer: ``value`` when ``ok``, otherwise ``error``."""

    value: T | None = None
    error: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def accept(cls, value: T) -> Parsed[T]:
        return cls(value=value)

    @classmethod
    def refuse(cls, key: str, **args: Arg) -> Parsed[T]:
        return cls(error=Refusal(key, dict(args)))


def render(refusal: Refusal, tr: Translator) -> str:
    """The refusal in the reader's language; list arguments are joined the way the language joins lists.

    Numbers are not passed through :meth:`Translator.number` on purpose: a year
    must not come out as "1,980".
    """
    args = {name: tr.format_list(value) if isinstance(value, tuple) else value for name, value in refusal.args.items()}
    return tr.gettext(refusal.key).format(**args)


# --------------------------------------------------------------------------- message keys

# Numbers
NUMBER_MISSING = N_("Please answer with a number, for example 45.")
NUMBER_SEVERAL = N_("Please answer with one number only.")
NUMBER_NOT_WHOLE = N_("Please give a whole number, without fractions or decimals.")
NUMBER_NEGATIVE = N_("The number cannot be negative.")
NUMBER_ESTIMATE = N_("Please give an exact number, not an estimate.")
NUMBER_OUT_OF_RANGE = N_("{value} is out of range: please give a number from {min} to {max}.")
NUMBER_TOO_SMALL = N_("{value} is too small: please give a number of at least {min}.")

# Quantities with a unit: the example given fits the question's unit (never "45" at a months question)
MONTHS_IN_A_YEAR = N_(
    "A year has only 12 months, so {value} months a year is not possible. Please give a number from {min} to {max}."
)
#: By the fact's unit: what to type when no amount was found, or an amount in a unit the question cannot take.
QUANTITY_MISSING: dict[str, str] = {
    "months": N_("Please answer with a number of months, for example 6, or a length such as “one year”."),
    "months_per_year": N_("Please answer with how many months a year, for example 3; a whole year is 12."),
    "years": N_("Please answer with a number of years, for example 5."),
    "years_of_age": N_("Please answer with your age in years, for example 45."),
    "days": N_("Please answer with a number of days, for example 45."),
    "people": N_("Please answer with a number of people, for example 8."),
}
#: By the fact's unit: an amount that is not a whole number of it ("半个月" at a months question).
QUANTITY_NOT_WHOLE: dict[str, str] = {
    "months": N_("Please give whole months: for example 1 or 2 rather than a month and a half."),
    "months_per_year": N_("Please give whole months: for example 1 or 2 rather than a month and a half."),
    "years": N_("Please give whole years: for example 1 or 2 rather than a year and a half."),
    "years_of_age": N_("Please give your age in whole years, for example 45."),
    "days": N_("Please give whole days, for example 45."),
    "people": N_("Please give a whole number of people, for example 8."),
}

# Dates
DATE_UNREADABLE = N_("That is not a date I can read. Please write it like 1980-05-03 or 3 May 1980.")
DATE_NO_DAY = N_("Please give the day as well, for example 1980-05-03.")
DATE_NO_YEAR = N_("Please give the year as well, for example 3 May 1980 or 1980-05-03.")
DATE_NEVER = N_("That date does not exist: month {month} has at most {days} days, so there is no day {day}.")
DATE_SHORT_YEAR = N_("Please write the year in full, for example 1980 rather than 80.")
DATE_AMBIGUOUS = N_("{text} could be {first} or {second}. Please write the year first, for example 1980-05-03.")
DATE_NO_SUCH_MONTH = N_("There is no month {month}: months run from 1 to 12.")
DATE_NO_SUCH_DAY = N_(
    "That date does not exist: month {month} of {year} has only {days} days, so there is no day {day}."
)
DATE_NOT_LEAP_YEAR = N_("That date does not exist: {year} is not a leap year, so February has no day 29.")
DATE_IN_FUTURE = N_("That date is in the future. Please give a date no later than {today}.")
DATE_TOO_EARLY = N_("Please check the year: the date must be on or after {earliest}.")

# Birth dates without the day: the age on the date it is worked out on may be one of two
BIRTH_YEAR_ONLY = N_(
    "Born in {year}, you are {older} on {on} if born on or before {cutoff}, and {younger} if born later. "
    "Please add the month of birth, for example {example}."
)
BIRTH_DAY_MATTERS = N_(
    "Born in {year}-{month}, you are {older} on {on} if born on or before {cutoff}, and {younger} if born later. "
    "Please give the full date of birth, for example {example}."
)

# Phones
PHONE_INVALID = N_(
    "That is not a phone number I can use. Please give a mobile number (11 digits starting with 1), "
    "a landline with its area code, such as 0991-3689692, or a number outside mainland China "
    "with its country code, such as +852 9123 4567."
)
PHONE_MOBILE_LENGTH = N_("A mobile number has 11 digits; this one has {count}. Please check it.")
PHONE_NO_AREA_CODE = N_("Please add the area code to the landline number, for example 0991-{number}.")
PHONE_NOT_VALID_ABROAD = N_(
    "That is not a valid phone number for country code {code}. Please check the digits after the country code."
)

# Choices
CHOICE_UNKNOWN = N_("Please choose one of the options: {options}.")
CHOICE_AMBIGUOUS = N_("“{text}” matches more than one option: {matches}. Which one do you mean?")
CHOICE_NO_SUCH_NUMBER = N_("There is no option {number}: please choose a number from 1 to {count}.")

# Free text
TEXT_EMPTY = N_("Please write an answer; it cannot be empty.")
TEXT_TOO_LONG = N_("That is too long: please keep it to {max} characters (this has {length}).")

#: Every key a parser in this module may refuse with (msgids for the catalogs).
REFUSAL_KEYS: tuple[str, ...] = (
    NUMBER_MISSING, NUMBER_SEVERAL, NUMBER_NOT_WHOLE, NUMBER_NEGATIVE, NUMBER_ESTIMATE, NUMBER_OUT_OF_RANGE,
    NUMBER_TOO_SMALL, MONTHS_IN_A_YEAR, *QUANTITY_MISSING.values(), *dict.fromkeys(QUANTITY_NOT_WHOLE.values()),
    DATE_UNREADABLE, DATE_NO_DAY, DATE_NO_YEAR, DATE_NEVER, DATE_SHORT_YEAR, DATE_AMBIGUOUS, DATE_NO_SUCH_MONTH, DATE_NO_SUCH_DAY,
    DATE_NOT_LEAP_YEAR, DATE_IN_FUTURE, DATE_TOO_EARLY, BIRTH_YEAR_ONLY, BIRTH_DAY_MATTERS,
    PHONE_INVALID, PHONE_MOBILE_LENGTH, PHONE_NO_AREA_CODE, PHONE_NOT_VALID_ABROAD,
    CHOICE_UNKNOWN, CHOICE_AMBIGUOUS, CHOICE_NO_SUCH_NUMBER,
    TEXT_EMPTY, TEXT_TOO_LONG,
)  # fmt: skip

# --------------------------------------------------------------------------- text normalisation

#: Characters people put around an answer that carry no meaning ("45。", "「是」", "(1)").
FRAME = " \t\r\n\u3000.,;:!?。，、；：！？\"'“”‘’「」『』()（）[]【】《》<>〈〉*#`"


def normalise(text: str) -> str:
    """NFKC folds full-width digits and letters ("４５", "ＹＥＳ") and circled numbers ("①") to ASCII."""
    return unicodedata.normalize("NFKC", text).strip(FRAME)
