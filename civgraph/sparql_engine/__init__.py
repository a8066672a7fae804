"""A SHACL validation engine that compiles shapes into set-based SPARQL and runs it on a store.

Every constraint of every shape becomes one SPARQL SELECT over *all* focus nodes (never one
query per focus node); nested shapes are composed inside the query, so the number of queries
depends on the shapes, not on the data. :func:`validate` runs them on a
:class:`civgraph.store.Store`; pySHACL on a plain rdflib graph is the reference it is tested
against (``tests/test_sparql_engine.py``, ``python -m civgraph.conformance``).

Known differences, all caused by the store rather than the compiler: pyoxigraph keeps literals in
canonical form (``"01"^^xsd:integer`` is stored as ``"1"``) and lower-cases language tags. It
stores the derived integer types (``xsd:int``, ``xsd:byte``, …) as ``xsd:integer`` and
``xsd:dateTimeStamp`` as ``xsd:dateTime``; :class:`civgraph.store.OxigraphStore` records the
datatype each such literal was written with (:mod:`civgraph.store.written_datatypes`), and
sh:datatype uses that record, so ``"5"^^xsd:integer`` violates ``sh:datatype xsd:int`` and
``"5"^^xsd:int`` violates ``sh:datatype xsd:integer``. What remains: the same value written with
two of these types on the same subject and predicate is one triple in the store, so both count as
written with either type; literals added to the store without ``load_file``/``add`` (a SPARQL
update) are not recorded; and a store that records nothing (a remote endpoint) cannot tell, so
there any valid ``xsd:integer`` within the range of the derived type conforms to it.
``$shapesGraph`` is not available to SHACL-SPARQL queries, and recursive shapes are not supported.
"""

from civgraph.sparql_engine.errors import ShapesGraphError, UnsupportedShapeError
from civgraph.sparql_engine.results import ValidationOutcome, ValidationResult, report_graph
from civgraph.sparql_engine.validator import compile_shapes, validate

__all__ = [
    "ShapesGraphError",
    "UnsupportedShapeError",
    "ValidationOutcome",
    "ValidationResult",
    "compile_shapes",
    "report_graph",
    "validate",
]
