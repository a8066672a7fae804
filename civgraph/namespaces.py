"""The namespaces civgraph uses, declared once (see docs/design.md).

rdflib's built-in ``ORG`` namespace object rejects terms it does not know, so every namespace
here is a plain :class:`rdflib.Namespace`.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, SOSA, TIME, XSD

CIV = Namespace("https://w3id.org/civgraph/ns#")
CIVSH = Namespace("https://w3id.org/civgraph/shapes/")
CIVRULE = Namespace("https://w3id.org/civgraph/rules/")
OBL = Namespace("https://w3id.org/civgraph/obligation/")
SRC = Namespace("https://w3id.org/civgraph/source/xm2009/")
CIVSYS = Namespace("https://w3id.org/civgraph/code/system/")
ROLE = Namespace("https://w3id.org/civgraph/code/role/")
UKIND = Namespace("https://w3id.org/civgraph/code/unit-kind/")
BODY = Namespace("https://w3id.org/civgraph/code/leadership-body/")
MKIND = Namespace("https://w3id.org/civgraph/code/meeting-kind/")
PCAT = Namespace("https://w3id.org/civgraph/code/participant-category/")
GRADE = Namespace("https://w3id.org/civgraph/code/grade/")
SANCTION = Namespace("https://w3id.org/civgraph/code/sanction/")
INDLEVEL = Namespace("https://w3id.org/civgraph/code/indicator-level/")
IND = Namespace("https://w3id.org/civgraph/code/ncces/")
CIVT = Namespace("https://w3id.org/civgraph/time/")
XM = Namespace("https://w3id.org/civgraph/id/xiamen/")
ORG = Namespace("http://www.w3.org/ns/org#")

#: The named graph that holds what the engine adds (evaluation context and derived facts).
DERIVED_GRAPH = "https://w3id.org/civgraph/graph/derived"

#: The named graph recording literals the store rewrote and the datatype each was written with
#: (see :mod:`civgraph.store.written_datatypes`); queries' default graph leaves it out.
WRITTEN_DATATYPES_GRAPH = "https://w3id.org/civgraph/graph/written-datatypes"

PREFIXES: dict[str, Namespace] = {
    "civ": CIV,
    "civsh": CIVSH,
    "civrule": CIVRULE,
    "obl": OBL,
    "src": SRC,
    "civsys": CIVSYS,
    "role": ROLE,
    "ukind": UKIND,
    "body": BODY,
    "mkind": MKIND,
    "pcat": PCAT,
    "grade": GRADE,
    "sanction": SANCTION,
    "indlevel": INDLEVEL,
    "ind": IND,
    "civt": CIVT,
    "xm": XM,
    "org": ORG,
    "foaf": Namespace(str(FOAF)),
    "prov": Namespace(str(PROV)),
    "time": Namespace(str(TIME)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "sosa": Namespace(str(SOSA)),
    "xsd": Namespace(str(XSD)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "sh": Namespace(str(SH)),
}


def sparql_prefixes() -> str:
    """The PREFIX block for every namespace above, for queries built by the engine."""
    return "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in PREFIXES.items())
