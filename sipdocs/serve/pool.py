"""The service's worker processes: one job each at a time, stopped when a job takes too long.

At most as many jobs run as there are workers; one more is refused at once (`Busy`) rather
than queued, so a caller can retry elsewhere or later. A job past the timeout is stopped by
killing its worker (`TimedOut`), which a fresh one replaces; so is a worker that has done
`CASES_PER_WORKER` jobs, since WeasyPrint keeps a little memory per document that Python
cannot free. Each job gets a temporary folder, removed when the job ends however it ends.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import math
import multiprocessing
import shutil
import tempfile
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from sipdocs import logs
from sipdocs.serve.jobs import Envelope, Outcome, PreviewJob, RenderJob, work
from sipdocs.workers import CASES_PER_WORKER

log = logging.getLogger(__name__)

START_TIMEOUT = 120.0  # seconds a new worker may take to start


class Busy(Exception):
    """Every worker is busy; `retry_after` is about when one will be free, in seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"every worker is busy; retry after {retry_after} s")
        self.retry_after = retry_after


class TimedOut(Exception):
    """A job ran past the timeout and its worker was stopped."""


class WorkerLost(Exception):
    """A worker ended during a job (killed from outside, or out of memory)."""


class _Process:
    """One worker process and the pipe to it."""

    def __init__(self, layers: tuple[Path, ...]) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a process with threads
        self.connection, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=work, args=(child, layers, logs.current()), daemon=True
        )
        self.process.start()
        child.close()
        self.jobs = 0

    def call(self, envelope: Envelope) -> Outcome:
        """Send a job and wait for its outcome (in a thread of the pool's own)."""
        self.connection.send(envelope)
        outcome: Outcome = self.connection.recv()
        return outcome

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


def _wait_ready(connection: Connection) -> None:
    if not connection.poll(START_TIMEOUT) or connection.recv() != "ready":
        raise WorkerLost("a worker did not start")


class WorkerPool:
    """`size` worker processes over the layer folders, each job stopped after `timeout` s."""

    def __init__(self, size: int, layers: tuple[Path, ...], timeout: float) -> None:
        self.size = size
        self.layers = layers
        self.timeout = timeout
        self.generation = 0  # of the layer folders: a worker reads them afresh when it grows
        self.running = 0
        self._idle: asyncio.Queue[_Process] = asyncio.Queue()
        self._all: set[_Process] = set()
        self._starting: set[asyncio.Task[None]] = set()
        self._threads = concurrent.futures.ThreadPoolExecutor(size + 1, "sipdocs-pool")
        self._seconds = 1.0  # a running average of a job's time, for Retry-After

    async def start(self) -> None:
        """Start every worker and wait until all are ready."""
        await asyncio.gather(*(self._start_one() for _ in range(self.size)))

    async def _start_one(self) -> None:
        process = _Process(self.layers)
        self._all.add(process)
        try:
            await asyncio.get_running_loop().run_in_executor(
                self._threads, _wait_ready, process.connection
            )
        except BaseException:
            self._discard(process)
            raise
        self._idle.put_nowait(process)

    def _replace(self, process: _Process) -> None:
        """Stop a worker and start another in its place, in the background."""
        self._discard(process)
        task = asyncio.get_running_loop().create_task(self._start_one())
        self._starting.add(task)
        task.add_done_callback(self._started)

    def _started(self, task: asyncio.Task[None]) -> None:
        self._starting.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a worker could not be started: %s", type(task.exception()).__name__)

    def _discard(self, process: _Process) -> None:
        self._all.discard(process)
        process.stop()

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self._seconds))

    def worker_pids(self) -> list[int]:
        return sorted(p.process.pid for p in self._all if p.process.pid is not None)

    async def run(self, job: RenderJob | PreviewJob) -> Outcome:
        """The job's outcome from a worker; `Busy` if all are busy, `TimedOut` past the
        timeout. The timeout counts from when a worker takes the job.
        """
        if self.running >= self.size:
            raise Busy(self.retry_after)
        self.running += 1
        scratch = tempfile.mkdtemp(prefix="sipdocs-serve-")
        try:
            try:
                process = await asyncio.wait_for(self._idle.get(), START_TIMEOUT)
            except TimeoutError:
                raise WorkerLost("no worker could be started") from None
            started = time.monotonic()
            envelope = Envelope(job, self.generation, scratch)
            call = asyncio.get_running_loop().run_in_executor(self._threads, process.call, envelope)
            try:
                outcome = await asyncio.wait_for(call, self.timeout)
            except TimeoutError:
                log.warning("a job ran past %g s; its worker is stopped", self.timeout)
                self._replace(process)
                raise TimedOut from None
            except (EOFError, OSError):
                log.error("a worker ended during a job")
                self._replace(process)
                raise WorkerLost("a worker ended during the job") from None
            except BaseException:  # cancelled: the worker may still be busy with the job
                self._replace(process)
                raise
            self._seconds = 0.8 * self._seconds + 0.2 * (time.monotonic() - started)
            process.jobs += 1
            if process.jobs >= CASES_PER_WORKER:
                self._replace(process)
            else:
                self._idle.put_nowait(process)
            return outcome
        finally:
            self.running -= 1
            shutil.rmtree(scratch, ignore_errors=True)

    async def close(self) -> None:
        """Stop every worker."""
        for task in list(self._starting):
            task.cancel()
        for process in list(self._all):
            self._discard(process)
        self._threads.shutdown(wait=False, cancel_futures=True)
