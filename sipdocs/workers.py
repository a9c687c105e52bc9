"""The worker side of a batch: one case rendered into memory, in a process that can be stopped.

An executor's thread (a local thread pool's, or a Dask worker's) runs `run_task` for each case.
The thread keeps a render process of its own (`python -m sipdocs.workers`) that loads the
templates, catalogs and renderers once and renders case after case; the thread sends it a
`Task` and waits at most the task's time limit. A case past its limit has its process killed
and replaced, and fails; a render process that dies is replaced and the case tried once more.
The render process returns each file's bytes and record: only the client writes, so the output
folder need not be shared with the workers. Before its first case a render process compares
its fingerprint (sipdocs version, built-in templates and catalogs, layers) with the client's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import os
import pickle
import resource
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sipdocs import __version__, logs
from sipdocs.cases import validate_bytes
from sipdocs.context import DocumentContext
from sipdocs.errors import SipdocsError
from sipdocs.i18n import LOCALES
from sipdocs.render import Renderers, planned_outputs
from sipdocs.templates import LAYERS_VARIABLE, TEMPLATES, Registry

log = logging.getLogger(__name__)

# A render process is replaced after so many cases: WeasyPrint's native libraries keep about
# 15 KiB a document that Python cannot free, and a fresh process costs about a second.
CASES_PER_WORKER = 200
START_TIMEOUT = 120.0  # s for a new render process to import sipdocs and say it is ready
ATTEMPTS = 2  # a case whose render process dies is tried once more in a fresh one
RENDERING = "rendering"  # what a render process says when a case is planned and rendering starts


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
    worker: int = 0  # the render process's id
    worker_name: str = ""  # the Dask worker's address, or "" on this machine
    worker_documents: int = 0  # documents the render process has made so far
    worker_rss_mib: float = 0.0  # the render process's peak resident memory so far
    contents: dict[str, bytes] = field(default_factory=dict, repr=False)  # written, by path
    mismatch: bool = False  # the worker's fingerprint is not the client's

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass(frozen=True)
class Layers:
    """The client's layer folders, in order, and their fingerprint; packed into a zip for
    workers on other machines (`pack`), unpacked there once per fingerprint (`folders`).
    """

    paths: tuple[str, ...] = ()
    digest: str = ""
    packed: bytes | None = None

    @classmethod
    def of(cls, folders: Sequence[Path], pack: bool = False) -> Layers:
        absolute = tuple(str(Path(folder).absolute()) for folder in folders)
        layers = cls(absolute, tree_digest(Path(p) for p in absolute))
        return dataclasses.replace(layers, packed=_pack(absolute)) if pack else layers

    def folders(self) -> tuple[str, ...]:
        """The folders on this machine: the client's own, or the unpacked copies."""
        if self.packed is None:
            return self.paths
        target = Path(tempfile.gettempdir()) / f"sipdocs-layers-{self.digest[:16]}"
        with _UNPACKING:
            if not target.is_dir():
                scratch = Path(tempfile.mkdtemp(prefix=".sipdocs-layers-", dir=target.parent))
                with zipfile.ZipFile(io.BytesIO(self.packed)) as archive:
                    archive.extractall(scratch)
                try:
                    os.replace(scratch, target)
                except OSError:  # another worker on this machine was first
                    shutil.rmtree(scratch, ignore_errors=True)
        return tuple(str(target / str(number)) for number in range(len(self.paths)))


_UNPACKING = threading.Lock()


def _pack(folders: Sequence[str]) -> bytes:
    """The layer folders in one zip, the n-th folder under `n/`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, folder in enumerate(folders):
            for path in _files(Path(folder)):
                archive.write(path, f"{number}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def _files(folder: Path) -> Iterator[Path]:
    """Every file under `folder`, in a stable order, skipping compiled bytecode."""
    return (
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    )


def tree_digest(folders: Iterator[Path] | Sequence[Path]) -> str:
    """SHA-256 over every file's relative path and bytes, folder by folder."""
    digest = hashlib.sha256()
    for number, folder in enumerate(folders):
        for path in _files(folder):
            digest.update(f"{number}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fingerprint(layers_digest: str) -> str:
    """What a worker must share with the client: sipdocs' version, its built-in templates and
    catalogs, and the layers.
    """
    return hashlib.sha256(
        f"{__version__}\0{_builtin_digest()}\0{layers_digest}".encode()
    ).hexdigest()


_builtin: str | None = None


def _builtin_digest() -> str:
    global _builtin
    if _builtin is None:
        _builtin = tree_digest([TEMPLATES, LOCALES])
    return _builtin


@dataclass(frozen=True)
class Task:
    """One case for a worker: the file's bytes, what to make, and the files from the last
    run that are still as recorded (their records), which need not be made again.
    """

    path: str  # as the client names it, in messages
    data: bytes
    options: Options
    fingerprint: str  # the client's
    timeout: float | None  # seconds, or None for no limit
    before: tuple[Entry, ...] = ()


# --- In an executor's thread ---------------------------------------------------------


def run_task(task: Task, layers: Layers) -> CaseResult:
    """Render `task` in this thread's render process, within its time limit."""
    name = _worker_name()
    folders = layers.folders()
    result = _slot().run(task, folders)
    result.worker_name = name
    for here, client in zip(folders, layers.paths, strict=True):  # messages name the client's
        if here != client and result.error:
            result.error = result.error.replace(here, client)
    if result.mismatch:
        where = name or f"process {result.worker} on this machine"
        result.error = (
            f"worker {where}: {result.error}; install the same sipdocs version, with its "
            "templates, on every worker as on the client"
        )
    return result


def _worker_name() -> str:
    """The Dask worker's address when running on one, else ""."""
    if "distributed" not in sys.modules:
        return ""
    from distributed import get_worker

    try:
        return str(get_worker().address)
    except ValueError:  # not in a Dask worker
        return ""


_local = threading.local()
_slots: list[_Slot] = []
_slots_lock = threading.Lock()
_generation = 0  # counts stop_all() calls; a slot of an earlier one starts nothing


def _slot() -> _Slot:
    slot: _Slot | None = getattr(_local, "slot", None)
    if slot is None or slot.generation != _generation:
        with _slots_lock:
            slot = _local.slot = _Slot(_generation)
            _slots.append(slot)
    return slot


def stop_all() -> None:
    """Kill every render process of this process's threads; a case being rendered fails.
    Later tasks start new ones.
    """
    global _generation
    with _slots_lock:
        _generation += 1
        slots, _slots[:] = list(_slots), []
    for slot in slots:
        slot.stop()


class _Timeout(Exception):
    pass


class _Slot:
    """A render process for one thread: started when needed, replaced when it dies, runs too
    long, or has rendered CASES_PER_WORKER cases.
    """

    def __init__(self, generation: int) -> None:
        self.generation = generation
        self.process: subprocess.Popen[bytes] | None = None
        self.cases = 0
        self.lock = threading.Lock()

    def run(self, task: Task, folders: tuple[str, ...]) -> CaseResult:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                process = self._started()
                _send(process, (task, folders))
                result = _receive(process, START_TIMEOUT)  # validated and planned
                if result == RENDERING:  # the time limit counts from here
                    result = _receive(process, task.timeout)
            except _Timeout as limit:
                self.stop()
                return CaseResult(task.path, error=f"rendering took longer than {limit} s")
            except (EOFError, OSError):
                how = self.stop()
                if self.generation != _generation:
                    return CaseResult(task.path, error="stopped before it was done")
                if attempt == ATTEMPTS:
                    return CaseResult(
                        task.path,
                        error=f"the render process stopped while rendering it ({how}), "
                        f"{ATTEMPTS} times; not rendered",
                    )
                log.warning("%s: the render process stopped (%s); trying again", task.path, how)
                continue
            self.cases += 1
            if self.cases >= CASES_PER_WORKER:
                self.stop()
            assert isinstance(result, CaseResult)
            return result
        raise AssertionError("unreachable")

    def _started(self) -> subprocess.Popen[bytes]:
        with self.lock:
            if self.generation != _generation:
                raise EOFError  # stop_all() was called
            if self.process is None or self.process.poll() is not None:
                self.process = _start_process()
                self.cases = 0
                try:
                    _receive(self.process, START_TIMEOUT)  # "ready"
                except (_Timeout, EOFError, OSError):
                    self.process.kill()
                    raise EOFError from None
            return self.process

    def stop(self) -> str:
        """Kill the render process, if any; how it ended."""
        with self.lock:
            process, self.process = self.process, None
        if process is None:
            return "not started"
        if process.poll() is None:
            process.kill()
        code = process.wait()
        for stream in (process.stdin, process.stdout):
            if stream:
                stream.close()
        return f"signal {-code}" if code < 0 else f"exit status {code}"


def _start_process() -> subprocess.Popen[bytes]:
    """A render process in a session of its own, so that Ctrl-C on a terminal reaches only
    the client. It logs as this process does; layers come only with the tasks.
    """
    levels = logs.current()
    arguments = [str(levels[0]), str(int(levels[1]))] if levels else []
    environment = {k: v for k, v in os.environ.items() if k != LAYERS_VARIABLE}
    return subprocess.Popen(
        [sys.executable, "-m", "sipdocs.workers", *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=environment,
        start_new_session=True,
        bufsize=0,  # unbuffered, so that select() sees every byte not yet read
    )


_HEADER = struct.Struct("!Q")


def _send(process: subprocess.Popen[bytes], message: object) -> None:
    assert process.stdin is not None
    _write(process.stdin, message)


def _write(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(process: subprocess.Popen[bytes], timeout: float | None) -> Any:
    """The render process's next message, waiting at most `timeout` seconds for it."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    if not ready:
        raise _Timeout(f"{timeout:g}")
    return _read(process.stdout)


def _read(stream: IO[bytes]) -> Any:
    (size,) = _HEADER.unpack(_exactly(stream, _HEADER.size))
    return pickle.loads(_exactly(stream, size))


def _exactly(stream: IO[bytes], size: int) -> bytes:
    """`size` bytes from `stream`; EOFError if it ends first."""
    parts, left = [], size
    while left:
        part = stream.read(left)
        if not part:
            raise EOFError
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


# --- In a render process -----------------------------------------------------------------


@dataclass
class _Renderer:
    """What a render process keeps from case to case for one set of layer folders."""

    folders: tuple[str, ...]
    renderers: Renderers
    fingerprint: str
    rendering: Callable[[], None]  # tells the client that the time limit starts
    documents: int = 0


def serve(arguments: Sequence[str]) -> None:
    """A render process: read tasks from stdin, write results to stdout, until stdin ends.

    Ctrl-C is the client's to handle; the process ends when the client's does.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if arguments:
        logs.configure_levels(int(arguments[0]), bool(int(arguments[1])))
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print never reaches the pipe
    _watch_parent()
    _write(replies, "ready")
    current: _Renderer | None = None
    while True:
        try:
            task, folders = _read(requests)
        except EOFError:
            return
        if current is None or current.folders != folders:
            current = _renderer(tuple(folders), lambda: _write(replies, RENDERING))
        _write(replies, _render_task(task, current))


def _watch_parent() -> None:
    """End this process when the one that started it is gone, even mid-case."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _renderer(folders: tuple[str, ...], rendering: Callable[[], None]) -> _Renderer:
    paths = [Path(folder) for folder in folders]
    log.info("render process ready for layers %s", " ".join(folders) or "(built-in only)")
    return _Renderer(
        folders, Renderers(Registry(paths)), fingerprint(tree_digest(paths)), rendering
    )


def _render_task(task: Task, renderer: _Renderer) -> CaseResult:
    """Validate, plan and render one case into memory; its problems go into the result."""
    result = CaseResult(task.path)
    if renderer.fingerprint != task.fingerprint:
        result.mismatch = True
        result.error = (
            f"its sipdocs ({__version__}), built-in templates and catalogs or layers differ "
            "from the client's"
        )
    else:
        try:
            _render_into(result, task, renderer)
        except SipdocsError as exc:
            result.error = str(exc)
        except Exception as exc:  # never a case's text in the message: the type only
            result.error = f"internal error ({type(exc).__name__})"
    if result.error:
        result.written, result.contents = [], {}
    result.worker = os.getpid()
    result.worker_documents = renderer.documents
    result.worker_rss_mib = _peak_rss_mib()
    log.info(
        "%s: %d made, %d up to date%s",
        task.path,
        len(result.written),
        len(result.skipped),
        f"; failed: {result.error}" if result.error else "",
    )
    return result


def _render_into(result: CaseResult, task: Task, renderer: _Renderer) -> None:
    loaded = validate_bytes(task.data, task.path)
    result.findings = [str(finding) for finding in loaded.findings]
    if loaded.case is None:
        result.error = "the case has errors and was not rendered"
        return
    result.case_id = loaded.case.case.id
    options = task.options
    out = Path("/out")  # planned paths are made relative to it: the client decides where
    planned, result.notes = planned_outputs(
        loaded,
        out,
        renderer.renderers,
        documents=options.documents,
        formats=options.formats,
        languages=options.languages,
        variants=options.variants,
    )
    before = {entry.path: entry for entry in task.before}
    renderer.rendering()
    for item in planned:
        path = item.path.relative_to(out).as_posix()
        entry = manifest_entry(item.context, path, item.renderer.name, loaded.sha256)
        old = before.get(entry.path)
        if not options.force and old and old.made_like(entry):
            result.skipped.append(old)
            continue
        data = item.render()
        renderer.documents += 1
        result.contents[entry.path] = data
        result.written.append(dataclasses.replace(entry, sha256=hashlib.sha256(data).hexdigest()))


def manifest_entry(
    context: DocumentContext, path: str, format: str, input_sha256: str, data: bytes | None = None
) -> Entry:
    """The record of a file at `path` (relative, with "/"); its hash if `data` is given."""
    return Entry(
        path=path,
        case_id=context.case.case.id,
        document=context.kind.name,
        recipient=context.recipient.id,
        language=context.language,
        variant=context.variant,
        format=format,
        template_version=context.metadata["templateVersion"],
        layers=context.metadata["templateLayers"],
        sha256=hashlib.sha256(data).hexdigest() if data is not None else "",
        input_sha256=input_sha256,
        sipdocs_version=__version__,
        warnings=context.warnings,
    )


def _peak_rss_mib() -> float:
    """This process's peak resident memory. `ru_maxrss` would include the parent's peak,
    which Linux carries into a child; VmHWM starts afresh with the new program.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":  # results must pickle as sipdocs.workers', not __main__'s, classes
    from sipdocs import workers

    workers.serve(sys.argv[1:])
