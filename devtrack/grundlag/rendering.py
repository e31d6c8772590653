"""Template helpers that show grundlag texts: paragraphs, quotes and labels."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from devtrack.grundlag.in_use import QuoteView
from devtrack.grundlag.labels import AUDIENCE_LABELS, KIND_LABELS
from devtrack.grundlag.models import Audience, ElementKind


def paragraphs(text: str) -> Markup:
    """Blank-line separated paragraphs; a run of lines starting with '- ' becomes a list."""
    html: list[str] = []
    bullets: list[str] = []
    for block in (part.strip() for part in text.split("\n\n")):
        if not block:
            continue
        if block.startswith("- "):
            bullets.extend(line[2:].strip() for line in block.splitlines() if line.strip())
            continue
        if bullets:
            html.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in bullets) + "</ul>")
            bullets = []
        html.append(f"<p>{escape(block)}</p>")
    if bullets:
        html.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in bullets) + "</ul>")
    return Markup("\n".join(html))  # noqa: S704  (every piece of text above is escaped)


def blockquote(quote: QuoteView) -> Markup:
    attribution = (
        f'<footer class="quote-attribution">– {escape(quote.attribution)}</footer>'
        if quote.attribution
        else ""
    )
    return Markup(  # noqa: S704  (escaped above)
        f'<blockquote class="grundlag-quote"><p>{escape(quote.text)}</p>{attribution}</blockquote>'
    )


def kind_label(kind: ElementKind) -> str:
    return str(KIND_LABELS[kind])


def audience_label(audience: Audience) -> str:
    return str(AUDIENCE_LABELS[audience])


def statements_heading(kind: ElementKind) -> str:
    if kind in (ElementKind.THEME, ElementKind.COMMITMENT, ElementKind.COMPETENCY):
        return str(_("Adfærd"))
    if kind == ElementKind.PEJLEMAERKE:
        return str(_("Det kan vi fordi …"))
    if kind == ElementKind.EXPECTATION_GROUP:
        return str(_("Forventninger"))
    return str(_("Det betyder"))


def source_titles(source_document: str) -> list[str]:
    """The grundlag's source documents by title. The version keeps one "file – title" line per
    document (see grundlag.services); the file name is the archive's, not the reader's."""
    titles = []
    for line in source_document.splitlines():
        name, _dash, title = line.partition(" – ")
        if line.strip():
            titles.append((title or name).strip())
    return titles


HELPERS = {
    "source_titles": source_titles,
    "paragraphs": paragraphs,
    "blockquote": blockquote,
    "kind_label": kind_label,
    "audience_label": audience_label,
    "statements_heading": statements_heading,
}
