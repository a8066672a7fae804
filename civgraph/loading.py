"""Loading RDF files and folders into a store, with errors that name the file and line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from civgraph import resources
from civgraph.errors import InputError
from civgraph.namespaces import sparql_prefixes
from civgraph.store.protocol import Store

#: File endings civgraph reads, and the media type each is parsed as.
MEDIA_TYPES: dict[str, str] = {
    ".ttl": "text/turtle",
    ".turtle": "text/turtle",
    ".nt": "application/n-triples",
    ".ntriples": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".json-ld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
}


def media_type_of(path: Path) -> str:
    """The media type for a file, by its ending; an unknown ending is an input error."""
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        known = ", ".join(sorted(MEDIA_TYPES))
        raise InputError(f"{path}: not an RDF file civgraph reads (known endings: {known})")
    return media_type


def rdf_files(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders into the RDF files to read, in a stable order.

    A folder contributes every file below it with a known ending (sorted); a file named
    directly must have a known ending. A missing or unreadable path is an input error.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in MEDIA_TYPES
            )
            found.extend(inside)
        elif path.is_file():
            media_type_of(path)
            found.append(path)
        elif path.exists():
            raise InputError(f"{path}: not a regular file or folder")
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


def load_sources(store: Store, paths: Sequence[Path]) -> list[Path]:
    """Load files and folders into ``store``; returns the files read.

    >>> from civgraph.store import OxigraphStore
    >>> load_sources(OxigraphStore(), [Path("/no/such/file.ttl")])
    Traceback (most recent call last):
    ...
    civgraph.errors.InputError: /no/such/file.ttl: no such file or folder
    """
    files = rdf_files(paths)
    for path in files:
        store.load_file(path, media_type=media_type_of(path))
    return files


def ontology_files() -> list[Path]:
    """The ontology, code lists, indicator tree and source clauses shipped with civgraph."""
    return rdf_files([resources.folder("ontology")])


def load_ontology(store: Store, *, graph: str | None = None) -> list[Path]:
    """Load ``ontology/`` into ``store`` (every check needs its classes and code lists)."""
    files = ontology_files()
    for path in files:
        store.load_file(path, media_type=media_type_of(path), graph=graph)
    return files


# Asked before the ontology is loaded, so it names every unit kind of the ontology instead of
# relying on its subclass axioms.
_HAS_UNITS = (
    sparql_prefixes()
    + """ASK {
  VALUES ?kind { civ:Unit civ:TerritorialUnit civ:City civ:District civ:SubDistrict civ:Town
    civ:Community civ:Village civ:CitySystem civ:Department civ:LeadershipBody
    civ:CommandHeadquarters civ:WorkGroup civ:Office civ:CreationOffice civ:CivilizationOffice
    civ:SupervisionOffice civ:DisciplineInspection civ:EfficiencyOffice civ:SupervisionGroup }
  ?unit a ?kind
}"""
)


def ensure_units(store: Store, *, where: str) -> None:
    """Data that describes no unit at all is an input error, never an empty success."""
    if not store.ask(_HAS_UNITS):
        raise InputError(
            f"the data describes no units (nothing typed as a civ:Unit kind): nothing to check in "
            f"{where}"
        )
