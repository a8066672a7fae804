"""Ending the console script without freeing a large in-memory store quad by quad.

Freeing a pyoxigraph store of 10M triples one allocation at a time costs about 8 s; the
operating system reclaims the whole process at once. A command that made such a store hands it
to :func:`keep_until_exit`; :func:`exit_process` then ends the process once output is flushed.
Library callers never go through here: their stores are freed as usual.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn

_KEPT: list[object] = []


def keep_until_exit(thing: object) -> None:
    """Leave ``thing`` for the operating system to reclaim when the process ends."""
    _KEPT.append(thing)


def exit_process(code: int) -> NoReturn:
    """End the process with ``code``: at once when something was kept, else as usual."""
    if _KEPT:
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(code)
    sys.exit(code)
