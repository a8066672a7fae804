"""Spreadsheets as the front door: a workbook template, workbook → RDF, RDF → workbook.

The layout of every sheet is declared in ``mapping.toml``; see docs/spreadsheets.md. The Python
API is in :mod:`civgraph.spreadsheet.api` (``write_template``, ``import_book``, ``read_book``,
``export_book``).
"""
