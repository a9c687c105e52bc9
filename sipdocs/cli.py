"""The `sipdocs` command: parse arguments, call the library, turn its errors into exit codes.

Exit codes: 0 ok, 1 invalid input or failed documents, 2 usage. Heavy libraries are imported
inside the commands that need them, so `sipdocs --help` stays fast.
"""

from __future__ import annotations

import functools
import os
import sys
import time
import typing
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from sipdocs import __version__
from sipdocs.errors import Category, SipdocsError

if TYPE_CHECKING:
    from sipdocs.batch import CaseResult
    from sipdocs.templates import Registry

P = ParamSpec("P")
R = TypeVar("R")

EXIT_CODES = {Category.INPUT: 1, Category.RENDER: 1, Category.USAGE: 2, Category.INTERRUPTED: 130}
NO_LONGER_MADE = "the case no longer has this copy"
STANDARD_INPUT = Path("-")  # `sipdocs validate -` reads the case from standard input

VERBOSE = ("-v", "--verbose")


class Command(TyperCommand):
    """A command whose help says in words what an option takes (FOLDER, N), never a Python
    type such as <bool> or <list[Path]>: an option without a metavar of its own gets one.
    """

    def get_params(self, ctx: Any) -> list[Any]:
        return _in_words(super().get_params(ctx))


def _in_words(params: list[Any]) -> list[Any]:
    """`params` (click's), each with a metavar that says what it takes, unless it has one of
    its own: an argument its name (CASES), nothing for a flag, N, PATH or TEXT for the rest.
    """
    for param in params:
        if isinstance(param, TyperArgument):
            param.__class__ = _Argument
        if param.metavar is None:
            param.metavar = _metavar(param)
    return params


def _metavar(param: Any) -> str:
    if isinstance(param, TyperArgument):
        return str(param.name).upper()
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    annotation = param.type_descriptor.annotation
    many = typing.get_origin(annotation) is list
    word = {int: "N", Path: "PATH"}.get(typing.get_args(annotation)[0] if many else annotation)
    return word or "TEXT"


class _Argument(TyperArgument):
    """An argument whose help names it (CASE) without a type beside it."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class Group(TyperGroup):
    """sipdocs' commands, with -v/-vv taken after the command name too (`sipdocs render -v`)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _in_words(super().get_params(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if ctx.parent is None:
            args = _verbose_first(args, set(self.commands))
        return super().parse_args(ctx, args)


def _verbose_first(args: list[str], commands: set[str]) -> list[str]:
    """`args` with every -v, -vv and --verbose after the command name moved before it."""
    named = next((index for index, arg in enumerate(args) if arg in commands), None)
    if named is None:
        return args
    end = args.index("--") if "--" in args[named:] else len(args)
    moved = [
        arg
        for arg in args[named:end]
        if arg in VERBOSE or (arg.startswith("-v") and set(arg[1:]) == {"v"})
    ]
    rest = [arg for arg in args[named:end] if arg not in moved]
    return [*args[:named], *moved, *rest, *args[end:]]


app = typer.Typer(
    name="sipdocs",
    help="Documents of a samordnad individuell plan (SIP) from YAML case files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=Group,
)


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"sipdocs: error: {message}", err=True)
    raise typer.Exit(code)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn library exceptions into one-line messages and exit codes, never tracebacks."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except SipdocsError as exc:
            if exc.category is Category.INTERRUPTED:
                typer.echo(f"sipdocs: {exc}", err=True)
                raise typer.Exit(EXIT_CODES[exc.category]) from None
            _fail(str(exc), EXIT_CODES[exc.category])
        except (typer.Exit, typer.Abort):
            raise
        except OSError as exc:  # a folder that cannot be written, a full disk: no case data
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or type(exc).__name__}", 1)
        except Exception as exc:
            if os.environ.get("SIPDOCS_DEBUG"):
                raise
            _fail(f"internal error ({type(exc).__name__}); set SIPDOCS_DEBUG=1 for details", 1)

    return run


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sipdocs {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="Log to stderr: -v sipdocs' steps, -vv every library's debug records too. "
            "Logs name files and key paths, never what a case says.",
        ),
    ] = 0,
) -> None:
    """Documents of a samordnad individuell plan (SIP) from YAML case files."""
    from sipdocs import logs

    logs.configure(verbose)


CasePaths = Annotated[
    list[Path],
    typer.Argument(
        help="Case files (*.yaml, *.yml, *.json), or folders searched for them.",
        show_default=False,
    ),
]


OutFolder = Annotated[Path, typer.Option("--out", "-o", metavar="FOLDER", help="Output folder.")]
DocOption = Annotated[
    list[str] | None,
    typer.Option(
        "--doc",
        "-d",
        metavar="DOCS",
        help="Documents, comma-separated or repeated: kallelse, samtycke, plan, uppfoljning, "
        "avslutning; default: all the case has data for.",
    ),
]
FormatOption = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMATS",
        help="Formats, comma-separated or repeated: pdf, docx, html, txt, audio; default: pdf, "
        "and for the individual's own copies (and a child's guardians') also html and txt, and "
        "audio of an easy-read copy.",
    ),
]
LangOption = Annotated[
    list[str] | None,
    typer.Option(
        "--lang",
        "-l",
        metavar="LANGS",
        help="Languages, comma-separated or repeated, that every copy is made in besides "
        "Swedish; default: the language each recipient reads. --lang sv makes Swedish only.",
    ),
]
VariantOption = Annotated[
    list[str] | None,
    typer.Option(
        "--variant",
        metavar="VARIANTS",
        help="The individual's own copies (and a child's guardians'), comma-separated or "
        "repeated: standard, storstil (large print), lattlast (easy-read), lattlast-storstil; "
        "default: standard, and the others the case asks for.",
    ),
]


LayerFolders = Annotated[
    list[Path] | None,
    typer.Option(
        "--layers",
        metavar="FOLDER",
        help="Folder of municipality/region layers, searched first (repeatable); "
        "also $SIPDOCS_LAYERS.",
    ),
]


def _registry(layers: list[Path] | None) -> Registry:
    """The template registry with the layer folders given, checked before any case."""
    from sipdocs.templates import Registry

    return Registry(layers or ()).checked()


@app.command(cls=Command)
@reports_errors
def validate(cases: CasePaths, layers: LayerFolders = None) -> None:
    """Check case files against the format and the rules (docs/rules.md), and that the layer
    of each case's municipality is found. '-' reads a case from standard input.
    """
    from sipdocs.cases import find_case_files, validate_bytes, validate_file
    from sipdocs.findings import error
    from sipdocs.source import MAX_FILE_BYTES

    registry = _registry(layers)
    errors = warnings = 0
    files = find_case_files(cases)
    failed = False
    for path in files:
        if path == STANDARD_INPUT:
            loaded = validate_bytes(sys.stdin.buffer.read(MAX_FILE_BYTES + 1), "<stdin>")
        else:
            loaded = validate_file(path)
        municipality = loaded.case.case.municipality if loaded.case else None
        if problem := registry.unknown_municipality(municipality):
            loaded = loaded.with_issues([error(("case", "municipality"), problem)])
        for finding in loaded.findings:
            typer.echo(str(finding))
        errors += len(loaded.errors)
        warnings += len(loaded.warnings)
        failed = failed or not loaded.ok
    typer.echo(f"{len(files)} file(s) checked: {errors} error(s), {warnings} warning(s)", err=True)
    if failed:
        raise typer.Exit(1)


@app.command(cls=Command)
@reports_errors
def render(
    cases: CasePaths,
    out: OutFolder = Path("out"),
    doc: DocOption = None,
    output_format: FormatOption = None,
    layers: LayerFolders = None,
    follow_up: Annotated[
        int | None,
        typer.Option(
            "--follow-up",
            help="Which follow-up the uppföljning reports on (1 is the first); default: the latest.",
        ),
    ] = None,
    lang: LangOption = None,
    variant: VariantOption = None,
) -> None:
    """Render the documents of valid case files into OUT/<case id>/."""
    from sipdocs.cases import find_case_files, validate_file
    from sipdocs.render import output_folder, render_case, same_case_id

    registry = _registry(layers)
    output_folder(out)
    formats = _list(output_format)
    failed = 0
    seen: dict[str, Path] = {}  # the file each case id came from
    for path in find_case_files(cases):
        loaded = validate_file(path)
        for finding in loaded.findings:
            typer.echo(str(finding), err=True)
        if loaded.case is None:
            failed += 1
            continue
        if (case_id := loaded.case.case.id) in seen:
            typer.echo(f"{path}: error: {same_case_id(seen[case_id])}", err=True)
            failed += 1
            continue
        seen[case_id] = path
        try:
            outputs = render_case(
                loaded,
                out,
                documents=_list(doc),
                formats=formats,
                registry=registry,
                follow_up=follow_up,
                languages=_list(lang),
                variants=_list(variant),
            )
        except SipdocsError as exc:
            if exc.category is Category.USAGE:
                raise
            typer.echo(f"{path}: error: {exc}", err=True)
            failed += 1
            continue
        for warning in dict.fromkeys(w for o in outputs for w in o.context.warnings):
            typer.echo(f"{path}: warning: {warning}", err=True)
        for note in outputs.notes:
            typer.echo(f"{path}: note: {note}", err=True)
        for output in outputs:
            typer.echo(f"wrote {output.path}")
        for moved, to in outputs.moved:
            typer.echo(f"moved {moved} to {to}: {NO_LONGER_MADE}")
    if failed:
        typer.echo(f"sipdocs: {failed} case(s) not rendered", err=True)
        raise typer.Exit(1)


@app.command(cls=Command)
@reports_errors
def batch(
    cases: CasePaths,
    out: OutFolder = Path("out"),
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Worker processes, 1 or more; default: one per core."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            envvar="SIPDOCS_SCHEDULER",
            metavar="tcp://HOST:PORT",
            help="Render on the Dask cluster whose scheduler is at this address "
            "(tcp://HOST:PORT) instead of on this machine; needs sipdocs\\[dask].",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Seconds a case may take before it is stopped and fails.",
            show_default=True,
        ),
    ] = 300,
    doc: DocOption = None,
    output_format: FormatOption = None,
    layers: LayerFolders = None,
    lang: LangOption = None,
    variant: VariantOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Render every file again, even if up to date.")
    ] = False,
    zip_cases: Annotated[
        bool, typer.Option("--zip", help="Also pack each case's files into OUT/<case id>.zip.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress output; the closing summary line stays."),
    ] = False,
) -> None:
    """Render many cases in parallel into OUT, skipping files that are up to date, with a
    manifest of every file (OUT/manifest.json and .csv).
    """
    from sipdocs.batch import STOP_WAIT, Options, run_batch

    def tupled(items: list[str] | None) -> tuple[str, ...] | None:
        return None if items is None else tuple(items)

    options = Options(
        documents=tupled(_list(doc)),
        formats=tupled(_list(output_format)),
        languages=tupled(_list(lang)),
        variants=tupled(_list(variant)),
        layers=tuple(layers or ()),
        force=force,
        zip=zip_cases,
    )
    progress = _BatchProgress(quiet)
    if scheduler and jobs is not None:
        progress.echo("sipdocs: note: --jobs is ignored with --scheduler")

    def on_case(result: CaseResult, done: int, total: int) -> None:
        if result.error:
            for line in result.findings:
                progress.echo(line)
            progress.echo(f"{result.path}: error: {result.error}")
        for moved, to in result.moved:
            progress.echo(f"moved {moved} to {to}: {NO_LONGER_MADE}")
        progress.case(result, done, total)

    def on_stop(running: int) -> None:
        progress.echo(
            f"sipdocs: stopping after the {running} case(s) in progress "
            f"(at most {STOP_WAIT:g} s); press Ctrl-C again to stop at once"
        )

    try:
        result = run_batch(
            cases,
            out,
            jobs=jobs,
            options=options,
            on_case=on_case,
            scheduler=scheduler,
            timeout=timeout,
            on_stop=on_stop,
        )
    finally:
        progress.finish()
    failed = len(result.failed)
    typer.echo(
        f"{len(result.cases)} case(s): {len(result.written)} file(s) written, "
        f"{len(result.skipped)} up to date, {failed} case(s) failed; "
        f"manifest: {out / 'manifest.json'}",
        err=True,
    )
    if failed:
        raise typer.Exit(1)


class _BatchProgress:
    """A progress bar on a terminal, a line per case otherwise, or nothing (--quiet)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar = sys.stderr.isatty()
        self.started = time.monotonic()
        self.documents = 0

    def echo(self, line: str) -> None:
        if self.bar and not self.quiet:
            line = "\r\033[K" + line
        typer.echo(line, err=True)

    def case(self, result: CaseResult, done: int, total: int) -> None:
        self.documents += len(result.written)
        if self.quiet:
            return
        if not self.bar:
            what = "failed" if result.failed else f"{len(result.written)} written"
            typer.echo(
                f"[{done}/{total}] {result.path}: {what}, {len(result.skipped)} up to date",
                err=True,
            )
            return
        elapsed = time.monotonic() - self.started
        rate = self.documents / elapsed if elapsed else 0.0
        left = elapsed / done * (total - done)
        filled = round(30 * done / total)
        sys.stderr.write(
            f"\r\033[K[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} cases, "
            f"{self.documents} documents, {rate:.1f}/s, {int(left) // 60}:{int(left) % 60:02d} left"
        )
        sys.stderr.flush()

    def finish(self) -> None:
        if self.bar and not self.quiet:
            sys.stderr.write("\n")


@app.command(cls=Command)
@reports_errors
def serve(
    host: Annotated[
        str,
        typer.Option(
            metavar="ADDRESS", help="Address to listen on; beyond loopback only with a token."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8000,
    layers: LayerFolders = None,
    token: Annotated[
        str | None,
        typer.Option(
            metavar="TOKEN",
            envvar="SIPDOCS_TOKEN",
            help="Every /v1 request must carry 'Authorization: Bearer TOKEN'; also $SIPDOCS_TOKEN.",
            show_envvar=False,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            metavar="N", help="Renders at once, each in its own process; default: one per core."
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(metavar="SECONDS", help="Seconds a render may take before it is stopped."),
    ] = 120.0,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ORIGIN",
            help="A web origin allowed to call the API from a browser (repeatable).",
        ),
    ] = None,
) -> None:
    """Serve the API (/v1, OpenAPI at /docs) and the preview page (/); with --layers the
    page renders again when a layer file changes.
    """
    try:
        from sipdocs.serve import Settings
        from sipdocs.serve import serve as run_service
    except ImportError as exc:
        _fail(f"sipdocs serve needs the serve extra: pip install 'sipdocs[serve]' ({exc.name})", 2)
    settings = Settings(
        layers=tuple(layers or ()),
        token=token or None,
        workers=workers if workers is not None else os.cpu_count() or 1,
        timeout=timeout,
        cors_origins=tuple(cors_origin or ()),
    )
    run_service(host, port, settings)


@app.command(cls=Command)
@reports_errors
def check(
    pdfs: Annotated[
        list[Path],
        typer.Argument(help="PDF files, or folders searched for them.", show_default=False),
    ],
) -> None:
    """Check PDFs for PDF/UA-1 and PDF/A-2u conformance and for characters without a glyph."""
    from sipdocs.cases import files_found
    from sipdocs.check import check_pdf
    from sipdocs.errors import PdfUnreadable

    failed = 0
    pdfs = files_found(pdfs, (".pdf",), "PDF files")
    for path in pdfs:
        try:
            problems = check_pdf(path.read_bytes()).problems()
        except OSError as exc:
            problems = [f"cannot be read ({exc.strerror or type(exc).__name__})"]
        except PdfUnreadable as exc:
            problems = [str(exc)]
        for problem in problems:
            typer.echo(f"{path}: {problem}")
        failed += bool(problems)
    typer.echo(f"{len(pdfs)} file(s) checked: {failed} failed", err=True)
    if failed:
        raise typer.Exit(1)


templates_app = typer.Typer(
    help="The document templates and their layers.", no_args_is_help=True, cls=Group
)
app.add_typer(templates_app, name="templates")


@templates_app.command("list", cls=Command)
@reports_errors
def templates_list(layers: LayerFolders = None) -> None:
    """Show each document's template versions with validity and basis, and the layers."""
    from sipdocs.templates import overview

    for line in overview(_registry(layers)):
        typer.echo(line)


@templates_app.command("check", cls=Command)
@reports_errors
def templates_check(layers: LayerFolders = None) -> None:
    """Check every layer's templates: tags Word split, unclosed blocks, unknown names."""
    from sipdocs.templatecheck import check_templates

    result = check_templates(_registry(layers))
    for problem in (*result.problems, *result.warnings):
        typer.echo(str(problem))
    warned = f", {len(result.warnings)} warning(s)" if result.warnings else ""
    typer.echo(
        f"{result.checked} template(s) checked: {len(result.problems)} problem(s){warned}",
        err=True,
    )
    if result.problems:
        raise typer.Exit(1)


@app.command("readability", cls=Command)
@reports_errors
def readability_command(cases: CasePaths, layers: LayerFolders = None) -> None:
    """LIX of the individual's own copies; free text too hard for an easy-read copy."""
    from sipdocs.cases import find_case_files, locate, validate_file
    from sipdocs.readability import hard_to_read
    from sipdocs.render import individual_readability

    registry = _registry(layers)
    failed = 0
    for path in find_case_files(cases):
        loaded = validate_file(path)
        if loaded.case is None:
            for finding in loaded.errors:
                typer.echo(str(finding), err=True)
            failed += 1
            continue
        for copy in individual_readability(loaded, registry):
            letter = copy.letter
            fixed = f"; fixed text LIX {copy.fixed_text.lix:.0f}" if copy.fixed_text else ""
            typer.echo(
                f"{path}: {copy.context.stem}: LIX {letter.lix:.0f} ({letter.words} words, "
                f"{letter.sentences} sentences, the longest {letter.longest_sentence} words)"
                f"{fixed}"
            )
        for finding in locate(path, hard_to_read(loaded.case)):
            typer.echo(str(finding))
    if failed:
        typer.echo(f"sipdocs: {failed} case(s) not measured", err=True)
        raise typer.Exit(1)


layer_app = typer.Typer(
    help="Your own region and municipality layers.", no_args_is_help=True, cls=Group
)
app.add_typer(layer_app, name="layer")


@layer_app.command("new", cls=Command)
@reports_errors
def layer_new(
    name: Annotated[str, typer.Argument(help="The layer's name, as case.municipality gives it.")],
    into: Annotated[
        Path, typer.Option("--into", metavar="FOLDER", help="The folder of your layers.")
    ] = Path("."),
    kind: Annotated[
        str, typer.Option("--kind", metavar="KIND", help="municipality or region.")
    ] = "municipality",
    region: Annotated[
        str | None,
        typer.Option("--region", metavar="REGION", help="A municipality's region layer."),
    ] = None,
) -> None:
    """Start a layer: a commented layer.yaml and an empty overrides/ folder (docs/layers.md)."""
    from sipdocs.errors import UsageError
    from sipdocs.templates import write_starter_layer

    if kind not in ("municipality", "region"):
        raise UsageError(f"--kind {kind}: a layer is a municipality or a region")
    layer = write_starter_layer(
        into, name, "region" if kind == "region" else "municipality", region
    )
    typer.echo(
        f"wrote {layer / 'layer.yaml'}; fill it in, then run: "
        f"sipdocs templates check --layers {into}"
    )


i18n_app = typer.Typer(
    help="Message catalogs: the fixed text of the documents in each language.",
    no_args_is_help=True,
    cls=Group,
)
app.add_typer(i18n_app, name="i18n")
LayerFolder = Annotated[
    Path | None,
    typer.Option("--layer", help="A layer folder: work on its catalogs instead of the default's."),
]


@i18n_app.command("extract", cls=Command)
@reports_errors
def i18n_extract(layer: LayerFolder = None) -> None:
    """Collect every fixed text from templates and code into locales/sipdocs.pot."""
    from sipdocs.catalogs import catalog_set, extract

    catalogs = catalog_set(layer)
    template = extract(catalogs)
    typer.echo(f"wrote {catalogs.pot} ({sum(1 for m in template if m.id)} message(s))")


@i18n_app.command("update", cls=Command)
@reports_errors
def i18n_update(
    layer: LayerFolder = None,
    lang: Annotated[
        list[str] | None,
        typer.Option("--lang", "-l", help="Also start a catalog for this language (repeatable)."),
    ] = None,
) -> None:
    """Bring every language's .po file in line with the .pot (new messages, obsolete ones)."""
    from sipdocs.catalogs import catalog_set, update

    for path in update(catalog_set(layer), lang or ()):
        typer.echo(f"updated {path}")


@i18n_app.command("compile", cls=Command)
@reports_errors
def i18n_compile(layer: LayerFolder = None) -> None:
    """Check every .po file and write the .mo beside it (sipdocs also compiles when loading)."""
    from sipdocs.catalogs import catalog_set, compile_catalogs

    for path in compile_catalogs(catalog_set(layer)):
        typer.echo(f"wrote {path}")


@i18n_app.command("status", cls=Command)
@reports_errors
def i18n_status(layer: LayerFolder = None) -> None:
    """Per language: how much is translated, fuzzy and missing, and the review state."""
    from sipdocs.catalogs import catalog_set, status

    report = status(catalog_set(layer))
    typer.echo(f"{'language':<9}{'translated':>11}{'fuzzy':>7}{'missing':>9}  review")
    for row in report:
        typer.echo(
            f"{row.language:<9}{row.percent:>10}%{row.fuzzy:>7}{row.missing:>9}  {row.review}"
        )
    unreviewed = [row.language for row in report if not row.reviewed]
    if unreviewed:
        typer.echo(f"not reviewed by an authorised translator: {', '.join(unreviewed)}", err=True)


def _list(option: list[str] | None) -> list[str] | None:
    """A repeatable, comma-separated option as one list; None when it was not given."""
    if option is None:
        return None
    return [item.strip() for given in option for item in given.split(",") if item.strip()]


@app.command(cls=Command)
@reports_errors
def new(
    path: Annotated[Path, typer.Argument(help="Where to write the new case file.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter case; fill in every <<...>>, then validate it."""
    from sipdocs.cases import write_starter

    write_starter(path, overwrite=force)
    typer.echo(f"wrote {path}; fill in every <<...>> and run: sipdocs validate {path}")


@app.command(cls=Command)
@reports_errors
def schema() -> None:
    """Print the JSON Schema of the case format, for editors that complete YAML."""
    from sipdocs.schema import json_schema

    typer.echo(json_schema())


def main() -> None:
    """Console entry point."""
    app(prog_name="sipdocs")


if __name__ == "__main__":  # pragma: no cover
    main()
