"""Countries: ISO 3166 alpha-2 codes, and their names in the reader's languages, from Babel's CLDR data.

The ``country`` fact kind reads a typed country with these and shows a code by
its name; kept apart so the kinds module holds only the kinds.
"""

from __future__ import annotations

from functools import lru_cache

from dialogs.i18n import N_
from dialogs.inputs import Parsed

COUNTRY_UNKNOWN = N_("I do not know the country “{text}”. Type its two-letter code, e.g. CN.")

#: Babel territory codes that are not countries (unknown, outlying, EU, UN, pseudo-locales).
_NOT_COUNTRIES = frozenset({"ZZ", "QO", "EU", "EZ", "UN", "XA", "XB"})
#: The CLDR locale whose country names each reader's language shows.
_CLDR = {"zh": "zh_Hans_CN", "en": "en", "ug": "ug"}


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166 alpha-2 codes, from Babel's CLDR territory list."""
    from babel import Locale

    return frozenset(
        code
        for code in Locale("en").territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Country names in Chinese, English and Uyghur (lower-cased) → ISO code, from Babel's CLDR data."""
    from babel import Locale

    names: dict[str, str] = {}
    codes = country_codes()
    for locale in ("en", "zh_Hans_CN", "zh_Hant", "ug"):
        for code, name in Locale.parse(locale).territories.items():
            if code in codes:
                names.setdefault(name.lower(), code)
    names.update({"中国": "CN", "中华人民共和国": "CN", "china": "CN", "prc": "CN"})
    return names


@lru_cache(maxsize=8)
def _names_in(lang: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(_CLDR.get(lang, "en")).territories)


def country_name(code: str, lang: str) -> str | None:
    """The country's name in the reader's language (``zh``, ``en``, ``ug``), or None for an unknown code."""
    return _names_in(lang).get(code) if code in country_codes() else None


def parse_country(text: str) -> Parsed[str]:
    """A country typed as its code (CN, us) or its name in Chinese, English or Uyghur."""
    cleaned = text.strip().strip("。.!！")
    if cleaned.upper() in country_codes():
        return Parsed.accept(cleaned.upper())
    code = _country_names().get(cleaned.lower())
    if code is not None:
        return Parsed.accept(code)
    return Parsed.refuse(COUNTRY_UNKNOWN, text=cleaned[:40])
