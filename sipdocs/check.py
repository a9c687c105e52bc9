"""Check a finished PDF: PDF/UA-1 and PDF/A-2u conformance, and no character drawn without a glyph.

WeasyPrint draws a character that no installed font covers with the font's .notdef
glyph (an empty box) and only logs a warning, which nobody sees by default. The text
layer still holds the character, so extracted text looks complete while the page
shows a box. `missing_glyphs` finds such characters from the PDF alone: it follows
every code that a text-showing operator draws to the glyph it selects in the embedded
font program (code -> CID through the font's CMap, CID -> glyph through CIDToGIDMap or
the CFF charset). The glyph is lost when it is .notdef (glyph 0), lies outside the
font program, or has no outline while its ToUnicode text is visible.

Checked: Type0 fonts (CIDFontType2 and CIDFontType0, Identity-H/V or embedded CMaps;
TrueType or OpenType programs) and Type3 fonts, which is everything WeasyPrint writes.
Simple Type1/TrueType fonts are not checked, and of a bare CFF program only CID 0 is.
"""

from __future__ import annotations

import functools
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from io import BytesIO
from typing import Any

import page
from fontTools.pens.boundsPen import ControlBoundsPen
from fontTools.ttLib import TTFont, TTLibError
from pypdf import PageObject, PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ContentStream

from sipdocs.errors import PdfUnreadable

PROFILES = {"ua1": "PDF/UA-1", "2u": "PDF/A-2u"}

_UNREADABLE = "not a readable PDF file"
_UNKNOWN = "\ufffd"  # reported for a lost glyph whose text the PDF does not say
# Default-ignorable code points outside categories Cc, Cf, Zs, Zl, Zp: drawn as nothing.
_IGNORABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]"
)
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


@dataclass(frozen=True)
class MissingGlyph:
    """A character of the PDF's text drawn without a glyph: a box or nothing on the page."""

    char: str
    font: str
    page: int

    def __str__(self) -> str:
        code = f"U+{ord(self.char):04X}"
        name = unicodedata.name(self.char, "")
        return f"{code} {name}" if name else code


@dataclass(frozen=True)
class CheckResult:
    """What `check_pdf` found."""

    failed_rules: dict[str, list[str]]
    missing: list[MissingGlyph]

    @property
    def ok(self) -> bool:
        """Conformant, and every character has its glyph."""
        return not self.missing and not any(self.failed_rules.values())

    def problems(self) -> list[str]:
        """One line per failed rule and per missing glyph."""
        lines = [
            f"{PROFILES.get(profile, profile)}: rule {rule} failed"
            for profile, rules in self.failed_rules.items()
            for rule in rules
        ]
        lines += [
            f"missing glyph {glyph} (font {_without_subset_tag(glyph.font)}, page {glyph.page})"
            for glyph in self.missing
        ]
        return lines


def check_pdf(pdf: bytes) -> CheckResult:
    """Conformance and missing glyphs of `pdf`; raises `PdfUnreadable` if it is not a PDF."""
    missing = missing_glyphs(pdf)
    return CheckResult(failed_rules(pdf), missing)


def failed_rules(pdf: bytes) -> dict[str, list[str]]:
    """Failed rule ids per profile ('ua1', '2u'); empty lists when conformant."""
    result: dict[str, list[str]] = {}
    for profile in PROFILES:
        try:
            report = page.validate_pdf_bytes(pdf, profile=profile)
        except page.ParseError:
            raise PdfUnreadable(_UNREADABLE) from None
        result[profile] = list(dict.fromkeys(failure.rule_id for failure in report.failures))
    return result


def missing_glyphs(pdf: bytes) -> list[MissingGlyph]:
    """Characters of the PDF's text drawn without a glyph from the embedded fonts; one entry per (char, font), first page it occurs."""
    if b"%PDF-" not in pdf[:1024]:  # checked here: pypdf would log the first bytes
        raise PdfUnreadable(_UNREADABLE)
    try:
        reader = PdfReader(BytesIO(pdf))
        scanner = _Scanner(reader)
        for number, page in enumerate(reader.pages, start=1):
            scanner.scan_page(page, number)
    except (
        PyPdfError,
        TTLibError,
        struct.error,
        zlib.error,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
    ):
        raise PdfUnreadable(_UNREADABLE) from None
    return list(scanner.found.values())


def missing_in_font(name: str, font: _Program, texts: dict[int, str]) -> list[MissingGlyph]:
    """Characters drawn without a glyph by one font, as a renderer knows them: the font
    program (`font_program`) and the text each used glyph id stands for. The same judgement
    as `missing_glyphs` makes from a finished PDF, without parsing it; the page is not
    known (0).
    """
    found: dict[str, MissingGlyph] = {}
    for glyph_id, text in texts.items():
        for char in _lost(font.glyph(glyph_id), text):
            found.setdefault(char, MissingGlyph(char, name, 0))
    return list(found.values())


def font_program(key: str, data: bytes, index: int) -> _Program:
    """A font program (the `index`th font in `data`), read once per process: the same few
    fonts serve every document. `key` names the content.
    """
    font = _PROGRAMS.get((key, index))
    if font is None:
        if len(_PROGRAMS) >= _PROGRAMS_KEPT:
            _PROGRAMS.clear()
        font = _PROGRAMS[key, index] = _Program(data, None, index)
    return font


_PROGRAMS: dict[tuple[str, int], _Program] = {}
_PROGRAMS_KEPT = 32


def _lost(glyph: _Glyph, text: str) -> list[str]:
    """The characters of `text` a glyph loses: none if it is drawn, else the visible ones
    (U+FFFD for a .notdef whose text is not known).
    """
    if glyph is _Glyph.OK:
        return []
    if not text and glyph is _Glyph.NOTDEF:
        return [_UNKNOWN]
    return [char for char in text if _visible(char)]


def _without_subset_tag(name: str) -> str:
    """'HUHQIP+Noto-Sans' -> 'Noto-Sans'."""
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == 6 and tag.isupper() and tag.isalpha() else name


def _visible(char: str) -> bool:
    return unicodedata.category(char) not in _INVISIBLE_CATEGORIES and not _IGNORABLE.match(char)


class _Glyph(Enum):
    OK = "ok"
    NOTDEF = "notdef"  # .notdef, or no such glyph in the font program
    BLANK = "blank"  # a glyph without an outline


# --- CMaps ---------------------------------------------------------------------------

_CMAP_TOKEN = re.compile(
    rb"<([0-9A-Fa-f\s]*)>|(\[)|(\])|/([^\s/\[\]<>(){}%]*)|([^\s/\[\]<>(){}%]+)|%[^\r\n]*"
)


class _Name(str):
    """A /Name token of a CMap."""


class _Keyword(str):
    """An operator or other bare token of a CMap."""


_Token = bytes | int | _Name | _Keyword | list[Any]


def _tokens(data: bytes) -> Iterator[_Token]:
    """The tokens of a CMap program; arrays as lists, strings and dictionaries skipped."""
    stack: list[list[Any]] = []
    for match in _CMAP_TOKEN.finditer(data):
        hexa, opening, closing, name, word = match.groups()
        token: _Token
        if opening is not None:
            stack.append([])
            continue
        if closing is not None:
            if not stack:
                continue
            token = stack.pop()
        elif hexa is not None:
            digits = re.sub(rb"\s", b"", hexa)
            token = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
        elif name is not None:
            token = _Name(name.decode("latin-1"))
        elif word is not None:
            text = word.decode("latin-1")
            token = int(text) if text.isdigit() else _Keyword(text)
        else:  # a comment
            continue
        if stack:
            stack[-1].append(token)
        else:
            yield token


@dataclass
class _CMap:
    """The mappings of a CMap stream: codes to CIDs (an encoding) or to text (ToUnicode)."""

    codespace: list[tuple[bytes, bytes]]
    cids: dict[bytes, int]
    cid_ranges: list[tuple[bytes, bytes, int]]
    text: dict[bytes, str]
    text_ranges: list[tuple[bytes, bytes, bytes | list[Any]]]
    identity: bool = False  # codes not mapped otherwise are their own CID (Identity-H/V)

    @classmethod
    def identity_h(cls) -> _CMap:
        return cls([(b"\0\0", b"\xff\xff")], {}, [], {}, [], identity=True)

    @classmethod
    def parse(cls, data: bytes) -> _CMap:
        cmap = cls([], {}, [], {}, [])
        operands: list[_Token] = []
        for token in _tokens(data):
            if not isinstance(token, _Keyword):
                operands.append(token)
                continue
            args = [a for a in operands if isinstance(a, bytes | int | list)]
            if token == "endcodespacerange":
                cmap.codespace += [(lo, hi) for lo, hi in _groups(args, 2) if len(lo) == len(hi)]
            elif token == "endcidchar":
                cmap.cids.update((code, cid) for code, cid in _groups(args, 2))
            elif token == "endcidrange":
                cmap.cid_ranges += [(lo, hi, cid) for lo, hi, cid in _groups(args, 3)]
            elif token == "endbfchar":
                cmap.text.update((code, _utf16(dst)) for code, dst in _groups(args, 2))
            elif token == "endbfrange":
                cmap.text_ranges += [(lo, hi, dst) for lo, hi, dst in _groups(args, 3)]
            elif token == "usecmap" and operands and operands[-1] in ("Identity-H", "Identity-V"):
                cmap.identity = True
                cmap.codespace.append((b"\0\0", b"\xff\xff"))
            operands = []
        return cmap

    def split(self, data: bytes) -> Iterator[bytes]:
        """The codes of a string shown with this CMap, by its codespace ranges."""
        lengths = sorted({len(lo) for lo, _ in self.codespace}) or [1]
        index = 0
        while index < len(data):
            for length in lengths:
                code = data[index : index + length]
                if len(code) == length and self.in_codespace(code):
                    break
            else:
                code = data[index : index + lengths[0]]  # unmatched: maps to CID 0
            index += len(code)
            yield code

    def in_codespace(self, code: bytes) -> bool:
        return any(
            len(lo) == len(code) and all(a <= b <= c for a, b, c in zip(lo, code, hi, strict=True))
            for lo, hi in self.codespace
        )

    def cid(self, code: bytes) -> int:
        """The CID that `code` selects; 0 (.notdef) when it selects none."""
        if code in self.cids:
            return self.cids[code]
        for lo, hi, first in self.cid_ranges:
            if len(lo) == len(code) and lo <= code <= hi:
                return first + _number(code) - _number(lo)
        if self.identity and self.in_codespace(code):
            return _number(code)
        return 0

    def unicode(self, code: bytes) -> str | None:
        """The text that `code` stands for, if the CMap says."""
        if code in self.text:
            return self.text[code]
        for lo, hi, dst in self.text_ranges:
            if len(lo) == len(code) and lo <= code <= hi:
                offset = _number(code) - _number(lo)
                if isinstance(dst, list):
                    return _utf16(dst[offset]) if offset < len(dst) else None
                value = _number(dst) + offset
                return (
                    _utf16(value.to_bytes(len(dst), "big"))
                    if value.bit_length() <= 8 * len(dst)
                    else None
                )
        return None


def _groups(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items) - size + 1, size):
        yield items[start : start + size]


def _number(code: bytes) -> int:
    return int.from_bytes(code, "big")


def _utf16(value: object) -> str:
    return value.decode("utf-16-be", errors="replace") if isinstance(value, bytes) else ""


# --- Embedded font programs ---------------------------------------------------------


class _Program:
    """An embedded font program: which CIDs select a glyph, and which glyphs are blank."""

    def __init__(self, data: bytes, cid_to_gid: bytes | None, index: int = 0) -> None:
        self._font = TTFont(BytesIO(data), lazy=True, fontNumber=index)
        self._cid_to_gid = cid_to_gid
        self._count: int = self._font["maxp"].numGlyphs
        self._cff = self._font["CFF "].cff.topDictIndex[0] if "CFF " in self._font else None
        self._loca: list[int] | None = None
        if self._cff is None and "glyf" in self._font and "loca" in self._font:
            self._loca = list(self._font["loca"].locations)
        self._outlines: bool | None = None

    @functools.cached_property
    def characters(self) -> dict[int, str]:
        """Each glyph id's character in the font's cmap (the lowest code point, compatibility
        forms normalised: a medial yeh is "ئ")."""
        ids = {name: number for number, name in enumerate(self._font.getGlyphOrder())}
        return {
            ids[name]: unicodedata.normalize("NFKC", chr(codepoint))
            for codepoint, name in sorted(self._font.getBestCmap().items(), reverse=True)
        }

    def glyph(self, cid: int) -> _Glyph:
        if self._cff is not None:
            return self._cff_glyph(cid)
        gid = cid
        if self._cid_to_gid is not None:
            pair = self._cid_to_gid[2 * cid : 2 * cid + 2]
            gid = _number(pair) if len(pair) == 2 else 0
        if gid == 0 or gid >= self._count:
            return _Glyph.NOTDEF
        if self._loca is not None and self._loca[gid] == self._loca[gid + 1] and self.outlines:
            return _Glyph.BLANK
        return _Glyph.OK

    def _cff_glyph(self, cid: int) -> _Glyph:
        assert self._cff is not None
        charstrings = self._cff.CharStrings
        name: str | None
        if hasattr(self._cff, "ROS"):  # CID-keyed: the charset names glyphs by CID
            name = f"cid{cid:05d}"
        else:
            order = self._font.getGlyphOrder()
            name = order[cid] if cid < len(order) else None
        if cid == 0 or name is None or name not in charstrings:
            return _Glyph.NOTDEF
        if _blank_charstring(charstrings[name]) and self.outlines:
            return _Glyph.BLANK
        return _Glyph.OK

    @property
    def outlines(self) -> bool:
        """Whether any glyph has an outline (WeasyPrint blanks all glyphs of colour fonts)."""
        if self._outlines is None:
            if self._loca is not None:
                self._outlines = any(
                    a != b for a, b in zip(self._loca, self._loca[1:], strict=False)
                )
            else:
                assert self._cff is not None
                charstrings = self._cff.CharStrings
                self._outlines = any(
                    not _blank_charstring(charstrings[name])
                    for name in self._font.getGlyphOrder()
                    if name in charstrings
                )
        return self._outlines


def _blank_charstring(charstring: Any) -> bool:
    pen = ControlBoundsPen(None)
    charstring.draw(pen)
    return pen.bounds is None


# --- Fonts of the PDF ----------------------------------------------------------------


class _Font:
    """A font resource: how its strings split into codes, and the glyph and text of each."""

    def __init__(self, name: str, encoding: _CMap, to_unicode: _CMap | None) -> None:
        self.name = name
        self.encoding = encoding
        self.to_unicode = to_unicode
        self._glyphs: dict[bytes, _Glyph] = {}

    def codes(self, data: bytes) -> Iterator[bytes]:
        return self.encoding.split(data)

    def glyph(self, code: bytes) -> _Glyph:
        if code not in self._glyphs:
            self._glyphs[code] = self._lookup(code)
        return self._glyphs[code]

    def _lookup(self, code: bytes) -> _Glyph:
        raise NotImplementedError

    def text(self, code: bytes) -> str | None:
        return self.to_unicode.unicode(code) if self.to_unicode else None


class _Type0Font(_Font):
    def __init__(
        self, name: str, encoding: _CMap, to_unicode: _CMap | None, program: _Program | None
    ) -> None:
        super().__init__(name, encoding, to_unicode)
        self.program = program

    def _lookup(self, code: bytes) -> _Glyph:
        cid = self.encoding.cid(code)
        if cid == 0:
            return _Glyph.NOTDEF
        return self.program.glyph(cid) if self.program else _Glyph.OK


class _Type3Font(_Font):
    def __init__(
        self, name: str, to_unicode: _CMap | None, names: dict[int, str], procs: set[str]
    ) -> None:
        super().__init__(name, _CMap([(b"\0", b"\xff")], {}, [], {}, []), to_unicode)
        self.names = names
        self.procs = procs

    def _lookup(self, code: bytes) -> _Glyph:
        return _Glyph.OK if self.names.get(_number(code)) in self.procs else _Glyph.NOTDEF


def _get(dictionary: Any, key: str) -> Any:
    """`dictionary[key]` resolved, or None."""
    if dictionary is None or not hasattr(dictionary, "get"):
        return None
    value = dictionary.get(key)
    return None if value is None else value.get_object()


def _data(stream: Any) -> bytes:
    data: bytes = stream.get_data()
    return data


def _load_font(font: Any) -> _Font | None:
    """The checker for a font dictionary; None for simple Type1/TrueType fonts."""
    name = str(_get(font, "/BaseFont") or "")[1:] or "?"
    to_unicode_stream = _get(font, "/ToUnicode")
    to_unicode = (
        _CMap.parse(_data(to_unicode_stream)) if hasattr(to_unicode_stream, "get_data") else None
    )
    subtype = _get(font, "/Subtype")
    if subtype == "/Type3":
        encoding = _get(font, "/Encoding")
        names: dict[int, str] = {}
        code = 0
        for item in _get(encoding, "/Differences") or []:
            item = item.get_object()
            if isinstance(item, int):
                code = item
            else:
                names[code] = str(item)
                code += 1
        procs = {str(key) for key in (_get(font, "/CharProcs") or {})}
        return _Type3Font(name, to_unicode, names, procs)
    if subtype != "/Type0":
        return None
    encoding = _get(font, "/Encoding")
    if hasattr(encoding, "get_data"):
        cmap = _CMap.parse(_data(encoding))
    elif encoding in ("/Identity-H", "/Identity-V"):
        cmap = _CMap.identity_h()
    else:
        return None  # a predefined CJK CMap: not written by WeasyPrint
    descendant = _get(font, "/DescendantFonts")[0].get_object()
    descriptor = _get(descendant, "/FontDescriptor")
    cid_to_gid = _get(descendant, "/CIDToGIDMap")
    mapping = _data(cid_to_gid) if hasattr(cid_to_gid, "get_data") else None
    file = _get(descriptor, "/FontFile2")
    if file is None and _get(_get(descriptor, "/FontFile3"), "/Subtype") == "/OpenType":
        file = _get(descriptor, "/FontFile3")
    program = None
    if file is not None:
        try:
            program = _Program(_data(file), mapping)
        except (TTLibError, struct.error, AssertionError, KeyError, ValueError):
            raise PdfUnreadable(_UNREADABLE) from None
    return _Type0Font(name, cmap, to_unicode, program)


# --- Content streams -----------------------------------------------------------------


class _Scanner:
    """Walks the content streams of pages, forms and annotations, and collects lost glyphs."""

    def __init__(self, reader: PdfReader) -> None:
        self.reader = reader
        self.fonts: dict[object, _Font | None] = {}
        self.forms: set[tuple[object, object]] = set()
        self.found: dict[tuple[str, str], MissingGlyph] = {}

    def scan_page(self, page: PageObject, number: int) -> None:
        resources = _get(page, "/Resources")
        contents = page.get_contents()
        if contents is not None:
            self.scan(contents, resources, None, number)
        for annotation in _get(page, "/Annots") or []:
            appearance = _get(_get(annotation.get_object(), "/AP"), "/N")
            states = [appearance] if hasattr(appearance, "get_data") else []
            if appearance is not None and not states:
                states = [state.get_object() for state in appearance.values()]
            for state in states:
                self.form(state, resources, None, number)

    def font(self, reference: Any) -> _Font | None:
        key = _key(reference)
        if key not in self.fonts:
            font = reference.get_object() if reference is not None else None
            self.fonts[key] = _load_font(font) if isinstance(font, dict) else None
        return self.fonts[key]

    def form(self, stream: Any, resources: Any, font: _Font | None, number: int) -> None:
        key = (_key(getattr(stream, "indirect_reference", None) or stream), font)
        if key in self.forms:  # already scanned, on this page or an earlier one
            return
        self.forms.add(key)
        own = _get(stream, "/Resources")
        self.scan(
            ContentStream(stream, self.reader), own if own is not None else resources, font, number
        )

    def scan(self, content: ContentStream, resources: Any, font: _Font | None, number: int) -> None:
        fonts = _get(resources, "/Font")
        saved: list[_Font | None] = []
        for operands, operator in content.operations:
            if operator == b"q":
                saved.append(font)
            elif operator == b"Q":
                font = saved.pop() if saved else font
            elif operator == b"Tf" and operands:
                font = self.font(fonts.get(operands[0]) if fonts is not None else None)
            elif operator == b"gs" and operands:
                state = _get(_get(resources, "/ExtGState"), operands[0])
                setting = _get(state, "/Font")
                if setting is not None:
                    font = self.font(setting[0])
            elif operator in (b"Tj", b"'") and operands:
                self.show(font, operands[0], number)
            elif operator == b'"' and len(operands) == 3:
                self.show(font, operands[2], number)
            elif operator == b"TJ" and operands:
                for item in operands[0]:
                    self.show(font, item, number)
            elif operator == b"Do" and operands:
                xobject = _get(_get(resources, "/XObject"), operands[0])
                if _get(xobject, "/Subtype") == "/Form":
                    self.form(xobject, resources, font, number)

    def show(self, font: _Font | None, string: Any, number: int) -> None:
        if font is None or not hasattr(string, "original_bytes"):
            return  # a kerning number, or text in a font that cannot be checked
        for code in font.codes(string.original_bytes):
            glyph = font.glyph(code)
            if glyph is _Glyph.OK:
                continue
            for char in _lost(glyph, font.text(code) or ""):
                self.found.setdefault((char, font.name), MissingGlyph(char, font.name, number))


def _key(reference: Any) -> object:
    """A hashable identity for a (possibly indirect) PDF object."""
    if hasattr(reference, "idnum"):
        return (reference.idnum, reference.generation)
    return id(reference)
