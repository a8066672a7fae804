"""One renderer per output format, all over the same :class:`~civgraph.findings.CheckReport`."""

from __future__ import annotations

from collections.abc import Callable

from civgraph.findings import CheckReport
from civgraph.render.csv_report import render_csv
from civgraph.render.json_report import render_json, report_document
from civgraph.render.text_report import render_text
from civgraph.render.turtle_report import render_turtle

Renderer = Callable[[CheckReport, str], str]

RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "csv": render_csv,
    "ttl": lambda report, _lang: render_turtle(report),
}

__all__ = [
    "RENDERERS",
    "Renderer",
    "render_csv",
    "render_json",
    "render_text",
    "render_turtle",
    "report_document",
]
