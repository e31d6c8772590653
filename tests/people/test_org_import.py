"""The organisation import: Danish Excel files, every problem with its line, an idempotent sync."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from devtrack.extensions import db
from devtrack.people.hierarchy import direct_reports, nearest_leader
from devtrack.people.models import OrgUnit, Person, UnitLeadership, UnitMembership
from devtrack.people.orgfile import OrgFileError, parse_org_file
from devtrack.people.services import sync_organisation
from tests.conftest import SMALL_ORG, Org, post, sign_in, upload_org_file

HEADER = "type;id;navn;overordnet;leder;email;enhed;startdato;slutdato\n"


def big_file(people: int, units: int = 200) -> str:
    lines = [HEADER.rstrip("\n")]
    lines.append("enhed;U0;Direktionen;;P0;;;;")
    for unit in range(1, units):
        lines.append(f"enhed;U{unit};Enhed {unit} Åby;U{(unit - 1) // 5};P{unit};;;;")
    for number in range(people):
        unit = number if number < units else number % units
        lines.append(
            f"person;P{number};Medarbejder Ærø {number};;;p{number}@test.dk;U{unit};01-02-2020;"
        )
    return "\n".join(lines) + "\n"


def problems_of(content: str) -> list[str]:
    with pytest.raises(OrgFileError) as caught:
        parse_org_file(content.encode("utf-8"))
    return [str(problem) for problem in caught.value.problems]


def test_danish_excel_csv_with_bom_and_semicolons_is_read(app: Flask) -> None:
    org = parse_org_file(SMALL_ORG.encode("utf-8"))
    assert len(org.units) == 4 and len(org.people) == 9
    assert org.people["E1"].name == "Emma Åkjær"


def test_windows_1252_and_danish_dates_are_read(app: Flask) -> None:
    content = HEADER + "enhed;1;Ørkenen;;;;;;\nperson;X;Søs Æbelø;;;s@test.dk;1;31-12-2019;\n"
    org = parse_org_file(content.encode("cp1252"))
    assert org.people["X"].name == "Søs Æbelø"
    assert org.people["X"].start_date is not None and org.people["X"].start_date.day == 31


def test_thousands_of_rows_import_and_resync_without_changes(app: Flask) -> None:
    content = big_file(3000)
    report = sync_organisation(parse_org_file(content.encode("utf-8")))
    db.session.commit()
    assert len(report.changes.created) == 3000 and len(report.changes.units_created) == 200
    again = sync_organisation(parse_org_file(content.encode("utf-8")))
    db.session.commit()
    assert (
        len(again.changes.created),
        len(again.changes.updated),
        len(again.changes.deactivated),
    ) == (0, 0, 0)
    assert len(again.changes.leader_changes) == 0
    assert db.session.scalar(select(func.count()).select_from(Person)) == 3000


def test_a_bad_file_of_thousands_of_rows_lists_every_problem_and_writes_nothing(
    app: Flask,
) -> None:
    lines = big_file(3000).splitlines()
    lines[500] = lines[500].replace("@test.dk", "@@bad")  # bad e-mail
    lines[1200] = lines[1200].replace(";U", ";NOPE", 1)  # unknown unit
    lines.append(lines[2000])  # duplicate employee id
    lines.append("enhed;U5;Igen;U0;;;;;")  # duplicate unit id
    lines.append("enhed;C1;Ring A;C2;;;;;")
    lines.append("enhed;C2;Ring B;C1;;;;;")  # cycle
    lines.append("enhed;L1;Uden leder;U0;GHOST;;;;")  # leader not in file
    found = problems_of("\n".join(lines) + "\n")
    text = "\n".join(found)
    assert "linje 501" in text and "ikke gyldig" in text
    assert "linje 1201" in text and "NOPE" in text
    assert "står to gange" in text
    assert "enheden U5 står to gange" in text
    assert "ring" in text
    assert "GHOST" in text
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_missing_columns_are_named() -> None:
    found = problems_of("type;id;navn\nenhed;1;A\n")
    assert "overordnet" in found[0] and "email" in found[0] and "linje 1" in found[0]


def test_duplicate_emails_are_reported_case_insensitively() -> None:
    content = HEADER + "enhed;1;A;;;;;;\nperson;X;X;;;a@test.dk;1;;\nperson;Y;Y;;;A@Test.dk;1;;\n"
    assert any("bruges også i linje 3" in problem for problem in problems_of(content))


def test_nearest_leader_rules(org: Org) -> None:
    assert nearest_leader(org.employee) == org.own_leader
    # A unit's own leader reports to the leader of the parent unit.
    assert nearest_leader(org.own_leader) == org.people["C1"]
    assert nearest_leader(org.people["D1"]) is None
    reports = {person.employee_number for person in direct_reports(org.people["C1"])}
    assert reports == {"LA", "LB", "H1"}


def test_moving_a_person_and_changing_a_leader_keeps_history(org: Org) -> None:
    changed = (
        SMALL_ORG.replace("enhed;3;Team Æblehaven;2;LA", "enhed;3;Team Æblehaven;2;E2")
        .replace("emma@test.dk;3", "emma@test.dk;4")
        .replace("person;E3;Eva Bøgh;;;eva@test.dk;4;2017-01-01;\n", "")
    )
    report = sync_organisation(parse_org_file(changed.encode("utf-8")))
    db.session.commit()
    assert len(report.changes.moved) == 1 and len(report.changes.leader_changes) == 1
    assert len(report.changes.deactivated) == 1
    eva = org.people["E3"]
    assert not eva.active
    memberships = db.session.scalars(
        select(UnitMembership).where(UnitMembership.person_id == org.employee.id)
    ).all()
    assert len(memberships) == 2 and sum(m.ended_at is None for m in memberships) == 1
    team = db.session.scalar(select(OrgUnit).where(OrgUnit.external_id == "3"))
    assert team is not None
    leaderships = db.session.scalars(
        select(UnitLeadership)
        .where(UnitLeadership.unit_id == team.id)
        .order_by(UnitLeadership.id)  # the former leader's row first
    ).all()
    assert [leadership.ended_at is None for leadership in leaderships] == [False, True]
    # The new leader takes over the unit's people at once.
    assert nearest_leader(org.people["LA"]) == org.people["E2"]


def test_admin_uploads_the_file_and_sees_the_report(client: FlaskClient, org: Org) -> None:
    sign_in(client, org.admin)
    content = SMALL_ORG.replace(";1;2013-01-01;\n", ";1;2013-01-01;\n", 1) + (
        "person;N1;Ny Nørgaard;;;ny@test.dk;4;2026-01-01;\n"
    )
    response = upload_org_file(client, content.encode("utf-8-sig"))
    assert response.status_code == 200
    # First what the file would change, and nothing changed yet.
    assert "Nye personer: 1" in response.text and "intet er ændret endnu" in response.text
    assert _person("N1") is None
    token = _draft_token(response.text)
    applied = post(client, "/admin/import/anvend", {"udkast": token})
    assert "Organisationen er opdateret" in applied.text and "Nye personer: 1" in applied.text
    assert _person("N1") is not None
    # The draft is used up: applying it again sends the admin back to choose a file.
    again = post(client, "/admin/import/anvend", {"udkast": token}, follow_redirects=True)
    assert "Forhåndsvisningen er udløbet" in again.text


def _person(number: str) -> Person | None:
    db.session.expire_all()
    return db.session.scalar(select(Person).where(Person.employee_number == number))


def _draft_token(page: str) -> str:
    import re

    match = re.search(r'name="udkast" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def test_the_page_asks_before_deactivating_more_than_the_configured_share(
    client: FlaskClient, org: Org
) -> None:
    sign_in(client, org.admin)
    # A file with only the direktion and the centre: five of nine people would go.
    partial = "\n".join(
        line.replace(";LA;", ";;").replace(";LB;", ";;")
        for line in SMALL_ORG.splitlines()
        if not line.endswith((";3;2012-01-01;", ";3;2015-01-01;", ";3;2016-01-01;"))
        and not line.endswith((";4;2012-01-01;", ";4;2017-01-01;"))
    )
    preview = upload_org_file(client, partial.encode("utf-8"))
    assert "Filen vil deaktivere 5 af 9 aktive personer" in preview.text
    assert "Emma Åkjær (E1)" in preview.text  # who would go, by name
    token = _draft_token(preview.text)
    refused = post(client, "/admin/import/anvend", {"udkast": token})
    assert "Bekræft, at så mange skal deaktiveres" in refused.text
    assert org.employee.active and _person("E1") is not None and _person("E1").active  # type: ignore[union-attr]
    applied = post(client, "/admin/import/anvend", {"udkast": token, "bekraeft_deaktivering": "1"})
    assert "Organisationen er opdateret" in applied.text
    emma = _person("E1")
    assert emma is not None and not emma.active


def test_admin_upload_of_a_bad_file_shows_line_numbers(client: FlaskClient, org: Org) -> None:
    sign_in(client, org.admin)
    response = upload_org_file(client, (HEADER + "enhed;1;A;9;;;;;\n").encode())
    assert "Linje 2:" in response.text and "Intet er gemt" in response.text
    assert db.session.scalar(select(func.count()).select_from(OrgUnit)) == 4


def test_org_import_command(app: Flask, tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    path = tmp_path / "org.csv"
    path.write_text(SMALL_ORG, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["devtrack", "org", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "9 nye personer" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "enhed;1;A;1;;;;;\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["devtrack", "org", "import", str(bad)])
    assert result.exit_code == 1 and "linje 2" in result.output


def test_people_list_sorts_in_danish_order(client: FlaskClient, org: Org) -> None:
    sign_in(client, org.admin)
    text = client.get("/admin/personer").text
    names = ["Adam Admin", "Bo Ørsted", "Emma Åkjær", "Erik Østergaard", "Eva Bøgh"]
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions)
    # Æ, Ø, Å come after Z: "Lise Æbeltoft" after "Hanne HR".
    assert text.index("Hanne HR") < text.index("Lise Æbeltoft")


def test_danish_sort_key_puts_aeoeaa_after_z() -> None:
    from devtrack.people.collation import danish_sort_key

    names = ["Åse", "Zenia", "Ærø", "Øster", "Aase Ågård", "Anna", "Émile"]
    assert sorted(names, key=danish_sort_key) == [
        "Anna",
        "Émile",
        "Zenia",
        "Ærø",
        "Øster",
        "Åse",
        "Aase Ågård",  # "aa" counts as "å"
    ]


def test_an_address_passed_on_to_a_new_employee_moves_in_one_import(org: Org) -> None:
    # Eva leaves, and her address goes to the new employee who takes over her work.
    passed_on = SMALL_ORG.replace(
        "person;E3;Eva Bøgh;;;eva@test.dk;4;2017-01-01;\n",
        "person;N1;Nina Nørby;;;eva@test.dk;4;2026-01-01;\n",
    )
    report = sync_organisation(parse_org_file(passed_on.encode("utf-8")))
    db.session.commit()
    assert (len(report.changes.created), len(report.changes.deactivated)) == (1, 1)
    nina = db.session.scalar(select(Person).where(Person.employee_number == "N1"))
    assert nina is not None and nina.email == "eva@test.dk" and nina.active
    eva = org.people["E3"]
    assert not eva.active and eva.email != "eva@test.dk"
    # The next import of the same file changes nothing.
    again = sync_organisation(parse_org_file(passed_on.encode("utf-8")))
    assert (
        len(again.changes.created),
        len(again.changes.updated),
        len(again.changes.deactivated),
    ) == (0, 0, 0)


def test_two_people_swapping_addresses_in_one_import(org: Org) -> None:
    swapped = (
        SMALL_ORG.replace("emma@test.dk", "SWAP")
        .replace("erik@test.dk", "emma@test.dk")
        .replace("SWAP", "erik@test.dk")
    )
    report = sync_organisation(parse_org_file(swapped.encode("utf-8")))
    db.session.commit()
    assert len(report.changes.updated) == 2
    assert org.people["E1"].email == "erik@test.dk"
    assert org.people["E2"].email == "emma@test.dk"


def test_renamed_units_are_reported(client: FlaskClient, org: Org) -> None:
    renamed = SMALL_ORG.replace("enhed;4;Team Ørnereden;", "enhed;4;Team Ørnereden Syd;")
    sign_in(client, org.admin)
    response = upload_org_file(client, renamed.encode("utf-8"))
    assert response.status_code == 200
    assert "Omdøbte enheder: 1" in response.text
    assert "Team Ørnereden hedder nu Team Ørnereden Syd" in response.text
    applied = post(client, "/admin/import/anvend", {"udkast": _draft_token(response.text)})
    assert "Team Ørnereden hedder nu Team Ørnereden Syd" in applied.text
