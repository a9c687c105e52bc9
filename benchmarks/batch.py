"""Print how fast sipdocs renders many cases in a batch, against the targets for a 2-core
machine, on fictional cases made from the two reference cases (`fictional_cases.py`):

* kallelse PDFs per second through `run_batch` with 1 and 2 worker processes, and the
  speed-up (targets: at least 30 PDF/s with 2 jobs, at least 1.7x);
* the same on a Dask LocalCluster of two worker processes beside the local pool of 2 jobs,
  alternated (pool, cluster, cluster, pool) so that other work on the machine slows both
  alike, and the cluster's share of the pool's PDF/s (target: at least 85 %);
* peak RSS of each worker after its first 200 documents and at the end (target: flat);
* sipdocs' PdfRenderer against bare WeasyPrint on the same HTML, in one process (target:
  at most 15 % more time), and for reference against WeasyPrint with one FontConfiguration
  for all documents, plain and as tagged PDF/A-2u;
* the same copies as DOCX through docxtpl, and converted to PDF by LibreOffice headless
  (the route docassemble and Carbone take), for comparison;
* a cold `sipdocs --help` (target: at most 0.3 s).

Run: .venv/bin/python benchmarks/batch.py [--cases N] [--jobs-list 1,2] [--quick]
     .venv/bin/python benchmarks/batch.py --dask-only [--cases N]   (the Dask comparison alone)
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from benchmarks.fictional_cases import write_cases
from sipdocs import load_case
from sipdocs.batch import STATE, WRITERS, CaseResult, Entry, Options, _Client, run_batch
from sipdocs.context import DocumentContext
from sipdocs.render import document_contexts
from sipdocs.renderers.docx import DocxRenderer
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.renderers.pdf import PDF_VARIANT, PdfRenderer
from sipdocs.templates import Registry
from sipdocs.workers import Task

DOCUMENTS = ("kallelse",)
FULL_CASES = 180  # about 2,070 kallelse copies: 9 to 14 a case, 11.5 on average
QUICK_CASES = 6
COMPARE_CASES = 20  # the cases whose copies the one-process comparisons render
RSS_AFTER = 200  # documents after which a worker's memory should stay flat
HELP_RUNS = 5

TARGET_RATE = 30.0  # PDF/s with 2 jobs
TARGET_SPEEDUP = 1.7
TARGET_OVERHEAD = 15.0  # % over bare WeasyPrint
TARGET_HELP = 0.3  # s
TARGET_DASK_SHARE = 0.85  # of the local pool's PDF/s, on a LocalCluster of as many processes


def main(argv: Sequence[str] | None = None) -> None:
    args = _arguments(argv)
    cases = args.cases or (QUICK_CASES if args.quick else FULL_CASES)
    compare = min(cases, QUICK_CASES if args.quick else COMPARE_CASES)
    print(
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}, load average {os.getloadavg()[0]:.2f} "
        "(other work on these cores slows every figure)"
    )
    with tempfile.TemporaryDirectory(prefix="sipdocs-bench-") as scratch:
        folder = Path(scratch)
        paths = write_cases(folder / "cases", cases, seed=args.seed)
        print(f"{cases} fictional cases (seed {args.seed}), documents {', '.join(DOCUMENTS)}, PDF")
        if args.dask_only:
            dask_against_pool(paths, folder)
            return
        rates = {jobs: batch_rate(paths, folder / f"out-{jobs}", jobs) for jobs in args.jobs_list}
        if 1 in rates and 2 in rates:
            speedup = rates[2] / rates[1]
            print(f"speed-up 1 -> 2 jobs: {speedup:.2f}x {_target(speedup >= TARGET_SPEEDUP)}")
        dask_against_pool(paths, folder)
        registry = Registry()
        contexts = kallelse_contexts(paths[:compare], registry)
        print(f"\none process, the {len(contexts)} copies of the first {compare} cases:")
        overhead(contexts, registry)
        docx_and_libreoffice(contexts, registry, folder / "docx")
    print()
    cold_help()
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark batch rendering of fictional cases.")
    parser.add_argument(
        "--cases", type=int, help=f"fictional cases to render (default {FULL_CASES})"
    )
    parser.add_argument(
        "--jobs-list",
        type=lambda text: [int(jobs) for jobs in text.split(",")],
        default=[1, 2],
        help="worker counts to time, comma-separated (default 1,2)",
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"a smoke run: {QUICK_CASES} cases unless --cases"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the fictional cases")
    parser.add_argument(
        "--dask-only",
        action="store_true",
        help="only the Dask LocalCluster against the local pool of 2 jobs",
    )
    return parser.parse_args(argv)


def _target(met: bool) -> str:
    return "(target met)" if met else "(target NOT met)"


# --- The batch ------------------------------------------------------------------------


def batch_rate(paths: list[Path], out: Path, jobs: int) -> float:
    """Render the kallelse PDFs with `run_batch`; print and return documents per second."""
    memory = Memory()
    written, elapsed = _timed_batch(paths, out, memory, jobs=jobs)
    rate = written / elapsed
    met = f" {_target(rate >= TARGET_RATE)}" if jobs == 2 else ""
    print(f"\nbatch, {jobs} job(s): {written} PDFs in {elapsed:.1f} s = {rate:.2f} PDF/s{met}")
    memory.report()
    return rate


def _timed_batch(paths: list[Path], out: Path, memory: Memory, **where: Any) -> tuple[int, float]:
    """Render the kallelse PDFs into `out` (removed afterwards); PDFs made and seconds."""
    start = time.perf_counter()
    result = run_batch(
        paths,
        out,
        options=Options(documents=DOCUMENTS, formats=("pdf",), force=True),
        on_case=memory,
        **where,
    )
    elapsed = time.perf_counter() - start
    shutil.rmtree(out)
    for case in result.failed:
        print(f"  FAILED {case.path}: {case.error}")
    return len(result.written), elapsed


def dask_against_pool(paths: list[Path], folder: Path) -> None:
    """The local pool of 2 jobs and a Dask LocalCluster of 2 worker processes (one thread
    each, so 2 render processes either way), alternated pool, cluster, cluster, pool.
    """
    try:
        from distributed import LocalCluster
    except ImportError:
        print("\nDask comparison skipped: pip install -c constraints.txt -e '.[dask]'")
        return
    print(
        f"\nlocal pool of 2 jobs against a Dask LocalCluster of 2 worker processes, load "
        f"average {os.getloadavg()[0]:.2f}:"
    )
    totals = {"pool": [0, 0.0], "dask": [0, 0.0]}
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        _timed_batch(paths[:2], folder / "warm-up", Memory(), scheduler=cluster.scheduler_address)
        for name in ("pool", "dask", "dask", "pool"):
            where = {"scheduler": cluster.scheduler_address} if name == "dask" else {"jobs": 2}
            written, elapsed = _timed_batch(paths, folder / f"out-{name}", Memory(), **where)
            print(f"  {name}: {written} PDFs in {elapsed:.1f} s = {written / elapsed:.2f} PDF/s")
            totals[name][0] += written
            totals[name][1] += elapsed
    pool, dask = (totals[name][0] / totals[name][1] for name in ("pool", "dask"))
    share = dask / pool
    print(
        f"  both runs of each: pool {pool:.2f} PDF/s, Dask {dask:.2f} PDF/s, Dask at "
        f"{share:.0%} of the pool {_target(share >= TARGET_DASK_SHARE)}; load average "
        f"{os.getloadavg()[0]:.2f}"
    )
    client_rate(paths, folder / "client")


class Memory:
    """Progress on stderr, and each worker's peak RSS (VmHWM, as `CaseResult` reports it)
    after each of its cases.
    """

    def __init__(self) -> None:
        self.samples: dict[int, list[tuple[int, float]]] = defaultdict(list)

    def __call__(self, result: CaseResult, done: int, total: int) -> None:
        if done % max(1, total // 10) == 0 or done == total:
            print(f"  {done}/{total} cases", file=sys.stderr, flush=True)
        self.samples[result.worker].append((result.worker_documents, result.worker_rss_mib))

    def report(self) -> None:
        """Each worker's peak RSS after its first RSS_AFTER documents and at the end."""
        for worker, points in sorted(self.samples.items()):
            points.sort()
            documents, end = points[-1]
            print(f"  worker {worker}: {documents} documents, peak RSS {end:.0f} MiB")
            early = next((point for point in points if point[0] >= RSS_AFTER), None)
            if early and early[0] < documents:
                growth = end - early[1]
                print(
                    f"    peak RSS after {early[0]} documents {early[1]:.0f} MiB, "
                    f"growth since {growth:+.0f} MiB ({growth / early[1]:+.1%}, "
                    f"{1024 * growth / (documents - early[0]):.0f} KiB a document)"
                )


PDF_BYTES = 33_000  # a kallelse PDF's average size
CLIENT_CASES = 60


def client_rate(paths: list[Path], out: Path) -> None:
    """The client's own work for each document a worker returns, which bounds a cluster of
    any size: reading the case file and its record, then writing each file (fsync, rename),
    the case's record and the zip-less manifest entry, in one thread.
    """
    (out / STATE / "tmp").mkdir(parents=True)
    writers = concurrent.futures.ThreadPoolExecutor(WRITERS)
    client = _Client(out, Options(), "", None, writers)
    documents, payload = 0, os.urandom(PDF_BYTES)
    start = time.perf_counter()
    for path in paths[:CLIENT_CASES]:
        task = client.task(str(path))
        assert isinstance(task, Task)
        case_id = f"SIP-2030-{documents:05d}"
        entries = [
            Entry(
                f"{case_id}/kallelse-{n}.pdf",
                case_id,
                "kallelse",
                str(n),
                "sv",
                "standard",
                "pdf",
                "kallelse/1",
                "default",
                "0" * 64,
                "0" * 64,
                "0",
            )
            for n in range(11)
        ]
        result = CaseResult(str(path), case_id, written=entries)
        result.contents = {entry.path: payload for entry in entries}
        client.accept(result)
        documents += len(entries)
    elapsed = time.perf_counter() - start
    writers.shutdown()
    shutil.rmtree(out)
    print(
        f"  the client alone (read the case, write {PDF_BYTES // 1000} kB files with fsync and "
        f"the record): {documents / elapsed:.0f} documents/s, the most any cluster can deliver "
        "into this folder"
    )


# --- One process: sipdocs against bare WeasyPrint, and DOCX with LibreOffice -------------


def kallelse_contexts(paths: list[Path], registry: Registry) -> list[DocumentContext]:
    """Every kallelse copy of the cases, as the batch renders them."""
    return [
        context
        for path in paths
        for context in document_contexts(load_case(path), registry, DOCUMENTS)
    ]


def overhead(contexts: list[DocumentContext], registry: Registry) -> None:
    """Time sipdocs' PdfRenderer and bare WeasyPrint on the same copies, interleaved copy by
    copy so that other work on the machine slows both alike; the first copy warms up.
    """
    html_renderer, pdf_renderer = HtmlRenderer(registry), PdfRenderer(registry)
    fonts = FontConfiguration()
    bare: dict[str, Callable[[str, str], object]] = {
        "bare": lambda html, base: weasyprint.HTML(string=html, base_url=base).write_pdf(),
        "fonts": lambda html, base: weasyprint.HTML(string=html, base_url=base).write_pdf(
            font_config=fonts
        ),
        "tagged": lambda html, base: weasyprint.HTML(string=html, base_url=base).write_pdf(
            font_config=fonts, pdf_variant=PDF_VARIANT, pdf_tags=True
        ),
    }
    times: dict[str, float] = defaultdict(float)
    for number, context in enumerate([contexts[0], *contexts]):
        lap = time.perf_counter()
        html = html_renderer.html(context)
        spent = {"html": time.perf_counter() - lap}
        base_url = (context.selection.version.folder / "").as_uri()
        for key, write in bare.items():
            lap = time.perf_counter()
            write(html, base_url)
            spent[key] = time.perf_counter() - lap
        lap = time.perf_counter()
        pdf_renderer.render(context)
        spent["sipdocs"] = time.perf_counter() - lap
        if number:
            for key, seconds in spent.items():
                times[key] += seconds
    count = len(contexts)

    def line(label: str, key: str) -> None:
        seconds = times[key]
        print(f"  {label}: {count / seconds:.2f} PDF/s, {1000 * seconds / count:.0f} ms each")

    line("bare WeasyPrint, HTML(string=...).write_pdf() of sipdocs' HTML", "bare")
    line("sipdocs PdfRenderer.render (HTML, PDF/A-2u + UA-1, XMP, glyph check)", "sipdocs")
    extra = 100 * (times["sipdocs"] / times["bare"] - 1)
    print(f"  sipdocs' overhead: {extra:+.0f} % {_target(extra <= TARGET_OVERHEAD)}")
    print("  for reference:")
    print(f"    making the HTML from the templates: {1000 * times['html'] / count:.0f} ms each")
    line("  bare WeasyPrint, one FontConfiguration for all copies", "fonts")
    line("  the same, as PDF/A-2u with tags (pdf_variant, pdf_tags)", "tagged")
    extra = 100 * (times["sipdocs"] / times["tagged"] - 1)
    print(f"    sipdocs' overhead over that: {extra:+.0f} %")


def docx_and_libreoffice(contexts: list[DocumentContext], registry: Registry, folder: Path) -> None:
    """DOCX through docxtpl, then one LibreOffice headless call converting them all to PDF."""
    renderer = DocxRenderer(registry)
    made = [context for context in contexts if not renderer.unavailable(context)]
    folder.mkdir()
    renderer.render(made[0])  # warm-up
    start = time.perf_counter()
    for number, context in enumerate(made):
        (folder / f"{number:05d}-{context.stem}.docx").write_bytes(renderer.render(context))
    docx_seconds = time.perf_counter() - start
    count = len(made)
    print(
        f"\nDOCX (docxtpl): {count} copies (easy-read copies have no DOCX) in "
        f"{docx_seconds:.1f} s = {count / docx_seconds:.1f} DOCX/s"
    )
    soffice = shutil.which("soffice")
    if soffice is None:
        print(
            "  LibreOffice comparison skipped: no soffice on PATH "
            "(make test installs libreoffice-writer-nogui)"
        )
        return
    docx = sorted(folder.glob("*.docx"))
    _soffice(soffice, folder, docx[:1], folder / "warm-up")  # creates the profile
    start = time.perf_counter()
    failure = _soffice(soffice, folder, docx, folder / "pdf")
    convert_seconds = time.perf_counter() - start
    pdfs = len(list((folder / "pdf").glob("*.pdf")))
    if failure or pdfs != count:
        print(f"  LibreOffice made {pdfs} of {count} PDFs: {failure or 'no error message'}")
    print(
        f"  LibreOffice headless, one call: {pdfs} PDFs in {convert_seconds:.1f} s = "
        f"{pdfs / convert_seconds:.2f} PDF/s"
    )
    print(
        f"  docxtpl + LibreOffice: {pdfs / (docx_seconds + convert_seconds):.2f} PDF/s "
        "(plain PDF: not PDF/A, not tagged)"
    )


def _soffice(soffice: str, home: Path, files: list[Path], outdir: Path) -> str | None:
    """Convert `files` to PDF in `outdir`; the error output if LibreOffice failed."""
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(home / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(home)},
        check=False,
    )
    if result.returncode == 0:
        return None
    return result.stderr.strip() or f"exit status {result.returncode}"


# --- The command line -------------------------------------------------------------------


def cold_help() -> None:
    """Time the installed console script's --help in a new process, HELP_RUNS times."""
    script = Path(sys.executable).with_name("sipdocs")
    times = []
    for _ in range(HELP_RUNS):
        start = time.perf_counter()
        subprocess.run([script, "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    best = min(times)
    print(
        f"cold 'sipdocs --help': best {best:.2f} s, median {statistics.median(times):.2f} s "
        f"of {HELP_RUNS} {_target(best <= TARGET_HELP)}"
    )


if __name__ == "__main__":
    main()
