"""The YAML reader on hostile and odd input: every refusal has an exact message and place."""

from __future__ import annotations

import datetime as dt
import itertools
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from sipdocs.cases import validate_bytes, validate_file
from sipdocs.source import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_VALUES,
    Position,
    SourceProblem,
    decode,
    load,
    parse,
    read_bytes,
)
from tests.conftest import ADULT

MEMORY_LIMIT = 50 * 1024 * 1024  # bytes a hostile file may make the reader allocate, at most


def problem(call: Callable[[], Any]) -> tuple[str, Position]:
    """The message and position of the `SourceProblem` that `call` raises."""
    with pytest.raises(SourceProblem) as caught:
        call()
    return caught.value.message, caught.value.position


def parse_problem(text: str) -> tuple[str, tuple[int, int]]:
    """What `parse` says about `text`, as (message, (line, column))."""
    message, position = problem(lambda: parse(text))
    return message, (position.line, position.column)


def decode_problem(data: bytes) -> tuple[str, tuple[int, int]]:
    """What `decode` says about `data`, as (message, (line, column))."""
    message, position = problem(lambda: decode(data))
    return message, (position.line, position.column)


@contextmanager
def peak_memory() -> Iterator[list[int]]:
    """Trace Python allocations; the yielded list holds the peak in bytes once the block ends."""
    peak: list[int] = []
    tracemalloc.start()
    try:
        yield peak
    finally:
        peak.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()


def alias_bomb(levels: int = 9) -> str:
    """'Billion laughs': each level lists the previous one nine times (9**levels if expanded)."""
    names = "abcdefghijklmnopqrstuvwxyz"[:levels]
    lines = [f"a: &a [{', '.join(['lol'] * 9)}]"]
    for previous, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


# --- broken YAML and the wrong shape of document ----------------------------------------------


def test_unclosed_flow_mapping_is_a_syntax_error() -> None:
    assert parse_problem("a: {b: 1\nc: 2\n") == (
        "YAML syntax error: did not find expected ',' or '}'; inside { } or [ ], put text that "
        "holds ':', ',', ' #', '[', ']', '{' or '}' in quotes",
        (2, 2),
    )


def test_mapping_value_in_plain_text_is_a_syntax_error() -> None:
    assert parse_problem("format: sipdocs/1\na: b: c\n") == (
        "YAML syntax error: a ': ' inside text; put the text in quotes",
        (2, 5),
    )


@pytest.mark.parametrize(
    ("text", "character", "position"),
    [
        pytest.param("\x01a: b\n", "U+0001", (1, 1), id="first"),
        pytest.param("a: b\nc: ää\x7f\n", "U+007F", (2, 6), id="after-non-ascii"),
        pytest.param("a: \U0001f600\x9f\n", "U+009F", (1, 5), id="after-astral"),
        pytest.param("a: b\nc: \ufffe\n", "U+FFFE", (2, 4), id="noncharacter"),
    ],
)
def test_character_yaml_does_not_allow_is_refused_where_it_stands(
    text: str, character: str, position: tuple[int, int]
) -> None:
    """Before the fix PyYAML's two-line reader error was the message, placed at 1:1."""
    message = f"YAML syntax error: the character {character} is not allowed"
    assert parse_problem(text) == (message, position)


def test_undefined_alias_is_refused() -> None:
    assert parse_problem("a: 1\nb: *nowhere\n") == ("undefined YAML alias", (2, 4))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("\n\n   \n", id="blank-lines"),
        pytest.param("# only a comment\n# and another\n", id="only-comments"),
        pytest.param("---\n", id="empty-document"),
        pytest.param("~\n", id="null"),
    ],
)
def test_file_without_content_is_empty(text: str) -> None:
    assert parse_problem(text) == ("the file is empty", (1, 1))


def test_top_level_list_is_refused() -> None:
    assert parse_problem("- format: sipdocs/1\n- case: {}\n") == (
        "a case file is a mapping of keys to values, not a list",
        (1, 1),
    )


@pytest.mark.parametrize("text", ["sipdocs/1\n", "42\n", "'quoted'\n", "2026-02-09\n"])
def test_single_scalar_is_refused(text: str) -> None:
    assert parse_problem(text) == (
        "a case file is a mapping of keys to values, not a single value",
        (1, 1),
    )


@pytest.mark.parametrize("text", ["a: 1\n---\nb: 2\n", "a: 1\n---\n", "---\na: 1\n...\n---\n- b\n"])
def test_two_documents_are_refused(text: str) -> None:
    assert parse_problem(text) == (
        "the file holds more than one YAML document; a case is one document",
        (1, 1),
    )


def test_one_document_with_explicit_markers_is_read() -> None:
    assert parse("---\na: 1\n...\n").data == {"a": 1}


# --- bytes and encodings ------------------------------------------------------------------------


def test_nul_byte_is_binary_data() -> None:
    assert decode_problem(b"format: sipdocs/1\nname: x\x00y\n") == (
        "binary data (a NUL byte); a case file is UTF-8 text",
        (2, 8),
    )


def test_binary_file_is_refused_before_decoding() -> None:
    """A NUL byte is reported even when the bytes are not UTF-8 either."""
    assert decode_problem(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == (
        "binary data (a NUL byte); a case file is UTF-8 text",
        (3, 1),
    )


def test_invalid_utf8_is_refused_with_its_place() -> None:
    assert decode_problem(b"format: sipdocs/1\nname: K\xe5rin\n") == (
        "not valid UTF-8; save the file as UTF-8",
        (2, 8),
    )


def test_truncated_utf8_sequence_is_refused() -> None:
    assert decode_problem(b"a: \xc3\n") == ("not valid UTF-8; save the file as UTF-8", (1, 4))


def test_invalid_utf8_after_a_bom_is_placed_correctly() -> None:
    assert decode_problem(b"\xef\xbb\xbfa: 1\nb: \xff\n") == (
        "not valid UTF-8; save the file as UTF-8",
        (2, 4),
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"\xef\xbb\xbfa: \xff\n", "not valid UTF-8; save the file as UTF-8", id="utf8"
        ),
        pytest.param(
            b"\xef\xbb\xbfa: x\x00\n",
            "binary data (a NUL byte); a case file is UTF-8 text",
            id="nul",
        ),
    ],
)
def test_fault_on_the_first_line_after_a_bom_is_placed_correctly(data: bytes, message: str) -> None:
    assert decode_problem(data) == (message, (1, 4 if b"\xff" in data else 5))


def test_invalid_utf8_column_counts_characters() -> None:
    assert decode_problem("namn: Åsa ".encode() + b"\xff\n") == (
        "not valid UTF-8; save the file as UTF-8",
        (1, 11),
    )


def test_utf8_bom_is_accepted() -> None:
    data = "\ufeffformat: sipdocs/1\nname: Åsa Öberg\n".encode()
    assert data.startswith(b"\xef\xbb\xbf")
    text = decode(data)
    assert text == "format: sipdocs/1\nname: Åsa Öberg\n"
    assert parse(text).data == {"format": "sipdocs/1", "name": "Åsa Öberg"}


def test_load_reads_a_file_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes("\ufeffa: Stöd\n".encode())
    source = load(path)
    assert source.data == {"a": "Stöd"}
    assert source.source_map.locate(("a",)) == Position(1, 1)


# --- size, aliases and depth ------------------------------------------------------------------


def test_file_over_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"a: " + b"x" * (10 * 1024 * 1024) + b"\n")
    with peak_memory() as peak:
        message, position = problem(lambda: read_bytes(path))
    assert (message, position) == ("the file is larger than 1024 KiB", Position(1, 1))
    # Reading MAX_FILE_BYTES + 1 bytes allocates about 1 MiB; reading the file would take 10.
    assert peak[0] < 3 * MAX_FILE_BYTES


def test_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "limit.yaml"
    path.write_bytes(b"a" * MAX_FILE_BYTES)
    assert len(read_bytes(path)) == MAX_FILE_BYTES


def test_validate_file_reports_a_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert [str(f) for f in validate_file(path).findings] == [
        f"{path}:1:1: error: the file is larger than 1024 KiB"
    ]


def test_validate_bytes_reports_bytes_over_the_limit() -> None:
    loaded = validate_bytes(b"#" * (MAX_FILE_BYTES + 1), "big.yaml")
    assert [str(f) for f in loaded.findings] == [
        "big.yaml:1:1: error: the file is larger than 1024 KiB"
    ]


def test_folder_is_not_a_case_file(tmp_path: Path) -> None:
    assert problem(lambda: read_bytes(tmp_path)) == (
        "is a folder, not a case file",
        Position(1, 1),
    )


def test_missing_file_cannot_be_read(tmp_path: Path) -> None:
    assert problem(lambda: read_bytes(tmp_path / "absent.yaml")) == (
        "cannot be read: No such file or directory",
        Position(1, 1),
    )


def test_alias_bomb_is_refused_by_counting_values() -> None:
    """Nine levels would be 9**9 values if expanded; the reader counts them without copying."""
    text = alias_bomb(9)
    with peak_memory() as peak:
        message, position = problem(lambda: parse(text))
    assert message == f"the file holds more than {MAX_VALUES} values"
    assert message == "the file holds more than 100000 values"
    # Level f is the first over the limit, at its second alias.
    assert position == Position(6, 12)
    assert peak[0] < MEMORY_LIMIT


def test_small_alias_structure_is_allowed() -> None:
    """Aliases as such are fine: three levels are 1 + 9 + 81 lists, far under the limit."""
    data = parse(alias_bomb(3)).data
    assert data["a"] == ["lol"] * 9
    assert data["c"] == [[["lol"] * 9] * 9] * 9


@pytest.mark.parametrize(
    ("text", "column"),
    [
        pytest.param("[" * 10_000, 65, id="lists"),
        pytest.param("a: " + "{b: " * 10_000, 256, id="mappings"),
    ],
)
def test_deep_nesting_is_refused(text: str, column: int) -> None:
    with peak_memory() as peak:
        message, position = problem(lambda: parse(text))
    assert message == f"nesting deeper than {MAX_DEPTH} levels"
    assert message == "nesting deeper than 64 levels"
    assert position == Position(1, column)
    assert peak[0] < MEMORY_LIMIT


def test_nesting_of_exactly_the_limit_is_read() -> None:
    """The root mapping and 63 lists inside it are 64 levels."""
    inner = MAX_DEPTH - 1
    assert parse("a: " + "[" * inner + "]" * inner)
    assert parse_problem("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH) == (
        "nesting deeper than 64 levels",
        (1, 4 + MAX_DEPTH - 1),
    )


# --- keys, tags, merge keys and dates -----------------------------------------------------------


def test_duplicate_key_is_refused_where_it_repeats() -> None:
    assert parse_problem("format: sipdocs/1\ncase:\n  id: A\n  id: B\n") == (
        "duplicate key 'id'",
        (4, 3),
    )


def test_duplicate_key_in_flow_mapping_is_refused() -> None:
    assert parse_problem("a: {x: 1, y: 2, x: 3}\n") == ("duplicate key 'x'", (1, 17))


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        pytest.param("a: 1\n~: x\n", "a key must be text; write it in quotes", (2, 1), id="null"),
        pytest.param("a: 1\n? [x]\n: y\n", "a key must be text", (2, 3), id="list"),
        pytest.param("a: 1\n? {x: 1}\n: y\n", "a key must be text", (2, 3), id="mapping"),
    ],
)
def test_key_must_be_text(text: str, message: str, position: tuple[int, int]) -> None:
    assert parse_problem(text) == (message, position)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        pytest.param("2: x\n", "2", id="number"),
        pytest.param("012: x\n", "012", id="octal"),
        pytest.param("2026-02-09: x\n", "2026-02-09", id="date"),
        pytest.param("no: x\n", "no", id="bool"),
    ],
)
def test_plain_key_is_the_text_written(text: str, key: str) -> None:
    assert parse(text).data == {key: "x"}


@pytest.mark.parametrize(
    ("text", "character", "position"),
    [
        pytest.param('a: 1\n"b\\nc": 2\n', "U+000A", (2, 1), id="line-feed"),
        pytest.param('a: 1\n"\\e[2J": 2\n', "U+001B", (2, 1), id="escape"),
        pytest.param("a: 1\nb\u202ec: 2\n", "U+202E", (2, 1), id="bidi-override"),
        pytest.param('a: 1\n"b\\Lc": 2\n', "U+2028", (2, 1), id="line-separator"),
        pytest.param('a:\n  "b\\n": 1\n  "b\\n": 2\n', "U+000A", (2, 3), id="duplicate"),
    ],
)
def test_key_with_a_control_or_invisible_character_is_refused(
    text: str, character: str, position: tuple[int, int]
) -> None:
    """Findings print keys: before the fix a line feed in one broke the finding's line, and
    an escape sequence or a bidi override reached the terminal."""
    message = f"a key must not hold the control or invisible character {character}"
    assert parse_problem(text) == (message, position)


def test_quoted_number_is_a_text_key() -> None:
    assert parse("'2': x\n").data == {"2": "x"}


def test_merge_key_is_refused() -> None:
    text = "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n"
    assert parse_problem(text) == ("YAML merge keys (<<) are not supported", (3, 3))


def test_quoted_angle_brackets_are_an_ordinary_key() -> None:
    assert parse("'<<': x\n").data == {"<<": "x"}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a: !!python/object:os.system {}\n", id="python-object"),
        pytest.param("a: !!python/object/apply:os.system ['echo hi']\n", id="python-apply"),
        pytest.param("a: !!python/name:os.system ''\n", id="python-name"),
        pytest.param("a: !!python/tuple [1, 2]\n", id="python-tuple"),
        pytest.param("a: !custom text\n", id="local-tag"),
        pytest.param("a: !!set {x: null}\n", id="set"),
        # Collection tags on text: PyYAML made these a generator, which later failed to copy.
        pytest.param("a: !!set x\n", id="set-on-text"),
        pytest.param("a: !!omap x\n", id="omap-on-text"),
        pytest.param("a: !!pairs x\n", id="pairs-on-text"),
        pytest.param("a: !!seq x\n", id="seq-on-text"),
        pytest.param("a: !!map x\n", id="map-on-text"),
    ],
)
def test_tags_are_refused(text: str) -> None:
    assert parse_problem(text) == ("YAML tags are not supported", (1, 4))


def test_standard_scalar_tag_is_read() -> None:
    """`!!str` is how YAML itself says "this is text"; only other tags are refused."""
    assert parse("a: !!str 123\n").data == {"a": "123"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Found by fuzz/fuzz_case.py: PyYAML's constructors fail on text their tag does not fit
        # with AttributeError (!!timestamp), KeyError (!!bool) or IndexError (!!int, !!float).
        pytest.param("a: !!timestamp x\n", "x", id="timestamp"),
        pytest.param("a: !!timestamp\n", "", id="timestamp-empty"),
        pytest.param("a: !!bool x\n", "x", id="bool"),
        pytest.param("a: !!int _\n", "_", id="int"),
        pytest.param("a: !!float _\n", "_", id="float"),
    ],
)
def test_standard_tag_that_does_not_fit_is_kept_as_text(text: str, value: str) -> None:
    assert parse(text).data == {"a": value}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            b"created: 2026-11-02",
            b"created: !!timestamp x",
            "case.yaml:13:3: error: case.created: expected a real date as YYYY-MM-DD",
        ),
        (
            b"easy_read: true",
            b"easy_read: !!bool x",
            "case.yaml:21:3: error: individual.easy_read: expected true or false",
        ),
        (
            b'phone: "070-123 45 67"',
            b"phone: !!set x",
            "case.yaml:19:10: error: YAML tags are not supported",
        ),
    ],
)
def test_validation_reports_a_tag_that_does_not_fit(old: bytes, new: bytes, expected: str) -> None:
    """Before the fix these raised from `validate_bytes` instead of becoming a finding."""
    data = ADULT.read_bytes()
    assert data.count(old) == 1
    loaded = validate_bytes(data.replace(old, new), "case.yaml")
    assert [str(f) for f in loaded.errors] == [expected]


def test_impossible_date_is_kept_as_text() -> None:
    """2026-02-30 looks like a date but is none; it stays text for the schema to report."""
    source = parse("reply_by: 2026-02-30\ncreated: 2026-02-28\n")
    assert source.data == {"reply_by": "2026-02-30", "created": dt.date(2026, 2, 28)}
    assert source.source_map.locate(("reply_by",)) == Position(1, 1)


# --- text cut off at a comma in a flow mapping --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "x: {what: Stöd, tio träffar., b: 1}\n",
            {"what": "Stöd, tio träffar.", "b": 1},
            id="one-comma",
        ),
        pytest.param(
            "x: {what: Stöd, tio träffar, varje vecka., b: 1}\n",
            {"what": "Stöd, tio träffar, varje vecka.", "b": 1},
            id="two-commas",
        ),
        pytest.param(
            "x: {what: Stöd, tio träffar.}\n",
            {"what": "Stöd, tio träffar."},
            id="last-entry",
        ),
        pytest.param(
            "x: {what: Stöd, tio träffar. , b: 1}\n",
            {"what": "Stöd, tio träffar.", "b": 1},
            id="space-before-comma",
        ),
        pytest.param(
            "å: ö\nx: {what: Stöd, tio träffar., b: 1}\n",
            {"what": "Stöd, tio träffar.", "b": 1},
            id="non-ascii-before",
        ),
    ],
)
def test_flow_mapping_text_continues_after_a_comma(text: str, expected: dict[str, Any]) -> None:
    assert parse(text).data["x"] == expected


def test_continued_text_keeps_its_key_position() -> None:
    source = parse("x: {what: Stöd, tio träffar., b: 1}\n")
    positions = source.source_map.positions
    assert positions[("x", "what")] == Position(1, 5)
    assert positions[("x", "b")] == Position(1, 31)
    assert ("x", "tio träffar.") not in positions


def test_continued_text_in_a_list_of_mappings() -> None:
    assert parse("x: [{what: Stöd, tio träffar.}]\n").data == {
        "x": [{"what": "Stöd, tio träffar."}]
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "x: {name: X, invited}\n",
            {"name": "X", "invited": None},
            id="single-word",
        ),
        pytest.param(
            "x: {what: Stöd, tio träffar.: 1}\n",
            {"what": "Stöd", "tio träffar.": 1},
            id="key-with-colon",
        ),
        pytest.param(
            "x: {what: Stöd, tio träffar.: , b: 1}\n",
            {"what": "Stöd", "tio träffar.": None, "b": 1},
            id="key-with-colon-no-value",
        ),
        pytest.param(
            "x: {what: Stöd, tio träffar.  : 2}\n",
            {"what": "Stöd", "tio träffar.": 2},
            id="key-with-spaced-colon",
        ),
        pytest.param(
            "x: {what: 'Stöd', tio träffar., b: 1}\n",
            {"what": "Stöd", "tio träffar.": None, "b": 1},
            id="single-quoted-previous",
        ),
        pytest.param(
            'x: {what: "Stöd", tio träffar., b: 1}\n',
            {"what": "Stöd", "tio träffar.": None, "b": 1},
            id="double-quoted-previous",
        ),
        pytest.param(
            "x: {what: 5, tio träffar., b: 1}\n",
            {"what": 5, "tio träffar.": None, "b": 1},
            id="number-previous",
        ),
    ],
)
def test_flow_mapping_text_does_not_continue(text: str, expected: dict[str, Any]) -> None:
    assert parse(text).data["x"] == expected


def test_block_mapping_text_with_comma_is_plain_yaml() -> None:
    assert parse("x:\n  what: Stöd, tio träffar.\n").data == {"x": {"what": "Stöd, tio träffar."}}


def test_quoted_key_after_text_does_not_continue_it() -> None:
    text = 'x: {what: Stöd, "tio träffar.", b: 1}\n'
    assert parse(text).data["x"] == {"what": "Stöd", "tio träffar.": None, "b": 1}


def test_continued_text_across_lines_is_folded() -> None:
    text = "x: {what: Stöd,\n     tio träffar.}\n"
    assert parse(text).data["x"] == {"what": "Stöd, tio träffar."}


# --- the source map -----------------------------------------------------------------------------


SOURCE_MAP_TEXT = """\
format: sipdocs/1
plan:
  goals:
    - id: m1
      own_words: Jag vill bo kvar.
    - id: m2
"""


def test_source_map_locates_keys_and_list_items() -> None:
    source_map = parse(SOURCE_MAP_TEXT).source_map
    assert source_map.locate(()) == Position(1, 1)
    assert source_map.locate(("format",)) == Position(1, 1)
    assert source_map.locate(("plan",)) == Position(2, 1)
    assert source_map.locate(("plan", "goals")) == Position(3, 3)
    assert source_map.locate(("plan", "goals", 1)) == Position(6, 7)
    assert source_map.locate(("plan", "goals", 0, "own_words")) == Position(5, 7)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param(("plan", "goals", 1, "evaluation"), Position(6, 7), id="missing-key"),
        pytest.param(("plan", "goals", 5, "id"), Position(3, 3), id="missing-item"),
        pytest.param(("plan", "follow_up", "date"), Position(2, 1), id="missing-mapping"),
        pytest.param(("consent", "actors", 0), Position(1, 1), id="missing-top-level"),
    ],
)
def test_source_map_falls_back_to_nearest_ancestor(
    path: tuple[str | int, ...], expected: Position
) -> None:
    assert parse(SOURCE_MAP_TEXT).source_map.locate(path) == expected
