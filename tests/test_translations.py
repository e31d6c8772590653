"""No Danish left in the English interface: every string has its translation and is shown in it."""

from __future__ import annotations

import enum
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
    """The page's text, without scripts, styles and <samp>: a system's output shown as such
    (the access log's technical detail of an entry), not words of the interface."""
    page = re.sub(r"<(script|style|samp)\b.*?</\1>", " ", page, flags=re.S)
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


def _english_phrases(catalogue: Catalog) -> set[str]:
    """The English texts of the catalogue that are no Danish text's: each literal run between
    placeholders of a translation that differs from its source, of two words or more."""
    danish = " ".join(
        str(text) for message in catalogue if message.id for text in _texts(message.id)
    )
    phrases: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        for string in _texts(message.string):
            if string in _texts(message.id):
                continue
            for run in PLACEHOLDER.split(string):
                run = " ".join(run.split()).strip(" .,:;–-")
                if len(run) >= 12 and " " in run and run not in danish:
                    phrases.add(run)
    return phrases


def _texts(value: object) -> list[str]:
    return [str(text or "") for text in (value if isinstance(value, tuple) else [value])]


def _machine_words() -> set[str]:
    """What the code calls things, never a person: every stored enum value of devtrack."""
    found: set[str] = set()
    pending: list[type[enum.Enum]] = [enum.StrEnum]
    while pending:
        kind = pending.pop()
        pending += kind.__subclasses__()
        if kind.__module__.startswith("devtrack."):
            found |= {str(member.value) for member in kind}
    danish = {
        word.lower()
        for message in _catalogue()
        if message.id
        for text in _texts(message.id)
        for word in re.findall(r"\w+", text)
    }
    return {word for word in found if len(word) > 3 and word not in danish}


SNAKE_CASE = r"[a-z]+(?:_[a-z]+)+"


def _leftovers(text: str, phrases: set[str], words: set[str]) -> list[str]:
    """Each phrase or name from the code in the text, with a little of the text around it."""
    found = [phrase for phrase in phrases if phrase in text]
    names = "|".join([SNAKE_CASE, *(re.escape(word) for word in sorted(words))])
    found += [
        f"{match.group()} «{text[max(0, match.start() - 40) : match.end() + 20]}»"
        for match in re.finditer(rf"(?<![\w.@/-])(?:{names})(?![\w-])", text)
    ]
    return found


def test_every_page_in_danish_shows_no_english_and_no_names_from_the_code(
    client: FlaskClient, world: World
) -> None:
    phrases = _english_phrases(_catalogue())
    words = _machine_words()
    left: list[str] = []
    for path in ("/log-ind", "/tilgaengelighed", "/findes-ikke"):
        text = _visible_text(client.get(path).text)
        left += [f"{path}: {found}" for found in _leftovers(text, phrases, words)]
    for email, paths in pages_by_role(world).items():
        person = db.session.query(Person).filter_by(email=email).one()
        sign_in(client, person)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert 'lang="da"' in response.text, path
            text = _visible_text(response.text)
            left += [f"{email} {path}: {found}" for found in _leftovers(text, phrases, words)]
        post(client, "/log-ud")
    assert left == [], "English in the Danish interface:\n" + "\n".join(sorted(set(left)))
