"""Logging: what sipdocs says about its work under `sipdocs -v` (steps) and `-vv` (everything).

Records name files, key paths, documents, templates and counts, never a value from a case:
no names, identity numbers or free text. `tests/test_privacy.py` searches a batch's most
verbose log for them.
"""

from __future__ import annotations

import logging
import sys

FORMAT = "%(levelname)s %(name)s [%(process)d]: %(message)s"


def configure(verbosity: int) -> None:
    """Log to stderr: 0, warnings only; 1, sipdocs' steps; 2 or more, every library's debug
    records too. Warnings of Python's `warnings` module are logged as well.
    """
    if verbosity <= 0:
        return
    configure_levels(logging.INFO if verbosity == 1 else logging.DEBUG, verbosity >= 2)


def configure_levels(level: int, everything: bool) -> None:
    """sipdocs' records from `level`; every library's too, if `everything`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if everything else logging.WARNING)
    logging.getLogger("sipdocs").setLevel(level)
    logging.captureWarnings(True)


def current() -> tuple[int, bool] | None:
    """This process's levels, for `configure_levels` in a worker process; None if not set."""
    level = logging.getLogger("sipdocs").level
    if level == logging.NOTSET or level >= logging.WARNING:
        return None
    return level, logging.getLogger().level <= logging.DEBUG
