"""What a layer's files may do: the checks that refuse hostile templates, pictures and DOCX files.

Layer files are edited by many hands, so sipdocs trusts none of them. Before a layer's HTML
override is compiled, its source is read for what it must not do: extend or include a
template itself (the loader decides what an override extends), name a file outside the
templates, reach for Python internals through `_` attributes, or fetch a resource by a URL
that leads out of the template and layer folders. The sandbox and the PDF renderer's fetcher
refuse the same things again at render time, for what a template computes.

Files a document reads are bounded in size, pictures in pixels, DOCX templates in what they
unpack to, so no layer file can make sipdocs allocate without limit.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment, TemplateSyntaxError, nodes

from sipdocs.errors import TemplateError

MAX_RESOURCE_BYTES = 5 * 1024 * 1024  # a logo, picture, stylesheet or font a document reads
MAX_IMAGE_PIXELS = 25_000_000  # 5,000 by 5,000: a logo at 600 dpi is far smaller
MAX_DOCX_BYTES = 20 * 1024 * 1024  # a DOCX template as stored
MAX_DOCX_UNPACKED = 100 * 1024 * 1024  # ... and what its parts unpack to, together
MAX_DOCX_PARTS = 1000

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def template_refusals(source: str, name: str, environment: Environment) -> list[tuple[int, str]]:
    """What a layer's override of template `name` is refused for, as (line, reason), in order.

    A source that does not parse is left to the compiler, which reports it with its place.
    """
    try:
        ast = environment.parse(source)
    except TemplateSyntaxError:
        return []
    found = [*_reference_refusals(ast, name), *_internal_refusals(ast), *_url_refusals(source)]
    return sorted(found)


def _reference_refusals(ast: nodes.Template, name: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.find_all(nodes.Extends):
        target = _constant(node.template)
        itself = " (it extends itself)" if target == name else ""
        found.append(
            (
                node.lineno,
                f"{{% extends %}} in a layer override{itself}: sipdocs makes an override extend "
                "the layer below, so it only redefines blocks",
            )
        )
    for reference in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport)):
        assert isinstance(reference, nodes.Include | nodes.Import | nodes.FromImport)
        target = _constant(reference.template)
        if target is None:
            continue
        if target.rpartition("/")[2] == name and (target == name or target.startswith("@")):
            found.append((reference.lineno, f"'{target}' includes itself"))
        elif _leaves_the_folder(target):
            found.append((reference.lineno, f"'{target}' is outside the templates"))
    return found


def _leaves_the_folder(path: str) -> bool:
    """An absolute path, or one that climbs with `..`."""
    return path.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", path)


def _constant(node: nodes.Expr) -> str | None:
    return str(node.value) if isinstance(node, nodes.Const) else None


def _internal_refusals(ast: nodes.Template) -> list[tuple[int, str]]:
    found = []
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Getattr):
            attribute: str | None = node.attr
        elif isinstance(node, nodes.Getitem):
            attribute = _constant(node.arg)
        else:  # x|attr('__class__')
            assert isinstance(node, nodes.Filter)
            arguments = node.args if node.name == "attr" else []
            attribute = _constant(arguments[0]) if arguments else None
        if attribute is not None and attribute.startswith("_"):
            found.append((node.lineno, f"'{attribute}' reaches for Python internals"))
    return found


def _url_refusals(source: str) -> list[tuple[int, str]]:
    found = []
    for line, url in _fetched(source):
        if "{" in url or url.lower().startswith(("data:", "#")):
            continue  # computed: the renderers check it at render time
        if _SCHEME.match(url) or _leaves_the_folder(url):
            found.append((line, f"'{url}' would be fetched from outside the template folders"))
    return found


class _Fetched(HTMLParser):
    """Collects the URLs an HTML page makes a browser fetch, with their lines: from attributes,
    and from CSS in `<style>` and `style=`. Text is never read, so escaped case text cannot count.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[int, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name in _FETCHING_ATTRIBUTES or (name in _HREF and tag in _HREF_FETCHERS):
                urls = _srcset(value) if name == "srcset" else [value.strip()]
                self.urls += [(line, url) for url in urls]
            elif name == "style":
                self.urls += _css_urls(value, line)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += _css_urls(data, self.getpos()[0])


_FETCHING_ATTRIBUTES = frozenset({"src", "srcset", "data", "poster", "background"})
_HREF = frozenset({"href", "xlink:href"})
_HREF_FETCHERS = frozenset({"link", "image", "use", "feimage"})
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]*)|@import\s+['"]([^'"]*)""", re.IGNORECASE)


def _css_urls(css: str, line: int) -> list[tuple[int, str]]:
    return [
        (line + css.count("\n", 0, match.start()), (match.group(1) or match.group(2)).strip())
        for match in _CSS_URL.finditer(css)
    ]


def _srcset(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def _fetched(html: str) -> list[tuple[int, str]]:
    parser = _Fetched()
    parser.feed(html)
    parser.close()
    return [(line, url) for line, url in parser.urls if url]


def fetched_urls(html: str) -> list[str]:
    """Every URL that opening `html` in a browser would fetch, except `data:` and `#` ones."""
    return [url for _, url in _fetched(html) if not url.lower().startswith(("data:", "#"))]


def check_resource(path: Path) -> None:
    """Refuse a file a document would read when it is too large, before reading it."""
    size = path.stat().st_size
    if size > MAX_RESOURCE_BYTES:
        raise TemplateError(
            f"{path}: {_mebibytes(size)}; a picture, stylesheet or font may be at most "
            f"{_mebibytes(MAX_RESOURCE_BYTES)}"
        )


def check_pixels(path: Path, data: bytes) -> None:
    """Refuse a raster picture that would unpack to more than `MAX_IMAGE_PIXELS` pixels."""
    from PIL import Image, UnidentifiedImageError  # WeasyPrint's own picture library

    allowed = f"at most {MAX_IMAGE_PIXELS // 1_000_000} million pixels are allowed"
    try:
        with warnings.catch_warnings(), Image.open(io.BytesIO(data)) as image:
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            width, height = image.size  # from the header: the pixels are not unpacked
    except Image.DecompressionBombError:  # Pillow's own, higher limit
        limit = 2 * (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000
        raise TemplateError(
            f"{path}: a picture of over {limit} million pixels; {allowed}"
        ) from None
    except (UnidentifiedImageError, OSError, ValueError):
        return  # not a raster picture: WeasyPrint reports what it cannot read
    if width * height > MAX_IMAGE_PIXELS:
        raise TemplateError(f"{path}: a picture of {width} by {height} pixels; {allowed}")


def read_docx_template(path: Path) -> bytes:
    """The bytes of a DOCX template; one that is not a zip, or would unpack to too much (a zip
    bomb), is refused before any part is unpacked.
    """
    try:
        size = path.stat().st_size
        if size > MAX_DOCX_BYTES:
            raise TemplateError(
                f"{path}: {_mebibytes(size)}; a DOCX template may be at most "
                f"{_mebibytes(MAX_DOCX_BYTES)}"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TemplateError(f"{path}: not a DOCX file (not a zip archive)") from None
    if len(parts) > MAX_DOCX_PARTS:
        raise TemplateError(
            f"{path}: {len(parts)} parts; a DOCX template may have {MAX_DOCX_PARTS}"
        )
    # zipfile stops reading a part at its stated size, so the stated sizes bound the reading.
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_DOCX_UNPACKED:
        raise TemplateError(
            f"{path}: unpacks to {_mebibytes(unpacked)}; a DOCX template may unpack to at most "
            f"{_mebibytes(MAX_DOCX_UNPACKED)}"
        )
    if fetched := _external_relationship(data):
        part, kind, target = fetched
        raise TemplateError(
            f"{path}: refused: {part}: the {kind} at {target} is outside the file, and Word "
            "fetches it when a copy is opened; embed it in the file instead"
        )
    return data


_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_LONGEST_TARGET = 60


def _external_relationship(data: bytes) -> tuple[str, str, str] | None:
    """The first relationship of a DOCX that points outside the file, other than a hyperlink
    (which is only followed when clicked): (part, kind, target). A linked picture, an attached
    template, a linked OLE object or frame would be fetched by Word, telling someone that the
    copy was opened, and from where.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(n for n in archive.namelist() if n.endswith(".rels")):
            try:
                root = etree.fromstring(archive.read(name), parser)
            except etree.XMLSyntaxError:
                continue  # not well-formed: python-docx refuses the file
            for relationship in root.iter(_RELATIONSHIPS):
                kind = relationship.get("Type", "").rpartition("/")[2]
                if relationship.get("TargetMode") == "External" and kind != "hyperlink":
                    target = relationship.get("Target", "")
                    if len(target) > _LONGEST_TARGET:
                        target = target[: _LONGEST_TARGET - 1] + "…"
                    return name, _KINDS.get(kind, kind), target
    return None


_KINDS = {"image": "picture", "attachedTemplate": "template", "oleObject": "OLE object"}


def _mebibytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"
