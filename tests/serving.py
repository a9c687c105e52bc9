"""`sipdocs serve` as a process on a free loopback port, for the tests and benchmarks/serve.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

STARTUP = 120.0  # seconds: spawning the workers imports WeasyPrint in each


@dataclass(frozen=True)
class Service:
    """A running service: its address, process and the file its stderr goes to."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_service(
    *arguments: str, log: Path, environment: dict[str, str] | None = None, verbose: bool = True
) -> Iterator[Service]:
    """`sipdocs [-vv] serve --port P ARGUMENTS` until the block ends; its stderr to `log`."""
    port = free_port()
    command = [sys.executable, "-m", "sipdocs", *(["-vv"] if verbose else [])]
    command += ["serve", "--port", str(port), *arguments]
    with open(log, "wb") as stream:
        process = subprocess.Popen(
            command,
            stdout=stream,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONWARNINGS": "always", **(environment or {})},
        )
    service = Service(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_healthy(service)
        yield service
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_healthy(service: Service) -> None:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(f"sipdocs serve ended:\n{service.log_text()[-3000:]}")
        try:
            if httpx.get(f"{service.url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"sipdocs serve did not start:\n{service.log_text()[-3000:]}")
