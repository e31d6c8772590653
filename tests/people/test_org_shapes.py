"""The organisation's shape, end to end: from the HR file to "Mine medarbejdere" and the pages
it links to. A leader lists exactly the people they may open, and may open no one else."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from devtrack.extensions import db
from devtrack.people.models import Person
from tests.conftest import sign_in

# Team Uden Leder has no leader: its members, and the leader of the group below it, belong
# to the centre's leader. Tove leads two units in different places: Team To under the
# centre (her own unit) and Team Syv directly under the direktion. The unit she belongs to
# decides whom she reports to: the centre's leader, not the direktør.
SHAPES = """\ufefftype;id;navn;overordnet;leder;email;enhed;startdato;slutdato
enhed;1;Direktionen;;D1;;;;
enhed;2;Center for Ældre;1;C1;;;;
enhed;3;Team Uden Leder;2;;;;;
enhed;4;Team To;2;T2;;;;
enhed;7;Team Syv;1;T2;;;;
enhed;8;Gruppe Otte;3;G1;;;;
person;D1;Dorte Direktør;;;dorte@test.dk;1;2010-01-01;
person;S1;Sune Sekretær;;;sune@test.dk;1;2010-01-01;
person;C1;Carl Centerchef;;;carl@test.dk;2;2011-01-01;
person;M1;Mette Menig;;;mette@test.dk;3;2015-01-01;
person;M2;Mads Menig;;;mads@test.dk;3;2015-01-01;
person;T2;Tove Tolederen;;;tove@test.dk;4;2012-01-01;
person;P4;Per Fire;;;per@test.dk;4;2016-01-01;
person;P7;Pia Syv;;;pia@test.dk;7;2016-01-01;
person;G1;Gitte Gruppeleder;;;gitte@test.dk;8;2013-01-01;
person;P8;Poul Otte;;;poul@test.dk;8;2017-01-01;
"""

# leader -> the people "Mine medarbejdere" lists
TEAMS = {
    "D1": {"S1", "C1"},
    "C1": {"M1", "M2", "T2", "G1"},
    "T2": {"P4", "P7"},
    "G1": {"P8"},
    "M1": set(),
}


def test_each_leader_lists_exactly_the_people_they_may_open(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "org.csv"
    path.write_text(SHAPES, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["devtrack", "org", "import", str(path)])
    assert result.exit_code == 0, result.output
    people = {person.employee_number: person for person in db.session.scalars(select(Person))}
    number_of = {person.id: number for number, person in people.items()}

    for leader_number, team in TEAMS.items():
        client = app.test_client()
        sign_in(client, people[leader_number])
        page = client.get("/mine-medarbejdere").text
        listed = {number_of[int(found)] for found in re.findall(r'href="/tidslinje/(\d+)"', page)}
        assert listed == team, leader_number
        for number, person in people.items():
            if number == leader_number:
                continue
            expected = 200 if number in team else 404
            for address in (f"/tidslinje/{person.id}", f"/personer/{person.id}"):
                assert client.get(address).status_code == expected, (leader_number, address)
