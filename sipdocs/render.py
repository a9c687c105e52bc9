"""Render a validated case: which copies it needs, in which formats, and where they go."""

from __future__ import annotations

import functools
import io
import itertools
import logging
import os
import re
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, Unpack

from sipdocs.cases import OUTPUT_STATE, LoadedCase, load_case
from sipdocs.catalogs import fixed_text
from sipdocs.context import (
    EASY_READ,
    EASY_READ_LARGE_PRINT,
    LARGE_PRINT,
    STANDARD,
    VARIANTS,
    DocumentContext,
)
from sipdocs.disclosure import copies
from sipdocs.documents import DOCUMENTS, document
from sipdocs.errors import RenderError, TemplateError, UsageError
from sipdocs.i18n import catalog_languages
from sipdocs.languages import LANGUAGES, SOURCE_LANGUAGE
from sipdocs.model import Case, FollowUp, Individual
from sipdocs.readability import Readability, readability
from sipdocs.renderers import Renderer, renderer_class, suffixes
from sipdocs.renderers.text import TextRenderer, main_text
from sipdocs.templates import Layer, Registry, catalog_folders, source_files, venues

log = logging.getLogger(__name__)

# What the individual's own copies (and a child's guardians') are made as by default; the
# other recipients get PDF. An easy-read copy is also read aloud.
OWN_COPY_FORMATS = ("pdf", "html", "txt")
OTHER_FORMATS = ("pdf",)
STATE = OUTPUT_STATE  # in the output folder: what sipdocs keeps besides the documents
OBSOLETE = "obsolete"  # in STATE: files a case no longer has, one folder per case id


@dataclass(frozen=True)
class Output:
    """One file written: where, in which format, and what it was made from."""

    path: Path
    format: str
    context: DocumentContext


class Outputs(list[Output]):
    """The files written, `notes` on copies a format could not be made of (and why), and the
    files the case no longer has, `moved` out of its folder (from, to).
    """

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []
        self.moved: list[tuple[Path, Path]] = []


def default_formats(context: DocumentContext) -> tuple[str, ...]:
    """The formats a copy is made in when none are asked for."""
    if not context.recipient.own_copy:
        return OTHER_FORMATS
    return (*OWN_COPY_FORMATS, "audio") if context.easy_read else OWN_COPY_FORMATS


def document_contexts(
    loaded: LoadedCase,
    registry: Registry,
    documents: Sequence[str] | None = None,
    follow_up: int | None = None,
    languages: Sequence[str] | None = None,
    variants: Sequence[str] | None = None,
) -> list[DocumentContext]:
    """One context per document, recipient, language and variant that the case has data for.

    Each recipient gets the Swedish original, and a translation into the language they read
    (the individual's, each guardian's, each relative's `language`); `languages` instead
    names the translations every recipient gets. The individual's own copies (and a child's
    guardians') come in the standard variant, and easy-read and in large print when the
    case asks for them (`easy_read`, `large_print`); `variants` instead names them.
    `follow_up` picks the follow-up an uppföljning reports on (1 is the first); the latest
    by default.
    """
    case = loaded.case
    if case is None:
        raise RenderError(f"{loaded.path}: the case has errors; validate it first")
    chain = registry.chain(case.case.municipality)
    _check_venue(case, chain)
    translated = catalog_languages(catalog_folders(chain))
    if languages is not None:
        _check_languages(languages, translated)
    own_variants = _variants(variants, case.individual)
    kinds = [document(name) for name in documents] if documents else list(DOCUMENTS.values())
    for name in case.case.templates:
        if name not in DOCUMENTS:
            raise TemplateError(
                f"case.templates.{name}: unknown document (documents: {', '.join(DOCUMENTS)})"
            )
    contexts = []
    for kind in kinds:
        number, chosen = (
            _follow_up(case.follow_ups, follow_up) if kind.per_follow_up else (None, None)
        )
        date = kind.date(case, chosen)
        if date is None:
            if documents:
                raise RenderError(f"the case has no data for document '{kind.name}'")
            continue
        selection = registry.select(kind.name, date, case.case.templates.get(kind.name), chain)
        warnings = selection.warnings
        for copy in copies(case, kind, chosen, chain, selection.version.revision):
            recipient = copy.recipient
            wanted = [recipient.language] if languages is None else list(languages)
            untranslated = tuple(
                f"{recipient.id}: no catalog for '{code}', so only the Swedish original is made"
                for code in wanted
                if code not in translated
            )
            kinds_of_copy = own_variants if recipient.own_copy else (STANDARD,)
            for language, variant in itertools.product(
                dict.fromkeys([SOURCE_LANGUAGE, *wanted]), kinds_of_copy
            ):
                if language not in translated:
                    continue
                contexts.append(
                    DocumentContext(
                        case,
                        kind,
                        recipient,
                        language,
                        selection,
                        chain,
                        loaded.sha256,
                        date,
                        copy.disclosure,
                        follow_up=chosen,
                        follow_up_number=number,
                        warnings=warnings
                        + (
                            (*untranslated, *copy.disclosure.warnings)
                            if language == SOURCE_LANGUAGE
                            else ()
                        ),
                        variant=variant,
                    )
                )
    return contexts


def _check_venue(case: Case, chain: Sequence[Layer]) -> None:
    """A meeting's `venue` must be one the case's layers describe (R-W5)."""
    venue = case.meeting.venue if case.meeting else None
    if venue is not None and venue not in (known := venues(chain)):
        raise TemplateError(
            f"meeting.venue: unknown venue '{venue}' "
            f"(venues of the case's layers: {', '.join(sorted(known)) or 'none'})"
        )


def _variants(asked: Sequence[str] | None, individual: Individual) -> tuple[str, ...]:
    """The variants of the individual's copies: those asked for, else what the case wants."""
    if asked is None:
        wanted = {
            STANDARD: True,
            LARGE_PRINT: individual.large_print,
            EASY_READ: individual.easy_read,
            EASY_READ_LARGE_PRINT: individual.easy_read and individual.large_print,
        }
        return tuple(variant for variant, yes in wanted.items() if yes)
    for variant in asked:
        if variant not in VARIANTS:
            raise UsageError(f"unknown variant '{variant}' (variants: {', '.join(VARIANTS)})")
    return tuple(dict.fromkeys(asked))


def _check_languages(languages: Sequence[str], translated: frozenset[str]) -> None:
    """Every language asked for has a catalog; otherwise a usage error names those that do."""
    for language in languages:
        if language not in translated:
            known = ", ".join(code for code in LANGUAGES if code in translated)
            raise UsageError(f"--lang: no translation into '{language}' (languages: {known})")


# The easy-read parts every easy-read template uses, besides its own file.
EASY_READ_PARTS = ("lattlast.html", "lattlast-parts.html")


@dataclass(frozen=True)
class CopyReadability:
    """How easy one of the individual's Swedish copies is to read: the letter as rendered,
    and for an easy-read copy the fixed text of its templates alone.
    """

    context: DocumentContext
    letter: Readability
    fixed_text: Readability | None


def individual_readability(loaded: LoadedCase, registry: Registry) -> list[CopyReadability]:
    """How easy the letter in each of the individual's own Swedish copies is to read: the
    standard copy, and the easy-read one when the case asks for it.
    """
    assert loaded.case is not None
    text = TextRenderer(registry)
    variants = [STANDARD, EASY_READ] if loaded.case.individual.easy_read else [STANDARD]
    return [
        CopyReadability(
            context,
            readability(main_text(text.html(context))),
            easy_read_fixed_text(context) if context.easy_read else None,
        )
        for context in document_contexts(
            loaded, registry, languages=[SOURCE_LANGUAGE], variants=variants
        )
        if context.recipient.role == "individual"
    ]


def easy_read_fixed_text(context: DocumentContext) -> Readability:
    """LIX of the fixed text of an easy-read copy's templates, every layer's included."""
    names = (f"{context.template}.html", *EASY_READ_PARTS)
    version = context.selection.version
    return readability(
        fixed_text(path for name in names for path in source_files(context.chain, version, name))
    )


def _follow_up(
    follow_ups: Sequence[FollowUp], number: int | None
) -> tuple[int | None, FollowUp | None]:
    """The follow-up numbered `number` (1-based), or the latest; (None, None) if there is none."""
    if number is None:
        return (len(follow_ups), follow_ups[-1]) if follow_ups else (None, None)
    if number < 1:
        raise UsageError(f"--follow-up {number}: follow-ups are counted from 1")
    if number > len(follow_ups):
        raise RenderError(
            f"follow_ups: there is no follow-up {number} (the case has {len(follow_ups)})"
        )
    return number, follow_ups[number - 1]


class Renderers:
    """One renderer per format over a registry, made when first asked for and then reused."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._made: dict[str, Renderer] = {}

    def __getitem__(self, name: str) -> Renderer:
        if name not in self._made:
            self._made[name] = renderer_class(name)(self.registry)
        return self._made[name]


@dataclass(frozen=True)
class Planned:
    """One file to make: a copy, the renderer of its format, and where it goes."""

    context: DocumentContext
    renderer: Renderer
    path: Path

    def render(self) -> bytes:
        """The file's content, logged with how it was made (never what it says)."""
        started = time.perf_counter()
        data = self.renderer.render(self.context)
        log.debug(
            "%s: template %s version %s, layers %s, %s: %d bytes in %.0f ms",
            self.path,
            self.context.template,
            self.context.selection.version.version,
            " > ".join(self.context.layer_names),
            self.renderer.name,
            len(data),
            (time.perf_counter() - started) * 1000,
        )
        return data


def planned_outputs(
    loaded: LoadedCase,
    out: Path | str,
    renderers: Renderers,
    *,
    documents: Sequence[str] | None = None,
    formats: Sequence[str] | None = None,
    follow_up: int | None = None,
    languages: Sequence[str] | None = None,
    variants: Sequence[str] | None = None,
) -> tuple[list[Planned], list[str]]:
    """Every file the case needs in `out/<case id>/`, and notes on copies a format cannot be
    made of. `formats` are made of every copy; by default each gets its `default_formats`.
    `languages` and `variants` override which translations and variants are made (see
    `document_contexts`).
    """
    for name in formats or ():
        renderers[name]  # an unknown format fails before anything is written
    contexts = document_contexts(
        loaded, renderers.registry, documents, follow_up, languages, variants
    )
    assert loaded.case is not None
    folder = Path(out) / loaded.case.case.id
    planned, notes = [], []
    for context in contexts:
        for name in formats or default_formats(context):
            renderer = renderers[name]
            if reason := renderer.unavailable(context):
                notes.append(f"{context.stem}: no {name}: {reason}")
            else:
                planned.append(
                    Planned(context, renderer, folder / f"{context.stem}{renderer.suffix}")
                )
    return planned, notes


ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # a fixed time in every zip entry, so a zip is reproducible


def zip_files(files: Iterable[tuple[str, bytes]]) -> bytes:
    """Files by path in one zip, for sending; the same files give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files:
            info = zipfile.ZipInfo(path, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


@dataclass(frozen=True)
class RenderedFile:
    """One file made in memory: its place in the output folder (`<case id>/<file name>`),
    its format, the copy it was made of, and its bytes.
    """

    path: str
    format: str
    context: DocumentContext
    data: bytes


class RenderedCase(list[RenderedFile]):
    """The files of a case made in memory, `notes` on copies a format could not be made of,
    and the SHA-256 of the case file they were made from.
    """

    def __init__(self, input_sha256: str) -> None:
        super().__init__()
        self.input_sha256 = input_sha256
        self.notes: list[str] = []


class RenderOptions(TypedDict, total=False):
    """What to make of a case: `render`'s options, as `planned_outputs` takes them."""

    documents: Sequence[str] | None
    formats: Sequence[str] | None
    follow_up: int | None
    languages: Sequence[str] | None
    variants: Sequence[str] | None


def render_in_memory(
    case: LoadedCase, renderers: Renderers, **options: Unpack[RenderOptions]
) -> RenderedCase:
    """Every file `render_case` would write, made in memory and written nowhere."""
    planned, notes = planned_outputs(case, "", renderers, **options)
    log.info("%s: %d file(s) to make, %d note(s)", case.path, len(planned), len(notes))
    rendered = RenderedCase(case.sha256)
    rendered.notes.extend(notes)
    for item in planned:
        rendered.append(
            RenderedFile(item.path.as_posix(), item.renderer.name, item.context, item.render())
        )
    return rendered


def render_case(
    case: LoadedCase | Path | str,
    out: Path | str,
    *,
    registry: Registry | None = None,
    **options: Unpack[RenderOptions],
) -> Outputs:
    """Render every copy the case needs into `out/<case id>/`; returns what was written.

    The options are those of `planned_outputs`; a format that cannot be made of a copy
    leaves a note in `Outputs.notes` instead. The files are made by `render_in_memory`, then
    written.
    """
    loaded = case if isinstance(case, LoadedCase) else load_case(case)
    out = output_folder(out)
    rendered = render_in_memory(loaded, Renderers(registry or Registry()), **options)
    outputs = Outputs()
    outputs.notes.extend(rendered.notes)
    for file in rendered:
        path = out / file.path
        write_atomic(path, file.data)
        outputs.append(Output(path, file.format, file.context))
    assert loaded.case is not None
    obsolete = obsolete_files(
        out / loaded.case.case.id,
        [Path(file.path).name for file in rendered],
        options.get("documents"),
        options.get("languages"),
        options.get("variants"),
    )
    outputs.moved = set_aside(obsolete, out, loaded.case.case.id)
    return outputs


def output_folder(out: Path | str) -> Path:
    """`out` as a folder to write into: it need not exist yet, but the folder it would be
    made in must; a usage error that names --out otherwise.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: this is a file; give a folder")
    parent = out.absolute().parent
    if not out.exists() and not parent.is_dir():
        raise UsageError(f"--out {out}: {parent} does not exist; make it first, or check --out")
    return out


def same_case_id(other: str | Path) -> str:
    """Why a second case file with the id of `other` is not rendered."""
    return f"case.id: the same id as {other}; not rendered"


Copy = tuple[str, str, str, str]  # document, recipient, language, variant


def copy_of(name: str) -> Copy | None:
    """The copy a file name of sipdocs' is of (see `DocumentContext.stem`); None for a name
    sipdocs does not give.
    """
    stem, dot, suffix = name.rpartition(".")
    found = _copy_name().match(stem)
    if found is None or f"{dot}{suffix}" not in suffixes():
        return None
    document, recipient, language, variant = found.groups()
    return document, recipient, language, variant or STANDARD


@functools.cache
def _copy_name() -> re.Pattern[str]:
    """document-recipient-language[-variant]; a recipient id may hold '-'."""
    return re.compile(
        "^({})-(.+)-({})(?:-({}))?$".format(
            *("|".join(map(re.escape, names)) for names in (DOCUMENTS, LANGUAGES, VARIANTS))
        )
    )


def obsolete_files(
    folder: Path,
    planned: Sequence[str],
    documents: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    variants: Sequence[str] | None = None,
) -> list[Path]:
    """The files in a case's `folder` of copies the case no longer has (`planned` names the
    files it has): of a document this
    run makes (`documents`, or all), a recipient without a copy of it any more, or, unless
    `languages` and `variants` name what to make, a language or variant they no longer get.
    What this run does not make (another document, or with --lang another language) stays.
    `made` names the files this run makes.
    """
    chosen = [0, 1] + ([2] if languages is None else []) + ([3] if variants is None else [])

    def key(copy: Copy) -> tuple[str, ...]:
        return tuple(copy[index] for index in chosen)

    current = {key(copy) for name in planned if (copy := copy_of(name))}
    made = set(documents or DOCUMENTS)
    return sorted(
        path
        for path in (folder.iterdir() if folder.is_dir() else ())
        if (copy := copy_of(path.name))
        and copy[0] in made
        and key(copy) not in current
        and path.is_file()
    )


def set_aside(paths: Sequence[Path], out: Path, case_id: str) -> list[tuple[Path, Path]]:
    """Move a case's files to `OUT/.sipdocs/obsolete/<case id>/`; returns (from, to) of each."""
    folder = out / STATE / OBSOLETE / case_id
    moved = []
    for path in paths:
        folder.mkdir(parents=True, exist_ok=True)
        os.replace(path, folder / path.name)
        log.info("%s: moved to %s, no longer made for the case", path, folder)
        moved.append((path, folder / path.name))
    return moved


def umask() -> int:
    """This process's umask, read without changing it (which another thread could see)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes, scratch: Path | None = None) -> None:
    """Write to a temporary file and rename it into place, so `path` is never half-written;
    it gets the permissions the umask allows, as any new file.

    The temporary file is made beside `path`, or in `scratch` (on the same file system),
    which keeps a file left by a killed process out of the output folders.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = scratch or path.parent
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, 0o666 & ~umask())  # mkstemp makes 0600; a file is as open() makes it
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
        log.debug("wrote %s", path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
