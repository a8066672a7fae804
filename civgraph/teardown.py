"""Ending the console script without freeing a large in-memory store quad by quad.

Freeing a pyoxigraph store of 10M triples one allocation at a time costs about 8 s; the
operating system reclaims the whole process at once. A command that made such a store hands it
to :func:`keep_until_exit`; :func:`exit_process` then ends the process once output is flushed.
Library code that is done with a store it made itself hands it to :func:`release`: kept the same
way when the console script runs (it says so with :func:`console_script`), dropped at once
otherwise, so library callers' stores are freed as usual.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn

_KEPT: list[object] = []


_CONSOLE = [False]


def keep_until_exit(thing: object) -> None:
    """Leave ``thing`` for the operating system to reclaim when the process ends."""
    _KEPT.append(thing)


def console_script() -> None:
    """Say that this process is the console script: it ends through :func:`exit_process`."""
    _CONSOLE[0] = True


def release(thing: object) -> None:
    """Let go of ``thing``: left for the operating system under the console script, else
    dropped as soon as the caller lets go of it too."""
    if _CONSOLE[0]:
        keep_until_exit(thing)


def exit_process(code: int) -> NoReturn:
    """End the process with ``code``: at once when something was kept, else as usual."""
    if _KEPT:
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(code)
    sys.exit(code)
