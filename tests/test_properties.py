"""Mutated reference cases never crash sipdocs, and findings never repeat a value of the case.

Hypothesis changes the adult and the child reference case at random key paths: a value of
the wrong type, a deleted key, an unknown key, an impossible or far-off date, text from
every Unicode plane, a string of 100,000 characters or more, nesting deeper than the reader
allows; or it breaks the bytes of the reference files themselves. For every such file:

1. `validate_bytes` never raises, and every finding has a place, a severity and a message;
2. `sipdocs validate` exits 0 or 1 and prints each finding as `file:line:column: severity: `;
3. no finding repeats a name or a free text of the case, only keys, key paths and codes;
4. a case that validates without errors renders as HTML, and a few as a PDF, or fails with
   a one-line `SipdocsError`.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sipdocs import LoadedCase, validate_bytes
from sipdocs.cli import app
from sipdocs.errors import SipdocsError
from sipdocs.findings import KeyPath, Severity
from sipdocs.render import render_case
from sipdocs.source import MAX_DEPTH
from sipdocs.templates import Registry
from tests.conftest import _DATA, REFERENCES

NAME = "mutant.yaml"
# Starts every value the privacy property looks for. The "§" keeps it from being an id,
# which findings name on purpose ("unknown party 'soc'").
MARKER = "Zqx§"
# Keys whose values findings also name on purpose, cut short: an unknown format
# (cases.py) and an unknown language code (model.py). No marker goes in there.
ECHOED = frozenset({"format", "language", "interpreter"})
WALK_DEPTH = 8  # key paths are drawn from the case's own levels, not from earlier nesting
REGISTRY = Registry()  # shared, so each template is compiled once
SETTINGS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
# Control, format (bidi) and line-separator characters: no finding prints one, so that
# each is one line and cannot move the cursor or reorder the text in a terminal.
HIDDEN = {"Cc", "Cf", "Zl", "Zp"}
FINDING_LINE = r"{file}:\d+:\d+: (error|warning): "

# Characters worth meeting often: controls, line and paragraph separators, bidi controls,
# a BOM, noncharacters, private use and astral characters.
SPECIAL = (
    "\x00\x07\t\n\r\x1b\x7f\x85\xa0\u061c\u200b\u200e\u200f\u2028\u2029\u202a\u202e"
    "\u2066\u2067\u2068\u2069\ufeff\ufdd0\ufffd\ufffe\uffff\ue000\U000f0000\U0010fffd"
    "\U0010ffff\U0001f600\U0001d11e\U00020000\U000e0001"
)
# Every plane; lone surrogates (Cs) cannot be written as UTF-8.
CHARACTERS = st.characters(exclude_categories=("Cs",)) | st.sampled_from(SPECIAL)
TEXT = st.text(CHARACTERS)
KEYS = st.text(CHARACTERS, max_size=20).filter(lambda k: MARKER not in k and k not in ECHOED)


class Plain(str):
    """Text written as a plain YAML scalar, so the reader resolves it: "2026-02-30" then
    reaches sipdocs as an impossible date, not as quoted text."""


class CaseDumper(yaml.SafeDumper):
    """`yaml.safe_dump`, with `Plain` text left unquoted. It writes astral characters as
    they are, where libyaml's emitter escapes them."""


class FastCaseDumper(yaml.CSafeDumper):
    """`CaseDumper` with libyaml's emitter: for huge and deeply nested values."""


def _represent_plain(dumper: yaml.SafeDumper | yaml.CSafeDumper, value: Plain) -> yaml.ScalarNode:
    tag = dumper.resolve(yaml.ScalarNode, value, (True, False))
    return dumper.represent_scalar(tag, str(value))


CaseDumper.add_representer(Plain, _represent_plain)
FastCaseDumper.add_representer(Plain, _represent_plain)

PLAIN = [
    "2026-02-30",
    "0000-00-00",
    "9999-99-99",
    "2026-13-01",
    "2026-00-10",
    "2026-11-20T25:00:00",
    "2026-11-20 13:61:00",
    "2026-11-20T13:00",
    "1.0e+400",
    ".nan",
    "-.inf",
    "0x_1F",
    "0o777",
    "190:20:30",
    "9" * 5000,  # more digits than Python turns into an int
    "~",
    "yes",
    "off",
]
DATES = st.one_of(
    st.sampled_from([Plain(text) for text in PLAIN]),
    st.dates(max_value=dt.date(1900, 1, 1)),
    st.dates(min_value=dt.date(2100, 1, 1)),
    st.datetimes(),
)
DATE_TEXT = re.compile(r"\d{4}-\d\d-\d\d")
HUGE_LENGTHS = st.sampled_from([100_000, 600_000])  # 600,000 times "ä" is over the 1 MiB limit
HUGE_FILLERS = st.sampled_from(["ä", "Stöd i vardagen. ", "\U0001f600"])

# Bytes that mean something to YAML or to UTF-8, for the byte-level mutations.
YAML_BYTES = [
    *(c.encode() for c in ":-{}[],&*!|>'\"#%?@`\\~\t\n\r"),
    b": ",
    b"- ",
    b"&a ",
    b"*a",
    b"!!python/object/apply:os.system ",
    b"!!binary ",
    b"<<: ",
    b"? ",
    b"%YAML 1.1\n---\n",
    b"---\n",
    b"...\n",
    b"\r\n",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\xe2\x80\xa8",
    b"\xc2\x85",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"2026-02-30",
    b"0000-00-00",
    b"9999-99-99",
]


def texts(path: KeyPath) -> st.SearchStrategy[str]:
    """Text for `path`: often marked, unless findings name this value on purpose."""
    plain = TEXT.filter(lambda s: MARKER not in s)
    keys = [part for part in path if isinstance(part, str)]
    if keys and keys[-1] in ECHOED:
        return plain
    return plain | TEXT.map(lambda s: MARKER + s)


def wrong_values(path: KeyPath) -> st.SearchStrategy[Any]:
    """A value of any type: scalars, dates, and short lists and mappings of them."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        texts(path),
        st.dates(),
        st.datetimes(),
    )
    return scalars | st.lists(scalars, max_size=3) | st.dictionaries(KEYS, scalars, max_size=3)


def entries(data: dict[str, Any]) -> list[tuple[KeyPath, Any]]:
    """Every key and list item of the case with its value, down to `WALK_DEPTH` levels."""
    found: list[tuple[KeyPath, Any]] = []
    stack: list[tuple[KeyPath, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if len(path) >= WALK_DEPTH:
            continue
        children = (
            value.items()
            if isinstance(value, dict)
            else enumerate(value)
            if isinstance(value, list)
            else ()
        )
        for key, child in children:
            found.append(((*path, key), child))
            stack.append(((*path, key), child))
    return found


def parent(data: dict[str, Any], path: KeyPath) -> Any:
    """The mapping or list that holds `path`."""
    container: Any = data
    for part in path[:-1]:
        container = container[part]
    return container


def draw_path(
    draw: st.DrawFn,
    data: dict[str, Any],
    wanted: Callable[[KeyPath, Any], bool] = lambda path, value: True,
) -> KeyPath:
    """A key path that is `wanted` with its value, or any key path if the case has none."""
    every = entries(data)
    chosen = [path for path, value in every if wanted(path, value)] or [path for path, _ in every]
    return draw(st.sampled_from(chosen))


def replace(data: dict[str, Any], path: KeyPath, value: Any) -> None:
    note(f"{path}: {str(value)[:80]!r}")
    parent(data, path)[path[-1]] = value


def wrong_type(draw: st.DrawFn, data: dict[str, Any]) -> None:
    path = draw_path(draw, data)
    replace(data, path, draw(wrong_values(path)))


def delete(draw: st.DrawFn, data: dict[str, Any]) -> None:
    path = draw_path(draw, data)
    note(f"{path}: deleted")
    del parent(data, path)[path[-1]]


def unknown_key(draw: st.DrawFn, data: dict[str, Any]) -> None:
    mapping = draw(st.sampled_from([data, *(v for _, v in entries(data) if isinstance(v, dict))]))
    key = draw(KEYS.filter(lambda k: k not in mapping))
    replace(mapping, (key,), draw(wrong_values((key,))))


def date(draw: st.DrawFn, data: dict[str, Any]) -> None:
    def is_date(_: KeyPath, value: Any) -> bool:
        return isinstance(value, dt.date) or (
            isinstance(value, str) and bool(DATE_TEXT.match(value))
        )

    replace(data, draw_path(draw, data, is_date), draw(DATES))


def unicode_text(draw: st.DrawFn, data: dict[str, Any]) -> None:
    path = draw_path(draw, data, lambda _, value: isinstance(value, str))
    replace(data, path, draw(texts(path)))


def echoed_text(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """Text where a code was, which findings name: the format, a language."""
    path = draw_path(draw, data, lambda path, _: path[-1] in ECHOED)
    replace(data, path, draw(texts(path)))


def huge_text(draw: st.DrawFn, data: dict[str, Any]) -> None:
    path = draw_path(draw, data, lambda _, value: isinstance(value, str))
    prefix = draw(texts(path).filter(lambda s: len(s) < 10))
    replace(data, path, (prefix + draw(HUGE_FILLERS) * draw(HUGE_LENGTHS))[:600_000])


def deep_nesting(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """Lists or mappings up to 300 levels deep, around the reader's limit and far past it."""
    path = draw_path(draw, data)
    depth = draw(st.integers(MAX_DEPTH - 8, MAX_DEPTH + 2) | st.integers(MAX_DEPTH, 300))
    key = draw(st.none() | KEYS)
    value: Any = draw(texts(path))
    for _ in range(depth):
        value = [value] if key is None else {key: value}
    replace(data, path, value)


MUTATIONS = [
    wrong_type,
    delete,
    unknown_key,
    date,
    unicode_text,
    echoed_text,
    huge_text,
    deep_nesting,
]
BIG = {huge_text, deep_nesting}  # written with libyaml's emitter, which is fast


def dump(data: dict[str, Any], fast: bool = False) -> bytes:
    dumper = FastCaseDumper if fast else CaseDumper
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False).encode()


@st.composite
def mutants(draw: st.DrawFn) -> bytes:
    """A reference case after one to three mutations, as YAML."""
    data = copy.deepcopy(_DATA[draw(st.sampled_from(REFERENCES))])
    chosen = draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3))
    for mutate in chosen:
        mutate(draw, data)
    return dump(data, fast=bool(BIG.intersection(chosen)))


@st.composite
def broken_files(draw: st.DrawFn) -> bytes:
    """A reference file with one to four byte ranges inserted, deleted or replaced."""
    data = bytearray(draw(st.sampled_from(REFERENCES)).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + 8)))
        data[start:end] = draw(st.binary(max_size=8) | st.sampled_from(YAML_BYTES))
    return bytes(data)


def is_prose(_: KeyPath, value: Any) -> bool:
    """Names and free text: text of more than one word, where ids, codes and choices are one."""
    return isinstance(value, str) and " " in value.strip()


def is_sentence(_: KeyPath, value: Any) -> bool:
    """Free text, mostly: text of six words or more."""
    return isinstance(value, str) and len(value.split()) >= 6


@st.composite
def valid_mutants(draw: st.DrawFn, huge: bool = True) -> bytes:
    """A reference case with other names and free text (and some keys gone): often still
    valid. The text is drawn from every plane; with `huge`, one case in four has a free text
    of 100,000 characters."""
    data = copy.deepcopy(_DATA[draw(st.sampled_from(REFERENCES))])
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 4)) == 0:
            delete(draw, data)
        else:
            replace(data, draw_path(draw, data, is_prose), MARKER + draw(TEXT))
    big = huge and draw(st.integers(0, 3)) == 0
    if big:
        replace(data, draw_path(draw, data, is_sentence), MARKER + "Stöd i vardagen. " * 6000)
    return dump(data, fast=big)


def assert_findings_located(loaded: LoadedCase, name: str) -> None:
    """Each finding has a place, a severity and a message, and prints as one clean line."""
    for finding in loaded.findings:
        assert finding.line >= 1
        assert finding.column >= 1
        assert isinstance(finding.severity, Severity)
        assert isinstance(finding.message, str)
        assert finding.message
        printed = str(finding)
        assert printed.startswith(f"{name}:{finding.line}:{finding.column}: ")
        hidden = [c for c in printed if unicodedata.category(c) in HIDDEN]
        assert not hidden, printed


@settings(SETTINGS, max_examples=300)
@given(mutants())
def test_mutated_case_validates_without_raising(data: bytes) -> None:
    assert_findings_located(validate_bytes(data, NAME), NAME)


@settings(SETTINGS, max_examples=300)
@given(broken_files())
def test_broken_file_validates_without_raising(data: bytes) -> None:
    assert_findings_located(validate_bytes(data, NAME), NAME)


@settings(SETTINGS, max_examples=300)
@given(mutants())
def test_findings_never_repeat_a_value_of_the_case(data: bytes) -> None:
    for finding in validate_bytes(data, NAME).findings:
        assert MARKER not in str(finding), str(finding)


@settings(SETTINGS, max_examples=100)
@given(mutants() | broken_files())
def test_cli_validate_exits_0_or_1_with_a_line_per_finding(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.yaml"
        path.write_bytes(data)
        result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 1)
    line = re.compile(FINDING_LINE.format(file=re.escape(str(path))))
    severities = []
    for printed in result.stdout.splitlines():
        match = line.match(printed)
        assert match, printed
        severities.append(match[1])
    assert result.exit_code == (1 if "error" in severities else 0)


def assert_renders_or_fails_cleanly(data: bytes, **options: Any) -> None:
    loaded = validate_bytes(data, NAME)
    assume(loaded.ok)
    with tempfile.TemporaryDirectory() as folder:
        try:
            outputs = render_case(loaded, folder, registry=REGISTRY, **options)
        except SipdocsError as exc:
            failure: str | None = str(exc)
            note(f"{type(exc).__name__}: {exc}")
        else:
            failure = None
            assert all(output.path.is_file() for output in outputs)
    if failure is not None:
        assert failure
        assert "\n" not in failure


@settings(SETTINGS, max_examples=25)
@given(valid_mutants())
def test_valid_mutant_renders_as_html(data: bytes) -> None:
    assert_renders_or_fails_cleanly(data, formats=["html"])


@settings(SETTINGS, max_examples=3)
@given(valid_mutants(huge=False))
def test_valid_mutant_renders_a_plan_as_pdf(data: bytes) -> None:
    assert_renders_or_fails_cleanly(
        data, documents=["plan"], formats=["pdf"], languages=[], variants=["standard"]
    )
