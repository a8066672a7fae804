"""Stable, safe file names for the site's pages, made from IRIs (slug + short hash).

The same IRI always gives the same name, so links into the site survive nightly rebuilds; the
hash keeps two IRIs with the same local name apart.

>>> page_name("https://w3id.org/civgraph/id/xiamen/unit-350203")
'unit-350203-38d8c79b'
>>> code_page_name("CIV-3.5")
'CIV-3.5'
"""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^a-z0-9]+")
_CODE = re.compile(r"^CIV-\d+\.\d+$")
_SLUG_LENGTH = 48


def page_name(iri: str) -> str:
    """``<slug of the IRI's local name>-<8 hex digits of its SHA-256>``."""
    local = re.split(r"[/#:]", iri.rstrip("/#"))[-1]
    slug = _UNSAFE.sub("-", local.lower()).strip("-")[:_SLUG_LENGTH].strip("-") or "item"
    digest = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}"


def code_page_name(code: str) -> str:
    """An obligation code is already a stable safe name; anything else is slugged."""
    return code if _CODE.match(code) else page_name(code)
