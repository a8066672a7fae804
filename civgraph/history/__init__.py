"""The nightly history: one record per run, compared with the runs before it.

See :mod:`civgraph.history.store` for the folder layout and the crash-safety argument, and
:mod:`civgraph.history.compare` for what new, resolved, persisting and recurring mean.
"""

from civgraph.history.compare import Comparison, PastRun, TrendPoint, compare, trend
from civgraph.history.records import (
    NEW,
    PERSISTING,
    RECURRING,
    RESOLVED,
    RunEntry,
    Tracked,
)
from civgraph.history.store import History, HistoryLocked

__all__ = [
    "NEW",
    "PERSISTING",
    "RECURRING",
    "RESOLVED",
    "Comparison",
    "History",
    "HistoryLocked",
    "PastRun",
    "RunEntry",
    "Tracked",
    "TrendPoint",
    "compare",
    "trend",
]
