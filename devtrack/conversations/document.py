"""The agreed plan as a PDF for the personnel file (personalesag), made with WeasyPrint.

The page is rendered from the same template as the print view; WeasyPrint lays it out with
the fonts installed on the server (DejaVu) and embeds them. It may read only the files named
here (the stylesheet and the municipality's logo): nothing from the network.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)
STYLESHEET = Path(__file__).resolve().parent / "plan_document.css"


class _OnlyTheseFiles(URLFetcher):  # type: ignore[misc]
    def __init__(self, allowed: set[str]) -> None:
        super().__init__(allowed_protocols=("file",))
        self._allowed = allowed

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.split("?", 1)[0] not in self._allowed:
            raise ValueError(f"not a file the plan may show: {url}")
        return super().fetch(url, headers)


def _render(page: str, allowed: set[str]) -> bytes:
    fetcher = _OnlyTheseFiles(allowed)
    document = HTML(string=page, base_url=STYLESHEET.parent.as_uri(), url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
    return pdf


def pdf_of(page: str, *, logo: Path | None) -> bytes:
    """The rendered plan page as PDF bytes. A logo file that cannot be read (a broken image)
    is left out rather than failing the plan."""
    if logo is None:
        return _render(page, set())
    try:
        return _render(page, {logo.as_uri()})
    except OSError:
        logger.warning("the municipality's logo %s could not be drawn in the PDF", logo)
        return _render(page, set())
