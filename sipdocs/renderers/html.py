"""HTML: the first stage of every document, and cheap to test."""

from __future__ import annotations

import jinja2

from sipdocs.context import DocumentContext
from sipdocs.errors import TemplateError
from sipdocs.guard import fetched_urls
from sipdocs.renderers import Renderer, register, render_noting_swedish, template_failure


@register
class HtmlRenderer(Renderer):
    name = "html"
    suffix = ".html"

    def html(self, context: DocumentContext, standalone: bool = False) -> str:
        """The document as an HTML string, from the layered, sandboxed templates.

        A `standalone` document is the file a reader opens in a browser: its pictures are
        embedded and it has the parts a screen needs (a skip link, the footer at the end).
        """
        environment = self.registry.environment(
            context.chain, context.selection.version, context.language
        )
        try:
            template = environment.get_template(f"{context.template}.html")
            html, _ = render_noting_swedish(
                context, False, lambda variables: template.render(variables), standalone
            )
            return html
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename}:{exc.lineno}: {exc.message}") from None
        except (jinja2.TemplateError, RecursionError) as exc:
            raise template_failure(context.template, context, exc) from None

    def render(self, context: DocumentContext) -> bytes:
        """A self-contained HTML file: inline CSS, embedded pictures, no requests.

        A URL that a layer's template computes and a browser would fetch is refused: opening
        the individual's copy must tell no one that it was opened.
        """
        html = self.html(context, standalone=True)
        if urls := fetched_urls(html):
            where = " > ".join(context.layer_names)
            raise TemplateError(
                f"template {context.template} ({where}): refused {urls[0]}: "
                "a copy to read on screen fetches nothing"
            )
        return html.encode("utf-8")
