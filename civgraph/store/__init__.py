"""Stores behind one small protocol: an embedded pyoxigraph store now, a remote endpoint later."""

from civgraph.store.oxigraph_store import OxigraphStore
from civgraph.store.protocol import Store, Triple
from civgraph.store.remote_store import RemoteStore

__all__ = ["OxigraphStore", "RemoteStore", "Store", "Triple"]
