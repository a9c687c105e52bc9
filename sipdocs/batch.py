"""Many cases at once: rendered in parallel, resumable, accounted for in a manifest.

Each case is one task for an executor: a thread pool on this machine whose threads each drive
a render process (`--jobs`), or a Dask cluster's (`--scheduler`, through
`Client.get_executor()`). A worker validates the case, plans its files
(`render.planned_outputs`) and renders those that are missing or out of date into memory, in a
render process that is replaced when a case runs past its time limit (`sipdocs.workers`).
Everything else stays with this process, the client: the lock on the output folder, the
records, the manifest and every write. Every file is written to a temporary file in
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
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import yaml

from sipdocs.cases import find_case_files, validate_file
from sipdocs.errors import Interrupted, RenderError, UsageError
from sipdocs.render import (
    STATE,
    obsolete_files,
    output_folder,
    same_case_id,
    set_aside,
    write_atomic,
    zip_files,
)
from sipdocs.source import SourceProblem, decode, read_bytes
from sipdocs.templates import TEMPLATES, Registry
from sipdocs.workers import (
    CaseResult,
    Entry,
    Layers,
    Options,
    Task,
    fingerprint,
    run_task,
    stop_all,
)

__all__ = ["BatchResult", "CaseResult", "Entry", "Options", "run_batch"]

log = logging.getLogger(__name__)

MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
# As Excel with Swedish (and most European) settings opens a CSV file by double-click: a BOM
# to say UTF-8, so that å, ä and ö come out right, and ';' between fields, as ',' is the
# decimal comma there.
CSV_ENCODING = "utf-8-sig"
CSV_DELIMITER = ";"
TIMEOUT = 300.0  # s a case may take by default
STOP_WAIT = 10.0  # s after Ctrl-C within which the batch has stopped
CUT_OFF = STOP_WAIT - 2.5  # s the cases in progress get; the rest is for records and closing
WRITERS = 8  # threads writing a case's files: with fsync, 8 write about 6x as fast as 1
THREADS_EVERY = 5.0  # s between asking a Dask scheduler how many worker threads it has


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
Stopping = Callable[[int], None]  # told at the first Ctrl-C how many cases are in progress


def run_batch(
    paths: Sequence[Path | str],
    out: Path | str,
    *,
    jobs: int | None = None,
    options: Options | None = None,
    on_case: Progress | None = None,
    scheduler: str | None = None,
    timeout: float | None = TIMEOUT,
    on_stop: Stopping | None = None,
) -> BatchResult:
    """Render every case file under `paths` into `out`. A case that fails is recorded, never
    raised.

    The cases are rendered by `jobs` render processes on this machine (one per core by
    default), or by the Dask cluster whose scheduler is at `scheduler` (`tcp://host:port`).
    A case that takes longer than `timeout` seconds is stopped and fails. Ctrl-C (in the main
    thread) stops after the cases in progress, at most STOP_WAIT seconds later, and a second
    one at once; either raises `Interrupted` (`on_stop` hears of the first at once).
    """
    out, options = output_folder(out), options or Options()
    files = [str(path) for path in find_case_files([Path(p) for p in paths])]
    if jobs is None:
        jobs = os.cpu_count() or 1
    if jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {jobs}")
    if timeout is not None and timeout <= 0:
        raise UsageError(f"--timeout must be more than 0 seconds, not {timeout:g}")
    registry = Registry(options.layers).checked()  # a wrong layer folder fails once, not per case
    layer_folders = [root for root in registry.roots if root != TEMPLATES]  # and $SIPDOCS_LAYERS
    with _locked(out), _pool(jobs, scheduler) as pool:
        log.info("batch: %d case file(s), %s, into %s", len(files), pool.describe, out)
        layers = Layers.of(layer_folders, pack=pool.remote)
        shutil.rmtree(out / STATE / "tmp", ignore_errors=True)  # left by a killed batch
        (out / STATE / "tmp").mkdir(parents=True)
        with concurrent.futures.ThreadPoolExecutor(WRITERS, "sipdocs-write") as writers:
            client = _Client(out, options, fingerprint(layers.digest), timeout, writers)
            run = _Run(pool, layers, client, len(files), on_case, on_stop)
            results = run.all(files)
        manifest = _write_manifest(out)
        if run.stopped:
            raise Interrupted(
                f"stopped: {len(results)} of {len(files)} case(s) done; "
                "run the same command again to make the rest"
            )
    order = {path: number for number, path in enumerate(files)}
    results.sort(key=lambda result: order[result.path])
    return BatchResult(results, manifest)


# --- The executors -------------------------------------------------------------------


@dataclass
class _Pool:
    """An executor, how many cases it renders at once, and whether it is on other machines."""

    executor: concurrent.futures.Executor
    slots: Callable[[], int]  # cases it renders at once now: a cluster grows and shrinks
    remote: bool
    describe: str
    scatter: Callable[[Layers], Any] = lambda layers: layers  # what a task receives


@contextmanager
def _pool(jobs: int, scheduler: str | None) -> Iterator[_Pool]:
    """The executor: Dask's at `scheduler`, else a thread per job, each with a render process."""
    if scheduler:
        with _dask_pool(scheduler) as pool:
            yield pool
        return
    executor = concurrent.futures.ThreadPoolExecutor(jobs, thread_name_prefix="sipdocs-batch")
    try:
        yield _Pool(executor, lambda: jobs, False, f"{jobs} job(s)")
    finally:
        stop_all()
        executor.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _dask_pool(scheduler: str) -> Iterator[_Pool]:
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            "--scheduler needs Dask on this machine and on every worker: "
            "pip install 'sipdocs[dask]'"
        ) from None
    try:
        client = Client(scheduler, timeout=10, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(
            f"--scheduler: cannot reach a Dask scheduler at {scheduler} ({exc})"
        ) from None
    try:
        slots = sum(client.nthreads().values())
        if not slots:
            raise UsageError(f"--scheduler: the Dask scheduler at {scheduler} has no workers")
        executor = client.get_executor(pure=False)
        yield _Pool(
            executor,
            _threads(client),
            True,
            f"Dask at {scheduler}, {slots} thread(s)",
            lambda layers: client.scatter(layers, broadcast=True, hash=False),
        )
        executor.shutdown(wait=False)
    finally:
        client.close()


def _threads(client: Any) -> Callable[[], int]:
    """The cluster's worker threads, asked of the scheduler at most every few seconds."""
    asked = [0.0, 1]  # when, and the answer

    def threads() -> int:
        if time.monotonic() - asked[0] > THREADS_EVERY:
            asked[:] = [time.monotonic(), max(1, sum(client.nthreads().values()))]
        return int(asked[1])

    return threads


class _Run:
    """Cases sent to the pool a few at a time and their results taken as they come; Ctrl-C
    stops sending.
    """

    def __init__(
        self,
        pool: _Pool,
        layers: Layers,
        client: _Client,
        total: int,
        on_case: Progress | None,
        on_stop: Stopping | None,
    ) -> None:
        self.pool, self.client, self.total = pool, client, total
        self.layers = pool.scatter(layers)
        self.on_case, self.on_stop = on_case, on_stop
        self.running: dict[concurrent.futures.Future[CaseResult], str] = {}
        self.stopped = False
        self.deadline = float("inf")

    def all(self, files: list[str]) -> list[CaseResult]:
        results: list[CaseResult] = []
        waiting = iter(files)
        with self._interruptible():
            while True:
                while not self.stopped and len(self.running) < 2 * self.pool.slots():
                    path = next(waiting, None)
                    if path is None:
                        break
                    self._send(path, results)
                if not self.running:
                    return results
                if time.monotonic() > self.deadline:  # after Ctrl-C: what is left is cut off
                    self._stop_now()
                    return results
                done, _ = concurrent.futures.wait(
                    self.running, timeout=0.5, return_when=concurrent.futures.FIRST_COMPLETED
                )
                for future in done:
                    path = self.running.pop(future)
                    if not future.cancelled():
                        self._take(self.client.accept(_outcome(future, path)), results)

    def _send(self, path: str, results: list[CaseResult]) -> None:
        task = self.client.task(path)
        if isinstance(task, CaseResult):  # unreadable: nothing to send
            self._take(task, results)
        else:
            self.running[self.pool.executor.submit(run_task, task, self.layers)] = path

    def _take(self, result: CaseResult, results: list[CaseResult]) -> None:
        results.append(result)
        if self.on_case:
            self.on_case(result, len(results), self.total)

    @contextmanager
    def _interruptible(self) -> Iterator[None]:
        """Ctrl-C: the first stops sending cases, the second stops at once."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def interrupted(signum: int, frame: FrameType | None) -> None:
            if self.stopped:
                raise KeyboardInterrupt
            self.stopped = True
            self.deadline = time.monotonic() + CUT_OFF
            if self.pool.remote:  # which tasks a Dask worker has started is not known here
                running = min(len(self.running), self.pool.slots())
            else:
                for future in self.running:
                    future.cancel()  # those not started yet
                running = sum(not future.cancelled() for future in self.running)
            if self.on_stop:
                self.on_stop(running)

        previous = signal.signal(signal.SIGINT, interrupted)
        try:
            yield
        except KeyboardInterrupt:
            self.stopped = True
            self._stop_now()
            raise Interrupted(
                "stopped at once; run the same command again to make the rest"
            ) from None
        finally:
            signal.signal(signal.SIGINT, previous)

    def _stop_now(self) -> None:
        for future in self.running:
            future.cancel()
        if not self.pool.remote:
            stop_all()


def _outcome(future: concurrent.futures.Future[CaseResult], path: str) -> CaseResult:
    """A task's result; when the executor could not run it, a result that says why."""
    try:
        return future.result()
    except Exception as exc:
        name = type(exc).__name__
        if name == "KilledWorker":  # Dask gave up after workers died running it
            return CaseResult(
                path, error="the workers rendering it stopped, each time; not rendered"
            )
        return CaseResult(path, error=f"the worker could not run it ({name})")


# --- The client: what is sent, and what is written -----------------------------------


class _Client:
    """Makes each case's task and writes what comes back: files, zip and record."""

    def __init__(
        self,
        out: Path,
        options: Options,
        fingerprint: str,
        timeout: float | None,
        writers: concurrent.futures.Executor,
    ) -> None:
        self.out, self.options, self.timeout = out, options, timeout
        self.writers = writers
        self.fingerprint = fingerprint
        self.claims: dict[str, str] = {}  # case id: the file that has it in this run

    def task(self, path: str) -> Task | CaseResult:
        """The task for the case file at `path`: its bytes and the files still as recorded."""
        try:
            data = read_bytes(Path(path))
        except SourceProblem:
            loaded = validate_file(path)
            return CaseResult(
                path,
                findings=[str(finding) for finding in loaded.findings],
                error="the case has errors and was not rendered",
            )
        before: tuple[Entry, ...] = ()
        case_id = _case_id(data)
        if case_id and not self.options.force:
            before = tuple(
                entry
                for entry in _read_record(self._record(case_id))
                if _sha256(self.out / entry.path) == entry.sha256
            )
        return Task(path, data, self.options, self.fingerprint, self.timeout, before)

    def accept(self, result: CaseResult) -> CaseResult:
        """Write a case's files, zip and record; refuse a second file with a case id."""
        if result.mismatch:
            raise RenderError(result.error or "")
        contents, result.contents = result.contents, {}
        if result.case_id is None:
            return result
        other = self.claims.setdefault(result.case_id, result.path)
        if other != result.path:
            result.error = same_case_id(other)
            result.written = []
            return result
        if result.error:
            return result
        scratch, options = self.out / STATE / "tmp", self.options
        for done in self.writers.map(  # each waits for its fsync: many at once are faster
            lambda entry: write_atomic(self.out / entry.path, contents[entry.path], scratch),
            result.written,
        ):
            assert done is None
        entries = sorted(result.written + result.skipped, key=lambda entry: entry.path)
        obsolete = obsolete_files(
            self.out / result.case_id,
            [entry.path.rsplit("/", 1)[-1] for entry in entries],
            options.documents,
            options.languages,
            options.variants,
        )
        moved = set_aside(obsolete, self.out, result.case_id)
        result.moved = [(str(old), str(new)) for old, new in moved]
        archive = self.out / f"{result.case_id}.zip"
        if options.zip and (result.written or not archive.exists()):
            write_atomic(archive, _zip(self.out, entries), scratch)
        # Files an earlier run made that this one does not (another document, say) stay listed.
        record = self._record(result.case_id)
        made = {entry.path for entry in entries}
        kept = [
            entry
            for entry in _read_record(record)
            if entry.path not in made and (self.out / entry.path).is_file()
        ]
        rows = [dataclasses.asdict(entry) for entry in sorted(entries + kept, key=lambda e: e.path)]
        write_atomic(record, json.dumps(rows, ensure_ascii=False).encode("utf-8"), scratch)
        return result

    def _record(self, case_id: str) -> Path:
        return self.out / STATE / "cases" / f"{case_id}.json"


def _case_id(data: bytes) -> str | None:
    """The case id a case file gives, to find its record; None if it has none. Only the YAML
    nodes are made (by libyaml where there is one), never values, so this is quick and an
    alias bomb expands nothing; the worker validates the case.
    """
    try:
        root = yaml.compose(decode(data), Loader=_LOADER)
    except (SourceProblem, yaml.YAMLError):
        return None
    case = _value(root, "case")
    identity = _value(case, "id")
    if isinstance(identity, yaml.ScalarNode) and "/" not in identity.value:
        return str(identity.value)
    return None


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The node under `key` in a mapping node; None if there is none."""
    if isinstance(node, yaml.MappingNode):
        for name, value in node.value:
            if isinstance(name, yaml.ScalarNode) and name.value == key:
                return value  # type: ignore[no-any-return]
    return None


def _zip(out: Path, entries: list[Entry]) -> bytes:
    """The case's files in one zip, for sending; the same files give the same bytes."""
    return zip_files((entry.path, (out / entry.path).read_bytes()) for entry in entries)


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
