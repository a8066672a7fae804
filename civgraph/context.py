"""The evaluation context: the as-of date, the cut-off dates the settings imply, and the calendar.

This is input preparation, not derivation: it states *when* the graph is judged (``civ:asOf``)
and the dates the thresholds of ``settings.toml`` imply, and it names the quarters and years the
rules and shapes talk about (``civt:2024-Q2``, ``civt:2024``). Nothing here decides compliance;
the rules in ``rules/`` read these facts with plain date comparisons.

>>> from datetime import date
>>> from civgraph.settings import Settings
>>> triples = context_triples(as_of=date(2024, 7, 1), settings=Settings.defaults())
>>> from civgraph.namespaces import CIV
>>> sorted(str(o) for s, p, o in triples if p == CIV.longUnresolvedCutoff)
['2024-04-02']
"""

from __future__ import annotations

from datetime import date, timedelta

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from civgraph.namespaces import CIV, CIVT
from civgraph.settings import Settings
from civgraph.store.protocol import Triple

#: The evaluation context node every rule reads its as-of date from.
CONTEXT = CIV.context

#: How many calendar years (ending with the as-of year) get quarter and year nodes.
CALENDAR_YEARS = 10

_QUARTER_STARTS = ((1, 1), (4, 1), (7, 1), (10, 1))
_QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def quarter_iri(year: int, quarter: int) -> URIRef:
    """``civt:YYYY-Qn``."""
    return CIVT[f"{year:04d}-Q{quarter}"]


def year_iri(year: int) -> URIRef:
    """``civt:YYYY``."""
    return CIVT[f"{year:04d}"]


def calendar_triples(*, last_year: int, years: int = CALENDAR_YEARS) -> list[Triple]:
    """Year and quarter nodes for the ``years`` calendar years ending with ``last_year``."""
    triples: list[Triple] = []
    for year in range(last_year - years + 1, last_year + 1):
        node = year_iri(year)
        triples += [
            (node, RDF.type, CIV.Year),
            (node, RDFS.label, Literal(f"{year}年", lang="zh")),
            (node, RDFS.label, Literal(str(year), lang="en")),
            (node, CIV.year, _integer(year)),
            (node, CIV.periodStart, _date(date(year, 1, 1))),
            (node, CIV.periodEnd, _date(date(year, 12, 31))),
        ]
        for number, (start, end) in enumerate(zip(_QUARTER_STARTS, _QUARTER_ENDS, strict=True), 1):
            quarter = quarter_iri(year, number)
            triples += [
                (quarter, RDF.type, CIV.Quarter),
                (quarter, RDFS.label, Literal(f"{year}年第{number}季度", lang="zh")),
                (quarter, RDFS.label, Literal(f"{year} Q{number}", lang="en")),
                (quarter, CIV.year, _integer(year)),
                (quarter, CIV.quarterNumber, _integer(number)),
                (quarter, CIV.periodStart, _date(date(year, *start))),
                (quarter, CIV.periodEnd, _date(date(year, *end))),
            ]
    return triples


def context_triples(*, as_of: date, settings: Settings) -> list[Triple]:
    """The ``civ:context`` node (a ``civ:EvaluationContext``) and the calendar, as of ``as_of``.

    - ``civ:asOf``: the date the graph is judged at;
    - ``civ:currentYear`` / ``civ:currentYearStart``: the as-of year and its 1 January;
    - ``civ:longUnresolvedCutoff``: as-of minus ``long_unresolved_days`` (a complaint whose
      deadline lies before it and is still open is long unresolved);
    - ``civ:assessmentGraceCutoff``: 1 January plus ``assessment_grace_days`` (from then on a
      missing current-year assessment is a failure, before it only due);
    - ``civ:circulationCutoff``: as-of minus ``circulation_grace_days`` (an inspection held
      before it must have had its result circulated).
    """
    year_start = date(as_of.year, 1, 1)
    triples: list[Triple] = [
        (CONTEXT, RDF.type, CIV.EvaluationContext),
        (CONTEXT, CIV.asOf, _date(as_of)),
        (CONTEXT, CIV.currentYear, _integer(as_of.year)),
        (CONTEXT, CIV.currentYearStart, _date(year_start)),
        (
            CONTEXT,
            CIV.longUnresolvedCutoff,
            _date(as_of - timedelta(days=settings.long_unresolved_days)),
        ),
        (
            CONTEXT,
            CIV.assessmentGraceCutoff,
            _date(year_start + timedelta(days=settings.assessment_grace_days)),
        ),
        (
            CONTEXT,
            CIV.circulationCutoff,
            _date(as_of - timedelta(days=settings.circulation_grace_days)),
        ),
    ]
    return triples + calendar_triples(last_year=as_of.year)
