"""Importing the grundlag: the three seed files, versions, identities and clear errors."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from devtrack.extensions import db
from devtrack.grundlag.importer import GrundlagFileError, parse_grundlag
from devtrack.grundlag.models import (
    BehaviourStatement,
    ElementVersion,
    FrameworkVersion,
    GrundlagElement,
)
from devtrack.grundlag.services import import_grundlag
from tests.conftest import SEED_DIR
from tests.grundlag.seed_expectations import EXPECTED, VERBATIM

SEEDS = sorted(EXPECTED)


def _seed(name: str) -> str:
    return (SEED_DIR / "grundlag" / f"{name}.yaml").read_text("utf-8")


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("name", SEEDS)
def test_seed_file_holds_every_expected_element_in_order(name: str, app: Flask) -> None:
    document = parse_grundlag(_seed(name))
    found = {
        part.key: [
            (element.key, element.kind.value, element.title, len(element.statements))
            for element in part.elements
        ]
        for part in document.parts
    }
    assert found == EXPECTED[name]


@pytest.mark.parametrize("name", SEEDS)
def test_seed_file_carries_the_source_text_word_for_word(name: str, app: Flask) -> None:
    document = parse_grundlag(_seed(name))
    texts = [document.intro]
    for part in document.parts:
        texts.append(part.framing)
        texts.extend(quote.text for quote in part.quotes)
        for element in part.elements:
            texts += [element.text, element.subtitle, element.title]
            texts.extend(statement.text for statement in element.statements)
            texts.extend(quote.text for quote in element.quotes)
    corpus = _collapse("\n".join(texts))
    missing = [sentence for sentence in VERBATIM[name] if _collapse(sentence) not in corpus]
    assert missing == []


@pytest.mark.parametrize("name", SEEDS)
def test_seed_file_names_its_source_document(name: str, app: Flask) -> None:
    document = parse_grundlag(_seed(name))
    assert document.source_documents
    assert all(name.endswith(".txt") for name, _title in document.source_documents)
    assert {part.source for part in document.parts} <= {n for n, _ in document.source_documents}


def test_all_three_seeds_import_side_by_side(app: Flask) -> None:
    for name in SEEDS:
        import_grundlag(parse_grundlag(_seed(name)))
    db.session.commit()
    stored = db.session.scalar(select(func.count()).select_from(ElementVersion))
    expected = sum(len(elements) for parts in EXPECTED.values() for elements in parts.values())
    assert stored == expected


def test_albertslund_leadership_headings_are_marked_inferred(app: Flask) -> None:
    document = parse_grundlag(_seed("albertslund"))
    leadership = next(part for part in document.parts if part.audience.value == "leaders")
    assert all(element.title_inferred for element in leadership.elements)
    shared = next(part for part in document.parts if part.audience.value == "all")
    assert not any(element.title_inferred for element in shared.elements)


def test_reimporting_an_unchanged_file_creates_no_new_version(app: Flask) -> None:
    first = import_grundlag(parse_grundlag(_seed("odense")))
    again = import_grundlag(parse_grundlag(_seed("odense")))
    assert first.created and not again.created
    assert db.session.scalar(select(func.count()).select_from(FrameworkVersion)) == 1


def test_a_changed_file_becomes_a_new_version_keeping_identities(app: Flask) -> None:
    original = _seed("odense")
    first = import_grundlag(parse_grundlag(original))
    db.session.commit()
    mod = db.session.scalar(select(GrundlagElement).where(GrundlagElement.key == "mod"))
    assert mod is not None
    statement_ids = {s.key: s.id for s in mod.statements}

    changed = original.replace("title: Mod\n", "title: Mod og mening\n", 1)
    assert changed != original
    second = import_grundlag(parse_grundlag(changed))
    db.session.commit()

    assert second.created and second.version.number == first.version.number + 1
    same = db.session.scalar(select(GrundlagElement).where(GrundlagElement.key == "mod"))
    assert same is not None and same.id == mod.id
    assert {s.key: s.id for s in same.statements} == statement_ids
    titles = db.session.scalars(
        select(ElementVersion.title)
        .where(ElementVersion.element_id == mod.id)
        .order_by(ElementVersion.version_id)
    ).all()
    assert titles == ["Mod", "Mod og mening"]
    assert db.session.scalar(select(func.count()).select_from(BehaviourStatement)) == len(
        db.session.scalars(select(BehaviourStatement)).all()
    )


BROKEN = """\
format: devtrack-grundlag/1
key: Test Kommune
organisation: Testkommune
title: Grundlag
source_documents:
  - file: kilde.txt
    title: Kilden
parts:
  - key: alle
    title: Alle
    audience: everyone
    source: ukendt.txt
    elements:
      - key: mod
        kind: value
        title: Mod
        text: Vi tør.
      - key: mod
        kind: feeling
        title: ""
        statements:
          - key: s1
"""


def test_a_broken_file_reports_every_problem_with_its_line() -> None:
    with pytest.raises(GrundlagFileError) as caught:
        parse_grundlag(BROKEN)
    problems = [str(problem) for problem in caught.value.problems]
    text = "\n".join(problems)
    assert "linje 2" in text and "Test Kommune" in text  # bad key
    assert "everyone" in text  # unknown audience
    assert "ukendt.txt" in text  # unknown source
    assert "allerede brugt" in text  # duplicate element key
    assert "feeling" in text  # unknown kind
    assert "parts[0].elements[1].statements[0]" in text  # statement without text
    assert len(problems) >= 7


def test_invalid_yaml_is_reported_with_a_line_number() -> None:
    with pytest.raises(GrundlagFileError) as caught:
        parse_grundlag("format: devtrack-grundlag/1\nparts: [\n  - oops: : :\n")
    assert caught.value.problems[0].line is not None
    assert "YAML" in str(caught.value.problems[0])
