"""Human-readable names of IRIs, per language, gathered in one set-based query."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef

from civgraph.namespaces import sparql_prefixes
from civgraph.store.protocol import Store

_QUERY = """SELECT ?s ?label WHERE {{
  VALUES ?s {{ {values} }}
  ?s rdfs:label|skos:prefLabel|foaf:name|sh:name ?label
}}"""


def labels_for(store: Store, iris: Iterable[str]) -> dict[str, dict[str, str]]:
    """``{iri: {lang: label}}`` for every IRI that has an rdfs:label, prefLabel or foaf:name.

    A label with no language tag is used for both ``zh`` and ``en`` when no tagged one exists.
    """
    wanted = sorted({i for i in iris if i})
    found: dict[str, dict[str, str]] = {}
    plain: dict[str, str] = {}
    # One query however many IRIs: the request count must not grow with the data.
    rows = (
        store.select(sparql_prefixes() + _QUERY.format(values=" ".join(f"<{i}>" for i in wanted)))
        if wanted
        else []
    )
    for row in rows:
        subject, label = row["s"], row["label"]
        if not isinstance(subject, URIRef) or not isinstance(label, Literal):
            continue
        lang = (label.language or "").split("-")[0]
        if lang:
            current = found.setdefault(str(subject), {})
            if lang not in current or str(label) < current[lang]:
                current[lang] = str(label)
        else:
            name = str(subject)
            if name not in plain or str(label) < plain[name]:
                plain[name] = str(label)
    for iri, text in plain.items():
        entry = found.setdefault(iri, {})
        entry.setdefault("zh", text)
        entry.setdefault("en", text)
    return found
