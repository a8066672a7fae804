"""Progress for long steps: a live display on a terminal, plain log lines everywhere else.

On a terminal (stdout is a TTY and ``quiet`` is off) each step shows a rich spinner or bar.
Under cron, systemd or a pipe (stdout is not a TTY) each step is one log line with an ISO 8601
timestamp, through :mod:`logging` (logger ``civgraph``), so the journal or the cron mail stays
readable. ``quiet`` keeps only warnings and errors.

>>> progress = Progress.create(interactive=False, quiet=True)
>>> with progress.step("loading"):
...     pass
>>> [n for n in progress.track([1, 2, 3], description="counting")]
[1, 2, 3]
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgress

LOGGER_NAME = "civgraph"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

T = TypeVar("T")

logger = logging.getLogger(LOGGER_NAME)


def configure_logging(*, quiet: bool, stream: object | None = None) -> logging.Handler:
    """Send civgraph's log records to ``stream`` (stderr) as ISO-timestamped plain lines.

    Calling it again replaces the handler it installed before; returns the handler.
    """
    target = stream if stream is not None else sys.stderr
    for old in list(logger.handlers):
        if getattr(old, "_civgraph", False):
            logger.removeHandler(old)
    handler = logging.StreamHandler(target)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter(LOG_FORMAT, datefmt=LOG_DATE_FORMAT))
    handler._civgraph = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    return handler


class Progress:
    """Reports the steps of a long command; see the module docstring for the two modes."""

    def __init__(self, *, console: Console | None) -> None:
        self._console = console

    @classmethod
    def create(cls, *, interactive: bool | None = None, quiet: bool = False) -> Progress:
        """A live display when ``interactive`` (default: stdout is a TTY) and not ``quiet``."""
        if interactive is None:
            interactive = sys.stdout.isatty()
        if interactive and not quiet:
            return cls(console=Console(stderr=True))
        return cls(console=None)

    @property
    def live(self) -> bool:
        """True when steps are drawn on a terminal rather than logged."""
        return self._console is not None

    def info(self, message: str) -> None:
        """A one-off message: printed on a terminal, logged otherwise."""
        if self._console is not None:
            self._console.print(message, markup=False, highlight=False)
        else:
            logger.info(message)

    def warning(self, message: str) -> None:
        """A problem worth reading that does not stop the run."""
        if self._console is not None:
            self._console.print(f"warning: {message}", style="yellow", markup=False)
        else:
            logger.warning(message)

    @contextmanager
    def step(self, description: str) -> Iterator[None]:
        """A step of unknown length: a spinner on a terminal, start/done lines in a log."""
        started = time.monotonic()
        if self._console is not None:
            with self._display() as display:
                display.add_task(description, total=None)
                yield
            return
        logger.info("%s …", description)
        yield
        logger.info("%s done in %.2f s", description, time.monotonic() - started)

    def track(
        self, items: Iterable[T], *, description: str, total: int | None = None
    ) -> Iterator[T]:
        """Iterate over ``items`` showing a bar (terminal) or a start/done log line."""
        if total is None and isinstance(items, Sequence):
            total = len(items)
        started = time.monotonic()
        if self._console is not None:
            with self._display() as display:
                task = display.add_task(description, total=total)
                for item in items:
                    yield item
                    display.advance(task)
            return
        logger.info("%s (%s items) …", description, "?" if total is None else total)
        count = 0
        for item in items:
            count += 1
            yield item
        logger.info("%s: %d done in %.2f s", description, count, time.monotonic() - started)

    def _display(self) -> RichProgress:
        return RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self._console,
            transient=True,
        )
