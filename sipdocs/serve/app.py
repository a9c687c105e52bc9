"""The HTTP API and the preview page, on FastAPI: thin over the library.

Validation runs in the service's own process (it takes milliseconds); rendering runs in the
worker processes of `pool.WorkerPool`. Logs name the method, the route, the status, sizes
and times: never a path as sent, a query string, a header or a body.
"""

from __future__ import annotations

import asyncio
import gc
import hmac
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sipdocs import __version__
from sipdocs.context import VARIANTS
from sipdocs.documents import DOCUMENTS
from sipdocs.errors import Category
from sipdocs.i18n import LOCALES, catalog_languages
from sipdocs.languages import LANGUAGES
from sipdocs.renderers import RENDERERS, renderer_class
from sipdocs.serve.jobs import (
    Failed,
    Invalid,
    PreviewJob,
    Rendered,
    RenderJob,
    finding_json,
    validate_case,
)
from sipdocs.serve.pool import Busy, TimedOut, WorkerLost, WorkerPool
from sipdocs.templates import OVERRIDES, Registry

log = logging.getLogger("sipdocs.serve")

MAX_BODY = 1024 * 1024  # bytes of a case; sipdocs reads no larger case file either
CASE_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "application/json")
PAGE_FILES = {"/": "index.html", "/preview.js": "preview.js", "/preview.css": "preview.css"}
MEDIA_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
# The page and its script and style come from the service; the copies it shows arrive as
# data: the HTML copy in a sandboxed frame (its own <style> needs 'unsafe-inline' for
# styles), the PDF as a blob: URL.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src data:; frame-src blob:; object-src blob:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
WATCH_DEBOUNCE_MS = 200


@dataclass(frozen=True)
class Settings:
    """How the service runs: `sipdocs serve`'s options."""

    layers: tuple[Path, ...] = ()
    token: str | None = None
    workers: int = 2
    timeout: float = 120.0
    cors_origins: tuple[str, ...] = ()


# --- What the API answers -------------------------------------------------------------


class FindingModel(BaseModel):
    severity: Literal["error", "warning"]
    rule: str | None
    path: str
    line: int
    column: int
    message: str


class Validation(BaseModel):
    valid: bool
    findings: list[FindingModel]


class Problem(BaseModel):
    detail: str
    findings: list[FindingModel] = []


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    workers: int
    running: int
    token_required: bool


class Changes(BaseModel):
    watching: bool
    generation: int


class CopyModel(BaseModel):
    document: str
    recipient: str
    own_copy: bool
    language: str
    variant: str
    name: str


class ShownCopy(CopyModel):
    warnings: list[str]
    html: str
    pdf: str  # base64


class Preview(BaseModel):
    valid: bool
    findings: list[FindingModel]
    copies: list[CopyModel]
    languages: list[str]
    variants: list[str]
    shown: ShownCopy


class VersionModel(BaseModel):
    version: str
    valid_from: str
    valid_to: str | None
    basis: str  # the laws the version cites, as `templates list` shows them


class DocumentModel(BaseModel):
    name: str
    versions: list[VersionModel]


class LayerModel(BaseModel):
    name: str
    kind: str
    organisation: str | None
    region: str | None
    guideline: str | None  # a region's guideline, with its validity
    overrides: list[str]


class Templates(BaseModel):
    documents: list[DocumentModel]
    layers: list[LayerModel]
    languages: list[str]
    formats: list[str]
    variants: list[str]


PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": description}
    for status, description in (
        (400, "A query parameter is not valid"),
        (401, "No token, or the wrong one (with --token)"),
        (413, "The body is larger than 1 MiB"),
        (415, "The body is neither YAML nor JSON"),
    )
}
RENDER_PROBLEMS: dict[int | str, dict[str, Any]] = {
    **PROBLEMS,
    422: {"model": Problem, "description": "The case has errors (in `findings`), or lacks data"},
    500: {"model": Problem, "description": "An internal error, named by its type only"},
    503: {"model": Problem, "description": "Every worker is busy (see Retry-After)"},
    504: {"model": Problem, "description": "The render took longer than --timeout"},
}
CASE_BODY = {
    "requestBody": {
        "required": True,
        "description": "A case file, as YAML or JSON (`sipdocs schema` prints its JSON Schema).",
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}


class Refusal(Exception):
    """A request refused with a status, a message and perhaps headers."""

    def __init__(
        self,
        status: int,
        detail: str,
        headers: dict[str, str] | None = None,
        findings: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.findings = findings or []


def _problem(
    status: int,
    detail: str,
    headers: dict[str, str] | None = None,
    findings: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    return JSONResponse({"detail": detail, "findings": findings or []}, status, headers)


# --- The application ------------------------------------------------------------------


def create_app(settings: Settings) -> FastAPI:
    """The service: the API under /v1, health, and the preview page at /."""
    state = _State(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await state.pool.start()
        # What is loaded by now lives as long as the service: kept out of the collector's
        # full passes, which would otherwise walk it all and stall every request.
        gc.collect()
        gc.freeze()
        watcher = asyncio.create_task(state.watch()) if settings.layers else None
        log.info(
            "%d worker(s) ready; timeout %g s; token %s; layers %s",
            settings.workers,
            settings.timeout,
            "required" if settings.token else "not required",
            ", ".join(map(str, settings.layers)) or "built in only",
        )
        try:
            yield
        finally:
            state.stop.set()
            if watcher:
                watcher.cancel()
            await state.pool.close()
            state.validator.shutdown(cancel_futures=True)

    app = FastAPI(
        title="sipdocs",
        version=__version__,
        description="Documents of a samordnad individuell plan (SIP) from case files: "
        "validate a case, render its documents, preview a copy.",
        lifespan=lifespan,
    )

    @app.exception_handler(Refusal)
    async def refused(request: Request, exc: Refusal) -> JSONResponse:
        return _problem(exc.status, exc.detail, exc.headers, exc.findings)

    @app.exception_handler(RequestValidationError)
    async def invalid_parameters(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        return _problem(400, problems)

    async def authorised(request: Request) -> None:
        token = settings.token
        if token is None:
            return
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if not (
            scheme.lower() == "bearer"
            and hmac.compare_digest(value.strip().encode(), token.encode())
        ):
            raise Refusal(
                401,
                "a bearer token is required: Authorization: Bearer TOKEN",
                {"WWW-Authenticate": "Bearer"},
            )

    api = APIRouter(prefix="/v1", dependencies=[Depends(authorised)], responses=PROBLEMS)

    @api.post("/validate", openapi_extra=CASE_BODY)
    async def validate(request: Request) -> Validation:
        """Check a case against the format and the rules: every finding at its line."""
        data = await read_case(request)
        loop = asyncio.get_running_loop()
        loaded = await loop.run_in_executor(state.validator, validate_case, data, state.registry)
        return Validation.model_validate(
            {"valid": loaded.ok, "findings": [finding_json(f) for f in loaded.findings]}
        )

    @api.post(
        "/render",
        openapi_extra=CASE_BODY,
        response_class=Response,
        responses={
            **RENDER_PROBLEMS,
            200: {
                "description": "A zip of the files `sipdocs render` writes, under the case id, "
                "with manifest.json (and notes.txt when a format could not be made of a copy)",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            },
        },
    )
    async def render(
        request: Request,
        doc: Annotated[list[str] | None, Query(description=_one_of("Documents", DOCUMENTS))] = None,
        format: Annotated[
            list[str] | None, Query(description=_one_of("Formats", _formats()))
        ] = None,
        lang: Annotated[
            list[str] | None, Query(description=_one_of("Translations", LANGUAGES))
        ] = None,
        variant: Annotated[
            list[str] | None, Query(description=_one_of("Variants", VARIANTS))
        ] = None,
        follow_up: Annotated[int | None, Query(ge=1, le=1000)] = None,
    ) -> Response:
        """Render a case as `sipdocs render` would; the options are `render`'s."""
        job = RenderJob(
            await read_case(request),
            _tupled(doc),
            _tupled(format),
            _tupled(lang),
            _tupled(variant),
            follow_up,
        )
        outcome = await state.run(job)
        assert isinstance(outcome, Rendered)
        return Response(
            outcome.zip,
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{outcome.case_id}.zip"'},
        )

    @api.post("/preview", openapi_extra=CASE_BODY, responses=RENDER_PROBLEMS)
    async def preview(
        request: Request,
        doc: Annotated[str | None, Query(max_length=40)] = None,
        recipient: Annotated[str | None, Query(max_length=40)] = None,
        lang: Annotated[str | None, Query(max_length=10)] = None,
        variant: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Preview:
        """One copy of a case as HTML and PDF, and the copies `render` would make."""
        job = PreviewJob(await read_case(request), doc, recipient, lang, variant)
        outcome = await state.run(job)
        assert isinstance(outcome, dict)
        return Preview.model_validate(outcome)

    @api.get("/preview/changes")
    async def changes() -> Changes:
        """Whether the layer folders are watched, and how often they have changed."""
        return Changes(watching=bool(settings.layers), generation=state.pool.generation)

    @api.get("/templates")
    async def templates() -> Templates:
        """Documents with their template versions and validity, the layers, and what a
        render can be asked for.
        """
        return await run_in_threadpool(state.templates)

    app.include_router(api)

    @app.get("/healthz")
    async def health() -> Health:
        """Whether the service runs, and how busy it is."""
        return Health(
            status="ok",
            version=__version__,
            workers=settings.workers,
            running=state.pool.running,
            token_required=settings.token is not None,
        )

    for route, name in PAGE_FILES.items():
        app.add_api_route(route, _page_file(name), methods=["GET"], include_in_schema=False)

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(_AccessLog)
    return app


def _one_of(what: str, names: Any) -> str:
    return f"{what} (repeat the parameter for more): {', '.join(names)}"


def _formats() -> list[str]:
    renderer_class("pdf")  # the built-in renderers register themselves
    return sorted(RENDERERS)


def _tupled(items: list[str] | None) -> tuple[str, ...] | None:
    return None if items is None else tuple(items)


def _page_file(name: str) -> Callable[[], Awaitable[Response]]:
    content = files("sipdocs.serve").joinpath("page", name).read_bytes()
    media_type = MEDIA_TYPES[Path(name).suffix]

    async def page() -> Response:
        return Response(
            content,
            media_type=media_type,
            headers={
                "Content-Security-Policy": PAGE_POLICY,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "Cache-Control": "no-cache",
            },
        )

    return page


async def read_case(request: Request) -> bytes:
    """The body: a case as YAML or JSON of at most `MAX_BODY` bytes."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in CASE_TYPES:
        raise Refusal(
            415, f"send the case as application/yaml or application/json, not '{media_type[:60]}'"
        )
    too_large = Refusal(413, f"the case is larger than {MAX_BODY} bytes (1 MiB)")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise too_large
    return bytes(body)


class _State:
    """The pool, the layers' watcher and the registry the templates listing reads."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = WorkerPool(settings.workers, settings.layers, settings.timeout)
        self.registry = Registry(settings.layers)
        # One thread validates, one request after another: threads that share the GIL would
        # each wait for the others, and every request would take as long as the slowest.
        self.validator = ThreadPoolExecutor(1, thread_name_prefix="sipdocs-validate")
        self.stop = asyncio.Event()

    async def run(self, job: RenderJob | PreviewJob) -> Any:
        """A job's outcome from a worker; a refusal for errors, overload and timeouts."""
        settings = self.settings
        try:
            outcome = await self.pool.run(job)
        except Busy as busy:
            raise Refusal(
                503,
                f"all {settings.workers} worker(s) are busy (--workers); "
                f"retry after {busy.retry_after} s",
                {"Retry-After": str(busy.retry_after)},
            ) from None
        except TimedOut:
            raise Refusal(
                504,
                f"the render took longer than {settings.timeout:g} s (--timeout) and was stopped",
            ) from None
        except WorkerLost as lost:
            raise Refusal(503, str(lost), {"Retry-After": str(self.pool.retry_after)}) from None
        if isinstance(outcome, Invalid):
            errors = sum(f["severity"] == "error" for f in outcome.findings)
            raise Refusal(
                422, f"the case has {errors} error(s); see findings", None, outcome.findings
            )
        if isinstance(outcome, Failed):
            status = {Category.USAGE.value: 400, "internal": 500}.get(outcome.category, 422)
            raise Refusal(status, outcome.message)
        return outcome

    async def watch(self) -> None:
        """Count a new generation whenever a file in the layer folders changes."""
        from watchfiles import awatch

        async for changed in awatch(
            *self.settings.layers, debounce=WATCH_DEBOUNCE_MS, step=50, stop_event=self.stop
        ):
            self.pool.generation += 1
            self.registry = Registry(self.settings.layers)
            log.info(
                "%d file(s) changed in the layers; generation %d",
                len(changed),
                self.pool.generation,
            )

    def templates(self) -> Templates:
        registry = self.registry
        layers = []
        for name, layer in registry.layers.items():
            overrides = layer.folder / OVERRIDES
            layers.append(
                LayerModel(
                    name=name,
                    kind=layer.profile.kind,
                    organisation=layer.profile.name,
                    region=layer.profile.region,
                    guideline=(
                        f"{guideline.label} valid {guideline.period}"
                        if (guideline := layer.profile.guideline)
                        else None
                    ),
                    overrides=sorted(
                        p.relative_to(overrides).as_posix()
                        for p in overrides.rglob("*")
                        if p.is_file()
                    ),
                )
            )
        languages = catalog_languages(
            [LOCALES, *(layer.folder / LOCALES.name for layer in registry.layers.values())]
        )
        return Templates(
            documents=[
                DocumentModel(
                    name=document,
                    versions=[
                        VersionModel(
                            version=v.manifest.version,
                            valid_from=v.manifest.valid_from.isoformat(),
                            valid_to=v.manifest.valid_to.isoformat()
                            if v.manifest.valid_to
                            else None,
                            basis=v.manifest.basis,
                        )
                        for v in versions
                    ],
                )
                for document, versions in registry.versions.items()
            ],
            layers=layers,
            languages=[code for code in LANGUAGES if code in languages],
            formats=_formats(),
            variants=list(VARIANTS),
        )


class _AccessLog:
    """One log record per request: method, route, status, bytes, time. Never the path as
    sent, the query string, a header or the body. An exception that escapes the app
    becomes a 500 named by its type alone, so no server logs a traceback of case data.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        sent = {"status": 0, "bytes": 0}

        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
            elif message["type"] == "http.response.body":
                sent["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting)
        except Exception as exc:
            log.error("internal error (%s)", type(exc).__name__)
            if not sent["status"]:
                await _problem(500, f"internal error ({type(exc).__name__})")(
                    scope, receive, counting
                )
        route = scope.get("route")
        log.info(
            "%s %s %d %d bytes %.0f ms",
            scope["method"],
            getattr(route, "path", None) or "(no route)",
            sent["status"],
            sent["bytes"],
            (time.perf_counter() - started) * 1000,
        )
