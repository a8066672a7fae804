"""The generated part of ``docs/queries.md``: every library query with its title and parameters.

``python -m civgraph.querylib.docs`` rewrites the part between the markers in place; a test
fails when the page and the library disagree, so the page cannot drift.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from civgraph import resources
from civgraph.errors import InputError
from civgraph.querylib.library import Query, library

#: Example values for the command line shown under each query (the demo city's date and units).
_EXAMPLES = {
    "date": "2025-12-31",
    "integer": "90",
    "decimal": "100000",
    "string": "思明",
    "iri": "xm:unit-350203",
    "boolean": "true",
}

BEGIN = "<!-- BEGIN generated from queries/*.rq by `python -m civgraph.querylib.docs` -->"
END = "<!-- END generated -->"


def doc_path() -> Path:
    """``docs/queries.md`` in the source checkout."""
    return resources.root() / "docs" / "queries.md"


def library_markdown(queries: Sequence[Query]) -> str:
    """One section per query: name, titles, descriptions, parameters and columns."""
    parts: list[str] = []
    for query in queries:
        lines = [
            f"### `{query.name}` — {query.title('zh')}",
            "",
            f"*{query.title('en')}*",
            "",
        ]
        for lang in ("zh", "en"):
            text = query.header.description.get(lang)
            if text:
                lines += [text, ""]
        if query.params:
            lines += ["| parameter | type | default | description |", "|---|---|---|---|"]
            for p in query.params:
                default = "(required)" if p.default is None else f"`{p.default}`"
                description = p.description.replace("|", "\\|")
                lines.append(f"| `{p.name}` | {p.type} | {default} | {description} |")
            lines.append("")
        else:
            lines += ["No parameters.", ""]
        lines += ["Columns: " + ", ".join(f"`{c}`" for c in query.columns), ""]
        example = " ".join(
            f"--param {p.name}={_EXAMPLES[p.type]}" for p in query.params if p.default is None
        )
        command = f"civgraph query run {query.name} --demo {example}".rstrip()
        lines += ["```", command, "```", ""]
        parts.append("\n".join(lines))
    return "\n".join(parts)


def splice(page: str, generated: str) -> str:
    """``page`` with the text between :data:`BEGIN` and :data:`END` replaced by ``generated``."""
    start, end = page.find(BEGIN), page.find(END)
    if start < 0 or end < start:
        raise InputError(f"{doc_path()}: the markers {BEGIN!r} … {END!r} are missing")
    return page[: start + len(BEGIN)] + "\n\n" + generated + "\n" + page[end:]


def main() -> int:
    path = doc_path()
    page = path.read_text(encoding="utf-8")
    path.write_text(splice(page, library_markdown(library())), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
