"""`sipdocs serve`: an HTTP API over the library for journal systems, and a live preview page
for template authors. Needs the `serve` extra (FastAPI, uvicorn, watchfiles).

    from sipdocs.serve import Settings, serve
    serve("127.0.0.1", 8000, Settings(workers=2, timeout=60))

It listens on loopback unless given a token; see `check_address`.
"""

from __future__ import annotations

import ipaddress
import logging

from sipdocs import logs
from sipdocs.errors import UsageError
from sipdocs.serve.app import Settings, create_app
from sipdocs.templates import Registry

__all__ = ["Settings", "check_address", "create_app", "serve"]

log = logging.getLogger("sipdocs.serve")


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address (or `localhost`): reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_address(host: str, token: str | None) -> None:
    """Refuse to listen beyond loopback without a token: anyone who can reach the address
    could otherwise send cases and read documents.
    """
    if not is_loopback(host) and not token:
        raise UsageError(
            f"--host {host} is reachable from other machines: give --token TOKEN "
            "(or set SIPDOCS_TOKEN) so that only callers with the token are served"
        )


def serve(host: str, port: int, settings: Settings) -> None:
    """Run the service until it is stopped (Ctrl-C or SIGTERM)."""
    import uvicorn

    check_address(host, settings.token)
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be from 0 to 65535, not {port}")
    if settings.workers < 1:
        raise UsageError(f"--workers must be 1 or more, not {settings.workers}")
    if settings.timeout <= 0:
        raise UsageError(f"--timeout must be more than 0 seconds, not {settings.timeout:g}")
    Registry(
        settings.layers
    ).municipalities()  # a missing or broken layer folder fails before serving
    if logs.current() is None:
        logs.configure_levels(logging.INFO, False)  # a line per request at least
    log.info("serving on http://%s:%d/", f"[{host}]" if ":" in host else host, port)
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=5,
    )
