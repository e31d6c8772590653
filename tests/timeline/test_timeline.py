"""The shared timeline: what each side sees, the filters, paging, and its query count."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.testing import FlaskClient

from devtrack.extensions import db
from devtrack.feedback.services import give_feedback
from devtrack.goals.services import add_progress, create_goal
from devtrack.people.models import Person
from tests.conftest import Org, World, choice, sign_in


def test_employee_and_leader_see_one_timeline_within_their_rights(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.employee)
    own = client.get("/tidslinje/").text
    for text in (
        "Tage ordet på personalemøder",
        "Et hemmeligt udkast",
        "Feedback fra Lise Æbeltoft",
        "Feedback fra Erik Østergaard",
    ):
        assert text in own
    leader = client.application.test_client()
    sign_in(leader, world.own_leader)
    theirs = leader.get(f"/tidslinje/{world.employee.id}").text
    assert "Tage ordet på personalemøder" in theirs
    assert "Feedback fra Lise Æbeltoft" in theirs
    assert "Et hemmeligt udkast" not in theirs  # a draft
    assert "Feedback fra Erik Østergaard" not in theirs  # not shared by the employee
    hr = client.application.test_client()
    sign_in(hr, world.hr)
    assert hr.get(f"/tidslinje/{world.employee.id}").status_code == 404


def test_filters_by_kind_and_element(client: FlaskClient, world: World) -> None:
    sign_in(client, world.employee)
    feedback_only = client.get("/tidslinje/?type=feedback").text
    assert "Feedback fra Lise Æbeltoft" in feedback_only
    assert "Tage ordet på personalemøder" not in feedback_only
    about_mod = client.get("/tidslinje/?element=mod").text
    assert "Tage ordet på personalemøder" in about_mod  # goal linked to Mod
    assert "Feedback fra Lise Æbeltoft" in about_mod  # feedback on a statement of Mod
    assert "Et hemmeligt udkast" not in about_mod  # linked to Helhed
    assert "Feedback fra Erik Østergaard" not in about_mod  # about Relationer
    unknown = client.get("/tidslinje/?element=findes-ikke&type=nonsens")
    assert unknown.status_code == 200
    assert "Elementet findes ikke i grundlaget" in unknown.text
    no_mus = client.get("/tidslinje/?siden=mus").text
    assert "Der er endnu ingen afholdt MUS" in no_mus


def _add_entries(org: Org, count: int) -> None:
    goal = create_goal(
        org.employee,
        title="Mange skridt",
        description="",
        target_date=None,
        choices=[choice("mod")],
        share=True,
    )
    for number in range(count):
        add_progress(
            goal,
            org.employee,
            text=f"Skridt nummer {number}",
            occurred_on=date(2026, 1, 1),
            milestone=False,
        )
        give_feedback(
            org.own_leader,
            org.employee,
            text=f"Feedback nummer {number}",
            situation_date=date(2026, 1, 1),
            choice=choice("helhed"),
        )
    db.session.commit()


def test_pages_go_back_in_time_without_gaps(client: FlaskClient, grundlag: Org) -> None:
    _add_entries(grundlag, 15)  # 2 goal events + 30 entries = 32
    sign_in(client, grundlag.employee)
    seen: list[str] = []
    page, path = 0, "/tidslinje/"
    while path:
        page += 1
        text = client.get(path).text
        seen += [line for line in text.split("\n") if "nummer" in line]
        path = f"/tidslinje/?side={page + 1}" if "Ældre" in text else ""
    assert page == 2
    numbers = {line.split("nummer ")[1].split("<")[0] for line in seen if "Skridt" in line}
    assert numbers == {str(number) for number in range(15)}


def test_the_timeline_runs_a_fixed_number_of_queries(
    client: FlaskClient, grundlag: Org, count_queries: Any
) -> None:
    leader = client.application.test_client()
    sign_in(leader, grundlag.own_leader)
    sign_in(client, grundlag.employee)

    def queries(viewer: FlaskClient, person: Person) -> int:
        with count_queries() as statements:
            assert viewer.get(f"/tidslinje/{person.id}").status_code == 200
        return len(statements)

    _add_entries(grundlag, 2)
    small = (queries(client, grundlag.employee), queries(leader, grundlag.employee))
    _add_entries(grundlag, 25)
    assert (queries(client, grundlag.employee), queries(leader, grundlag.employee)) == small


def test_the_element_page_mirrors_own_goals_feedback_and_the_team(
    client: FlaskClient, world: World, count_queries: Any
) -> None:
    sign_in(client, world.employee)
    page = client.get("/grundlag/mod").text
    assert "Dig og Mod" in page
    assert "Tage ordet på personalemøder" in page and "Fra Lise Æbeltoft" in page
    assert "medarbejdere arbejder med dette" not in page  # not a leader
    leader = client.application.test_client()
    sign_in(leader, world.own_leader)
    with count_queries() as statements:
        team = leader.get("/grundlag/mod").text
    assert "1 af dine 2 medarbejdere arbejder med dette i et aktivt mål." in team
    assert "Tage ordet på personalemøder" not in team  # the mirror shows one's own goals
    assert len(statements) < 30
    helhed = leader.get("/grundlag/helhed").text
    assert "0 af dine 2 medarbejdere" in helhed  # the draft on Helhed does not count


def test_since_my_last_mus_hides_what_came_before_and_shows_the_conversation(
    client: FlaskClient, world: World
) -> None:
    from devtrack.conversations.models import Conversation
    from devtrack.conversations.services import mark_held
    from devtrack.goals.models import Goal

    conversation = db.session.get(Conversation, world.conversation_id)
    goal = db.session.get(Goal, world.shared_goal_id)
    assert conversation is not None and goal is not None
    mark_held(conversation)
    db.session.commit()
    add_progress(
        goal, world.employee, text="Efter samtalen", occurred_on=date(2026, 11, 20), milestone=False
    )
    db.session.commit()
    sign_in(client, world.employee)
    since = client.get("/tidslinje/?siden=mus").text
    assert "Efter samtalen" in since
    assert "MUS 2027" in since  # the conversation itself
    assert "Feedback fra Lise Æbeltoft" not in since  # given before the conversation
    assert "Feedback fra Lise Æbeltoft" in client.get("/tidslinje/").text
