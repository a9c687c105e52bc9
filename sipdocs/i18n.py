"""Translations of fixed text, and dates and times formatted for the output language.

Swedish is the source language of the templates. Catalogs are `.po` files, compiled when
first loaded, so no `.mo` file is ever committed.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from gettext import GNUTranslations, NullTranslations
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from sipdocs.languages import SOURCE_LANGUAGE

LOCALES = Path(__file__).parent / "locales"
if not LOCALES.is_dir():  # running from a source checkout
    LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "sipdocs"


@cache
def translations(language: str) -> NullTranslations:
    """The catalog for `language`; Swedish, the source, needs none."""
    po = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == SOURCE_LANGUAGE or not po.is_file():
        return NullTranslations()
    with po.open("rb") as stream:
        catalog = read_po(stream, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return GNUTranslations(buffer)


def babel_locale(language: str) -> Locale:
    """The Babel locale for a language code, Swedish where Babel has no data."""
    try:
        return Locale.parse(language)
    except (ValueError, LookupError):
        return Locale.parse(SOURCE_LANGUAGE)


def format_date(day: dt.date, language: str) -> str:
    """A date in words: '20 november 2026'."""
    return babel_date(day, "long", locale=babel_locale(language))


def format_short_date(day: dt.date) -> str:
    """The date as Swedish letters print it: '2026-11-20'."""
    return day.isoformat()


def format_clock(moment: dt.datetime, language: str) -> str:
    """The time of day: '13.00' in Swedish, the locale's short form otherwise."""
    pattern = "HH.mm" if language == SOURCE_LANGUAGE else "short"
    return babel_time(moment.time(), pattern, locale=babel_locale(language))


def format_meeting_time(moment: dt.datetime, language: str) -> str:
    """Weekday, date and time: 'fredag 20 november 2026 kl. 13.00'."""
    day = babel_date(moment.date(), "EEEE d MMMM y", locale=babel_locale(language))
    return translations(language).gettext("%(date)s kl. %(time)s") % {
        "date": day,
        "time": format_clock(moment, language),
    }
