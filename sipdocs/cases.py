"""Case files to models: read, check the schema and every rule, and locate each finding."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import difflib
import hashlib
import logging
import os
import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sipdocs import rules
from sipdocs.errors import CaseInvalid, InputError, UsageError
from sipdocs.findings import Finding, Issue, KeyPath, Severity, error, warning
from sipdocs.model import FORMATS_READ, Case, as_written
from sipdocs.source import Source, SourceMap, SourceProblem, decode, parse, read_bytes
from sipdocs.textsafety import visible

log = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"<<[^<>]*>>")
STARTER = Path(__file__).with_name("starter.yaml")
CASE_SUFFIXES = (".yaml", ".yml", ".json")
OUTPUT_STATE = ".sipdocs"  # the folder sipdocs keeps its own files in, in an output folder
COMMENT_CUT = (
    "the text stops before ' #', which starts a comment; if what follows belongs to the "
    "text, put the whole text in quotes"
)
TEXT_ERRORS = ("string_type", "text", "personal_id")  # where a case file wants text


@dataclass(frozen=True)
class LoadedCase:
    """A case file after validation: the model when it has no errors, and every finding."""

    path: str
    sha256: str
    findings: tuple[Finding, ...]
    case: Case | None
    source_map: SourceMap = field(default_factory=SourceMap, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    def with_issues(self, issues: Iterable[Issue]) -> LoadedCase:
        """The case with more issues, found beyond validation, located in its file."""
        found = [_locate(self.path, self.source_map, issue) for issue in issues]
        findings = tuple(sorted((*self.findings, *found), key=lambda f: (f.line, f.column)))
        ok = not any(f.is_error for f in findings)
        return dataclasses.replace(self, findings=findings, case=self.case if ok else None)


def validate_file(path: Path | str) -> LoadedCase:
    """Validate a case file; never raises for bad input, the findings say what is wrong."""
    name = str(path)
    try:
        data = read_bytes(Path(path))
    except SourceProblem as problem:
        return LoadedCase(name, "", (_finding(name, problem),), None)
    return validate_bytes(data, name)


def validate_bytes(data: bytes, name: str = "<case>") -> LoadedCase:
    """Validate the bytes of a case file; `name` is the path used in findings."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        source = parse(decode(data))
    except SourceProblem as problem:
        return LoadedCase(name, digest, (_finding(name, problem),), None)
    case, issues = check_source(source)
    issues += [warning(path, COMMENT_CUT) for path in source.cut]
    findings = sorted(
        (_locate(name, source.source_map, issue) for issue in issues),
        key=lambda f: (f.line, f.column),
    )
    errors = sum(f.is_error for f in findings)
    log.debug("%s: %d error(s), %d warning(s)", name, errors, len(findings) - errors)
    return LoadedCase(
        name,
        digest,
        tuple(findings),
        case if case and not any(f.is_error for f in findings) else None,
        source.source_map,
    )


def load_case(path: Path | str) -> LoadedCase:
    """Validate a case file and return it, or raise `CaseInvalid` with every finding."""
    loaded = validate_file(path)
    if not loaded.ok:
        raise CaseInvalid(loaded.path, list(loaded.findings))
    return loaded


def locate(path: Path | str, issues: Iterable[Issue]) -> list[Finding]:
    """Issues found beyond validation, as findings at their place in the case file."""
    source = parse(decode(read_bytes(Path(path))))
    located = (_locate(str(path), source.source_map, issue) for issue in issues)
    return sorted(located, key=lambda f: (f.line, f.column))


def check_source(source: Source) -> tuple[Case | None, list[Issue]]:
    """Schema and rule issues of parsed data; the model when the schema holds."""
    data = as_written(source.data, Case, source.written_at)
    format_issue = _check_format(data)
    if format_issue:
        return None, [format_issue]
    placeholders = list(_placeholders(data, ()))
    if placeholders:
        return None, placeholders
    created = data.get("case", {}).get("created") if isinstance(data.get("case"), dict) else None
    if isinstance(created, dt.datetime):  # "2026-11-02 00:00:00": the model takes its date
        created = created.date()
    context = {"reference_date": created if isinstance(created, dt.date) else None}
    try:
        case = Case.model_validate(data, context=context)
    except ValidationError as exc:
        issues = [_schema_issue(e) for e in exc.errors(include_url=False)]
        # Rules can still run when the file is valid without the faulty values.
        partial = _without_faults(data, exc.errors(include_url=False), context)
        if partial is None:
            return None, issues
        return partial, issues + [i for i in rules.check(partial) if i not in issues]
    return case, rules.check(case)


def _check_format(data: dict[str, Any]) -> Issue | None:
    readable = ", ".join(FORMATS_READ)
    value = data.get("format")
    if value is None:
        return error((), f"missing key 'format' (this version reads: {readable})")
    if value not in FORMATS_READ:
        shown = visible(str(value)[:40])
        return error(("format",), f"unknown format '{shown}'; this version reads: {readable}")
    return None


def _placeholders(value: Any, path: KeyPath) -> Iterator[Issue]:
    """Values that still hold a `<<...>>` placeholder from `sipdocs new`."""
    if isinstance(value, str) and PLACEHOLDER.search(value):
        yield error(path, "fill in this placeholder from 'sipdocs new'")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholders(item, (*path, index))


def _without_faults(
    data: dict[str, Any], errors: list[ErrorDetails], context: dict[str, Any]
) -> Case | None:
    """The model of `data` less every faulty value, if that much is still a valid case."""
    if any(e["type"] == "missing" for e in errors):
        return None
    pruned = copy.deepcopy(data)
    # Deepest and last first, so that removing a list item does not shift another fault.
    for loc in sorted((e["loc"] for e in errors), key=_sort_key, reverse=True):
        _remove(pruned, loc)
    try:
        return Case.model_validate(pruned, context=context)
    except ValidationError:
        return None


def _sort_key(loc: tuple[str | int, ...]) -> list[tuple[int, str | int]]:
    return [(0, part) if isinstance(part, int) else (1, part) for part in loc]


def _remove(container: Any, loc: tuple[str | int, ...]) -> None:
    *head, last = loc
    for part in head:
        if not _has(container, part):
            return
        container = container[part]
    if _has(container, last):
        del container[last]


def _has(container: Any, key: str | int) -> bool:
    if isinstance(container, dict):
        return key in container
    return isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container)


def _schema_issue(detail: ErrorDetails) -> Issue:
    path: KeyPath = tuple(detail["loc"])
    rule = rules.FIELD_RULES.get(tuple(p for p in path if isinstance(p, str)))
    return error(path, schema_message(detail), rule)


def schema_message(detail: ErrorDetails) -> str:
    """One plain sentence for a pydantic error, without repeating the value."""
    kind = detail["type"]
    ctx = detail.get("ctx", {})
    if kind == "missing":
        return "required key is missing"
    if kind in TEXT_ERRORS and "input" in detail and detail["input"] is None:
        return "has no value; write the text (in quotes if it is null or ~, which mean none)"
    if kind == "extra_forbidden":
        return "unknown key" + _did_you_mean(tuple(detail["loc"]))
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"expected one of: {expected}"
    if kind.startswith("datetime"):
        return "expected a date and time as YYYY-MM-DDTHH:MM"
    if kind.startswith("date"):
        return "expected a real date as YYYY-MM-DD"
    messages = {
        "string_type": "expected text",
        "string_too_short": "must not be empty",
        "string_too_long": f"is longer than {ctx.get('max_length')} characters",
        "too_long": f"holds more than {ctx.get('max_length')} items",
        "int_type": "expected a whole number",
        "int_parsing": "expected a whole number",
        "int_from_float": "expected a whole number",
        "greater_than": f"must be greater than {ctx.get('gt')}",
        "less_than_equal": f"must be at most {ctx.get('le')}",
        "bool_type": "expected true or false",
        "bool_parsing": "expected true or false",
        "list_type": "expected a list",
        "tuple_type": "expected a list",
        "dict_type": "expected a mapping of keys to values",
        "model_type": "expected a mapping of keys to values",
        "model_attributes_type": "expected a mapping of keys to values",
    }
    return messages.get(kind, detail["msg"])


def _did_you_mean(loc: KeyPath) -> str:
    fields = _fields_at(Case, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else f" (expected: {', '.join(fields)})"


def _fields_at(model: type[BaseModel], path: KeyPath) -> list[str]:
    """The keys the model at `path` accepts, following lists and optional values."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if _is_model(current) else None
        current = _model_in(field.annotation) if field else None
        if current is None:
            return []
    return list(current.model_fields) if _is_model(current) else []


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if _is_model(annotation):
        return typing.cast(type[BaseModel], annotation)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None


def _locate(name: str, source_map: SourceMap, issue: Issue) -> Finding:
    position = source_map.locate(issue.path)
    return Finding(
        issue.severity, issue.message, issue.path, issue.rule, name, position.line, position.column
    )


def _finding(name: str, problem: SourceProblem) -> Finding:
    return Finding(
        Severity.ERROR,
        problem.message,
        (),
        None,
        name,
        problem.position.line,
        problem.position.column,
    )


def find_case_files(paths: Sequence[Path]) -> list[Path]:
    """Files as given, and the case files below each folder (`CASE_SUFFIXES`, in any letter
    case), sorted; a file found twice (given, and in a folder given) once. sipdocs' own
    output folders are not searched; a folder without any case file is an error.
    """
    return files_found(paths, CASE_SUFFIXES, "case files", outputs=False)


def files_found(
    paths: Sequence[Path], suffixes: Sequence[str], what: str, *, outputs: bool = True
) -> list[Path]:
    """Files as given, and those below each folder whose suffix (in any letter case) is one of
    `suffixes`, sorted, each once. Hidden folders are not searched, nor sipdocs' output
    folders (those with a `.sipdocs` folder) unless `outputs`. A folder with none of `what`
    is an error.
    """
    found: dict[Path, Path] = {}
    for path in paths:
        files = _files_below(path, suffixes, outputs) if path.is_dir() else [path]
        if not files:
            kinds = ", ".join(f"*{suffix}" for suffix in suffixes)
            raise InputError(f"{path}: no {what} in this folder ({kinds})")
        for file in files:
            found.setdefault(file.resolve(), file)
    return list(found.values())


def _files_below(folder: Path, suffixes: Sequence[str], outputs: bool) -> list[Path]:
    files = []
    for root, folders, names in os.walk(folder):
        if not outputs and OUTPUT_STATE in folders:
            folders.clear()  # an output folder: its manifest.json is no case
            continue
        folders[:] = [name for name in folders if not name.startswith(".")]
        files += [Path(root, name) for name in names if Path(name).suffix.lower() in suffixes]
    return sorted(files)


def write_starter(path: Path, overwrite: bool = False) -> None:
    """Write the commented starter case to `path`."""
    if path.exists() and not overwrite:
        raise UsageError(f"{path} exists; use --force to overwrite it")
    try:
        path.write_text(STARTER.read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
