"""HTML: the first stage of every document, and cheap to test."""

from __future__ import annotations

import jinja2

from sipdocs.context import DocumentContext
from sipdocs.errors import TemplateError
from sipdocs.renderers import Renderer, register, render_noting_swedish, template_failure


@register
class HtmlRenderer(Renderer):
    name = "html"
    suffix = ".html"

    def html(self, context: DocumentContext) -> str:
        """The document as an HTML string, from the layered, sandboxed templates."""
        environment = self.registry.environment(
            context.chain, context.selection.version, context.language
        )
        try:
            template = environment.get_template(f"{context.kind.name}.html")
            html, _ = render_noting_swedish(
                context, False, lambda variables: template.render(variables)
            )
            return html
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename}:{exc.lineno}: {exc.message}") from None
        except jinja2.TemplateError as exc:
            raise template_failure(context.kind.name, context, exc) from None

    def render(self, context: DocumentContext) -> bytes:
        return self.html(context).encode("utf-8")
