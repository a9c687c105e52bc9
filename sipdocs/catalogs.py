"""Message catalogs: extract the fixed text, update the translations, compile them, report.

The fixed text is Swedish and is found in three kinds of source: HTML templates and their
CSS (Jinja's `_()`), DOCX templates (the same `_()` inside Word's XML, read as docxtpl
patches it) and Python (`N_()` marks labels that templates translate when they print them).
`locales/babel.cfg` maps each kind to its extractor, for `pybabel` as well as for
`sipdocs i18n extract`.

A layer keeps its catalogs in `<layer>/locales/`, extracted from its own templates only, so
it translates what it adds; its `.po` files may also carry any default message, to word it
differently for that layer.

Each `.po` file's header comment records how it was translated and whether an authorised
translator has reviewed it, as `# Translated-by:` and `# Review:` lines; `status` reports them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po
from jinja2.ext import babel_extract

from sipdocs.errors import TemplateError, UsageError
from sipdocs.i18n import DOMAIN, LOCALES, po_path, read_catalog
from sipdocs.languages import LANGUAGES, SOURCE_LANGUAGE
from sipdocs.templates import DEFAULT, HTML_OPTIONS, TEMPLATES

PACKAGE = Path(__file__).parent
MAPPING = LOCALES / "babel.cfg"
UNREVIEWED = "unreviewed"
SOURCE_REVIEW = "source language: the original, which prevails"
_HEADER_FIELD = re.compile(r"^#\s*(Translated-by|Review):\s*(.*?)\s*$", re.MULTILINE)
_DOCX_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml")
_JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", **{k: str(v) for k, v in HTML_OPTIONS.items()}}


def extract_docx(
    fileobj: IO[bytes], keywords: Sequence[str], comment_tags: Sequence[str], options: Any
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel extractor for DOCX templates: `_()` in the body, headers, footers and footnotes.

    Each part is read as docxtpl patches it before Jinja sees it; the line number is the
    part's number in the package, since a Word part has no lines.
    """
    from docxtpl import DocxTemplate

    with zipfile.ZipFile(fileobj) as package:
        names = sorted(name for name in package.namelist() if _DOCX_PARTS.fullmatch(name))
        for number, name in enumerate(names, start=1):
            xml = DocxTemplate(io.BytesIO()).patch_xml(package.read(name).decode("utf-8"))
            source = io.BytesIO(xml.encode("utf-8"))
            for _line, function, message, comments in babel_extract(
                source, keywords, comment_tags, _JINJA_OPTIONS
            ):
                yield number, function, message, comments


_PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")


def fixed_text(templates: Iterable[Path]) -> str:
    """The Swedish fixed text of HTML templates, one message to a line, to measure how easy
    it is to read. Each placeholder (a date, a name) counts as one short word, "X".
    """
    lines: list[str] = []
    for path in templates:
        with path.open("rb") as source:
            for _line, _function, message, _comments in babel_extract(
                source, tuple(DEFAULT_KEYWORDS), [], _JINJA_OPTIONS
            ):
                texts = (message,) if isinstance(message, str) else (message or ())
                lines.extend(_PLACEHOLDER.sub("X", text) for text in texts if text)
    return "\n".join(dict.fromkeys(lines))


@dataclass(frozen=True)
class CatalogSet:
    """Where a layer's (or the default's) catalogs live, and the sources they translate."""

    folder: Path  # holds sipdocs.pot and <lang>/LC_MESSAGES/sipdocs.po
    sources: tuple[Path, ...]
    name: str

    @property
    def pot(self) -> Path:
        return self.folder / f"{DOMAIN}.pot"

    def po(self, language: str) -> Path:
        return po_path(self.folder, language)

    def languages(self) -> list[str]:
        """The languages this set has a `.po` file for, in the order LANGUAGES lists them."""
        return [code for code in LANGUAGES if code != SOURCE_LANGUAGE and self.po(code).is_file()]


def catalog_set(layer: Path | None = None) -> CatalogSet:
    """The default catalogs (templates and code), or those of the layer folder `layer`."""
    if layer is None:
        return CatalogSet(LOCALES, (PACKAGE, TEMPLATES / DEFAULT), DEFAULT)
    if not layer.is_dir():
        raise UsageError(f"{layer}: no such layer folder")
    return CatalogSet(layer / "locales", (layer,), layer.name)


def extract(catalogs: CatalogSet) -> Catalog:
    """Every message the sources use, with where; written to the set's `sipdocs.pot`.

    A layer's template holds only the messages the default catalogs do not have.
    """
    known = set() if catalogs.name == DEFAULT else _msgids(catalog_set().pot)
    template = Catalog(project="sipdocs", fuzzy=False, charset="utf-8")
    template.creation_date = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # stable bytes
    method_map, options_map = _mapping()
    for source in catalogs.sources:
        for filename, lineno, message, comments, context in extract_from_dir(
            source,
            method_map,
            options_map,
            keywords=DEFAULT_KEYWORDS,
            comment_tags=("TRANSLATORS:",),
        ):
            if message in known:
                continue
            where = (source / filename).relative_to(_root(source)).as_posix()
            template.add(message, None, [(where, lineno)], auto_comments=comments, context=context)
    _write(template, catalogs.pot)
    return template


def update(catalogs: CatalogSet, languages: Iterable[str] = ()) -> list[Path]:
    """Bring each `.po` file in line with the `.pot`; a language named anew gets a new file."""
    if not catalogs.pot.is_file():
        raise UsageError(f"{catalogs.pot}: no template; run 'sipdocs i18n extract' first")
    template = read_catalog(catalogs.pot)
    written = []
    for language in sorted({*catalogs.languages(), *languages}):
        if language not in LANGUAGES or language == SOURCE_LANGUAGE:
            raise UsageError(f"'{language}' is not a language to translate into")
        po = catalogs.po(language)
        catalog = read_catalog(po) if po.is_file() else _new_catalog(language)
        kept = {str(m.id): m for m in catalog if m.id and m.string and m.id not in template}
        catalog.update(template, update_header_comment=False)
        for msgid, message in kept.items():  # a layer's wording of a default message stays
            catalog[msgid] = message
            catalog.obsolete.pop(msgid, None)
        _write(catalog, po)
        written.append(po)
    return written


def compile_catalogs(catalogs: CatalogSet) -> list[Path]:
    """Write a `.mo` beside every `.po`; a placeholder mismatch is an error naming the file."""
    written = []
    for language in catalogs.languages():
        po = catalogs.po(language)
        catalog = read_catalog(po)
        errors = [
            f"{po}: msgid {message.id!r}: {error}"
            for message, errors in catalog.check()
            for error in errors
        ]
        if errors:
            raise TemplateError(errors[0])
        with po.with_suffix(".mo").open("wb") as stream:
            write_mo(stream, catalog)
        written.append(po.with_suffix(".mo"))
    return written


@dataclass(frozen=True)
class CatalogStatus:
    """How complete one language's catalog is, and who translated and reviewed it."""

    language: str
    total: int
    translated: int
    fuzzy: int
    translated_by: str
    review: str

    @property
    def missing(self) -> int:
        return self.total - self.translated - self.fuzzy

    @property
    def percent(self) -> int:
        """Percent translated, rounded down: 100 only when nothing is left."""
        return 100 * self.translated // self.total if self.total else 100

    @property
    def reviewed(self) -> bool:
        return not self.review.lower().startswith(UNREVIEWED)


def status(catalogs: CatalogSet) -> list[CatalogStatus]:
    """Swedish, then each language's counts against the `.pot`, and its header's translation
    and review state."""
    if not catalogs.pot.is_file():
        raise UsageError(f"{catalogs.pot}: no template; run 'sipdocs i18n extract' first")
    wanted = [m.id for m in read_catalog(catalogs.pot) if m.id]
    report = [CatalogStatus(SOURCE_LANGUAGE, len(wanted), len(wanted), 0, "source", SOURCE_REVIEW)]
    for language in catalogs.languages():
        po = catalogs.po(language)
        catalog = read_catalog(po)
        found = [catalog.get(msgid) for msgid in wanted]
        fields = dict(_HEADER_FIELD.findall(catalog.header_comment))
        report.append(
            CatalogStatus(
                language,
                len(wanted),
                sum(1 for m in found if m is not None and m.string and not m.fuzzy),
                sum(1 for m in found if m is not None and m.string and m.fuzzy),
                fields.get("Translated-by", "not stated"),
                fields.get("Review", f"{UNREVIEWED} (not stated)"),
            )
        )
    return report


def _msgids(pot: Path) -> set[Any]:
    return {m.id for m in read_catalog(pot) if m.id} if pot.is_file() else set()


def _mapping() -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    with MAPPING.open(encoding="utf-8") as stream:
        method_map, options_map = parse_mapping_cfg(stream, filename=str(MAPPING))  # type: ignore[no-untyped-call]
    return method_map, options_map


def _root(source: Path) -> Path:
    """What locations are relative to: the checkout (or the installed package's parent)."""
    return PACKAGE.parent if source.is_relative_to(PACKAGE.parent) else source.parent


def _new_catalog(language: str) -> Catalog:
    name = LANGUAGES[language].swedish_name
    catalog = Catalog(locale=language, project="sipdocs", charset="utf-8", fuzzy=False)
    catalog.header_comment = (
        f"# Översättning av sipdocs fasta texter till {name} ({language}).\n"
        "# Translated-by: not yet translated\n"
        f"# Review: {UNREVIEWED} (not checked by an authorised translator)\n"
    )
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, include_previous=True)
    path.write_bytes(buffer.getvalue())
