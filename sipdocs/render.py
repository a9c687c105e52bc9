"""Render a validated case: which copies it needs, in which formats, and where they go."""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sipdocs.cases import LoadedCase, load_case
from sipdocs.context import LARGE_PRINT, STANDARD, VARIANTS, DocumentContext
from sipdocs.documents import DOCUMENTS, document
from sipdocs.errors import RenderError, TemplateError, UsageError
from sipdocs.i18n import catalog_languages
from sipdocs.languages import LANGUAGES, SOURCE_LANGUAGE
from sipdocs.model import FollowUp
from sipdocs.readability import Readability, readability
from sipdocs.renderers import Renderer, renderer_class
from sipdocs.renderers.text import TextRenderer, main_text
from sipdocs.templates import Registry, catalog_folders


@dataclass(frozen=True)
class Output:
    """One file written: where, in which format, and what it was made from."""

    path: Path
    format: str
    context: DocumentContext


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
    names the translations every recipient gets. The individual's copies come in the
    standard variant, and in large print when the case asks for it (`large_print`);
    `variants` instead names the individual's variants. `follow_up` picks the follow-up an
    uppföljning reports on (1 is the first); the latest by default.
    """
    case = loaded.case
    if case is None:
        raise RenderError(f"{loaded.path}: the case has errors; validate it first")
    chain = registry.chain(case.case.municipality)
    translated = catalog_languages(catalog_folders(chain))
    if languages is not None:
        _check_languages(languages, translated)
    own_variants = _variants(variants, case.individual.large_print)
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
        selection = registry.select(kind.name, date, case.case.templates.get(kind.name))
        warnings = (selection.warning,) if selection.warning else ()
        for recipient in kind.recipients(case, chosen):
            wanted = [recipient.language] if languages is None else list(languages)
            untranslated = tuple(
                f"{recipient.id}: no catalog for '{code}', so only the Swedish original is made"
                for code in wanted
                if code not in translated
            )
            kinds_of_copy = own_variants if recipient.role == "individual" else (STANDARD,)
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
                        follow_up=chosen,
                        follow_up_number=number,
                        warnings=warnings + (untranslated if language == SOURCE_LANGUAGE else ()),
                        large_print=variant == LARGE_PRINT,
                    )
                )
    return contexts


def _variants(asked: Sequence[str] | None, large_print: bool) -> tuple[str, ...]:
    """The variants of the individual's copies: those asked for, else what the case wants."""
    if asked is None:
        return (STANDARD, LARGE_PRINT) if large_print else (STANDARD,)
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


def individual_readability(
    loaded: LoadedCase, registry: Registry
) -> list[tuple[DocumentContext, Readability]]:
    """How easy the letter in each of the individual's own Swedish copies is to read."""
    text = TextRenderer(registry)
    return [
        (context, readability(main_text(text.html(context))))
        for context in document_contexts(
            loaded, registry, languages=[SOURCE_LANGUAGE], variants=[STANDARD]
        )
        if context.recipient.role == "individual"
    ]


def _follow_up(
    follow_ups: Sequence[FollowUp], number: int | None
) -> tuple[int | None, FollowUp | None]:
    """The follow-up numbered `number` (1-based), or the latest; (None, None) if there is none."""
    if number is None:
        return (len(follow_ups), follow_ups[-1]) if follow_ups else (None, None)
    if not 1 <= number <= len(follow_ups):
        raise RenderError(
            f"follow_ups: there is no follow-up {number} (the case has {len(follow_ups)})"
        )
    return number, follow_ups[number - 1]


def render_case(
    case: LoadedCase | Path | str,
    out: Path | str,
    *,
    documents: Sequence[str] | None = None,
    formats: Sequence[str] = ("pdf",),
    registry: Registry | None = None,
    follow_up: int | None = None,
    languages: Sequence[str] | None = None,
    variants: Sequence[str] | None = None,
) -> list[Output]:
    """Render every copy the case needs into `out/<case id>/`; returns what was written.

    `languages` and `variants` override which translations and variants are made (see
    `document_contexts`).
    """
    loaded = case if isinstance(case, LoadedCase) else load_case(case)
    registry = registry or Registry()
    renderers: list[Renderer] = [renderer_class(name)(registry) for name in formats]
    contexts = document_contexts(loaded, registry, documents, follow_up, languages, variants)
    assert loaded.case is not None
    folder = Path(out) / loaded.case.case.id
    outputs = []
    for context in contexts:
        for renderer in renderers:
            path = folder / f"{context.stem}{renderer.suffix}"
            write_atomic(path, renderer.render(context))
            outputs.append(Output(path, renderer.name, context))
    return outputs


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
