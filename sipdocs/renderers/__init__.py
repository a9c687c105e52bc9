"""Output formats: one small renderer class per format, registered by name (like Sphinx's builders)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import ClassVar, TypeVar

import jinja2

from sipdocs.context import DocumentContext, FreeText, TemplateVars
from sipdocs.errors import TemplateError, UsageError
from sipdocs.templates import Registry


def template_failure(
    template: str, context: DocumentContext, exc: jinja2.TemplateError
) -> TemplateError:
    """A sandbox refusal, a missing template or an undefined name, naming the layers."""
    where = " > ".join(context.layer_names)
    return TemplateError(f"template {template} ({where}): {type(exc).__name__}: {exc.message}")


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
    result = render(context.template_vars(free_text, standalone=standalone))
    if free_text.swedish:
        free_text = context.free_text(plain)
        result = render(context.template_vars(free_text, True, standalone))
    return result, free_text


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


def _load_builtin() -> None:
    from sipdocs.renderers import audio, docx, html, pdf, text  # noqa: F401  (they register themselves)
