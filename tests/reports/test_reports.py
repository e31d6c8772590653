"""HR reports checked against figures counted by hand on the small organisation.

The small organisation: Direktionen (Dorte, Adam) above Center for Børn (Carl, Hanne), which
has Team Æblehaven (Lise, Emma, Erik) and Team Ørnereden (Bo, Eva): 9 active people.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.conversations.models import Conversation
from devtrack.conversations.services import mark_held
from devtrack.extensions import db
from devtrack.goals.services import create_goal
from devtrack.people.models import OrgUnit
from tests.conftest import World, choice, sign_in

SECRETS = (
    "Tage ordet på personalemøder",
    "Jeg så mod",
    "Tak for hjælpen",
    "Kursus i konflikthåndtering",
    "Et hemmeligt udkast",
)


@pytest.fixture
def threshold(app: Flask) -> Iterator[Any]:
    def set_to(value: int) -> None:
        app.config["REPORT_MIN_GROUP"] = value

    yield set_to
    app.config["REPORT_MIN_GROUP"] = 5


@pytest.fixture
def hr(client: FlaskClient, world: World) -> FlaskClient:
    # Eva in Team Ørnereden also works on Mod, in a shared goal.
    create_goal(
        world.people["E3"],
        title="Sige min mening",
        description="",
        target_date=None,
        choices=[choice("mod")],
        share=True,
    )
    db.session.commit()
    sign_in(client, world.hr)
    return client


def _unit(external_id: str) -> int:
    unit_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.external_id == external_id))
    assert unit_id is not None
    return unit_id


def _csv(client: FlaskClient, path: str) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))


def _row(rows: list[list[str]], unit: str) -> list[str]:
    return next(row for row in rows if row[0] == unit)


def test_coverage_counts_people_shares_and_feedback_per_unit_subtree(
    hr: FlaskClient, threshold: Any
) -> None:
    threshold(2)
    rows = _csv(hr, "/hr/rapporter/daekning.csv")
    header = rows[0]
    mod = header.index("Mod: personer")
    relationer_feedback = header.index("Relationer: feedback")
    # Emma (goal and agreement on Mod: counted once) in Æblehaven, Eva in Ørnereden.
    assert _row(rows, "Team Æblehaven")[1:2] == ["3"]
    assert _row(rows, "Team Æblehaven")[mod : mod + 3] == ["1", "33,3", "1"]
    assert _row(rows, "Team Ørnereden")[mod : mod + 3] == ["1", "50,0", "0"]
    assert _row(rows, "Center for Børn")[mod : mod + 3] == ["2", "28,6", "1"]
    assert _row(rows, "Direktionen")[1] == "9"
    assert _row(rows, "Direktionen")[mod : mod + 3] == ["2", "22,2", "1"]
    assert _row(rows, "Direktionen")[relationer_feedback] == "1"
    # Emma's draft on Helhed is hers alone: it counts nowhere.
    helhed = header.index("Helhed: personer")
    assert _row(rows, "Direktionen")[helhed] == "0"


def test_sources_period_and_unit_filters(hr: FlaskClient, threshold: Any) -> None:
    threshold(2)
    header, *rows = _csv(hr, "/hr/rapporter/daekning.csv?kilder=feedback")
    assert _row(rows, "Direktionen")[header.index("Mod: personer")] == "0"
    assert _row(rows, "Direktionen")[header.index("Mod: feedback")] == "1"
    header, *rows = _csv(hr, "/hr/rapporter/daekning.csv?kilder=agreements")
    assert _row(rows, "Direktionen")[header.index("Mod: personer")] == "1"  # Emma's agreement
    header, *rows = _csv(hr, f"/hr/rapporter/daekning.csv?enhed={_unit('4')}")
    assert [row[0] for row in rows] == ["Team Ørnereden"]
    header, *rows = _csv(hr, "/hr/rapporter/daekning.csv?fra=2020-01-01&til=2020-12-31")
    assert _row(rows, "Direktionen")[header.index("Mod: feedback")] == "0"


def test_small_groups_are_suppressed_and_cannot_be_subtracted(
    hr: FlaskClient, threshold: Any
) -> None:
    threshold(5)
    rows = _csv(hr, "/hr/rapporter/daekning.csv")
    hidden = "skjult (under 5 personer)"
    assert _row(rows, "Team Æblehaven")[1] == hidden  # 3 people
    assert _row(rows, "Team Ørnereden")[1] == hidden  # 2 people
    # Center has 7 people, but Direktionen (9) minus Center would give Dorte and Adam's
    # figures: so Center is hidden too, and says why.
    assert _row(rows, "Center for Børn")[1] == (
        "skjult (så ingen gruppe under 5 personer kan regnes ud)"
    )
    assert _row(rows, "Direktionen")[1] == "9"
    threshold(3)
    rows = _csv(hr, "/hr/rapporter/daekning.csv")
    assert _row(rows, "Team Ørnereden")[1] == "skjult (under 3 personer)"
    assert _row(rows, "Team Æblehaven")[1] == "3"
    # Center (7) may show Æblehaven: Center minus Æblehaven hides Ørnereden together with
    # Carl and Hanne (4 people). But Direktionen minus Center would reveal Dorte and Adam (2).
    assert _row(rows, "Center for Børn")[1] == (
        "skjult (så ingen gruppe under 3 personer kan regnes ud)"
    )
    page = hr.get("/hr/rapporter/daekning").text
    assert "skjult (under 3 personer)" in page
    assert "skjult (så ingen gruppe under 3 personer kan regnes ud)" in page


def test_completion_counts_and_shares_per_round_and_unit(hr: FlaskClient, world: World) -> None:
    conversation = db.session.get(Conversation, world.conversation_id)
    assert conversation is not None
    mark_held(conversation)
    db.session.commit()
    rows = _csv(hr, f"/hr/rapporter/gennemfoersel.csv?runde={world.round_id}")
    header = rows[0]
    team = _row(rows, "Team Æblehaven")
    assert team[header.index("Inviteret")] == "2"  # Emma and Erik; Lise leads the team
    assert team[header.index("Afholdt")] == "1"
    assert team[header.index("Afholdt, andel i %")] == "50,0"
    assert _row(rows, "Direktionen")[header.index("Inviteret")] == "2"
    page = hr.get(f"/hr/rapporter/gennemfoersel?runde={world.round_id}").text
    assert "MUS 2027" in page and "<svg" in page and 'role="img"' in page


def test_exports_open_as_spreadsheets_are_logged_and_hold_no_content(
    hr: FlaskClient, world: World, threshold: Any
) -> None:
    threshold(2)
    response = hr.get("/hr/rapporter/daekning.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Enhed"
    assert any(row[0] == "Team Æblehaven" and row[1] == 3 for row in values)
    completion = hr.get(f"/hr/rapporter/gennemfoersel.xlsx?runde={world.round_id}")
    assert load_workbook(io.BytesIO(completion.data)).active["A1"].value == "Enhed"
    everything = [
        hr.get(path).data.decode("utf-8", "replace")
        for path in (
            "/hr/rapporter/daekning",
            "/hr/rapporter/daekning.csv",
            "/hr/rapporter/gennemfoersel",
            "/hr/rapporter/gennemfoersel.csv",
        )
    ] + [str(values)]
    for text in everything:
        for secret in SECRETS:
            assert secret not in text
    exports = db.session.scalars(
        select(AccessLogEntry.object_type).where(AccessLogEntry.action == AccessAction.EXPORT)
    ).all()
    assert sorted(set(exports)) == ["report_daekning", "report_gennemfoersel"]
    assert len(exports) == 4


def test_a_unit_named_like_a_formula_is_neutralised_in_exports(
    hr: FlaskClient, threshold: Any
) -> None:
    threshold(1)
    unit = db.session.get(OrgUnit, _unit("4"))
    assert unit is not None
    unit.name = '=HYPERLINK("http://evil")'
    db.session.commit()
    rows = _csv(hr, "/hr/rapporter/daekning.csv")
    assert any(row[0] == '\'=HYPERLINK("http://evil")' for row in rows)
    sheet = load_workbook(io.BytesIO(hr.get("/hr/rapporter/daekning.xlsx").data)).active
    # In XLSX the cell is text (shown as typed), never a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert any(
        cell.value == '=HYPERLINK("http://evil")' for row in sheet.iter_rows() for cell in row
    )


def test_bad_filters_explain_themselves(hr: FlaskClient) -> None:
    backwards = hr.get("/hr/rapporter/daekning?fra=2027-01-01&til=2026-01-01")
    assert backwards.status_code == 200
    assert "Perioden slutter, før den begynder." in backwards.text
    unknown = hr.get("/hr/rapporter/daekning?enhed=999999&runde=888888&fra=nonsens")
    assert unknown.status_code == 200
    for message in ("Enheden findes ikke", "Runden findes ikke", "Skriv datoen som"):
        assert message in unknown.text
    assert hr.get("/hr/rapporter/gennemfoersel?runde=888888").status_code == 200
    assert hr.get("/hr/rapporter/daekning.pdf").status_code == 404


def test_reports_run_a_fixed_number_of_queries(
    hr: FlaskClient, world: World, count_queries: Any
) -> None:
    def queries() -> tuple[int, int]:
        with count_queries() as coverage:
            assert hr.get("/hr/rapporter/daekning").status_code == 200
        with count_queries() as completion:
            assert hr.get("/hr/rapporter/gennemfoersel").status_code == 200
        return len(coverage), len(completion)

    before = queries()
    for number in range(10):
        create_goal(
            world.colleague,
            title=f"Mål {number}",
            description="",
            target_date=None,
            choices=[choice("mod"), choice("helhed")],
            share=True,
        )
    db.session.commit()
    assert queries() == before


def _group_under_the_team() -> OrgUnit:
    """A unit three levels down, "Gruppe Solsikken" under Team Æblehaven; the team."""
    team = db.session.get(OrgUnit, _unit("3"))
    assert team is not None
    db.session.add(OrgUnit(external_id="5", name="Gruppe Solsikken", parent_id=team.id))
    db.session.commit()
    return team


def test_pages_show_two_levels_below_the_unit_and_the_exports_all(
    hr: FlaskClient, threshold: Any
) -> None:
    threshold(1)
    team = _group_under_the_team()
    row = re.compile(r'<th scope="row"[^>]*>(?:<a [^>]*>)?([^<]+)<')
    rows = row.findall(hr.get("/hr/rapporter/daekning").text)
    assert "Team Æblehaven" in rows and "Gruppe Solsikken" not in rows
    assert "Gruppe Solsikken" in hr.get("/hr/rapporter/daekning.csv").data.decode("utf-8-sig")
    deeper = row.findall(hr.get(f"/hr/rapporter/daekning?enhed={team.id}").text)
    assert deeper == ["Team Æblehaven", "Gruppe Solsikken"]


def _options(page: str) -> list[tuple[str, str, bool]]:
    """The unit chooser's options: (value, name without indentation, selected)."""
    chooser = re.search(r'<select[^>]* name="enhed"[^>]*>(.*?)</select>', page, re.S)
    assert chooser is not None
    return [
        (value, name.strip("\u2003 \n"), bool(selected))
        for value, selected, name in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', chooser.group(1)
        )
    ]


def test_the_unit_chooser_lists_the_units_place_and_the_levels_shown(
    hr: FlaskClient, world: World, threshold: Any
) -> None:
    threshold(1)
    team = _group_under_the_team()
    everything = ["Hele organisationen", "Direktionen", "Center for Børn"]
    for path in ("/hr/rapporter/daekning", "/hr/rapporter/gennemfoersel"):
        # The whole organisation: two levels below the top, not the group three levels down.
        page = hr.get(f"{path}?runde={world.round_id}").text
        names = [name for _value, name, _selected in _options(page)]
        assert names == [*everything, "Team Æblehaven", "Team Ørnereden"]
        # The table's link to the team keeps the other filters.
        link = re.search(r'<th scope="row"[^>]*><a href="([^"]+)">Team Æblehaven<', page)
        assert link is not None
        assert link.group(1).replace("&amp;", "&").endswith(f"&enhed={team.id}")
        assert f"runde={world.round_id}" in link.group(1)
        followed = hr.get(link.group(1).replace("&amp;", "&"))
        assert [value for value, _name, chosen in _options(followed.text) if chosen] == [
            str(team.id)
        ]
        # A team: the units above it, the team (chosen) and its group; not the other team.
        page = hr.get(f"{path}?enhed={team.id}&runde={world.round_id}").text
        options = _options(page)
        assert [name for _value, name, _selected in options] == [
            *everything,
            "Team Æblehaven",
            "Gruppe Solsikken",
        ]
        assert [value for value, _name, selected in options if selected] == [str(team.id)]
        # The way back up: a link to each unit above the team.
        crumbs = re.search(r'<nav class="breadcrumbs" aria-label="[^"]+">(.*?)</nav>', page, re.S)
        assert crumbs is not None
        assert re.findall(r"<a [^>]*>([^<]+)</a>", crumbs.group(1)) == everything
        assert f"enhed={_unit('2')}" in crumbs.group(1)


def test_a_units_figures_are_the_same_as_in_the_whole_organisation(
    hr: FlaskClient, threshold: Any
) -> None:
    # One unit's figures are counted from its own people first; the whole organisation's from
    # the element links first. Both must give the same figures, source by source.
    threshold(1)
    for sources in ("", "?kilder=goals", "?kilder=agreements", "?kilder=feedback"):
        whole = _csv(hr, f"/hr/rapporter/daekning.csv{sources}")
        separator = "&" if sources else "?"
        centre = _csv(hr, f"/hr/rapporter/daekning.csv{sources}{separator}enhed={_unit('2')}")
        assert centre[0] == whole[0]
        assert [row[0] for row in centre[1:]] == [
            "Center for Børn",
            "Team Æblehaven",
            "Team Ørnereden",
        ]
        for row in centre[1:]:
            assert row == _row(whole, row[0])


def test_the_trend_takes_the_chosen_rounds_figures_from_its_report(
    app: Flask, world: World
) -> None:
    from datetime import date

    from devtrack.conversations.models import ConversationRound, RoundKind
    from devtrack.conversations.services import create_round, open_round
    from devtrack.grundlag.links import version_for_choices
    from devtrack.i18n import today_in_denmark
    from devtrack.reports.services import completion, completion_trend

    conversation = db.session.get(Conversation, world.conversation_id)
    assert conversation is not None
    mark_held(conversation)
    version = version_for_choices()
    assert version is not None
    for kind, deadline in ((RoundKind.MUS, date(2098, 1, 31)), (RoundKind.LUS, date(2097, 1, 31))):
        other = create_round(
            kind=kind,
            title=f"{kind} før",
            deadline=deadline,
            unit_ids=[_unit("1")],
            version=version,
            creator=world.hr,
        )
        open_round(other)
    db.session.commit()
    chosen = db.session.get(ConversationRound, world.round_id)
    assert chosen is not None

    def figures(points: list[Any]) -> list[tuple[str, int, int, int]]:
        return [(p.round.title, p.invited, p.held, p.acknowledged) for p in points]

    counted = figures(completion_trend(chosen.kind))
    assert [title for title, *_rest in counted] == ["mus før", "MUS 2027"]
    assert counted[1] == ("MUS 2027", 2, 1, 0)
    # The chosen round's figures come from its report, even one for a single team.
    report = completion(chosen, _unit("3"), today_in_denmark(), max_depth=0)
    assert figures(completion_trend(chosen.kind, report)) == counted
    assert figures(completion_trend(RoundKind.LUS, report)) == figures(
        completion_trend(RoundKind.LUS)
    )


def test_completion_has_the_rounds_own_step_figures(hr: FlaskClient, world: World) -> None:
    from datetime import date

    from devtrack.conversations.models import ConversationRound
    from devtrack.conversations.services import STEPS, step_counts
    from devtrack.i18n import today_in_denmark

    conversation = db.session.get(Conversation, world.conversation_id)
    assert conversation is not None
    mark_held(conversation)
    chosen = db.session.get(ConversationRound, world.round_id)
    assert chosen is not None
    chosen.deadline = date(2020, 1, 31)  # passed: those not held are overdue
    db.session.commit()
    (team_counts,) = step_counts(chosen, today_in_denmark()).values()
    assert team_counts["overdue"] == 1
    rows = _csv(hr, f"/hr/rapporter/gennemfoersel.csv?runde={world.round_id}")
    header = rows[0]
    names = ("Inviteret", "Booket", "Forberedt", "Afholdt", "Plan kvitteret", "Fulgt op")
    for unit in ("Team Æblehaven", "Center for Børn", "Direktionen"):
        row = _row(rows, unit)
        shown = [int(row[header.index(name)]) for name in (*names, "Overskredet")]
        assert shown == [team_counts[step] for step in STEPS]


def test_without_a_grundlag_in_use_the_coverage_page_still_offers_the_units(
    client: FlaskClient, org: Any
) -> None:
    sign_in(client, org.hr)
    page = client.get(f"/hr/rapporter/daekning?enhed={_unit('3')}")
    assert page.status_code == 200
    assert "Organisationen har endnu ikke et grundlag i brug." in page.text
    names = [name for _value, name, _selected in _options(page.text)]
    assert names == ["Hele organisationen", "Direktionen", "Center for Børn", "Team Æblehaven"]
