"""Every mistake in an imported file is an error with its place, in Danish; nothing is saved.

The grundlag file (YAML) and the organisation file (CSV) read through `devtrack.importfiles`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from devtrack.grundlag.importer import GrundlagFileError, parse_grundlag, read_grundlag
from devtrack.people.orgfile import OrgFileError, parse_org_file

GOOD = """\
format: devtrack-grundlag/1
key: test
organisation: Testkommune
title: Grundlag
source_documents:
  - file: kilde.txt
    title: Kilden
parts:
  - key: alle
    title: Alle
    audience: all
    source: kilde.txt
    elements:
      - key: mod
        kind: value
        title: Mod
        statements:
          - key: s1
            text: Jeg tør sige fra.
"""


def _problems(content: str) -> list[str]:
    with pytest.raises(GrundlagFileError) as caught:
        parse_grundlag(content)
    return [str(problem) for problem in caught.value.problems]


def test_the_good_file_is_read() -> None:
    assert parse_grundlag(GOOD).elements()[0].statements[0].text == "Jeg tør sige fra."


def test_a_misspelled_field_is_an_error_at_its_own_line() -> None:
    problems = _problems(GOOD.replace("        statements:", "        statments:"))
    assert problems[0] == (
        "linje 17, parts[0].elements[0].statments: ukendt felt 'statments'; mente du 'statements'?"
    )


def test_a_misspelled_optional_flag_is_an_error_at_its_own_line() -> None:
    misspelled = GOOD.replace(
        "        title: Mod\n", "        title: Mod\n        title_infered: y\n"
    )
    assert _problems(misspelled) == [
        "linje 17, parts[0].elements[0].title_infered: ukendt felt 'title_infered'; "
        "mente du 'title_inferred'?"
    ]


def test_a_field_without_a_close_name_lists_the_allowed_fields() -> None:
    assert _problems(GOOD.replace("title: Grundlag\n", "title: Grundlag\nfarve: blå\n")) == [
        "linje 5, farve: ukendt felt 'farve' (tilladte felter: format, intro, key, "
        "organisation, parts, source_documents, title, valid_from)"
    ]


def test_a_field_written_twice_is_an_error_at_the_second() -> None:
    doubled = GOOD.replace("        title: Mod\n", "        title: Mod\n        title: Modet\n")
    assert _problems(doubled) == [
        "linje 17, parts[0].elements[0].title: feltet 'title' står to gange; skriv det kun én gang"
    ]


def test_a_malformed_key_at_the_top_points_at_its_own_line() -> None:
    # The grundlag's own key, like every key below it (and a template's), is named `key`.
    assert _problems(GOOD.replace("key: test", "key: Test")) == [
        "linje 2, key: nøglen 'Test' må kun bestå af små bogstaver a-z, tal og bindestreg"
    ]


def test_a_wrong_value_points_at_its_own_line_not_the_elements_start() -> None:
    assert _problems(GOOD.replace("kind: value", "kind: feeling")) == [
        "linje 15, parts[0].elements[0].kind: ukendt værdi 'feeling' (tilladt: value, theme, "
        "commitment, competency, pejlemaerke, expectation_group, foundation)"
    ]


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (
            "        title: Mod: igen\n",
            "linje 16, kolonne 19: filen er ikke gyldig YAML: et kolon står, hvor det ikke må; "
            "sæt tekst med kolon i anførselstegn",
        ),
        (
            "\ttitle: Mod\n",
            "linje 16, kolonne 1: filen er ikke gyldig YAML: tabulatortegn må ikke bruges til "
            "indrykning; brug mellemrum",
        ),
        (
            "       title: Mod\n",
            "linje 16, kolonne 8: filen er ikke gyldig YAML: indrykningen eller tegnsætningen "
            "passer ikke",
        ),
        (
            '        title: "Mod\n',
            "linje 20, kolonne 1: filen er ikke gyldig YAML: filen slutter, før en tekst i "
            "anførselstegn er lukket",
        ),
    ],
)
def test_yaml_syntax_errors_are_danish_with_line_and_column(broken: str, expected: str) -> None:
    assert _problems(GOOD.replace("        title: Mod\n", broken)) == [expected]


@pytest.mark.parametrize("content", ["", "\n\n   \n", "# kun en kommentar\n"])
def test_an_empty_file_gives_one_message(content: str) -> None:
    assert _problems(content) == ["filen er tom"]


def test_invalid_utf8_names_the_byte_and_its_line() -> None:
    raw = GOOD.encode("utf-8").replace(b"Mod", b"M\xf8d")
    with pytest.raises(GrundlagFileError) as caught:
        read_grundlag(raw, 5 * 1024 * 1024)
    assert [str(problem) for problem in caught.value.problems] == [
        "linje 16: filen er ikke UTF-8-tekst: byte 281 (0xF8) er ugyldig. "
        "Gem filen som UTF-8, og prøv igen"
    ]


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed() -> None:
    # Not YAML at all: had it been parsed, the message would be another.
    with pytest.raises(GrundlagFileError) as caught:
        read_grundlag(b"[" * (6 * 1024 * 1024), 5 * 1024 * 1024)
    assert [str(problem) for problem in caught.value.problems] == [
        "filen er for stor (6,0 MB); der tages højst imod 5 MB"
    ]


def test_the_import_command_refuses_a_large_file_unread(app: Flask, tmp_path: Path) -> None:
    large = tmp_path / "stor.yaml"
    large.write_bytes(b"x: " + b"y" * (6 * 1024 * 1024))
    result = app.test_cli_runner().invoke(args=["devtrack", "grundlag", "import", str(large)])
    assert result.exit_code == 1
    assert f"{large}: filen er for stor (6,0 MB); der tages højst imod 5 MB. Intet er gemt." in (
        result.output
    )


def test_the_import_command_names_every_mistake(app: Flask, tmp_path: Path) -> None:
    broken = tmp_path / "grundlag.yaml"
    broken.write_text(GOOD.replace("        statements:", "        statments:"), "utf-8")
    result = app.test_cli_runner().invoke(args=["devtrack", "grundlag", "import", str(broken)])
    assert result.exit_code == 1
    assert "ukendt felt 'statments'; mente du 'statements'?" in result.output
    assert "intet er gemt" in result.output


ORG_HEADER = "type;id;navn;overordnet;leder;email;enhed;startdato;slutdato"


def _org_problems(raw: bytes) -> list[str]:
    with pytest.raises(OrgFileError) as caught:
        parse_org_file(raw)
    return [str(problem) for problem in caught.value.problems]


def test_an_org_file_with_an_unknown_or_doubled_column_is_refused() -> None:
    header = ORG_HEADER + ";afdeling;email\n"
    assert _org_problems(header.encode()) == [
        "linje 1: ukendt kolonne 'afdeling' i overskriften",
        "linje 1: kolonnen 'email' står to gange i overskriften",
    ]


def test_an_org_file_in_no_known_encoding_names_the_byte() -> None:
    # 0x81 is neither UTF-8 here nor any character in Windows-1252.
    raw = (ORG_HEADER + "\nenhed;1;Dir\x81ektionen;;;;;;\n").encode("latin-1")
    assert _org_problems(raw) == [
        "linje 2: filen er hverken UTF-8 eller Windows-1252: byte 73 (0x81) er ugyldig"
    ]


def test_trailing_separators_in_the_org_header_are_not_columns() -> None:
    parse_org_file((ORG_HEADER + ";;\nenhed;1;Direktionen;;;;;;\n").encode())
