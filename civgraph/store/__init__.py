"""Stores behind one small protocol: an embedded pyoxigraph store now, a remote endpoint later."""

from civgraph.store.oxigraph_store import OxigraphStore
from civgraph.store.protocol import Store, Triple

__all__ = ["OxigraphStore", "Store", "Triple"]
