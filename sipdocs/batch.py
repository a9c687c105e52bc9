"""Many cases at once: parallel worker processes, resumable, accounted for in a manifest.

Each case is one task. A worker validates it, plans its files (`render.planned_outputs`)
and renders those that are missing or out of date, reusing its registry, templates,
catalogs and renderers from case to case. Every file is written to a temporary file in
`OUT/.sipdocs/tmp` and renamed into place, so a batch killed at any moment leaves no partial
document. What each case's files were made from is recorded in `OUT/.sipdocs/cases/<case
id>.json` once the case is done; the next run skips a file whose record still matches its
input hash, template version and layers, sipdocs version and the file's own hash. At the end
`manifest.json` and `manifest.csv` describe every file of the cases in the output folder.
"""

from __future__ import annotations

import concurrent.futures
import csv
import dataclasses
import fcntl
import hashlib
import io
import json
import logging
import multiprocessing
import os
import resource
import shutil
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sipdocs import __version__, logs
from sipdocs.cases import find_case_files, validate_file
from sipdocs.errors import SipdocsError, UsageError
from sipdocs.render import (
    STATE,
    Planned,
    Renderers,
    obsolete_files,
    planned_outputs,
    same_case_id,
    set_aside,
    write_atomic,
)
from sipdocs.templates import Registry

log = logging.getLogger(__name__)

MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
# As Excel with Swedish (and most European) settings opens a CSV file by double-click: a BOM
# to say UTF-8, so that å, ä and ö come out right, and ';' between fields, as ',' is the
# decimal comma there.
CSV_ENCODING = "utf-8-sig"
CSV_DELIMITER = ";"
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
# A worker is replaced after so many cases: WeasyPrint's native libraries keep about 15 KiB
# a document that Python cannot free, and a fresh worker costs about a second.
CASES_PER_WORKER = 200  # a fixed time in every zip entry, so a zip is reproducible


@dataclass(frozen=True)
class Entry:
    """One file the batch made: where, what it is, and what it was made from."""

    path: str  # relative to the output folder, with "/"
    case_id: str
    document: str
    recipient: str
    language: str
    variant: str
    format: str
    template_version: str
    layers: str
    sha256: str
    input_sha256: str
    sipdocs_version: str
    warnings: tuple[str, ...] = ()

    def made_like(self, other: Entry) -> bool:
        """Whether both were made from the same input, templates and sipdocs."""
        return all(
            getattr(self, name) == getattr(other, name)
            for name in ("path", "template_version", "layers", "input_sha256", "sipdocs_version")
        )


@dataclass(frozen=True)
class Options:
    """What to render of each case; `render`'s options."""

    documents: tuple[str, ...] | None = None
    formats: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None
    variants: tuple[str, ...] | None = None
    layers: tuple[Path, ...] = ()
    force: bool = False
    zip: bool = False


@dataclass
class CaseResult:
    """What the batch did with one case file."""

    path: str
    case_id: str | None = None
    written: list[Entry] = field(default_factory=list)
    skipped: list[Entry] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)  # "file:line:column: severity: ..."
    notes: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # files the case no longer has
    error: str | None = None
    worker: int = 0  # the worker's process id
    worker_documents: int = 0  # documents the worker has written so far
    worker_rss_mib: float = 0.0  # the worker's peak resident memory so far

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass
class BatchResult:
    """Every case's result, and the manifest that lists the output folder's files."""

    cases: list[CaseResult]
    manifest: list[Entry]

    @property
    def written(self) -> list[Entry]:
        return [entry for case in self.cases for entry in case.written]

    @property
    def skipped(self) -> list[Entry]:
        return [entry for case in self.cases for entry in case.skipped]

    @property
    def failed(self) -> list[CaseResult]:
        return [case for case in self.cases if case.failed]


Progress = Callable[[CaseResult, int, int], None]  # a case's result, cases done, cases in all


def run_batch(
    paths: Sequence[Path | str],
    out: Path | str,
    *,
    jobs: int | None = None,
    options: Options = Options(),
    on_case: Progress | None = None,
) -> BatchResult:
    """Render every case file under `paths` into `out` with `jobs` worker processes (one per
    core by default; 1 renders in this process). A case that fails is recorded, never raised.
    """
    out = Path(out)
    files = [str(path) for path in find_case_files([Path(p) for p in paths])]
    if jobs is None:
        jobs = os.cpu_count() or 1
    if jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {jobs}")
    Registry(options.layers).checked()  # a wrong layer folder fails once, not in every case
    results: list[CaseResult] = []
    log.info("batch: %d case file(s), %d job(s), into %s", len(files), jobs, out)
    with _locked(out):
        for scratch in ("tmp", "claims"):  # left by an earlier or a killed batch
            shutil.rmtree(out / STATE / scratch, ignore_errors=True)
            (out / STATE / scratch).mkdir(parents=True)
        for result in _results(files, out, jobs, options):
            results.append(result)
            if on_case:
                on_case(result, len(results), len(files))
        manifest = _write_manifest(out)
    order = {path: number for number, path in enumerate(files)}
    results.sort(key=lambda result: order[result.path])
    return BatchResult(results, manifest)


def _results(files: list[str], out: Path, jobs: int, options: Options) -> Iterator[CaseResult]:
    """Each case's result as it is done: in this process, or from a pool of workers."""
    if jobs == 1 or len(files) <= 1:
        _start_worker(options)
        yield from (_render_case(path, out) for path in files)
        return
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads
    with concurrent.futures.ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(options, logs.current()),
        max_tasks_per_child=CASES_PER_WORKER,
    ) as pool:
        futures = [pool.submit(_render_case, path, out) for path in files]
        try:
            for future in concurrent.futures.as_completed(futures):
                yield future.result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


# --- In a worker --------------------------------------------------------------------


@dataclass
class _Worker:
    options: Options
    renderers: Renderers
    documents: int = 0


_worker: _Worker | None = None


def _start_worker(options: Options, levels: tuple[int, bool] | None = None) -> None:
    """Load what every case shares once: the registry with its templates and catalogs. A
    spawned worker logs as its parent does (`levels`).
    """
    global _worker
    if levels is not None:
        logs.configure_levels(*levels)
    _worker = _Worker(options, Renderers(Registry(options.layers)))
    log.info("worker ready")


def _render_case(path: str, out: Path) -> CaseResult:
    """Validate, plan and render one case; its problems go into the result."""
    assert _worker is not None
    result = CaseResult(path)
    try:
        _render_into(result, path, out, _worker)
    except SipdocsError as exc:
        result.error = str(exc)
    except Exception as exc:  # never a case's text in the message: the type only
        result.error = f"internal error ({type(exc).__name__})"
    result.worker = os.getpid()
    result.worker_documents = _worker.documents
    result.worker_rss_mib = _peak_rss_mib()
    log.info(
        "%s: %d written, %d up to date%s",
        path,
        len(result.written),
        len(result.skipped),
        f"; failed: {result.error}" if result.error else "",
    )
    return result


def _peak_rss_mib() -> float:
    """This process's peak resident memory. `ru_maxrss` would include the parent's peak,
    which Linux carries into a spawned worker; VmHWM starts afresh with the new program.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _render_into(result: CaseResult, path: str, out: Path, worker: _Worker) -> None:
    loaded = validate_file(path)
    result.findings = [str(finding) for finding in loaded.findings]
    if loaded.case is None:
        result.error = "the case has errors and was not rendered"
        return
    result.case_id = loaded.case.case.id
    if other := _claim(out, result.case_id, path):
        result.error = same_case_id(other)
        return
    options = worker.options
    planned, result.notes = planned_outputs(
        loaded,
        out,
        worker.renderers,
        documents=options.documents,
        formats=options.formats,
        languages=options.languages,
        variants=options.variants,
    )
    record = out / STATE / "cases" / f"{result.case_id}.json"
    before = {entry.path: entry for entry in _read_record(record)}
    scratch = out / STATE / "tmp"
    for item in planned:
        entry = _entry(item, out, loaded.sha256)
        old = before.get(entry.path)
        if not options.force and old and old.made_like(entry) and _sha256(item.path) == old.sha256:
            result.skipped.append(old)
            continue
        data = item.render()
        write_atomic(item.path, data, scratch)
        worker.documents += 1
        result.written.append(dataclasses.replace(entry, sha256=hashlib.sha256(data).hexdigest()))
    obsolete = obsolete_files(
        out / result.case_id, planned, options.documents, options.languages, options.variants
    )
    result.moved = [(str(old), str(new)) for old, new in set_aside(obsolete, out, result.case_id)]
    entries = sorted(result.written + result.skipped, key=lambda entry: entry.path)
    if options.zip and (result.written or not (out / f"{result.case_id}.zip").exists()):
        write_atomic(out / f"{result.case_id}.zip", _zip(out, entries), scratch)
    # Files an earlier run made that this one does not (another document, say) stay listed.
    planned_paths = {entry.path for entry in entries}
    kept = [
        entry
        for entry in before.values()
        if entry.path not in planned_paths and (out / entry.path).is_file()
    ]
    rows = [dataclasses.asdict(entry) for entry in sorted(entries + kept, key=lambda e: e.path)]
    write_atomic(record, json.dumps(rows, ensure_ascii=False).encode("utf-8"), scratch)


def _claim(out: Path, case_id: str, path: str) -> str | None:
    """Claim the case id's folder for this run; the file that already has it, if another."""
    claim = out / STATE / "claims" / case_id
    try:
        with open(claim, "x", encoding="utf-8") as stream:
            stream.write(path)
    except FileExistsError:
        other = claim.read_text(encoding="utf-8")
        return other if other != path else None
    return None


def _entry(item: Planned, out: Path, input_sha256: str) -> Entry:
    """The record of a planned file, its own hash still to be filled in."""
    context = item.context
    return Entry(
        path=item.path.relative_to(out).as_posix(),
        case_id=context.case.case.id,
        document=context.kind.name,
        recipient=context.recipient.id,
        language=context.language,
        variant=context.variant,
        format=item.renderer.name,
        template_version=context.metadata["templateVersion"],
        layers=context.metadata["templateLayers"],
        sha256="",
        input_sha256=input_sha256,
        sipdocs_version=__version__,
        warnings=context.warnings,
    )


def _zip(out: Path, entries: list[Entry]) -> bytes:
    """The case's files in one zip, for sending; the same files give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.path, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (out / entry.path).read_bytes())
    return buffer.getvalue()


# --- Records and the manifest -------------------------------------------------------


def _read_record(path: Path) -> list[Entry]:
    """A case's record from an earlier run; none if it is missing or unreadable."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [Entry(**{**row, "warnings": tuple(row["warnings"])}) for row in rows]
    except (OSError, ValueError, TypeError, KeyError):
        return []


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _write_manifest(out: Path) -> list[Entry]:
    """`manifest.json` and `manifest.csv`: every recorded file that is in the output folder."""
    entries = sorted(
        (
            entry
            for record in sorted((out / STATE / "cases").glob("*.json"))
            for entry in _read_record(record)
            if (out / entry.path).is_file()
        ),
        key=lambda entry: entry.path,
    )
    rows = [dataclasses.asdict(entry) for entry in entries]
    scratch = out / STATE / "tmp"
    text = json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    write_atomic(out / MANIFEST_JSON, text.encode("utf-8"), scratch)
    table = io.StringIO()
    fields = [f.name for f in dataclasses.fields(Entry)]
    writer = csv.DictWriter(table, fieldnames=fields, delimiter=CSV_DELIMITER)
    writer.writeheader()
    writer.writerows({**row, "warnings": " | ".join(row["warnings"])} for row in rows)
    write_atomic(out / MANIFEST_CSV, table.getvalue().encode(CSV_ENCODING), scratch)
    return entries


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold the output folder's lock: two batches never write into one folder at once."""
    (out / STATE).mkdir(parents=True, exist_ok=True)
    with open(out / STATE / "lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"{out}: another batch is writing into this folder") from None
        yield
