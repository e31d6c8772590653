"""The MUS from round to follow-up, through the pages, as HR, employee and leader."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.conversations.models import (
    AgreementStatus,
    Conversation,
    ConversationRound,
    ConversationState,
)
from devtrack.extensions import db
from devtrack.i18n import today_in_denmark
from devtrack.people.models import OrgUnit
from tests.conftest import Org, form_value, post, sign_in


def _client(template: FlaskClient, person: Any) -> FlaskClient:
    client = template.application.test_client()
    sign_in(client, person)
    return client


def _open_round(hr: FlaskClient, org: Org, kind: str = "mus", title: str = "MUS 2027") -> int:
    root = db.session.scalar(select(OrgUnit.id).where(OrgUnit.external_id == "1"))
    deadline = (today_in_denmark() + timedelta(days=60)).isoformat()
    response = post(
        hr,
        "/samtaler/runder/ny",
        {"kind": kind, "title": title, "deadline": deadline, "units": [str(root)]},
    )
    assert response.status_code == 302, response.text[:2000]
    round_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert post(hr, f"/samtaler/runder/{round_id}/aabn").status_code == 302
    return round_id


def _conversation(round_id: int, person: Any) -> Conversation:
    found = db.session.scalar(
        select(Conversation).where(
            Conversation.round_id == round_id, Conversation.employee_id == person.id
        )
    )
    assert isinstance(found, Conversation)
    return found


def _agreement(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "what": "Deltage i kursus om konflikthåndtering",
        "kind": "course",
        "who_does_what": "Emma tilmelder sig; Lise finder midler.",
        "deadline": (today_in_denmark() + timedelta(days=120)).isoformat(),
        "success": "Emma tager selv de svære samtaler med forældre.",
    }
    data.update(overrides)
    if "links" not in data:
        data["links"] = [form_value("mod")]
    return data


def test_hr_opens_rounds_that_invite_the_right_people_once(
    client: FlaskClient, grundlag: Org
) -> None:
    hr = _client(client, grundlag.hr)
    mus = _open_round(hr, grundlag)
    invited = set(
        db.session.scalars(select(Conversation.employee_id).where(Conversation.round_id == mus))
    )
    numbers = {person.id: number for number, person in grundlag.people.items()}
    assert {numbers[person_id] for person_id in invited} == {"E1", "E2", "E3", "H1", "A1"}
    emma = _conversation(mus, grundlag.employee)
    assert emma.leader_id == grundlag.own_leader.id
    # Opening again invites no one twice.
    assert post(hr, f"/samtaler/runder/{mus}/aabn").status_code == 302
    assert (
        len(db.session.scalars(select(Conversation).where(Conversation.round_id == mus)).all()) == 5
    )
    lus = _open_round(hr, grundlag, kind="lus", title="LUS 2027")
    leaders = db.session.scalars(
        select(Conversation.employee_id).where(Conversation.round_id == lus)
    )
    assert {numbers[person_id] for person_id in leaders} == {"C1", "LA", "LB"}


def test_a_round_with_bad_input_explains_itself(client: FlaskClient, grundlag: Org) -> None:
    hr = _client(client, grundlag.hr)
    response = post(
        hr, "/samtaler/runder/ny", {"kind": "mus", "title": "", "deadline": "2020-01-01"}
    )
    assert "Giv runden en titel" in response.text
    past = post(
        hr,
        "/samtaler/runder/ny",
        {"kind": "mus", "title": "MUS", "deadline": "2020-01-01", "units": ["1"]},
    )
    assert "Fristen ligger i fortiden." in past.text
    assert db.session.scalars(select(ConversationRound)).all() == []
    employee = _client(client, grundlag.employee)
    assert employee.get("/samtaler/runder/").status_code == 403


def test_a_whole_mus_from_preparation_to_follow_up(client: FlaskClient, grundlag: Org) -> None:
    org = grundlag
    hr = _client(client, org.hr)
    round_id = _open_round(hr, org)
    conversation = _conversation(round_id, org.employee)
    path = f"/samtaler/{conversation.id}"
    employee = _client(client, org.employee)
    leader = _client(client, org.own_leader)

    # The employee prepares: a draft first, then done.
    prep = {
        "q_aaret_der_gik": "Et år med mange nye børn.",
        "q_trivsel": "Jeg trives, men er presset i perioder.",
        "topics-0-about": form_value("mod"),
        "topics-0-text": "Jeg vil øve mig i at sige fra.",
    }
    assert post(employee, f"{path}/forberedelse", {**prep, "draft": "1"}).status_code == 302
    db.session.expire_all()
    assert _conversation(round_id, org.employee).state == ConversationState.INVITED
    assert post(employee, f"{path}/forberedelse", {**prep, "submit": "1"}).status_code == 302
    # The leader prepares privately and shares one note.
    leader_prep = {
        "q_aaret_der_gik": "PRIVAT: overvejer at tale om sygefravær.",
        "q_delt_med_medarbejderen": "Jeg vil gerne høre om dine ønsker til næste år.",
    }
    assert post(leader, f"{path}/forberedelse", {**leader_prep, "submit": "1"}).status_code == 302
    employee_view = employee.get(path).text
    assert "Jeg vil gerne høre om dine ønsker til næste år." in employee_view
    assert "PRIVAT" not in employee_view
    leader_view = leader.get(path).text
    assert "PRIVAT" in leader_view and "Jeg vil øve mig i at sige fra." in leader_view

    # The leader books a time and holds the conversation.
    day = (today_in_denmark() + timedelta(days=7)).isoformat()
    booked = post(leader, f"{path}/book", {"day": day, "time": "10:30", "place": "Mødelokale 2"})
    assert booked.status_code == 302
    assert post(employee, f"{path}/book", {"day": day, "time": "10:30"}).status_code == 404
    assert post(leader, f"{path}/afholdt").status_code == 302

    # The plan: an agreement without an element is refused, with the text kept.
    bad = post(employee, f"{path}/plan/aftale", _agreement(links=[], what="Min egen tekst"))
    assert "Knyt aftalen til mindst ét element i grundlaget." in bad.text
    assert "Min egen tekst" in bad.text
    assert post(employee, f"{path}/plan/aftale", _agreement()).status_code == 302
    assert (
        post(
            leader,
            f"{path}/plan/aftale",
            _agreement(
                what="Sparring med en erfaren kollega",
                kind="sparring",
                links=[form_value("relationer")],
            ),
        ).status_code
        == 302
    )

    # The disagreement field says "optional" once, not twice.
    plan_page = employee.get(f"{path}/plan").text
    marked = plan_page.count('<span class="weight-normal">(valgfrit)')
    assert plan_page.count("(valgfrit)") == marked
    # Both acknowledge; the employee notes a disagreement. Then the plan is locked.
    post(employee, f"{path}/plan/kvitter", {"disagreement": "Jeg synes, kurset er for langt."})
    db.session.expire_all()
    assert _conversation(round_id, org.employee).plan.locked_at is None  # type: ignore[union-attr]
    post(leader, f"{path}/plan/kvitter")
    db.session.expire_all()
    conversation = _conversation(round_id, org.employee)
    assert conversation.state == ConversationState.PLAN_ACKNOWLEDGED
    plan = conversation.plan
    assert plan is not None and plan.locked_at is not None
    assert plan.disagreement == "Jeg synes, kurset er for langt."
    first = plan.agreements[0]

    # A change after locking is an amendment with its history.
    edit = leader.get(f"{path}/plan/aftale/{first.id}").text
    version = re.search(r'name="version" type="hidden" value="(\d+)"', edit)
    assert version is not None
    changed = _agreement(
        what="Kursus i konflikthåndtering, kortere udgave", version=version.group(1)
    )
    assert post(leader, f"{path}/plan/aftale/{first.id}", changed).status_code == 302
    page = employee.get(f"{path}/plan").text
    assert "Tillæg efter låsning" in page and "Aftale 1" in page
    assert "Aftalen ændret fra »Deltage i kursus om konflikthåndtering« til »Kursus i" in page
    assert post(leader, f"{path}/plan/aftale/{first.id}/slet").status_code == 302
    db.session.expire_all()
    assert len(_conversation(round_id, org.employee).plan.agreements) == 2  # type: ignore[union-attr]

    # Follow-up during the year.
    followed = post(
        leader,
        f"{path}/opfoelgning/{first.id}",
        {
            f"a{first.id}-status": "under_way",
            f"a{first.id}-note": "Tilmeldt forårets hold.",
            f"a{first.id}-on": today_in_denmark().isoformat(),
        },
    )
    assert followed.status_code == 302
    db.session.expire_all()
    conversation = _conversation(round_id, org.employee)
    assert conversation.state == ConversationState.FOLLOWED_UP
    assert conversation.plan is not None
    assert conversation.plan.agreements[0].status == AgreementStatus.UNDER_WAY
    printed = employee.get(f"{path}/plan/print").text
    assert "Kursus i konflikthåndtering, kortere udgave" in printed
    assert "Jeg synes, kurset er for langt." in printed

    # HR sees progress and names, never content.
    round_page = hr.get(f"/samtaler/runder/{round_id}").text
    assert "Emma Åkjær" in round_page and "Fulgt op" in round_page
    for secret in ("Et år med mange nye børn", "PRIVAT", "konflikthåndtering", "ønsker"):
        assert secret not in round_page
    assert hr.get(path).status_code == 404


def test_a_new_leader_inherits_and_the_next_year_starts_from_the_plan(
    client: FlaskClient, grundlag: Org
) -> None:
    org = grundlag
    hr = _client(client, org.hr)
    first_round = _open_round(hr, org)
    conversation = _conversation(first_round, org.employee)
    path = f"/samtaler/{conversation.id}"
    old_leader = _client(client, org.own_leader)
    post(old_leader, f"{path}/afholdt")
    post(old_leader, f"{path}/plan/aftale", _agreement(what="Lære tegnsprog"))
    assert old_leader.get(path).status_code == 200

    # Team Æblehaven gets a new leader: Bo takes over from Lise.
    unit = db.session.get(OrgUnit, org.employee.unit_id)
    assert unit is not None
    unit.leader_id = org.other_leader.id
    db.session.commit()
    new_leader = _client(client, org.other_leader)
    assert new_leader.get(path).status_code == 200
    assert "Lære tegnsprog" in new_leader.get(f"{path}/plan").text
    assert "Emma Åkjær" in new_leader.get("/mine-medarbejdere").text
    assert old_leader.get(path).status_code == 404
    read = db.session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.actor_id == org.other_leader.id,
            AccessLogEntry.action == AccessAction.READ,
            AccessLogEntry.object_type == "conversation",
        )
    ).all()
    assert read

    second_round = _open_round(hr, org, title="MUS 2028")
    next_conversation = _conversation(second_round, org.employee)
    assert next_conversation.leader_id == org.other_leader.id
    page = new_leader.get(f"/samtaler/{next_conversation.id}").text
    assert "Opfølgning fra sidst" in page and "Lære tegnsprog" in page


def test_two_people_saving_one_agreement_get_a_conflict_not_an_overwrite(
    client: FlaskClient, grundlag: Org
) -> None:
    org = grundlag
    round_id = _open_round(_client(client, org.hr), org)
    path = f"/samtaler/{_conversation(round_id, org.employee).id}"
    employee = _client(client, org.employee)
    leader = _client(client, org.own_leader)
    post(leader, f"{path}/plan/aftale", _agreement())
    agreement_id = _conversation(round_id, org.employee).plan.agreements[0].id  # type: ignore[union-attr]
    edit = f"{path}/plan/aftale/{agreement_id}"
    seen = re.search(r'name="version" type="hidden" value="(\d+)"', leader.get(edit).text)
    assert seen is not None
    assert (
        post(
            employee, edit, _agreement(what="Medarbejderens udgave", version=seen.group(1))
        ).status_code
        == 302
    )
    response = post(leader, edit, _agreement(what="Lederens udgave", version=seen.group(1)))
    assert response.status_code == 200
    assert "Aftalen er ændret, mens du skrev" in response.text
    assert "Lederens udgave" in response.text and "Medarbejderens udgave" in response.text
    db.session.expire_all()
    plan = _conversation(round_id, org.employee).plan
    assert plan is not None and plan.agreements[0].what == "Medarbejderens udgave"


@pytest.mark.parametrize("who", ["colleague", "other_leader", "hr", "admin"])
def test_a_conversation_that_is_not_yours_is_404(
    client: FlaskClient, grundlag: Org, who: str
) -> None:
    round_id = _open_round(_client(client, grundlag.hr), grundlag)
    path = f"/samtaler/{_conversation(round_id, grundlag.employee).id}"
    stranger = _client(client, getattr(grundlag, who))
    for url in (path, f"{path}/plan", f"{path}/forberedelse", f"{path}/plan/print"):
        assert stranger.get(url).status_code == 404, url
    assert post(stranger, f"{path}/plan/aftale", _agreement()).status_code == 404


def test_the_leaders_overview_shows_state_and_open_agreements(
    client: FlaskClient, grundlag: Org, count_queries: Any
) -> None:
    org = grundlag
    round_id = _open_round(_client(client, org.hr), org)
    leader = _client(client, org.own_leader)
    path = f"/samtaler/{_conversation(round_id, org.employee).id}"
    post(leader, f"{path}/afholdt")
    post(leader, f"{path}/plan/aftale", _agreement())
    with count_queries() as statements:
        page = leader.get("/mine-medarbejdere").text
    assert "MUS 2027" in page and "Afholdt" in page and "Inviteret" in page
    assert len(statements) < 20


def test_an_expired_session_does_not_lose_the_preparation_text(
    client: FlaskClient, world: Any
) -> None:
    employee = _client(client, world.employee)
    form_page = employee.get(f"/samtaler/{world.conversation_id}/forberedelse").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form_page)
    assert token is not None
    # The session ends (signed out elsewhere, or expired) while the person writes.
    post(employee, "/log-ud")
    response = employee.post(
        f"/samtaler/{world.conversation_id}/forberedelse",
        data={
            "csrf_token": token.group(1),
            "q_aaret_der_gik": "En lang tekst om året, skrevet i en time.",
            "q_trivsel": "Fint",  # one word is an answer too
            "side": "employee",
            "version": "",
            "submit": "1",
        },
    )
    assert response.status_code == 400
    page = response.text
    assert "Du er blevet logget ud" in page
    # Each answer is shown back under its question, one-word answers too; no tokens or buttons.
    assert "Hvad er gået godt i det forløbne år, og hvad har været svært?" in page
    assert "En lang tekst om året, skrevet i en time." in page
    assert "Hvordan trives du på arbejdet? Hvad giver dig energi, og hvad dræner dig?" in page
    assert ">Fint</textarea>" in page
    assert "Tekst 1" not in page and token.group(1) not in page
    conversation = db.session.get(Conversation, world.conversation_id)
    assert conversation is not None and conversation.prepared_at is None


def test_a_lus_is_prepared_on_the_leadership_part(client: FlaskClient, grundlag: Org) -> None:
    hr = _client(client, grundlag.hr)
    round_id = _open_round(hr, grundlag, kind="lus", title="LUS 2027")
    lise = _client(client, grundlag.own_leader)
    conversation = _conversation(round_id, grundlag.own_leader)
    page = lise.get(f"/samtaler/{conversation.id}/forberedelse").text
    assert f'value="{form_value("vores-opgave")}"' not in page  # an element for everyone
    assert f'value="{form_value("ledelse-retning")}"' in page


def test_a_moved_employees_open_conversation_moves_with_them(
    client: FlaskClient, grundlag: Org
) -> None:
    from devtrack.people.orgfile import parse_org_file
    from devtrack.people.services import sync_organisation
    from tests.conftest import SMALL_ORG

    hr = _client(client, grundlag.hr)
    round_id = _open_round(hr, grundlag)
    emma, erik = grundlag.employee, grundlag.colleague
    held = _conversation(round_id, erik)
    held.held_at = held.invited_at
    db.session.commit()
    team_a = held.unit_id
    # Emma and Erik both move to Team Ørnereden, Bo Ørsted's team, before Emma's MUS is held.
    moved = SMALL_ORG.replace("emma@test.dk;3", "emma@test.dk;4").replace(
        "erik@test.dk;3", "erik@test.dk;4"
    )
    sync_organisation(parse_org_file(moved.encode("utf-8")))
    db.session.commit()
    team_b = emma.unit_id
    open_one, held = _conversation(round_id, emma), _conversation(round_id, erik)
    assert (open_one.unit_id, open_one.leader_id) == (team_b, grundlag.other_leader.id)
    # A held conversation stays with the unit and the leader it was held with.
    assert (held.unit_id, held.leader_id) == (team_a, grundlag.own_leader.id)
    page = hr.get(f"/samtaler/runder/{round_id}").text
    assert re.search(r"Emma Åkjær</td><td>Team Ørnereden<", page)


def test_an_agreement_in_a_locked_plan_is_dropped_at_follow_up_not_removed(
    client: FlaskClient, world: Any
) -> None:
    from devtrack.conversations.models import Agreement
    from devtrack.i18n import utcnow

    conversation = db.session.get(Conversation, world.conversation_id)
    assert conversation is not None and conversation.plan is not None
    conversation.plan.locked_at = utcnow()
    db.session.commit()
    leader = _client(client, world.own_leader)
    path = f"/samtaler/{world.conversation_id}/plan/aftale/{world.agreement_id}/slet"
    answer = leader.get(post(leader, path).headers["Location"])
    assert "Planen er låst. Sæt aftalen til »Droppet« ved opfølgning i stedet." in answer.text
    assert db.session.get(Agreement, world.agreement_id) is not None
