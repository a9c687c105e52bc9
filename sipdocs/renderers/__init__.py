"""Output formats: one small renderer class per format, registered by name (like Sphinx's builders)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, TypeVar

import jinja2

from sipdocs.context import DocumentContext, FreeText, TemplateVars
from sipdocs.errors import TemplateError, UsageError
from sipdocs.i18n import standing_in
from sipdocs.languages import SOURCE_LANGUAGE
from sipdocs.templates import Registry


def template_failure(
    template: str, context: DocumentContext, exc: jinja2.TemplateError | RecursionError
) -> TemplateError:
    """A sandbox refusal, a missing template, an undefined name or templates that include each
    other without end, naming the layers and the template file and line it happened in.
    """
    where = " > ".join(context.layer_names)
    if isinstance(exc, RecursionError):
        reason = "templates include or extend each other without end"
    else:
        reason = f"{type(exc).__name__}: {exc.message}"
    return TemplateError(f"{_template_place(exc, context)}template {template} ({where}): {reason}")


def _template_place(exc: BaseException, context: DocumentContext) -> str:
    """'file:line: ' of the innermost template frame, which Jinja names after the template's
    file; empty when the error did not happen in a template. Of endless recursion, whose
    innermost frame is anywhere in the loop: the innermost frame of the highest layer in it.
    """
    places = []
    frame = exc.__traceback__
    while frame is not None:
        filename = frame.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and Path(filename).is_file():
            places.append((Path(filename), frame.tb_lineno))
        frame = frame.tb_next
    if isinstance(exc, RecursionError):
        for layer in reversed(context.chain):
            if in_layer := [place for place in places if place[0].is_relative_to(layer.folder)]:
                places = in_layer
                break
    return f"{places[-1][0]}:{places[-1][1]}: " if places else ""


Rendered = TypeVar("Rendered")


def render_noting_swedish(
    context: DocumentContext,
    plain: bool,
    render: Callable[[TemplateVars], Rendered],
    standalone: bool = False,
) -> tuple[Rendered, FreeText]:
    """Render once; if Swedish stood in for untranslated free text, again with the note
    that says so (the note comes first in the document, so it cannot be known in advance).
    """
    free_text = context.free_text(plain)
    result = _render_marking(context, free_text, render, False, standalone)
    if free_text.swedish:
        free_text = context.free_text(plain)
        result = _render_marking(context, free_text, render, True, standalone)
    return result, free_text


def _render_marking(
    context: DocumentContext,
    free_text: FreeText,
    render: Callable[[TemplateVars], Rendered],
    swedish_parts: bool,
    standalone: bool,
) -> Rendered:
    """Render; from template version 2, a fixed text without a translation (a layer's,
    say) is marked Swedish and noted in `free_text`, as untranslated free text is."""
    translated = context.language != SOURCE_LANGUAGE
    marking = free_text.stand_in if translated and context.selection.version.revision >= 2 else None
    with standing_in(marking):
        return render(context.template_vars(free_text, swedish_parts, standalone))


class Renderer(ABC):
    """Turns one document context into the bytes of one file."""

    name: ClassVar[str]
    suffix: ClassVar[str]

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    @abstractmethod
    def render(self, context: DocumentContext) -> bytes:
        """The file's content."""

    def unavailable(self, context: DocumentContext) -> str | None:
        """Why this format cannot be made of the copy, or None if it can."""
        return None


RENDERERS: dict[str, type[Renderer]] = {}


def register(renderer: type[Renderer]) -> type[Renderer]:
    RENDERERS[renderer.name] = renderer
    return renderer


def renderer_class(name: str) -> type[Renderer]:
    """The renderer registered as `name`; a usage error lists the known formats."""
    _load_builtin()
    try:
        return RENDERERS[name]
    except KeyError:
        raise UsageError(
            f"unknown format '{name}' (formats: {', '.join(sorted(RENDERERS))})"
        ) from None


def suffixes() -> frozenset[str]:
    """The file suffixes of every format: `.pdf`, `.docx`, ..."""
    _load_builtin()
    return frozenset(renderer.suffix for renderer in RENDERERS.values())


def _load_builtin() -> None:
    from sipdocs.renderers import audio, docx, html, pdf, text  # noqa: F401  (they register themselves)
