"""Personal goals through the pages: writing, linking to the grundlag, progress, status, sharing."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.extensions import db
from devtrack.goals.models import Goal, GoalEvent, GoalEventKind, GoalStatus
from devtrack.grundlag.importer import parse_grundlag
from devtrack.grundlag.models import Framework, GrundlagElement
from devtrack.grundlag.services import import_grundlag
from devtrack.i18n import today_in_denmark
from tests.conftest import SEED_DIR, Org, World, form_value, post, sign_in


def _goal_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Lede et fagligt møde hver måned",
        "description": "Jeg vil øve mig i at facilitere.",
        "target_date": (today_in_denmark() + timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    if "links" not in data:
        data["links"] = [form_value("mod"), form_value("helhed", "s2")]
    return data


def test_an_employee_writes_a_draft_goal_linked_to_the_grundlag(
    client: FlaskClient, grundlag: Org
) -> None:
    sign_in(client, grundlag.employee)
    response = post(client, "/maal/nyt", _goal_form())
    assert response.status_code == 302
    goal = db.session.scalars(select(Goal)).one()
    assert goal.status == GoalStatus.DRAFT and not goal.is_shared
    assert sorted(link.reference_key for link in goal.links) == sorted(
        [form_value("mod"), form_value("helhed", "s2")]
    )
    page = client.get(response.headers["Location"]).text
    assert "Lede et fagligt møde hver måned" in page
    assert "Mod" in page and "Kladde, kun synlig for dig" in page


def test_bad_goal_input_gets_messages_at_the_fields_and_keeps_the_text(
    client: FlaskClient, grundlag: Org
) -> None:
    sign_in(client, grundlag.employee)
    response = post(
        client,
        "/maal/nyt",
        _goal_form(title="", description="x" * 4001, links=[], target_date="31-02-2027"),
    )
    assert response.status_code == 200
    page = response.text
    assert "Giv målet en titel." in page
    assert "Skriv højst 4000 tegn." in page
    assert "Vælg mindst ét element fra grundlaget." in page
    assert "Skriv datoen som år-måned-dag" in page
    assert "x" * 4001 in page  # what was typed is still there
    past = post(client, "/maal/nyt", _goal_form(target_date="2020-01-01"))
    assert "Måldatoen ligger i fortiden." in past.text
    assert "Lede et fagligt møde hver måned" in past.text
    assert db.session.scalars(select(Goal)).all() == []


def test_a_link_to_another_framework_or_a_retired_element_is_refused(
    client: FlaskClient, grundlag: Org
) -> None:
    other = import_grundlag(
        parse_grundlag((SEED_DIR / "grundlag" / "odense.yaml").read_text("utf-8"))
    ).framework
    db.session.commit()
    foreign = db.session.scalar(
        select(GrundlagElement).where(GrundlagElement.framework_id == other.id).limit(1)
    )
    assert foreign is not None
    sign_in(client, grundlag.employee)
    page = post(client, "/maal/nyt", _goal_form(links=[f"e{foreign.id}"])).text
    assert "hører til et andet grundlag" in page

    # A new version of the grundlag without "Mod": the element is retired.
    document = parse_grundlag((SEED_DIR / "grundlag" / "albertslund.yaml").read_text("utf-8"))
    for part in document.parts:
        part.elements = [element for element in part.elements if element.key != "mod"]
    import_grundlag(document)
    db.session.commit()
    page = post(client, "/maal/nyt", _goal_form(links=[form_value_of_key("mod")])).text
    assert "udgået af den gældende version" in page
    assert post(client, "/maal/nyt", _goal_form(links=["e999999"])).status_code == 200
    assert db.session.scalars(select(Goal)).all() == []


def form_value_of_key(key: str) -> str:
    """The element of the framework in use with this key (Odense's grundlag has a "mod" too)."""
    element = db.session.scalar(
        select(GrundlagElement)
        .join(Framework, Framework.id == GrundlagElement.framework_id)
        .where(Framework.in_use.is_(True), GrundlagElement.key == key)
    )
    assert element is not None
    return f"e{element.id}"


def test_progress_and_status_changes_are_kept_as_history(client: FlaskClient, world: World) -> None:
    sign_in(client, world.employee)
    goal_path = f"/maal/{world.shared_goal_id}"
    today = today_in_denmark()
    response = post(
        client,
        f"{goal_path}/fremskridt",
        {
            "progress-text": "Holdt det første møde.",
            "progress-occurred_on": today.isoformat(),
            "progress-milestone": "y",
        },
    )
    assert response.status_code == 302
    future = post(
        client,
        f"{goal_path}/fremskridt",
        {
            "progress-text": "Noget der ikke er sket endnu.",
            "progress-occurred_on": (today + timedelta(days=3)).isoformat(),
        },
    )
    assert "Datoen ligger i fremtiden." in future.text
    assert "Noget der ikke er sket endnu." in future.text
    assert post(client, f"{goal_path}/status", {"status-status": "paused"}).status_code == 302
    assert post(client, f"{goal_path}/status", {"status-status": "draft"}).status_code == 200
    kinds = db.session.scalars(
        select(GoalEvent.kind)
        .where(GoalEvent.goal_id == world.shared_goal_id)
        .order_by(GoalEvent.id)
    ).all()
    assert kinds == [
        GoalEventKind.CREATED,
        GoalEventKind.SHARED,
        GoalEventKind.PROGRESS,
        GoalEventKind.STATUS,
    ]
    page = client.get(goal_path).text
    assert "Holdt det første møde." in page and "Milepæl" in page
    assert "Status ændret fra Aktivt til Sat på pause." in page


def test_a_draft_is_the_owners_alone_until_shared(client: FlaskClient, world: World) -> None:
    draft = f"/maal/{world.draft_goal_id}"
    sign_in(client, world.own_leader)
    assert client.get(draft).status_code == 404
    assert "Et hemmeligt udkast" not in client.get(f"/tidslinje/{world.employee.id}").text
    employee = client.application.test_client()
    sign_in(employee, world.employee)
    assert post(employee, f"{draft}/del").status_code == 302
    assert client.get(draft).status_code == 200
    assert "Et hemmeligt udkast" in client.get(f"/tidslinje/{world.employee.id}").text
    goal = db.session.get(Goal, world.draft_goal_id)
    assert goal is not None and goal.status == GoalStatus.ACTIVE


def test_the_leader_reading_a_goal_is_logged_and_others_get_404(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.own_leader)
    assert client.get(f"/maal/{world.shared_goal_id}").status_code == 200
    logged = db.session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.actor_id == world.own_leader.id,
            AccessLogEntry.object_type == "goal",
        )
    ).all()
    assert [(entry.action, entry.subject_id) for entry in logged] == [
        (AccessAction.READ, world.employee.id)
    ]
    colleague = client.application.test_client()
    sign_in(colleague, world.colleague)
    assert colleague.get(f"/maal/{world.shared_goal_id}").status_code == 404
    assert colleague.get("/maal/999999").status_code == 404


def test_saving_over_a_newer_version_is_a_conflict_that_keeps_the_text(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.employee)
    edit = f"/maal/{world.shared_goal_id}/rediger"
    form = client.get(edit).text
    assert 'name="version" type="hidden" value="' in form
    seen = form.split('name="version" type="hidden" value="')[1].split('"')[0]
    # Meanwhile, the same person saves from another tab.
    other_tab = client.application.test_client()
    sign_in(other_tab, world.employee)
    first = _goal_form(title="Den første udgave", links=[form_value("mod")], version=seen)
    assert post(other_tab, edit, first).status_code == 302
    second = _goal_form(title="Min udgave, skrevet samtidig", links=[form_value("mod")])
    second["version"] = seen
    response = post(client, edit, second)
    assert response.status_code == 200
    assert "Målet er ændret, mens du skrev" in response.text
    assert "Min udgave, skrevet samtidig" in response.text  # the typed text is kept
    assert "Den første udgave" in response.text  # the newer saved version is shown
    goal = db.session.get(Goal, world.shared_goal_id)
    assert goal is not None and goal.title == "Den første udgave"


def test_the_goal_page_runs_a_fixed_number_of_queries(
    client: FlaskClient, world: World, count_queries: object
) -> None:
    sign_in(client, world.employee)
    path = f"/maal/{world.shared_goal_id}"

    def queries() -> int:
        with count_queries() as statements:  # type: ignore[operator]
            assert client.get(path).status_code == 200
        return len(statements)

    before = queries()
    for number in range(15):
        post(
            client,
            f"{path}/fremskridt",
            {
                "progress-text": f"Skridt {number}",
                "progress-occurred_on": today_in_denmark().isoformat(),
            },
        )
    assert queries() == before
