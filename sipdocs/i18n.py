"""Translations of fixed text, and dates and times formatted for the output language.

Swedish is the source language: every msgid is the Swedish wording. The default catalogs are
`locales/<lang>/LC_MESSAGES/sipdocs.po`; a layer may ship its own in `<layer>/locales/`, and
catalogs merge with the highest layer first (municipality over region over default). A `.po`
file is compiled when first loaded, or a `.mo` beside it is used when it is at least as new
(`sipdocs i18n compile` writes them); no `.mo` file is committed.

Dates come from Babel (CLDR) for the output language. Where CLDR has no data of its own for a
language, `DATE_LOCALES` names the locale whose formats are used instead:

* Lule Sami (smj), South Sami (sma), Meänkieli (fit) and Romani (rom): Swedish. CLDR knows
  the codes but has no month or weekday names for them, and would print "2026 M11 20, Fri".
  Their readers in Sweden read Swedish dates; Northern Sami or Finnish names would be
  another language's words.
* Dari (prs): Persian as written in Afghanistan (CLDR `fa_AF`), which is Dari.
* English (en): British English (`en_GB`), as Swedish authorities write it: "Friday
  20 November 2026", not the US order.

Digits are the ASCII digits Babel prints for every one of these locales (CLDR's Persian
prefers Persian digits, which Babel's date formatting does not use); identity numbers, phone
numbers and case ids in the same document are written with them too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from gettext import GNUTranslations, NullTranslations
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from sipdocs.errors import TemplateError
from sipdocs.languages import LANGUAGES, SOURCE_LANGUAGE

LOCALES = Path(__file__).parent / "locales"
if not LOCALES.is_dir():  # running from a source checkout
    LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "sipdocs"
DATE_LOCALES = {"smj": "sv", "sma": "sv", "fit": "sv", "rom": "sv", "prs": "fa_AF", "en": "en_GB"}


def po_path(folder: Path, language: str) -> Path:
    """Where a catalog folder keeps the `.po` file for `language`."""
    return folder / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_languages(folders: Sequence[Path]) -> frozenset[str]:
    """The known languages any of the catalog folders translates at least one message into,
    and Swedish: an empty catalog (as `i18n update --lang` starts one) makes no copy that
    would be Swedish throughout."""
    found = {SOURCE_LANGUAGE}
    for folder in folders:
        if folder.is_dir():
            found.update(
                child.name
                for child in folder.iterdir()
                if child.name in LANGUAGES
                and (po := po_path(folder, child.name)).is_file()
                and _translates(po, po.stat().st_mtime_ns)
            )
    return frozenset(found)


@cache
def _translates(po: Path, mtime_ns: int) -> bool:
    """Whether the catalog translates at least one message."""
    return any(message.id and message.string for message in read_catalog(po))


# While a document renders: what stands in for a message its catalogs do not translate.
_stand_in: ContextVar[Callable[[str], str] | None] = ContextVar("stand_in", default=None)


@contextmanager
def standing_in(handler: Callable[[str], str] | None) -> Iterator[None]:
    """Within the block, a message the catalogs do not translate is passed (in Swedish) to
    `handler`, which notes it and returns what the document prints instead."""
    token = _stand_in.set(handler)
    try:
        yield
    finally:
        _stand_in.reset(token)


def translates(catalog: NullTranslations, key: str | tuple[str, int]) -> bool:
    """Whether a merged catalog (or one of its fallbacks) translates `key`: a msgid, or a
    plural's (msgid, 0)."""
    current: NullTranslations | None = catalog
    while isinstance(current, GNUTranslations):
        if key in current._catalog:  # type: ignore[attr-defined]
            return True
        current = current._fallback  # type: ignore[attr-defined]
    return False


def marking_gettext(
    catalog: NullTranslations,
) -> tuple[Callable[[str], str], Callable[[str, str, int], str]]:
    """`gettext` and `ngettext` of `catalog` that hand an untranslated message to the
    handler of `standing_in`, if one is set: the Swedish original, noted and marked."""

    def gettext(message: str) -> str:
        handler = _stand_in.get()
        if handler is None or isinstance(message, Localised) or translates(catalog, message):
            return catalog.gettext(message)
        return handler(message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        handler = _stand_in.get()
        if handler is None or translates(catalog, (singular, 0)):
            return catalog.ngettext(singular, plural, n)
        return handler(singular if n == 1 else plural)

    return gettext, ngettext


def translations(language: str, folders: Sequence[Path] = (LOCALES,)) -> NullTranslations:
    """The merged catalog for `language`: the last folder's wins, the first's is the fallback.

    Swedish, the source, needs none. A folder without a catalog for `language` adds nothing.
    """
    return _merged(language, tuple(folders))


@cache
def _merged(language: str, folders: tuple[Path, ...]) -> NullTranslations:
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    merged: NullTranslations = NullTranslations()
    for folder in folders:
        po = po_path(folder, language)
        if po.is_file():
            layer = GNUTranslations(io.BytesIO(_compiled(po, po.stat().st_mtime_ns)))
            layer.add_fallback(merged)
            merged = layer
    return merged


@cache
def _compiled(po: Path, mtime_ns: int) -> bytes:
    """The `.mo` bytes of a catalog: the compiled file beside it if it is current."""
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime_ns >= mtime_ns:
        return mo.read_bytes()
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(po))
    return buffer.getvalue()


def read_catalog(po: Path) -> Catalog:
    """A `.po` file as a Babel catalog; a broken one is a TemplateError naming the file, and
    so is a translation whose placeholders differ from its source's (it would fail the render).
    """
    try:
        with po.open("rb") as stream:
            catalog = read_po(stream, abort_invalid=True)
    except OSError as exc:
        raise TemplateError(f"{po}: cannot be read ({exc.strerror})") from None
    except Exception as exc:  # babel raises PoFileError and ValueError for broken files
        raise TemplateError(f"{po}: not a valid catalog ({exc})") from None
    for message in catalog:
        if message.id and (problem := _placeholder_mismatch(message.id, message.string)):
            msgid = _texts(message.id)[0]
            raise TemplateError(f"{po}:{message.lineno}: msgid {msgid!r}: {problem}")
    return catalog


_PLACEHOLDER = re.compile(r"%\((\w+)\)")


def _placeholder_mismatch(source: object, translated: object) -> str | None:
    """Why a translation's %(name)s placeholders are not its source's; None if they are."""
    wanted = {name for text in _texts(source) for name in _PLACEHOLDER.findall(text)}
    for text in _texts(translated):
        found = set(_PLACEHOLDER.findall(text))
        if found != wanted:
            return (
                f"the translation has the placeholders {_listed(found)}, the source "
                f"{_listed(wanted)}; keep exactly the source's"
            )
    return None


def _listed(names: set[str]) -> str:
    return ", ".join(f"%({name})s" for name in sorted(names)) or "none"


def _texts(value: object) -> list[str]:
    """The non-empty texts of a message's id or string (a plural message has several)."""
    texts = (
        [value]
        if isinstance(value, str)
        else list(value)
        if isinstance(value, tuple | list)
        else []
    )
    return [text for text in texts if isinstance(text, str) and text]


@cache
def babel_locale(language: str) -> Locale:
    """The Babel locale whose formats a language's dates use (see `DATE_LOCALES`)."""
    try:
        return Locale.parse(DATE_LOCALES.get(language, language))
    except (ValueError, LookupError):
        return Locale.parse(SOURCE_LANGUAGE)


def format_date(day: dt.date, language: str) -> str:
    """A date in words: '20 november 2026'."""
    return babel_date(day, "long", locale=babel_locale(language))


def format_short_date(day: dt.date) -> str:
    """The date as Swedish letters print it, and as every reader can read it: '2026-11-20'."""
    return day.isoformat()


def format_clock(moment: dt.datetime, language: str, hours24: bool = False) -> str:
    """The time of day: '13.00' in Swedish formats, the locale's short form otherwise, or
    with `hours24` '13:00' in every other language (template version 2 on).
    """
    locale = babel_locale(language)
    revised = "HH:mm" if hours24 else "short"
    pattern = "HH.mm" if str(locale) == SOURCE_LANGUAGE else revised
    return babel_time(moment.time(), pattern, locale=locale)


def format_meeting_time(
    moment: dt.datetime,
    language: str,
    folders: Sequence[Path] = (LOCALES,),
    hours24: bool = False,
) -> str:
    """Weekday, date and time: 'fredag 20 november 2026 kl. 13.00'."""
    day = babel_date(moment.date(), "full", locale=babel_locale(language))
    return translations(language, folders).gettext("%(date)s kl. %(time)s") % {
        "date": day,
        "time": format_clock(moment, language, hours24),
    }


class Localised(str):
    """Text already in the output language, such as a name from CLDR: a template may pass it
    through `_()`, which returns it as it is, never marked as untranslated Swedish."""

    __slots__ = ()


def language_name(code: str, language: str) -> str:
    """A language's name in the output language, from CLDR; else its Swedish name (which a
    template translates with `_()`)."""
    locale = babel_locale(language)
    name = locale.languages.get(code) if locale.language != SOURCE_LANGUAGE else None
    return Localised(name) if name else LANGUAGES[code].swedish_name


def forget_catalogs() -> None:
    """Forget the merged catalogs, so that edited `.po` files of a layer are read afresh."""
    _merged.cache_clear()
