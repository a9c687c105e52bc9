"""`templates check`: find what breaks a template before a document is rendered with it.

Every layer's templates are checked the way they render. HTML templates: Jinja's syntax and
the names they use. DOCX templates, per XML part that docxtpl renders (the body, headers,
footers, footnotes): tags that Word split across runs or paragraphs, blocks that do not
balance (`{%p if %}` is an `if`), Jinja's syntax, and the names they use. A DOCX paragraph is
numbered from 1 within its part, the way Word users count; an HTML line is the file's line.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import io
import re
import types
import typing
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from gettext import NullTranslations
from itertools import accumulate
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, meta, nodes
from lxml import etree

from sipdocs.context import TEMPLATE_VARIABLES, TemplateVars
from sipdocs.errors import TemplateError
from sipdocs.guard import read_docx_template, template_refusals
from sipdocs.renderers.docx import DOCX_VARIABLES
from sipdocs.templates import DEFAULT, HTML_OPTIONS, OVERRIDES, PROFILE_FILE, Registry, sandbox

HTML_SUFFIXES = (".html", ".css")
DOCX_SUFFIX = ".docx"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_ENDS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_OPEN = re.compile(r"\{[{%#]")
_DOCXTPL_PREFIX = re.compile(r"(\{[{%#])(p|tr|tc|r) ")  # docxtpl's paragraph/row/cell/run marks
_TABLE_MARKS = {"tr": "table row", "tc": "table cell"}
_DOCXTPL_ONLY = re.compile(r"\{%\s*(?:(vm|hm)|(?:colspan|cellbg)\s+([^%]*?))\s*%\}")
# Word's typographic quotes, which docxtpl reads as plain ones inside tags
_SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_ASSIGNMENT = re.compile(r"(?<![=!<>])=(?!=)")
# Block tags; `set` is one only without `=` (see _Tag.statement)
_OPENERS = frozenset(
    {"if", "for", "with", "macro", "call", "filter", "block", "raw", "trans", "autoescape", "set"}
)
_MIDDLES = {"elif": ("if",), "else": ("if", "for"), "pluralize": ("trans",)}
_LONGEST_QUOTE = 60


Found = tuple[int | None, str]  # a line (HTML) or paragraph (DOCX), if known, and the message


@dataclass(frozen=True)
class TemplateProblem:
    """One problem in one template file, printed as one line."""

    path: Path
    message: str
    part: str | None = None  # a DOCX template's XML part, e.g. word/document.xml
    line: int | None = None  # the HTML line, or the paragraph within the DOCX part

    def __str__(self) -> str:
        if self.part is None:
            return f"{self.path}{f':{self.line}' if self.line else ''}: {self.message}"
        where = f": paragraph {self.line}" if self.line else ""
        return f"{self.path}: {self.part}{where}: {self.message}"


@dataclass(frozen=True)
class TemplateCheck:
    """What `check_templates` found: how many files it checked and every problem in them."""

    checked: int
    problems: tuple[TemplateProblem, ...]
    warnings: tuple[TemplateProblem, ...] = ()


@dataclass(frozen=True)
class _Tag:
    """A `{{ }}`, `{% %}` or `{# #}` tag and where it is."""

    text: str  # as written, e.g. "{%p if recipient.is_principal %}"
    line: int
    unit: str = "line"  # what `line` counts: "line", or "paragraph" in a DOCX part

    @property
    def where(self) -> str:
        """'on line 7' or 'in paragraph 7'."""
        return f"{'on' if self.unit == 'line' else 'in'} {self.unit} {self.line}"

    @property
    def quoted(self) -> str:
        """The tag in quotes, on one line and shortened when long."""
        text = " ".join(self.text.split())
        if len(text) > _LONGEST_QUOTE:
            text = f"{text[: _LONGEST_QUOTE - 6]} … {text[-2:]}"
        return f"'{text}'"

    @property
    def statement(self) -> str:
        """The keyword of a `{% %}` tag without docxtpl's mark: `{%p endif %}` is 'endif'."""
        if not self.text.startswith("{%"):
            return ""
        inner = _DOCXTPL_PREFIX.sub(r"\1", self.text, count=1)[2:-2].strip("-+ \t\r\n")
        word = re.match(r"\w+", inner)
        if word is None:
            return ""
        if word.group() == "set" and _ASSIGNMENT.search(inner):
            return "set="
        return word.group()


def check_templates(registry: Registry) -> TemplateCheck:
    """Check every template of every layer the registry finds."""
    files = template_files(registry)
    found: dict[Path, list[TemplateProblem]] = {path: [] for path in files}
    html = sandbox(NullTranslations(), **HTML_OPTIONS)
    parsed: dict[Path, nodes.Template] = {}
    for path in (p for p in files if p.suffix in HTML_SUFFIXES):
        ast, problems = _parse_html(path, html)
        found[path] += problems
        if ast is not None:
            parsed[path] = ast
            found[path] += _wrap(path, None, _override_refusals(path, html))
    inherited = _inherited_names(parsed)
    blocks = _default_blocks(parsed, registry)
    for path, ast in parsed.items():
        allowed = TEMPLATE_VARIABLES | html.globals.keys() | inherited[path.name]
        said = [*_names_or_error(ast, allowed), *_attributes(ast, allowed)]
        if path.parent.name == OVERRIDES and path.suffix == ".html":
            said += _override_shape(ast, blocks.get(path.name))
        found[path] += _wrap(path, None, said)
    docx = sandbox(NullTranslations())
    for path in (p for p in files if p.suffix == DOCX_SUFFIX):
        found[path] += check_docx(path, docx)
    problems = [problem for path in files for problem in found[path]]
    problems += _unknown_regions(registry)
    return TemplateCheck(len(files), tuple(problems), tuple(_docx_left_behind(registry)))


def _unknown_regions(registry: Registry) -> list[TemplateProblem]:
    """A municipality whose `region` is no region layer: every case of it would fail."""
    regions = sorted(n for n, layer in registry.layers.items() if layer.profile.kind == "region")
    return [
        TemplateProblem(
            layer.folder / PROFILE_FILE,
            f"region: '{layer.profile.region}' is not a region layer"
            f"{_did_you_mean(str(layer.profile.region), regions)} (regions: "
            f"{', '.join(regions) or 'none'}); give the folder that holds it with --layers",
        )
        for layer in registry.layers.values()
        if layer.profile.kind == "municipality"
        and layer.profile.region is not None
        and layer.profile.region not in regions
    ]


def _default_blocks(
    parsed: dict[Path, nodes.Template], registry: Registry
) -> dict[str, frozenset[str]]:
    """By file name: the blocks the built-in template of that name offers, with those of the
    templates it extends (a kallelse's are its own and base.html's)."""
    default = registry.layers[DEFAULT].folder
    built_in = {path: ast for path, ast in parsed.items() if path.is_relative_to(default)}
    return _through_extends(built_in, lambda ast: {b.name for b in ast.find_all(nodes.Block)})


def _override_shape(ast: nodes.Template, offered: frozenset[str] | None) -> list[Found]:
    """What an override says that no document would show: a block its template does not
    offer (Jinja drops it), and text or output outside every block."""
    found: list[Found] = []
    for block in ast.find_all(nodes.Block):
        if offered is not None and block.name not in offered:
            found.append(
                (
                    block.lineno,
                    f"block '{block.name}' is not a block of this template, so nothing in it "
                    f"is shown{_did_you_mean(block.name, sorted(offered))} (blocks: "
                    f"{', '.join(sorted(offered))}; docs/layers.md)",
                )
            )
    for statement in ast.body:
        if isinstance(statement, nodes.Output) and any(
            not (isinstance(node, nodes.TemplateData) and not node.data.strip())
            for node in statement.nodes
        ):
            found.append(
                (
                    statement.lineno,
                    "text outside a block is not shown: an override only redefines blocks; "
                    "put it inside one",
                )
            )
    return found


def _attributes(ast: nodes.Template, allowed: Iterable[str]) -> list[Found]:
    """`profile.phon`: an attribute a given variable's type does not have, where the template
    does not set that name itself."""
    own = _set_names(ast)
    found: list[Found] = []
    for node in ast.find_all(nodes.Getattr):
        if not (isinstance(node.node, nodes.Name) and node.node.ctx == "load"):
            continue
        kind = _variable_types().get(node.node.name)
        if kind is None or node.node.name in own or node.node.name not in allowed:
            continue
        known = _attribute_names(kind)
        if node.attr not in known:
            found.append(
                (
                    node.lineno,
                    f"'{node.node.name}.{node.attr}': {node.node.name} has no "
                    f"'{node.attr}'{_did_you_mean(node.attr, sorted(known))}",
                )
            )
    return found


def _attribute_names(kind: type) -> set[str]:
    """The public attributes of a class: fields, properties and methods."""
    names = {name for name in dir(kind) if not name.startswith("_")}
    names |= set(getattr(kind, "model_fields", {}))
    names |= {f.name for f in dataclasses.fields(kind)} if dataclasses.is_dataclass(kind) else set()
    return names


@functools.cache
def _variable_types() -> dict[str, type]:
    """The class of each template variable that is one of sipdocs' objects (case, profile,
    recipient, ...), perhaps None."""
    found = {}
    for name, hint in typing.get_type_hints(TemplateVars).items():
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            arms = [arm for arm in typing.get_args(hint) if arm is not type(None)]
        else:
            arms = [hint]
        kind = arms[0] if len(arms) == 1 else None
        if isinstance(kind, type) and kind.__module__.startswith("sipdocs"):
            found[name] = kind
    return found


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _docx_left_behind(registry: Registry) -> list[TemplateProblem]:
    """A layer's override of a document's HTML without one of its DOCX: the DOCX copies are
    made from the layer below and miss what the layer changed."""
    found = []
    for layer in registry.layers.values():
        for document in registry.versions if layer.name != DEFAULT else ():
            html = layer.override(f"{document}.html")
            if html is not None and layer.override(f"{document}{DOCX_SUFFIX}") is None:
                found.append(
                    TemplateProblem(
                        html,
                        f"warning: the layer overrides {document}.html but not "
                        f"{document}{DOCX_SUFFIX}, so its DOCX copies lack these changes; add "
                        f"{OVERRIDES}/{document}{DOCX_SUFFIX} (see docs/docx-templates.md)",
                    )
                )
    return found


def template_files(registry: Registry) -> list[Path]:
    """Every template file: the default versions', their shared parts, then each layer's
    overrides.
    """
    versions = [v for versions in registry.versions.values() for v in versions]
    folders = [v.folder for v in versions] + sorted({v.shared[0] for v in versions})
    files = [path for folder in folders for path in _templates(folder.iterdir())]
    for layer in registry.layers.values():
        if layer.name != DEFAULT and (layer.folder / OVERRIDES).is_dir():
            files += _templates((layer.folder / OVERRIDES).rglob("*"))
    return files


def _templates(paths: Iterable[Path]) -> list[Path]:
    """The template files among `paths`, without Word's lock files (~$name.docx) or hidden ones."""
    return sorted(
        path
        for path in paths
        if path.suffix in (*HTML_SUFFIXES, DOCX_SUFFIX)
        and path.is_file()
        and not path.name.startswith(("~$", "."))
    )


def _wrap(path: Path, part: str | None, found: Iterable[Found]) -> list[TemplateProblem]:
    """The problems of one file or DOCX part, in the order of their lines."""
    ordered = sorted(found, key=lambda found: found[0] or 0)
    return [TemplateProblem(path, message, part, line) for line, message in ordered]


# HTML


def _parse_html(
    path: Path, environment: Environment
) -> tuple[nodes.Template | None, list[TemplateProblem]]:
    """The template's syntax tree, or the problems that keep it from having one."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [TemplateProblem(path, f"cannot be read ({_reason(exc)})")]
    tags, unclosed = _spans(source)
    if unclosed is None:
        line_of = _line_finder(source)
        problems = _balance([_Tag(source[a:b], line_of(a)) for a, b in tags])
        if problems:
            return None, _wrap(path, None, problems)
    try:
        return environment.parse(source), []
    except TemplateSyntaxError as exc:
        return None, [TemplateProblem(path, _jinja_message(exc), line=exc.lineno)]


def _override_refusals(path: Path, environment: Environment) -> list[Found]:
    """What the loader would refuse in a layer's override (see guard.template_refusals)."""
    if path.parent.name != OVERRIDES:
        return []
    refusals = template_refusals(path.read_text(encoding="utf-8"), path.name, environment)
    return [(line, f"refused: {reason}") for line, reason in refusals]


def _line_finder(source: str) -> Callable[[int], int]:
    """A function from a position in `source` to its line, counted from 1."""
    starts = [0, *(m.end() for m in re.finditer("\n", source))]
    return lambda position: bisect_right(starts, position)


def _inherited_names(parsed: dict[Path, nodes.Template]) -> defaultdict[str, frozenset[str]]:
    """By file name: the names set at the top of templates of that name or that they extend."""
    # A block sees what its template and those it extends set outside blocks: an override of
    # kallelse.html sees the `meeting` that the default kallelse.html sets.
    return defaultdict(frozenset, _through_extends(parsed, _top_level_names))


def _through_extends(
    parsed: dict[Path, nodes.Template], of: Callable[[nodes.Template], set[str]]
) -> dict[str, frozenset[str]]:
    """By file name: what `of` finds in the templates of that name and in all they extend."""
    own: defaultdict[str, set[str]] = defaultdict(set)
    parents: defaultdict[str, set[str]] = defaultdict(set)
    for path, ast in parsed.items():
        own[path.name] |= of(ast)
        for extends in ast.find_all(nodes.Extends):
            if isinstance(extends.template, nodes.Const):
                parents[path.name].add(str(extends.template.value).rpartition("/")[2])
    result = {}
    for name in own:
        seen, todo = {name}, [name]
        while todo:
            todo += [p for p in parents[todo.pop()] if p not in seen]
            seen.update(todo)
        result[name] = frozenset().union(*(own[n] for n in seen))
    return result


# DOCX


def check_docx(path: Path, environment: Environment | None = None) -> list[TemplateProblem]:
    """Check every XML part of a DOCX template that docxtpl renders."""
    if environment is None:
        environment = sandbox(NullTranslations())
    try:
        parts = _docx_parts(read_docx_template(path))
    except TemplateError as exc:
        return [TemplateProblem(path, str(exc).removeprefix(f"{path}: "))]
    problems: list[TemplateProblem] = []
    for part, xml in parts:
        problems += _wrap(path, part, _check_part(xml, environment))
    return problems


def _docx_parts(data: bytes) -> list[tuple[str, str | bytes]]:
    """The parts docxtpl renders by name: the body as it patches it, headers, footers, footnotes."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(data))
    try:
        template.init_docx()
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"not a DOCX file (a part is not well-formed XML: {exc})") from None
    except Exception:  # python-docx raises whatever the zip's contents lead to
        raise TemplateError("not a DOCX file (a zip archive without a Word document)") from None
    document = template.docx.part
    parts: list[tuple[str, str | bytes]] = [(document.partname, template.get_xml())]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        parts += [(part.partname, part.blob) for _, part in template.get_headers_footers(uri)]
    parts += [
        (part.partname, part.blob)
        for part in document.package.iter_parts()
        if part.content_type == _FOOTNOTES
    ]
    return [(str(name).lstrip("/"), xml) for name, xml in parts]


@dataclass(frozen=True)
class _Paragraph:
    """A `w:p` of a DOCX part: its number in the part, its runs' texts, its table."""

    number: int
    texts: tuple[str, ...]  # its `w:t` texts, each the text of one run
    tables: frozenset[str]  # "tr" and "tc" when it is in a table row and cell

    @property
    def text(self) -> str:
        """The paragraph's text, on one line."""
        return "".join(self.texts).replace("\n", " ").replace("\r", " ")


def _check_part(stored: str | bytes, environment: Environment) -> list[Found]:
    """Split and unfinished tags, unbalanced blocks, Jinja's syntax and unknown names."""
    try:
        xml = stored if isinstance(stored, str) else _part_xml(stored)
        paragraphs = _paragraphs(xml)
    except etree.XMLSyntaxError as exc:
        return [(None, f"not well-formed XML ({exc})")]
    split: list[Found] = []
    misplaced: list[Found] = []  # problems that make every later check report nonsense
    tags: list[_Tag] = []
    for paragraph in paragraphs:
        spans, unclosed = _spans(paragraph.text)
        ours = [_Tag(paragraph.text[a:b], paragraph.number, "paragraph") for a, b in spans]
        tags += ours
        split += _split_tags(paragraph, spans)
        misplaced += _table_tags(paragraph, ours)
        if unclosed is not None:
            tag = _Tag(paragraph.text[unclosed:], paragraph.number, "paragraph")
            misplaced.append(
                (
                    tag.line,
                    f"{tag.quoted} is not closed in its paragraph; a tag "
                    "must begin and end in the same paragraph",
                )
            )
    problems = misplaced or _balance(tags)
    if problems:
        return split + problems
    source = "\n".join(_jinja_line(p.text, _spans(p.text)[0]) for p in paragraphs)
    return split + _jinja_problems(source, xml, environment)


def _split_tags(paragraph: _Paragraph, spans: list[tuple[int, int]]) -> list[Found]:
    """Tags whose characters come from more than one run."""
    ends = list(accumulate(len(t) for t in paragraph.texts))
    return [
        (
            paragraph.number,
            f"tag {_Tag(paragraph.text[start:end], 0).quoted} is split across "
            "Word runs; retype it in one go or clear its formatting",
        )
        for start, end in spans
        if bisect_right(ends, start) != bisect_right(ends, end - 1)
    ]


def _table_tags(paragraph: _Paragraph, tags: list[_Tag]) -> list[Found]:
    """docxtpl's row and cell tags outside a table row or cell: `{%tr for … %}`."""
    found: list[Found] = []
    for tag in tags:
        mark = _DOCXTPL_PREFIX.match(tag.text)
        if mark and mark.group(2) in _TABLE_MARKS and mark.group(2) not in paragraph.tables:
            found.append((tag.line, f"{tag.quoted} is not in a {_TABLE_MARKS[mark.group(2)]}"))
    return found


def _part_xml(blob: bytes) -> str:
    """A part's XML as docxtpl reads it before patching it."""
    return str(etree.tostring(etree.fromstring(blob, _parser()), encoding="unicode"))


def _parser() -> Any:
    """python-docx's XML parser settings, without entities or network access."""
    return etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


def _paragraphs(xml: str) -> list[_Paragraph]:
    """Each `w:p` in the order its start tag comes, which is how docxtpl numbers its lines."""
    root = etree.fromstring(xml.encode("utf-8"), _parser())
    return [
        _Paragraph(
            number,
            tuple(t.text or "" for t in p.iter(f"{_W}t") if next(t.iterancestors(f"{_W}p")) is p),
            frozenset(
                mark
                for mark in _TABLE_MARKS
                if next(p.iterancestors(f"{_W}{mark}"), None) is not None
            ),
        )
        for number, p in enumerate(root.iter(f"{_W}p"), start=1)
    ]


def _jinja_line(joined: str, spans: list[tuple[int, int]]) -> str:
    """A paragraph's text as Jinja sees it after docxtpl: marks dropped, quotes straightened."""
    pieces, last = [], 0
    for start, end in spans:
        tag = _DOCXTPL_PREFIX.sub(r"\1 ", joined[start:end], count=1).translate(_SMART_QUOTES)
        tag = _DOCXTPL_ONLY.sub(lambda m: "" if m.group(1) else f"{{{{ {m.group(2)} }}}}", tag)
        pieces += [joined[last:start], tag]
        last = end
    return "".join([*pieces, joined[last:]])


def _jinja_problems(source: str, xml: str, environment: Environment) -> list[Found]:
    """Jinja's syntax errors by paragraph, then the names docxtpl's patched XML uses."""
    from docxtpl import DocxTemplate

    try:
        ast = environment.parse(source)
    except TemplateSyntaxError as exc:
        return [(exc.lineno, _jinja_message(exc))]
    allowed = DOCX_VARIABLES | environment.globals.keys()
    try:
        patched = environment.parse(DocxTemplate(io.BytesIO()).patch_xml(xml))
        return [*_unknown(patched, ast, allowed), *_attributes(ast, allowed)]
    except TemplateSyntaxError as exc:
        error = exc
    located = _names_or_error(ast, allowed)  # the patched XML's lines are not paragraphs
    if located and located[0][1] == _jinja_message(error):
        return located[:1]
    return [(None, f"after docxtpl's changes to the XML: {_jinja_message(error)}")]


# Shared by both


def _spans(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """Where each `{{…}}`, `{%…%}` and `{#…#}` is, and where a tag begins that never ends."""
    spans: list[tuple[int, int]] = []
    position = 0
    while (opening := _OPEN.search(text, position)) is not None:
        end = text.find(_ENDS[opening.group()], opening.end())
        if end < 0:
            return spans, opening.start()
        position = end + 2
        spans.append((opening.start(), position))
    return spans, None


def _balance(tags: list[_Tag]) -> list[Found]:
    """Block tags that open and close in the wrong order, walked with a stack."""
    found: list[Found] = []
    stack: list[_Tag] = []
    for tag in tags:
        name = tag.statement
        if stack and stack[-1].statement == "raw" and name != "endraw":
            continue
        if name in _OPENERS:
            stack.append(tag)
        elif name in _MIDDLES:
            if not stack or stack[-1].statement not in _MIDDLES[name]:
                where = " or ".join(_MIDDLES[name])
                found.append((tag.line, f"{tag.quoted} is not inside {_article(where)} {where}"))
        elif name.startswith("end") and name[3:] in _OPENERS:
            found += _close(stack, tag, name[3:])
    return found + [(t.line, f"{t.quoted} is never closed") for t in stack]


def _close(stack: list[_Tag], closer: _Tag, name: str) -> list[Found]:
    """Pop what `closer` closes; what it leaves open inside, or its mismatch, is a problem."""
    if not stack:
        return [(closer.line, f"{closer.quoted} closes nothing")]
    depth = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].statement == name), None)
    if depth is None:
        top = stack[-1]
        return [
            (
                closer.line,
                f"{closer.quoted} does not match the open {top.quoted} {top.where}",
            )
        ]
    inside = stack[depth + 1 :]
    del stack[depth:]
    return [
        (t.line, f"{t.quoted} is not closed before {closer.quoted} {closer.where}") for t in inside
    ]


def _article(word: str) -> str:
    """'an' before a vowel, else 'a'."""
    return "an" if word[0] in "aeiou" else "a"


def _names_or_error(ast: nodes.Template, allowed: Iterable[str]) -> list[Found]:
    """The names `ast` is not given, or what compiling it finds: a filter that does not exist."""
    try:
        return _unknown(ast, ast, allowed)
    except TemplateSyntaxError as exc:
        return [(exc.lineno, _jinja_message(exc))]


def _unknown(ast: nodes.Template, lines: nodes.Template, allowed: Iterable[str]) -> list[Found]:
    """Names `ast` reads but is not given, each where `lines` first reads it; compiles `ast`."""
    names = frozenset(allowed)
    first = _first_lines(lines)
    return [(first.get(n), _unknown_message(n, names)) for n in sorted(_unknown_names(ast, names))]


def _unknown_names(ast: nodes.Template, allowed: frozenset[str]) -> set[str]:
    """Names read that the template neither is given nor sets anywhere."""
    return set(meta.find_undeclared_variables(ast)) - allowed - _set_names(ast)


def _set_names(node: nodes.Node) -> set[str]:
    """Every name `node` and what it holds set: assignments, loop and macro variables, imports."""
    names: set[str] = set()
    for each in (node, *node.find_all(nodes.Node)):
        if isinstance(each, nodes.Name) and each.ctx in ("store", "param"):
            names.add(each.name)
        elif isinstance(each, nodes.Import):
            names.add(each.target)
        elif isinstance(each, nodes.FromImport):
            names |= {n if isinstance(n, str) else n[1] for n in each.names}
        elif isinstance(each, nodes.Macro):
            names.add(each.name)
    return names


def _top_level_names(ast: nodes.Template) -> set[str]:
    """The names a template sets outside its blocks, which its blocks and children see."""
    names: set[str] = set()
    for statement in ast.body:
        if isinstance(statement, nodes.Macro):
            names.add(statement.name)
        elif isinstance(
            statement, nodes.Assign | nodes.AssignBlock | nodes.Import | nodes.FromImport | nodes.If
        ):
            names |= _set_names(statement)
    return names


def _first_lines(ast: nodes.Template) -> dict[str, int]:
    """Where each name is first read."""
    lines: dict[str, int] = {}
    for name in ast.find_all(nodes.Name):
        if name.ctx == "load":
            lines[name.name] = min(name.lineno, lines.get(name.name, name.lineno))
    return lines


def _unknown_message(name: str, allowed: Iterable[str]) -> str:
    """The message for a name templates are not given, with the closest one they are."""
    close = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.75)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"'{name}' is not a variable templates are given{hint}"


def _jinja_message(exc: TemplateSyntaxError) -> str:
    """Jinja's message on one line."""
    return " ".join((exc.message or "syntax error").split())


def _reason(exc: Exception) -> str:
    """Why a file cannot be read, in a few words."""
    return getattr(exc, "strerror", None) or type(exc).__name__
