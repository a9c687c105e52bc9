"""Reads a case file into plain data and remembers where every key and item stands.

The reader is built on PyYAML's event stream, so it never expands aliases into copies,
never recurses, and stops early on files that are too large, too deep or too big once
aliases are counted. Every problem becomes one located `SourceProblem`.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sipdocs.findings import KeyPath

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100_000

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_PLAIN_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
# The standard scalar tags; a collection tag such as !!set on a scalar is refused.
_SCALAR_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "binary")
}
_STR = "tag:yaml.org,2002:str"
_LINE_BREAK = re.compile(r"[ \t]*\n\s*")
_HIDDEN = {"Cc", "Cf", "Zl", "Zp"}  # controls, format characters (bidi), line separators
_GLUED_COMMENT = re.compile(r"[ \t]+#\S")  # `Storgatan #12`: YAML reads a comment "12"
_PLAIN = (None, "")  # the style of a plain scalar (the C parser says ""; Python, None)


@dataclass(frozen=True)
class Position:
    line: int
    column: int


class SourceProblem(Exception):
    """The file cannot be read as a case file at all."""

    def __init__(self, message: str, position: Position = Position(1, 1)) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass
class SourceMap:
    """Where each key path stands: the key of a mapping entry, the start of a list item."""

    positions: dict[KeyPath, Position] = field(default_factory=dict)

    def locate(self, path: KeyPath) -> Position:
        """The position of `path`, or of its nearest ancestor that the file has."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, Position(1, 1))


@dataclass(frozen=True)
class Source:
    """A case file's data, where each key path stands, and the characters written of each
    plain number or date: where the case format wants text, `0701234567` is that text, not
    the octal number YAML reads.
    """

    data: dict[str, Any]
    source_map: SourceMap
    written: dict[KeyPath, str] = field(default_factory=dict)
    aliases: dict[KeyPath, KeyPath] = field(default_factory=dict)  # alias -> its anchor
    cut: list[KeyPath] = field(default_factory=list)  # plain text a ` #comment` cut short

    def written_at(self, path: KeyPath) -> str | None:
        """The characters written of the plain number or date at `path`, through aliases."""
        for _ in range(MAX_DEPTH):  # an alias leads to an earlier anchor, never round
            if path in self.written:
                return self.written[path]
            alias = next(
                (path[:end] for end in range(len(path), 0, -1) if path[:end] in self.aliases),
                None,
            )
            if alias is None:
                return None
            path = (*self.aliases[alias], *path[len(alias) :])
        return None


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing files larger than `MAX_FILE_BYTES` without reading them."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise SourceProblem("is a folder, not a case file") from None
    except OSError as exc:
        raise SourceProblem(f"cannot be read: {exc.strerror or type(exc).__name__}") from None
    _refuse_large(data)
    return data


def _refuse_large(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise SourceProblem(f"the file is larger than {MAX_FILE_BYTES // 1024} KiB")


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is allowed); large, binary and other files are refused with a place."""
    _refuse_large(data)
    if encoding := _wide_encoding(data):
        raise SourceProblem(f"the file is saved as {encoding}; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise SourceProblem("binary data (a NUL byte); a case file is UTF-8 text", _at(data, nul))
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        place = _at(data, bom + exc.start)
        raise SourceProblem("not valid UTF-8; save the file as UTF-8", place) from None


# UTF-32 first: its little-endian BOM begins with UTF-16's.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _wide_encoding(data: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' if the file looks saved so (a BOM, or ASCII text with a NUL byte
    beside every character), as Windows editors offer ("Unicode"); else None."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    start = data[:64]
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        if len(start) >= width * 2 and any(
            all(start[i] == 0 for i in range(len(start)) if i % width != position)
            and any(start[position::width])
            for position in (0, width - 1)
        ):
            return name
    return None


def _at(data: bytes, offset: int) -> Position:
    """Line and column (in characters, as YAML counts them) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    if line_start == 0 and data.startswith(codecs.BOM_UTF8):
        line_start = len(codecs.BOM_UTF8)  # the BOM is not a character of the text
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Position(data.count(b"\n", 0, offset) + 1, column)


def _position_in(text: str, index: int) -> Position:
    """Line and column of the character at `index` of `text`."""
    line_start = text.rfind("\n", 0, index) + 1
    return Position(text.count("\n", 0, index) + 1, index - line_start + 1)


def _mark(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


@dataclass
class _Collection:
    value: dict[str, Any] | list[Any]
    path: KeyPath
    anchor: str | None
    start: Any
    flow: bool = False
    size: int = 1
    key: Any = None
    key_end: Any = None
    has_key: bool = False
    last_text: tuple[str, Any] | None = None  # (key, end mark) of the last plain text value


def parse(text: str) -> Source:
    """Parse one YAML document into plain data with a source map; the root must be a mapping."""
    source_map = SourceMap()
    anchors: dict[str, tuple[Any, int, KeyPath | None]] = {}
    stack: list[_Collection] = []
    roots: list[Any] = []
    written: dict[KeyPath, str] = {}
    aliases: dict[KeyPath, KeyPath] = {}
    cut: list[KeyPath] = []

    def child_path() -> KeyPath:
        top = stack[-1]
        return (*top.path, top.key) if isinstance(top.value, dict) else (*top.path, len(top.value))

    def continues_text(event: Any) -> bool:
        """`{what: Stöd, tio träffar.}`: a prose key without a colon after plain text in a flow
        mapping is the rest of that text, cut off by YAML at the comma."""
        top = stack[-1] if stack else None
        if not (top and top.flow and top.has_key and top.last_text and isinstance(top.key, str)):
            return False
        if top.key_end is None:  # a quoted key is meant as a key
            return False
        if event.value != "" or event.style not in _PLAIN or not any(c.isspace() for c in top.key):
            return False
        return not text[top.key_end.index :].lstrip(" ").startswith(":")

    def continue_text(top: _Collection) -> None:
        assert top.last_text is not None
        assert isinstance(top.value, dict)
        previous, end = top.last_text
        # YAML folds a line break inside plain text to one space; so does the rejoined text.
        top.value[previous] += _LINE_BREAK.sub(" ", text[end.index : top.key_end.index])
        del source_map.positions[(*top.path, top.key)]
        top.last_text = (previous, top.key_end)
        top.has_key = False

    def attach(
        value: Any, size: int, start: Any, end: Any = None, text: str | None = None
    ) -> KeyPath | None:
        """Put `value` (written as `text`, if plain) in its place; returns its key path, or
        None for a key or the root."""
        if not stack:
            roots.append(value)
            return None
        top = stack[-1]
        top.size += size
        if top.size > MAX_VALUES:
            raise SourceProblem(f"the file holds more than {MAX_VALUES} values", _mark(start))
        is_key = isinstance(top.value, dict) and not top.has_key
        path = child_path()
        if text is not None and not isinstance(value, str) and value is not None:
            if is_key:
                value = text  # a key is text: `2026-02-09:` or `012:` as written
            else:
                written[path] = text
        if isinstance(top.value, list):
            source_map.positions[path] = _mark(start)
            top.value.append(value)
        elif is_key:
            if not isinstance(value, str):
                hint = "" if isinstance(value, dict | list) else "; write it in quotes"
                raise SourceProblem(f"a key must be text{hint}", _mark(start))
            hidden = _first_hidden(value)
            if hidden:  # findings print keys: one would break a line or reorder the text
                raise SourceProblem(
                    f"a key must not hold the control or invisible character U+{ord(hidden):04X}",
                    _mark(start),
                )
            if value in top.value:
                raise SourceProblem(f"duplicate key '{value}'", _mark(start))
            top.key, top.key_end, top.has_key = value, end, True
            source_map.positions[(*top.path, value)] = _mark(start)
            return None
        else:
            top.value[top.key] = value
            top.has_key = False
            plain_text = isinstance(value, str) and end is not None
            top.last_text = (top.key, end) if plain_text else None
        return path

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.ScalarEvent):
                if continues_text(event):
                    continue_text(stack[-1])
                    continue
                value = _scalar(event)
                end = event.end_mark if event.style in _PLAIN else None
                written_as = event.value if end and event.tag is None else None
                at = attach(value, 1, event.start_mark, end, written_as)
                if at is not None and end and _GLUED_COMMENT.match(text, end.index):
                    cut.append(at)
                if event.anchor:
                    anchors[event.anchor] = (value, 1, at)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if event.tag not in _PLAIN_TAGS:
                    raise SourceProblem("YAML tags are not supported", _mark(event.start_mark))
                if len(stack) >= MAX_DEPTH:
                    raise SourceProblem(
                        f"nesting deeper than {MAX_DEPTH} levels", _mark(event.start_mark)
                    )
                path = child_path() if stack else ()
                empty: dict[str, Any] | list[Any] = (
                    {} if isinstance(event, yaml.MappingStartEvent) else []
                )
                stack.append(
                    _Collection(empty, path, event.anchor, event.start_mark, bool(event.flow_style))
                )
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                done = stack.pop()
                if done.anchor:
                    anchors[done.anchor] = (done.value, done.size, done.path)
                attach(done.value, done.size, done.start)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise SourceProblem("undefined YAML alias", _mark(event.start_mark))
                value, size, anchored = anchors[event.anchor]
                at = attach(value, size, event.start_mark)
                if at is not None and anchored is not None:
                    aliases[at] = anchored
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SourceProblem(
            _syntax_error(str(exc.problem or exc.context), text, mark),
            _mark(mark) if mark else Position(1, 1),
        ) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow, such as a control character: its first occurrence.
        raise SourceProblem(
            f"YAML syntax error: the character U+{exc.character:04X} is not allowed",
            _position_in(text, text.find(chr(exc.character))),
        ) from None
    except yaml.YAMLError as exc:
        raise SourceProblem(f"YAML error: {exc}") from None

    if len(roots) > 1:
        raise SourceProblem("the file holds more than one YAML document; a case is one document")
    if not roots or roots[0] is None:
        raise SourceProblem("the file is empty")
    if not isinstance(roots[0], dict):
        kind = "a list" if isinstance(roots[0], list) else "a single value"
        raise SourceProblem(f"a case file is a mapping of keys to values, not {kind}")
    source_map.positions.setdefault((), Position(1, 1))
    return Source(roots[0], source_map, written, aliases, cut)


def _syntax_error(problem: str, text: str, mark: Any) -> str:
    """PyYAML's `problem` at `mark`, and what to do about the usual causes."""
    line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    before, at = line[: mark.column] if mark else "", line[mark.column : mark.column + 1]
    if "\t" in line[: mark.column + 1] and (at == "\t" or "tab" in problem):
        return "YAML syntax error: a tab character; indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        if ": " in before:
            return "YAML syntax error: a ': ' inside text; put the text in quotes"
        return (
            f"YAML syntax error: {problem}; check the indentation of this line: a key under "
            "another key goes further in, a key beside it just as far"
        )
    if "cannot start any token" in problem and at in "@`%":
        return f"YAML syntax error: text cannot start with '{at}'; put the text in quotes"
    if "did not find expected ','" in problem:
        return (
            f"YAML syntax error: {problem}; inside {{ }} or [ ], put text that holds ':', ',', "
            "' #', '[', ']', '{' or '}' in quotes"
        )
    if "could not find expected ':'" in problem:
        return (
            f"YAML syntax error: {problem}; a line is 'key: value' or '- item', and text that "
            "goes on to the next line is indented further than its key"
        )
    return f"YAML syntax error: {problem}"


@functools.lru_cache(maxsize=1024)  # a case file uses a few dozen keys, again and again
def _first_hidden(key: str) -> str | None:
    """The first control or invisible character of a key, if any."""
    return next((c for c in key if unicodedata.category(c) in _HIDDEN), None)


def _scalar(event: Any) -> Any:
    if event.tag in (None, "!"):
        if event.style not in _PLAIN:  # quoted or a block scalar: text as it stands
            return event.value
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag == _STR:
            return event.value
    else:
        tag = event.tag
    if tag == "tag:yaml.org,2002:merge":
        raise SourceProblem("YAML merge keys (<<) are not supported", _mark(event.start_mark))
    if tag not in _SCALAR_TAGS:
        raise SourceProblem("YAML tags are not supported", _mark(event.start_mark))
    construct = yaml.constructor.SafeConstructor.yaml_constructors[tag]
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return construct(_CONSTRUCTOR, node)
    except (ValueError, LookupError, AttributeError, yaml.YAMLError):
        # e.g. 2026-02-30, or a tag the text does not fit (`!!bool x`, `!!timestamp x`, `!!int _`,
        # on which PyYAML fails with KeyError, AttributeError, IndexError): left as text for the
        # schema to report
        return event.value


def load(path: Path) -> Source:
    """Read, decode and parse a case file."""
    return parse(decode(read_bytes(path)))
