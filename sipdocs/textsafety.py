"""What a template prints from a case: characters that cannot be shown or would reorder text.

Every value a template prints (`{{ ... }}`) passes through `printable`, the Jinja
environment's `finalize` hook, before it is escaped. Escaping is Jinja's job; this module
only deals with characters that are harmless to HTML but not to the page or the PDF:

* **Control characters** (C0 and C1, U+0000-U+001F and U+007F-U+009F, except tab, line feed
  and carriage return), lone surrogates and noncharacters (U+FDD0-U+FDEF, U+xFFFE, U+xFFFF)
  are removed. They have no glyph, so left in they print as the font's .notdef box, which
  PDF/UA-1 and PDF/A-2u forbid, and most are not allowed in XML at all: a DOCX or the PDF's
  XMP metadata holding one cannot be opened. Nothing is lost silently: validation warns about
  each field that has them (`removed`), with its line and column.
* **Bidi controls.** The explicit embeddings and overrides U+202A-U+202E (LRE, RLE, PDF, LRO,
  RLO) are removed: an override left open reorders everything after it to the end of the
  paragraph, which spoofs what a reader sees (Trojan Source, CVE-2021-42574), and real text
  has no need of them; the page sets the direction with `dir`. The isolates U+2066-U+2069
  (LRI, RLI, FSI, PDI) are kept when they pair up within the value, since a pair can only
  affect the text between them, and removed when unpaired, so a value cannot open an isolate
  that runs on into the next field or close one it did not open. The marks LRM, RLM and ALM
  (U+200E, U+200F, U+061C) are kept: they are invisible, reorder nothing beyond one
  neighbouring character's direction, and Arabic and Hebrew text uses them.

Markup stays Markup (its markup was made by the templates or by escaping, and these
characters are never part of it), and nothing is ever unescaped. The function is idempotent,
because a macro's output is printed, and so cleaned, once more by the template that calls it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any

from jinja2 import Undefined
from markupsafe import Markup

_UNSHOWABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
)
_EMBEDDINGS = re.compile("[\u202a-\u202e]")
_ISOLATE_OPEN = frozenset("\u2066\u2067\u2068")
_ISOLATE_CLOSE = "\u2069"
_SUSPECT = re.compile(f"{_UNSHOWABLE.pattern}|[\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """`text` without control characters, and with bidi controls contained (see above)."""
    if not _SUSPECT.search(text):
        return text
    text = _EMBEDDINGS.sub("", _UNSHOWABLE.sub("", text))
    return _pair_isolates(text)


def removed(text: str) -> list[str]:
    """The characters `clean` leaves out of `text`, each once, in order of code point."""
    if not _SUSPECT.search(text):
        return []
    return sorted((Counter(text) - Counter(clean(text))).keys())


def _pair_isolates(text: str) -> str:
    """`text` without the isolate initiators and PDIs that have no partner in it."""
    if "\u2066" not in text and "\u2067" not in text and "\u2068" not in text:
        return text.replace(_ISOLATE_CLOSE, "")
    unpaired: set[int] = set()
    open_at: list[int] = []
    for index, char in enumerate(text):
        if char in _ISOLATE_OPEN:
            open_at.append(index)
        elif char == _ISOLATE_CLOSE:
            if open_at:
                open_at.pop()
            else:
                unpaired.add(index)
    unpaired.update(open_at)
    return "".join(char for index, char in enumerate(text) if index not in unpaired)


def printable(value: Any) -> Any:
    """Jinja `finalize`: the value with `clean` applied, keeping Markup as Markup."""
    if isinstance(value, Markup):
        cleaned = clean(str(value))
        return value if cleaned == value else Markup(cleaned)
    if isinstance(value, str):
        return clean(value)
    if value is None or isinstance(value, int | float | Undefined):
        return value
    if hasattr(value, "__html__"):
        return Markup(clean(str(value.__html__())))
    return clean(str(value))


def visible(text: str) -> str:
    """`text` as a message may quote it: every character that cannot be printed is written
    as its escape (`\\n`, `\\u202e`), so the message stays one line and reorders nothing."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"
_SPACE = re.compile(r"\s")


def isolated(value: Any) -> Any:
    """Jinja `finalize` for right-to-left HTML: `printable`, and data bidi-isolated.

    A plain value of more than one word (a name, an address, a phone number, a date with
    its time) is wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, so it keeps its
    own direction and order inside the Arabic or Persian sentence around it: without that,
    "070-123 45 67" would print as "67 45 070-123". Markup (translated text, markup the
    templates made) and one-word values (codes, colours, dates in ISO form, which the page's
    bidi algorithm keeps in order) stay as they are, so attributes and CSS are untouched.
    """
    value = printable(value)
    if type(value) is str and _SPACE.search(value):
        return _isolate(value)
    return value


def isolated_always(value: Any) -> Any:
    """Jinja `finalize` for right-to-left DOCX: every plain value isolated, one word or more,
    unless it begins right to left, as the paragraph does.

    Word and LibreOffice lay out a right-to-left run's "2026-11-20" or "19880412-3928" as
    "20-11-2026" and "3928-19880412"; a DOCX has no attributes or CSS to keep clean. A value
    that reads right to left needs no isolate, and LibreOffice drops the space before a
    Latin word at the end of one (the Arabic title "meeting SIP" printed as "meetingSIP").
    """
    value = printable(value)
    if type(value) is str and value.strip() and not _right_to_left(value):
        return _isolate(value)
    return value


def _right_to_left(text: str) -> bool:
    """Whether the first letter with a direction of its own in `text` is right to left."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("L", "R", "AL"):
            return direction != "L"
    return False


def _isolate(value: str) -> str:
    return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"
