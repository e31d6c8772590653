"""The front page fits the role: the employee's next step as one button, the leader's to-do
for their reports, HR's rounds at a glance."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from devtrack.i18n import today_in_denmark
from tests.conftest import Org, post
from tests.conversations.test_conversations import _agreement, _client, _conversation, _open_round


def _section(page: str, marker: str) -> str:
    return page.split(marker, 1)[1].split("</section>", 1)[0] if marker in page else ""


def test_each_role_sees_what_waits_for_them(client: FlaskClient, grundlag: Org) -> None:
    org = grundlag
    hr = _client(client, org.hr)
    round_id = _open_round(hr, org)
    gus_id = _open_round(hr, org, kind="gus", title="GUS 2027")
    emma = _conversation(round_id, org.employee)
    employee, leader = _client(client, org.employee), _client(client, org.own_leader)

    # The employee: prepare first.
    front = employee.get("/").text
    assert "Dit næste skridt" in front and "Forbered din samtale" in front
    assert "Din to-do som leder" not in front and 'id="home-rounds"' not in front
    # The leader: whose conversations need a time.
    todo = _section(leader.get("/").text, 'id="home-todo"')
    assert "Mangler en tid (4)" in todo  # a MUS and a GUS each
    assert "Emma Åkjær" in todo and "Erik Østergaard" in todo
    assert "Eva Bøgh" not in todo  # another leader's team

    gus_emma = _conversation(gus_id, org.employee)
    assert post(employee, f"/samtaler/{gus_emma.id}/individuel").status_code == 302
    assert "Ønsker individuel MUS (1)" in _section(leader.get("/").text, 'id="home-todo"')

    # A plan waits for the employee; an agreement soon due shows on the leader's list.
    path = f"/samtaler/{emma.id}"
    assert post(leader, f"{path}/afholdt").status_code == 302
    soon = _agreement(
        what="Læse bogen om konflikter",
        deadline=(today_in_denmark() + timedelta(days=3)).isoformat(),
    )
    assert post(employee, f"{path}/plan/aftale", soon).status_code == 302
    todo = _section(leader.get("/").text, 'id="home-todo"')
    assert "Aftaler med frist snart (1)" in todo and "Læse bogen om konflikter" in todo
    assert "Planer, du skal kvittere for (1)" in todo  # held, with an agreement
    post(leader, f"{path}/plan/kvitter")
    front = employee.get("/").text
    assert "Læs planen og kvittér" in front and f"{path}/plan" in front
    assert post(employee, "/sprog/en").status_code == 302
    assert "Read the plan and acknowledge it" in employee.get("/").text

    # HR: the opened rounds with their figures, names of no content.
    rounds = _section(hr.get("/").text, 'id="home-rounds"')
    assert "MUS 2027" in rounds and "GUS 2027" in rounds
    assert "Læse bogen" not in rounds
