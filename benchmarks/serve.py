"""`sipdocs serve` under load, and its rendering rate against `sipdocs batch`.

1. PDF/s: the same fictional cases' kallelse copies as PDF, through the service (as many
   clients as workers, each request one case) and through `sipdocs batch --jobs WORKERS`.
   Both are timed alike, from cold: from starting the command until the last PDF, so the
   service's start (its workers') counts as batch's does. They run back to back in the
   order service, batch, batch, service (ROUNDS times), so a load that changes during
   the run weighs on both alike; the ratio is of the PDFs a second over all runs.
2. Load: CLIENTS plain asyncio clients for DURATION seconds against one service with
   WORKERS workers, each sending validate requests and, one in RENDER_SHARE, a render of a
   case's kallelse as PDF. Prints requests per second, p50 and p95 latency per kind, errors
   (anything but 200 and the deliberate 503 of an overloaded service), and the memory of
   the service's process and its workers: cold, after one render a worker (the start the
   target compares with: a worker's fonts and stylesheets are loaded by its first render),
   and after the run.

Targets (issue 20): validate p95 at most 100 ms with 20 clients; service PDF/s at least 80 %
of batch's; the service's memory within 10 % of its start after the run.

Run: .venv/bin/python -m benchmarks.serve [--clients 20] [--duration 60] [--workers 2]
     [--cases 8]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import httpx

from benchmarks.fictional_cases import write_cases
from tests.serving import Service, running_service

RENDER = {"doc": "kallelse", "format": "pdf"}
YAML = {"Content-Type": "application/yaml"}
RENDER_SHARE = 5  # one request in five is a render
BUSY_PAUSE = 0.2  # seconds a client waits after a 503 before its next request
ROUNDS = 1  # of service, batch, batch, service for the PDF rate


def rss_mib(pid: int) -> float:
    """A process's resident memory now."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used so far, user and system."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def memory(service: Service) -> tuple[float, float]:
    """The service's own process and its worker processes, in MiB."""
    pid = service.process.pid
    return rss_mib(pid), sum(rss_mib(child) for child in children(pid))


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --- PDF/s: the service against batch ---------------------------------------------------


async def service_pdfs(service: Service, cases: list[bytes], clients: int) -> int:
    """Every case rendered once, `clients` requests at a time: how many PDFs."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for case in cases:
        queue.put_nowait(case)
    pdfs = 0

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal pdfs
        while not queue.empty():
            case = queue.get_nowait()
            response = await http.post("/v1/render", params=RENDER, content=case, headers=YAML)
            response.raise_for_status()
            names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
            pdfs += sum(name.endswith(".pdf") for name in names)

    async with httpx.AsyncClient(base_url=service.url, timeout=600) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    return pdfs


def service_pdf_run(folder: Path, cases: list[bytes], workers: int) -> tuple[int, float]:
    """A service started cold renders every case once: PDFs, and seconds from its start."""
    started = time.perf_counter()
    options = ["--workers", str(workers), "--timeout", "600"]
    with running_service(*options, log=folder / "rate.log", verbose=False) as service:
        pdfs = asyncio.run(service_pdfs(service, cases, workers))
        return pdfs, time.perf_counter() - started


def batch_pdf_run(folder: Path, jobs: int) -> tuple[int, float]:
    """`sipdocs batch` of the same cases: PDFs, and seconds from its start."""
    out = folder / "batch-out"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    options = ["--doc", "kallelse", "--format", "pdf", "--jobs", str(jobs), "--quiet"]
    command = [sys.executable, "-m", "sipdocs", "batch", str(folder / "cases"), "--out", str(out)]
    subprocess.run([*command, *options], check=True)
    elapsed = time.perf_counter() - started
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return sum(entry["format"] == "pdf" for entry in manifest), elapsed


def compare_pdf_rates(folder: Path, cases: list[bytes], workers: int) -> None:
    """The service's PDFs a second against batch's, measured back to back and alternating."""
    runs: dict[str, list[tuple[int, float]]] = {"service": [], "batch": []}
    for _ in range(ROUNDS):
        for kind in ("service", "batch", "batch", "service"):
            if kind == "service":
                pdfs, seconds = service_pdf_run(folder, cases, workers)
            else:
                pdfs, seconds = batch_pdf_run(folder, workers)
            runs[kind].append((pdfs, seconds))
            print(
                f"  {kind:<8}{pdfs:>4} PDFs in {seconds:5.1f} s: {pdfs / seconds:.2f}/s "
                f"(load average {os.getloadavg()[0]:.1f})"
            )
    rate = {kind: sum(p for p, _ in done) / sum(s for _, s in done) for kind, done in runs.items()}
    print(
        f"PDF/s, kallelse of {len(cases)} cases, {workers} workers, each from cold: "
        f"service {rate['service']:.2f}, batch {rate['batch']:.2f} "
        f"({rate['service'] / rate['batch']:.0%} of batch; target 80 %)"
    )


# --- Load ---------------------------------------------------------------------------------


async def load(service: Service, cases: list[bytes], clients: int, duration: float) -> None:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    deadline = time.monotonic() + duration

    async def client(number: int, http: httpx.AsyncClient) -> None:
        rng = random.Random(number)
        while time.monotonic() < deadline:
            case = rng.choice(cases)
            render = rng.randrange(RENDER_SHARE) == 0
            kind = "render" if render else "validate"
            started = time.perf_counter()
            try:
                response = await http.post(
                    f"/v1/{kind}", params=RENDER if render else None, content=case, headers=YAML
                )
            except httpx.HTTPError as exc:
                errors[f"{kind}: {type(exc).__name__}"] += 1
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code == 503:
                latencies[f"{kind} 503"].append(elapsed)
                await asyncio.sleep(BUSY_PAUSE)
            elif response.status_code == 200:
                latencies[kind].append(elapsed)
            else:
                errors[f"{kind}: {response.status_code}"] += 1

    limits = httpx.Limits(max_connections=clients)
    cpu = cpu_seconds(service.process.pid)
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=service.url, timeout=600, limits=limits) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    elapsed = time.perf_counter() - started
    total = sum(len(values) for values in latencies.values()) + sum(errors.values())
    print(f"{clients} clients for {elapsed:.0f} s: {total} requests, {total / elapsed:.1f}/s")
    print(f"  {'kind':<13}{'count':>7}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for kind in ("validate", "render", "validate 503", "render 503"):
        values = latencies.get(kind, [])
        print(
            f"  {kind:<13}{len(values):>7}{len(values) / elapsed:>8.1f}"
            f"{percentile(values, 0.5):>9.0f}{percentile(values, 0.95):>9.0f}"
        )
    print(f"  errors (not 200 or 503): {sum(errors.values())} {dict(errors) or ''}")
    # Clients that send back to back wait for each other: a validation's latency is about
    # the clients times the service's CPU time a request, over the CPUs it gets.
    served = sum(len(values) for values in latencies.values())
    used = (cpu_seconds(service.process.pid) - cpu) * 1000 / max(1, served)
    print(
        f"  service process CPU a request: {used:.1f} ms (x {clients} clients = {used * clients:.0f} ms)"
    )


def show_memory(when: str, figures: Iterable[float]) -> None:
    own, workers = figures
    print(f"memory {when}: service {own:.0f} MiB, workers {workers:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cases", type=int, default=8)
    options = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="sipdocs-bench-serve-") as scratch:
        folder = Path(scratch)
        paths = write_cases(folder / "cases", options.cases)
        cases = [path.read_bytes() for path in paths]
        workers = ["--workers", str(options.workers), "--timeout", "600"]

        compare_pdf_rates(folder, cases, options.workers)

        with running_service(*workers, log=folder / "load.log", verbose=False) as service:
            show_memory("at start, cold", memory(service))
            asyncio.run(service_pdfs(service, cases[: options.workers], options.workers))
            start = memory(service)
            show_memory("after one render a worker", start)
            asyncio.run(load(service, cases, options.clients, options.duration))
            end = memory(service)
            show_memory("at end", end)
            print(
                f"against the warm start: service process {end[0] / start[0] - 1:+.0%}, "
                f"with workers {sum(end) / sum(start) - 1:+.0%} (target within 10 %)"
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
