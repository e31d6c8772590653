"""No Danish left in the English interface: every string has its translation and is shown in it."""

from __future__ import annotations

import html
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from devtrack.extensions import db
from devtrack.people.models import Person
from tests.conftest import World, post, sign_in
from tests.pages import pages_by_role

PROJECT = Path(__file__).resolve().parent.parent
CATALOGUE = PROJECT / "devtrack" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue() -> Catalog:
    with CATALOGUE.open("rb") as handle:
        return read_po(handle)


def _translated(catalogue: Catalog, msgid: str) -> bool:
    message = catalogue.get(msgid)
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def test_every_string_in_the_code_has_an_english_translation() -> None:
    with (PROJECT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)  # type: ignore[no-untyped-call]
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    catalogue = _catalogue()
    missing = sorted(
        {
            f"{filename}:{line}: {message if isinstance(message, str) else message[0]}"
            for filename, line, message, *_rest in extract_from_dir(
                str(PROJECT), method_map, options_map, keywords=keywords
            )
            if not _translated(catalogue, message if isinstance(message, str) else message[0])
        }
    )
    assert missing == [], "Untranslated (add them to messages.po):\n" + "\n".join(missing)


def _danish_phrases(catalogue: Catalog) -> set[str]:
    """The Danish texts of the catalogue long enough not to occur by chance in English pages:
    each literal run between placeholders, of two words or more and twelve characters."""
    phrases: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = [
            str(text) for text in (message.id if isinstance(message.id, tuple) else [message.id])
        ]
        strings = [
            str(text or "")
            for text in (message.string if isinstance(message.string, tuple) else [message.string])
        ]
        for msgid in ids:
            for run in PLACEHOLDER.split(msgid):
                run = " ".join(run.split()).strip(" .,:;–-")
                if len(run) >= 12 and " " in run and all(run not in s for s in strings):
                    phrases.add(run)
    return phrases


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_every_page_in_english_shows_no_danish_from_the_catalogue(
    client: FlaskClient, world: World
) -> None:
    phrases = _danish_phrases(_catalogue())
    left: list[str] = []
    post(client, "/sprog/en", {"next": "/"})
    for path in ("/log-ind", "/tilgaengelighed", "/findes-ikke"):
        text = _visible_text(client.get(path).text)
        left += [f"{path}: {phrase}" for phrase in phrases if phrase in text]
    for email, paths in pages_by_role(world).items():
        person = db.session.query(Person).filter_by(email=email).one()
        sign_in(client, person)
        assert post(client, "/sprog/en", {"next": "/"}).status_code == 302
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert 'lang="en"' in response.text, path
            text = _visible_text(response.text)
            left += [f"{email} {path}: {phrase}" for phrase in phrases if phrase in text]
        post(client, "/log-ud")
    assert left == [], "Danish in the English interface:\n" + "\n".join(sorted(set(left)))
