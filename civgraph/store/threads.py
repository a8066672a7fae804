"""How many queries a store is given at once."""

from __future__ import annotations

import os

from civgraph.store.oxigraph_store import OxigraphStore
from civgraph.store.protocol import Store


def query_threads(store: Store) -> int:
    """One per core on the embedded store (pyoxigraph evaluates a query without holding the
    GIL); one at a time on a remote endpoint, whose server is shared and sets its own pace."""
    if isinstance(store, OxigraphStore):
        return max(1, os.cpu_count() or 1)
    return 1
