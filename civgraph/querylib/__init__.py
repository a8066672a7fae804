"""The analysts' SPARQL query library (``queries/*.rq``) and what runs it.

- :mod:`~civgraph.querylib.header` reads a query file's comment header,
- :mod:`~civgraph.querylib.params` turns ``--param key=value`` into typed RDF terms,
- :mod:`~civgraph.querylib.readonly` lets only SELECT queries through,
- :mod:`~civgraph.querylib.library` finds, loads and runs queries,
- :mod:`~civgraph.querylib.output` writes results as a table, CSV or JSON,
- :mod:`~civgraph.querylib.docs` generates the query list in ``docs/queries.md``.
"""

from civgraph.querylib.header import PARAM_TYPES, Header, Param, parse_header
from civgraph.querylib.library import (
    Entry,
    Query,
    QueryResult,
    entries,
    find_query,
    library,
    library_folder,
    load_query,
    run_query,
)
from civgraph.querylib.params import bind, split_pairs, to_term
from civgraph.querylib.readonly import check_select

__all__ = [
    "PARAM_TYPES",
    "Entry",
    "Header",
    "Param",
    "Query",
    "QueryResult",
    "bind",
    "check_select",
    "entries",
    "find_query",
    "library",
    "library_folder",
    "load_query",
    "parse_header",
    "run_query",
    "split_pairs",
    "to_term",
]
