"""A leader's private preparation stays with its author, also after the organisation file
gives the team a new leader; the new leader sees only the notes that were shared."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from devtrack.extensions import db
from tests.conftest import SMALL_ORG, Org, post
from tests.conversations.test_conversations import _client, _conversation, _open_round


def test_a_new_leader_never_sees_the_former_leaders_private_preparation(
    client: FlaskClient, grundlag: Org, tmp_path: Path
) -> None:
    org = grundlag
    round_id = _open_round(_client(client, org.hr), org)
    path = f"/samtaler/{_conversation(round_id, org.employee).id}"
    lise = _client(client, org.own_leader)
    private = {
        "q_aaret_der_gik": "PRIVAT-LISE: overvejer at tale om sygefravær.",
        "topics-0-about": "",
        "q_delt_med_medarbejderen": "DELT: jeg vil høre om dine ønsker.",
        "submit": "1",
    }
    assert post(lise, f"{path}/forberedelse", private).status_code == 302
    assert "PRIVAT-LISE" in lise.get(path).text

    # The HR system's file now names Bo as Team Æblehaven's leader.
    new_file = tmp_path / "organisation.csv"
    new_file.write_text(
        SMALL_ORG.replace("enhed;3;Team Æblehaven;2;LA;", "enhed;3;Team Æblehaven;2;LB;"),
        encoding="utf-8",
    )
    result = client.application.test_cli_runner().invoke(
        args=["devtrack", "org", "import", str(new_file)]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()

    bo = _client(client, org.other_leader)
    page = bo.get(path)
    assert page.status_code == 200
    assert "DELT: jeg vil høre om dine ønsker." in page.text
    assert "PRIVAT-LISE" not in page.text
    assert "Kun du ser din forberedelse" not in page.text
    form = bo.get(f"{path}/forberedelse").text
    assert "PRIVAT-LISE" not in form
    assert "DELT: jeg vil høre om dine ønsker." in form

    # Bo's own preparation is his: he sees it, the employee sees only what he shares.
    mine = {"q_aaret_der_gik": "PRIVAT-BO", "q_delt_med_medarbejderen": "DELT-BO", "submit": "1"}
    assert post(bo, f"{path}/forberedelse", mine).status_code == 302
    assert "PRIVAT-BO" in bo.get(path).text
    employee_page = _client(client, org.employee).get(path).text
    assert "DELT-BO" in employee_page and "PRIVAT" not in employee_page
