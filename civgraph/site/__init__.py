"""The published static site: bilingual (``zh/`` default, ``en/``), self-contained, atomic.

See :mod:`civgraph.site.build` for the layout.
"""

from civgraph.site.build import LANGS, SiteInput, render_site, write_site
from civgraph.site.names import code_page_name, page_name

__all__ = ["LANGS", "SiteInput", "code_page_name", "page_name", "render_site", "write_site"]
