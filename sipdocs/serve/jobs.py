"""What a worker process of the service does: validate a case and render it in memory.

A worker keeps its registry and renderers from job to job, as a batch worker does. When the
layer folders change, the service counts a new generation; a job of a newer generation
makes the worker read its templates and layers afresh. Each job runs with its own temporary
folder as the temporary directory (TMPDIR too, for the programs a renderer runs); the service
removes that folder after the response, even if it had to stop the worker.

A worker runs at a lower priority (`WORKER_NICENESS`) than the service's own process, so a
validation answered there gets the CPU before a render: interactive requests stay quick
while the workers render in bulk, and the workers still use every CPU nothing else wants.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sipdocs import i18n, logs
from sipdocs.cases import LoadedCase, validate_bytes
from sipdocs.context import STANDARD, VARIANTS, DocumentContext, data_uri
from sipdocs.errors import RenderError, SipdocsError
from sipdocs.findings import Finding, error, format_key_path
from sipdocs.languages import LANGUAGES, SOURCE_LANGUAGE
from sipdocs.render import Renderers, document_contexts, render_in_memory, zip_files
from sipdocs.templates import Registry, catalog_folders
from sipdocs.workers import manifest_entry

log = logging.getLogger(__name__)

CASE_NAME = "case.yaml"  # the file name in the findings and messages about a case sent
MANIFEST = "manifest.json"
NOTES = "notes.txt"
WORKER_NICENESS = 10  # added to a worker's nice value: the service's process goes first


def validate_case(data: bytes, registry: Registry) -> LoadedCase:
    """A case sent to the service, validated as `sipdocs validate` does: by the format and
    the rules, and whether the registry has its municipality's layer.
    """
    loaded = validate_bytes(data, CASE_NAME)
    municipality = loaded.case.case.municipality if loaded.case else None
    if problem := registry.unknown_municipality(municipality):
        loaded = loaded.with_issues([error(("case", "municipality"), problem)])
    return loaded


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as the API shows it."""
    return {
        "severity": finding.severity.value,
        "rule": finding.rule,
        "path": format_key_path(finding.path),
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
    }


@dataclass(frozen=True)
class RenderJob:
    """Every file `sipdocs render` would make of a case, with `render`'s options."""

    case: bytes
    documents: tuple[str, ...] | None = None
    formats: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None
    variants: tuple[str, ...] | None = None
    follow_up: int | None = None


@dataclass(frozen=True)
class PreviewJob:
    """One copy of a case as HTML and PDF, and the copies there are to choose from."""

    case: bytes
    document: str | None = None
    recipient: str | None = None
    language: str | None = None
    variant: str | None = None


@dataclass(frozen=True)
class Envelope:
    """A job as the service sends it: with the layers' generation and its temporary folder."""

    job: RenderJob | PreviewJob
    generation: int
    scratch: str


@dataclass(frozen=True)
class Invalid:
    """The case has errors: every finding, as the API shows them."""

    findings: list[dict[str, Any]]


@dataclass(frozen=True)
class Failed:
    """A library error's category and message, or "internal" and the exception's type."""

    category: str
    message: str


@dataclass(frozen=True)
class Rendered:
    """A render's zip, and the case id it is named after."""

    case_id: str
    zip: bytes


Outcome = Invalid | Failed | Rendered | dict[str, Any]  # a preview is a JSON object


# --- The worker process ---------------------------------------------------------------


@dataclass
class _Worker:
    layers: tuple[Path, ...]
    generation: int
    renderers: Renderers


def work(connection: Connection, layers: tuple[Path, ...], levels: tuple[int, bool] | None) -> None:
    """A worker's life: say it is ready, then answer each job until the service hangs up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the service, which stops us
    os.nice(WORKER_NICENESS)
    if levels is not None:
        logs.configure_levels(*levels)
    worker = _Worker(layers, 0, Renderers(Registry(layers)))
    log.info("worker ready")
    connection.send("ready")
    while True:
        try:
            envelope = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(run(envelope, worker))


def run(envelope: Envelope, worker: _Worker) -> Outcome:
    """One job's outcome; an error becomes a `Failed`, never an exception."""
    if envelope.generation != worker.generation:
        _reload(worker, envelope.generation)
    with _temporary_directory(envelope.scratch):
        try:
            loaded = validate_case(envelope.job.case, worker.renderers.registry)
            if loaded.case is None:
                return Invalid([finding_json(finding) for finding in loaded.findings])
            if isinstance(envelope.job, RenderJob):
                return _render(loaded, envelope.job, worker.renderers)
            return _preview(loaded, envelope.job, worker.renderers)
        except SipdocsError as exc:
            return Failed(exc.category.value, str(exc))
        except Exception as exc:  # never a case's text in the message: the type only
            log.error("internal error (%s)", type(exc).__name__)
            return Failed("internal", f"internal error ({type(exc).__name__})")


def _reload(worker: _Worker, generation: int) -> None:
    """Read the layers and templates afresh: a new registry, and the caches that are not
    keyed on a file's modification time emptied (merged catalogs, pictures as data: URIs).
    """
    i18n.forget_catalogs()
    data_uri.cache_clear()
    worker.renderers = Renderers(Registry(worker.layers))
    worker.generation = generation
    log.info("layers read afresh (generation %d)", generation)


@contextmanager
def _temporary_directory(folder: str) -> Iterator[None]:
    """Make `folder` the temporary directory of this process and of the programs it runs."""
    before = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = os.environ["TMPDIR"] = folder
    try:
        yield
    finally:
        tempfile.tempdir = before[0]
        if before[1] is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = before[1]


def _render(loaded: LoadedCase, job: RenderJob, renderers: Renderers) -> Rendered:
    rendered = render_in_memory(
        loaded,
        renderers,
        documents=job.documents,
        formats=job.formats,
        follow_up=job.follow_up,
        languages=job.languages,
        variants=job.variants,
    )
    entries = [
        manifest_entry(file.context, file.path, file.format, loaded.sha256, file.data)
        for file in rendered
    ]
    manifest = json.dumps([asdict(entry) for entry in entries], ensure_ascii=False)
    files = [(file.path, file.data) for file in rendered]
    files.append((MANIFEST, (manifest + "\n").encode("utf-8")))
    if rendered.notes:
        files.append((NOTES, "".join(f"{note}\n" for note in rendered.notes).encode("utf-8")))
    assert loaded.case is not None
    return Rendered(loaded.case.case.id, zip_files(files))


def copy_json(context: DocumentContext) -> dict[str, Any]:
    """Which copy a context is, as the preview names it."""
    return {
        "document": context.kind.name,
        "recipient": context.recipient.id,
        "own_copy": context.recipient.own_copy,
        "language": context.language,
        "variant": context.variant,
        "name": context.stem,
    }


def _preview(loaded: LoadedCase, job: PreviewJob, renderers: Renderers) -> dict[str, Any]:
    """The copies `render` would make of the case, and the chosen one (by default the first)
    as standalone HTML and PDF. Any language with a catalog and any variant can be chosen.
    """
    assert loaded.case is not None
    registry = renderers.registry
    copies = document_contexts(loaded, registry)
    if not copies:
        raise RenderError("the case has no data for any document")
    first = copies[0]
    document = job.document or first.kind.name
    language = job.language or SOURCE_LANGUAGE
    variant = job.variant or STANDARD
    candidates = [
        context
        for context in document_contexts(
            loaded, registry, [document], languages=[language], variants=[variant]
        )
        if context.language == language
        and context.recipient.id == (job.recipient or context.recipient.id)
    ]
    if not candidates:
        raise RenderError(
            f"the case has no copy of '{document}' for recipient '{job.recipient}'"
            f" in language '{language}'"
        )
    chosen = next((c for c in candidates if c.variant == variant), candidates[0])
    translated = i18n.catalog_languages(catalog_folders(chosen.chain))
    return {
        "valid": True,
        "findings": [finding_json(finding) for finding in loaded.findings],
        "copies": [copy_json(context) for context in copies],
        "languages": [code for code in LANGUAGES if code in translated],
        "variants": list(VARIANTS),
        "shown": {
            **copy_json(chosen),
            "warnings": list(chosen.warnings),
            "html": renderers["html"].render(chosen).decode("utf-8"),
            "pdf": base64.b64encode(renderers["pdf"].render(chosen)).decode("ascii"),
        },
    }
