"""Human-readable names of IRIs, per language, gathered in one set-based query."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDFS, SH, SKOS

from civgraph.namespaces import sparql_prefixes
from civgraph.store.protocol import Store

#: The predicates a label is read from.
LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel, FOAF.name, SH.name)
_QUERY = """SELECT ?s ?label WHERE {{
  VALUES ?s {{ {values} }}
  ?s {path} ?label
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
        store.select(
            sparql_prefixes()
            + _QUERY.format(
                values=" ".join(f"<{i}>" for i in wanted),
                path="|".join(f"<{p}>" for p in LABEL_PREDICATES),
            )
        )
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


class LabelCache:
    """Labels looked up once and kept across the checks of one changing store."""

    def __init__(self) -> None:
        self._known: dict[str, dict[str, str]] = {}
        self._asked: set[str] = set()

    def labels(self, store: Store, iris: Iterable[str]) -> dict[str, dict[str, str]]:
        """Like :func:`labels_for`, asking the store only about IRIs not looked up before."""
        wanted = {i for i in iris if i}
        missing = wanted - self._asked
        if missing:
            self._known.update(labels_for(store, missing))
            self._asked |= missing
        return {i: self._known[i] for i in sorted(wanted) if i in self._known}

    def known(self) -> tuple[dict[str, dict[str, str]], set[str]]:
        """The labels found and every IRI asked about (to be :meth:`recalled` later)."""
        return dict(self._known), set(self._asked)

    @classmethod
    def recalled(cls, known: dict[str, dict[str, str]], asked: set[str]) -> LabelCache:
        """A cache that starts with what :meth:`known` gave."""
        cache = cls()
        cache._known = dict(known)
        cache._asked = set(asked) | set(known)
        return cache

    def forget(self, subjects: Iterable[str] | None = None) -> None:
        """Look these IRIs up again next time (all of them when ``subjects`` is None)."""
        if subjects is None:
            self._known.clear()
            self._asked.clear()
            return
        for iri in subjects:
            self._known.pop(iri, None)
            self._asked.discard(iri)
