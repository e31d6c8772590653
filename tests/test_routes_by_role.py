"""Every route, as every role: the table below is the access policy, and it must be complete."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.extensions import db
from tests.conftest import Org, World, csrf_token, fresh_world, sign_in

ROLES = ("anonymous", "employee", "own_leader", "other_leader", "hr", "admin")
SIGNIN = 302  # anonymous users are sent to the sign-in page


def expect(
    anonymous: int, employee: int, own_leader: int, other_leader: int, hr: int, admin: int
) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, employee, own_leader, other_leader, hr, admin), strict=True))


EVERYONE = expect(200, 200, 200, 200, 200, 200)
SIGNED_IN = expect(SIGNIN, 200, 200, 200, 200, 200)
ADMIN_ONLY = expect(SIGNIN, 403, 403, 403, 403, 200)
# A POST without a session has no CSRF token: refused before anything else (400).
ADMIN_ACTION = expect(400, 403, 403, 403, 403, 302)

# Personal objects (all the employee's) answer 404 to anyone who may not see them.
EMPLOYEE_ONLY = expect(SIGNIN, 200, 404, 404, 404, 404)
EMPLOYEE_AND_LEADER = expect(SIGNIN, 200, 200, 404, 404, 404)
EMPLOYEE_ACTION = expect(400, 302, 404, 404, 404, 404)
# A form posted empty is shown again with its errors.
EMPLOYEE_FORM = expect(400, 200, 404, 404, 404, 404)
SIGNED_IN_ACTION = expect(400, 302, 302, 302, 302, 302)
HR_ONLY = expect(SIGNIN, 403, 403, 403, 200, 403)
LEADER_ONLY = expect(SIGNIN, 404, 200, 404, 404, 404)
BOTH_ACTION = expect(400, 302, 302, 404, 404, 404)
BOTH_FORM = expect(400, 200, 200, 404, 404, 404)
API_ONLY = expect(*[401] * 6)


def _gus(o: World) -> tuple[int, int, int]:
    """A GUS round for the employee's team, its group meeting and the employee's request for
    an individual MUS: (round id, group id, the employee's GUS conversation id)."""
    from datetime import UTC, date, datetime

    from devtrack.conversations.models import Conversation, ConversationRound, RoundKind
    from devtrack.conversations.services import (
        book_group,
        create_round,
        groupable,
        open_round,
        request_individual,
    )
    from devtrack.grundlag.links import version_for_choices

    found = db.session.scalar(
        select(ConversationRound).where(ConversationRound.kind == RoundKind.GUS)
    )
    if found is None:
        version = version_for_choices()
        assert version is not None
        found = create_round(
            kind=RoundKind.GUS,
            title="GUS 2027",
            deadline=date(2099, 1, 31),
            unit_ids=[o.employee.unit_id],
            version=version,
            creator=o.hr,
        )
        open_round(found)
        # The employee alone: every object of the world is hers, so her colleague is refused.
        alone = [c for c in groupable(o.own_leader, found) if c.employee_id == o.employee.id]
        book_group(found, o.own_leader, alone, datetime.now(UTC), "")
        mine = db.session.scalars(
            select(Conversation).where(
                Conversation.round_id == found.id, Conversation.employee_id == o.employee.id
            )
        ).one()
        request_individual(mine)
        db.session.commit()
    mine = db.session.scalars(
        select(Conversation).where(
            Conversation.round_id == found.id, Conversation.employee_id == o.employee.id
        )
    ).one()
    assert mine.group_session_id is not None
    return found.id, mine.group_session_id, mine.id


# endpoint -> (method, path given the organisation, expected status per role)
Path = Callable[[World], str]
ROUTES: dict[str, tuple[str, Path, dict[str, int]]] = {
    "core.home": ("GET", lambda o: "/", SIGNED_IN),
    "core.healthz": ("GET", lambda o: "/healthz", EVERYONE),
    "core.accessibility_statement": ("GET", lambda o: "/tilgaengelighed", EVERYONE),
    "core.choose_language": ("POST", lambda o: "/sprog/en", SIGNED_IN_ACTION),
    "core.dkfds_asset": ("GET", lambda o: "/assets/dkfds/css/dkfds.min.css", EVERYONE),
    "static": ("GET", lambda o: "/static/css/app.css", EVERYONE),
    # Public like the page header that shows it; the tests configure no logo, hence 404.
    "core.municipality_logo": ("GET", lambda o: "/assets/logo/logo.svg", expect(*[404] * 6)),
    "auth.signin": ("GET", lambda o: "/log-ind", expect(200, 302, 302, 302, 302, 302)),
    "auth.signout": ("POST", lambda o: "/log-ud", expect(400, 302, 302, 302, 302, 302)),
    "auth.signout_everywhere": ("POST", lambda o: "/log-ud/alle-steder", SIGNED_IN_ACTION),
    "auth.change_password": ("GET", lambda o: "/adgangskode", SIGNED_IN),
    "auth.password_link": ("GET", lambda o: "/adgangskode/ny/ugyldigt-link", expect(*[404] * 6)),
    "grundlag.overview": ("GET", lambda o: "/grundlag/", SIGNED_IN),
    "grundlag.element": ("GET", lambda o: "/grundlag/mod", SIGNED_IN),
    "team.overview": ("GET", lambda o: "/mine-medarbejdere", SIGNED_IN),
    "profiles.profile": (
        "GET",
        lambda o: f"/personer/{o.employee.id}",
        expect(SIGNIN, 200, 200, 404, 404, 200),
    ),
    "people.people_list": ("GET", lambda o: "/admin/personer", ADMIN_ONLY),
    "people.person_create": ("GET", lambda o: "/admin/personer/ny", ADMIN_ONLY),
    "people.person_detail": ("GET", lambda o: f"/admin/personer/{o.employee.id}", ADMIN_ONLY),
    "people.person_roles": (
        "POST",
        lambda o: f"/admin/personer/{o.employee.id}/roller",
        ADMIN_ACTION,
    ),
    "people.person_deactivate": (
        "POST",
        lambda o: f"/admin/personer/{o.employee.id}/deaktiver",
        ADMIN_ACTION,
    ),
    "people.person_password_link": (
        "POST",
        lambda o: f"/admin/personer/{o.employee.id}/adgangskode-link",
        expect(400, 403, 403, 403, 403, 200),
    ),
    "people.unit_tree": ("GET", lambda o: "/admin/enheder", ADMIN_ONLY),
    "people.org_import": ("GET", lambda o: "/admin/import", ADMIN_ONLY),
    # Without a previewed file the admin is sent back to choose one.
    "people.org_import_apply": ("POST", lambda o: "/admin/import/anvend", ADMIN_ACTION),
    "audit.access_log": ("GET", lambda o: "/admin/adgangslog/", ADMIN_ONLY),
    "goals.index": ("GET", lambda o: "/maal/", SIGNED_IN),
    "goals.new": ("GET", lambda o: "/maal/nyt", SIGNED_IN),
    "goals.detail": ("GET", lambda o: f"/maal/{o.shared_goal_id}", EMPLOYEE_AND_LEADER),
    "goals.edit": ("GET", lambda o: f"/maal/{o.shared_goal_id}/rediger", EMPLOYEE_ONLY),
    "goals.progress": ("POST", lambda o: f"/maal/{o.shared_goal_id}/fremskridt", EMPLOYEE_FORM),
    "goals.status": ("POST", lambda o: f"/maal/{o.shared_goal_id}/status", EMPLOYEE_FORM),
    "goals.share": ("POST", lambda o: f"/maal/{o.draft_goal_id}/del", EMPLOYEE_ACTION),
    "feedback.index": ("GET", lambda o: "/feedback/", SIGNED_IN),
    "feedback.give": ("GET", lambda o: "/feedback/ny", SIGNED_IN),
    "feedback.ask": ("GET", lambda o: "/feedback/anmod", SIGNED_IN),
    "feedback.detail": (
        "GET",
        lambda o: f"/feedback/{o.leader_feedback_id}",
        EMPLOYEE_AND_LEADER,
    ),
    "feedback.reply": (
        "POST",
        lambda o: f"/feedback/{o.leader_feedback_id}/svar",
        expect(400, 200, 200, 404, 404, 404),
    ),
    "feedback.share": (
        "POST",
        lambda o: f"/feedback/{o.colleague_feedback_id}/del",
        EMPLOYEE_ACTION,
    ),
    "feedback.withdraw_request": (
        "POST",
        lambda o: f"/feedback/anmodning/{o.request_id}/tilbagetraek",
        EMPLOYEE_ACTION,
    ),
    "conversations.rounds": ("GET", lambda o: "/samtaler/runder/", HR_ONLY),
    "conversations.round_new": ("GET", lambda o: "/samtaler/runder/ny", HR_ONLY),
    "conversations.round_detail": ("GET", lambda o: f"/samtaler/runder/{o.round_id}", HR_ONLY),
    "conversations.round_open": (
        "POST",
        lambda o: f"/samtaler/runder/{o.round_id}/aabn",
        expect(400, 403, 403, 403, 302, 403),
    ),
    "conversations.round_extend": (
        "GET",
        lambda o: f"/samtaler/runder/{o.round_id}/enheder",
        HR_ONLY,
    ),
    "conversations.round_deadline": (
        "POST",
        lambda o: f"/samtaler/runder/{o.round_id}/frist",
        expect(400, 403, 403, 403, 200, 403),
    ),
    "conversations.mine": ("GET", lambda o: "/samtaler/", SIGNED_IN),
    "conversations.detail": (
        "GET",
        lambda o: f"/samtaler/{o.conversation_id}",
        EMPLOYEE_AND_LEADER,
    ),
    "conversations.book_time": (
        "GET",
        lambda o: f"/samtaler/{o.conversation_id}/book",
        LEADER_ONLY,
    ),
    "conversations.notes": (
        "GET",
        lambda o: f"/samtaler/{o.conversation_id}/noter",
        EMPLOYEE_AND_LEADER,
    ),
    "conversation_templates.overview": ("GET", lambda o: "/hr/skabeloner/", HR_ONLY),
    "conversation_templates.preview": (
        "GET",
        lambda o: f"/hr/skabeloner/version/{o.template_version_id}?side=leader",
        HR_ONLY,
    ),
    # Nothing is booked in the world: the leader is told so and sent back.
    "conversations.cancel_time": (
        "POST",
        lambda o: f"/samtaler/{o.conversation_id}/book/aflys",
        expect(400, 404, 302, 404, 404, 404),
    ),
    "conversations.prepare": (
        "GET",
        lambda o: f"/samtaler/{o.conversation_id}/forberedelse",
        EMPLOYEE_AND_LEADER,
    ),
    "conversations.held": (
        "POST",
        lambda o: f"/samtaler/{o.conversation_id}/afholdt",
        expect(400, 404, 302, 404, 404, 404),
    ),
    # Only in a GUS round; the world's round is a MUS.
    "conversations.individual": (
        "POST",
        lambda o: f"/samtaler/{o.conversation_id}/individuel",
        expect(400, 404, 404, 404, 404, 404),
    ),
    "conversations.group_new": (
        "GET",
        lambda o: f"/samtaler/runder/{_gus(o)[0]}/gruppe",
        LEADER_ONLY,
    ),
    "conversations.group": (
        "GET",
        lambda o: f"/samtaler/gruppe/{_gus(o)[1]}",
        EMPLOYEE_AND_LEADER,
    ),
    "conversations.group_notes": (
        "POST",
        lambda o: f"/samtaler/gruppe/{_gus(o)[1]}/noter",
        expect(400, 404, 302, 404, 404, 404),
    ),
    "conversations.group_held": (
        "POST",
        lambda o: f"/samtaler/gruppe/{_gus(o)[1]}/afholdt",
        expect(400, 404, 302, 404, 404, 404),
    ),
    "conversations.individual_create": (
        "POST",
        lambda o: f"/samtaler/{_gus(o)[2]}/individuel/opret",
        expect(400, 404, 302, 404, 404, 404),
    ),
    "conversations.plan": (
        "GET",
        lambda o: f"/samtaler/{o.conversation_id}/plan",
        EMPLOYEE_AND_LEADER,
    ),
    # An empty date clears it: the leader is sent back to the plan.
    "conversations.follow_up_date": (
        "POST",
        lambda o: f"/samtaler/{o.conversation_id}/plan/opfoelgningsdato",
        expect(400, 404, 302, 404, 404, 404),
    ),
    "conversations.plan_print": (
        "GET",
        lambda o: f"/samtaler/{o.conversation_id}/plan/print",
        EMPLOYEE_AND_LEADER,
    ),
    "conversations.agreement_new": (
        "POST",
        lambda o: f"/samtaler/{o.conversation_id}/plan/aftale",
        BOTH_FORM,
    ),
    "conversations.agreement_edit": (
        "GET",
        lambda o: f"/samtaler/{o.conversation_id}/plan/aftale/{o.agreement_id}",
        EMPLOYEE_AND_LEADER,
    ),
    "conversations.agreement_remove": (
        "POST",
        lambda o: f"/samtaler/{o.conversation_id}/plan/aftale/{o.agreement_id}/slet",
        BOTH_ACTION,
    ),
    "conversations.plan_pdf": (
        "GET",
        lambda o: f"/samtaler/{o.conversation_id}/plan/pdf",
        EMPLOYEE_AND_LEADER,
    ),
    "conversations.plan_summary": (
        "POST",
        lambda o: f"/samtaler/{o.conversation_id}/plan/referat",
        BOTH_ACTION,
    ),
    "conversations.acknowledge_plan": (
        "POST",
        lambda o: f"/samtaler/{o.conversation_id}/plan/kvitter",
        BOTH_ACTION,
    ),
    "conversations.follow_up": (
        "POST",
        lambda o: f"/samtaler/{o.conversation_id}/opfoelgning/{o.agreement_id}",
        BOTH_FORM,
    ),
    "reports.index": ("GET", lambda o: "/hr/rapporter/", HR_ONLY),
    "reports.coverage_page": ("GET", lambda o: "/hr/rapporter/daekning", HR_ONLY),
    "reports.coverage_export": ("GET", lambda o: "/hr/rapporter/daekning.csv", HR_ONLY),
    "reports.completion_page": ("GET", lambda o: "/hr/rapporter/gennemfoersel", HR_ONLY),
    "reports.completion_export": ("GET", lambda o: "/hr/rapporter/gennemfoersel.xlsx", HR_ONLY),
    "mydata.page": ("GET", lambda o: "/mine-data/", SIGNED_IN),
    "mydata.download": ("GET", lambda o: "/mine-data/mine-data.json", SIGNED_IN),
    "timeline.mine": ("GET", lambda o: "/tidslinje/", SIGNED_IN),
    "timeline.person": ("GET", lambda o: f"/tidslinje/{o.employee.id}", EMPLOYEE_AND_LEADER),
    "notifications.index": ("GET", lambda o: "/notifikationer/", SIGNED_IN),
    "notifications.read_all": ("POST", lambda o: "/notifikationer/laest", SIGNED_IN_ACTION),
    "notifications.open_one": (
        "POST",
        lambda o: f"/notifikationer/{o.notification_id}/aabn",
        EMPLOYEE_ACTION,
    ),
    "audit.access_log_export": ("GET", lambda o: "/admin/adgangslog/eksport.csv", ADMIN_ONLY),
    # The API answers bearer tokens only, never a session (tests/api check every scope).
    "api-docs.openapi_json": ("GET", lambda o: "/api/v1/openapi.json", EVERYONE),
    "api.grundlag_versions": ("GET", lambda o: "/api/v1/grundlag/versions", API_ONLY),
    "api.grundlag_version": ("GET", lambda o: "/api/v1/grundlag/versions/1", API_ONLY),
    "api.rounds": ("GET", lambda o: "/api/v1/rounds", API_ONLY),
    "api.round_completion": ("GET", lambda o: f"/api/v1/rounds/{o.round_id}", API_ONLY),
    "api.coverage_report": ("GET", lambda o: "/api/v1/reports/coverage", API_ONLY),
    "api.organisation": ("POST", lambda o: "/api/v1/organisation", API_ONLY),
    # Single sign-on: not configured in these tests (tests/browser/sso configure it), so absent.
    "sso.saml_metadata": ("GET", lambda o: "/saml/metadata", expect(*[404] * 6)),
    "sso.saml_signin": ("GET", lambda o: "/log-ind/saml", expect(*[404] * 6)),
    "sso.saml_acs": ("POST", lambda o: "/saml/acs", expect(*[404] * 6)),
    "sso.saml_logout": ("GET", lambda o: "/saml/logout", expect(*[404] * 6)),
    "sso.oidc_signin": ("GET", lambda o: "/log-ind/oidc", expect(*[404] * 6)),
    "sso.oidc_callback": ("GET", lambda o: "/oidc/callback", expect(*[404] * 6)),
    "api_docs.page": ("GET", lambda o: "/api/v1/docs/", EVERYONE),
    "api_docs.asset": ("GET", lambda o: "/api/v1/docs/assets/swagger-ui.css", EVERYONE),
    "api_clients.clients": ("GET", lambda o: "/admin/api-klienter/", ADMIN_ONLY),
    # No client with this id in the world: the admin is told so (404), the others refused first.
    "api_clients.revoke_client": (
        "POST",
        lambda o: "/admin/api-klienter/999/tilbagekald",
        expect(400, 403, 403, 403, 403, 404),
    ),
}


def test_every_route_is_in_the_table(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES), (
        f"not in the table: {sorted(endpoints - set(ROUTES))}; "
        f"no longer routes: {sorted(set(ROUTES) - endpoints)}"
    )


def _person(org: Org, role: str) -> object:
    return getattr(org, role)


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_answers_each_role_as_the_table_says(endpoint: str, app: Flask, world: World) -> None:
    """Each role in turn, each in a browser of their own. A POST that was not refused may have
    changed what the next role meets, so the next role gets the world afresh."""
    method, path, expected = ROUTES[endpoint]
    org, url = world, path(world)
    answers: dict[str, int] = {}
    wrong: list[str] = []
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            sign_in(client, getattr(org, role))
        if method == "POST":
            token = csrf_token(client) if role != "anonymous" else ""
            response = client.post(url, data={"csrf_token": token})
        else:
            response = client.get(url)
        response.close()
        answers[role] = response.status_code
        if response.status_code != expected[role]:
            wrong.append(f"{role} {url}: {response.status_code} {response.text[:300]}")
        if role == "anonymous" and expected[role] == SIGNIN and endpoint != "core.choose_language":
            assert "/log-ind" in response.headers.get("Location", ""), url
        if method == "POST" and response.status_code < 400:
            org = fresh_world()
            url = path(org)
    assert answers == expected, "\n".join(wrong)


def test_a_leader_opening_an_employees_page_leaves_an_entry(client: FlaskClient, org: Org) -> None:
    sign_in(client, org.own_leader)
    assert client.get(f"/personer/{org.employee.id}").status_code == 200
    entry = db.session.scalar(
        select(AccessLogEntry).where(
            AccessLogEntry.action == AccessAction.READ,
            AccessLogEntry.subject_id == org.employee.id,
        )
    )
    assert entry is not None
    assert entry.actor_id == org.own_leader.id
    assert entry.object_type == "person" and entry.client_address == "127.0.0.1"


def test_reading_ones_own_page_is_not_logged_but_refusals_are(
    client: FlaskClient, org: Org
) -> None:
    sign_in(client, org.employee)
    client.get(f"/personer/{org.employee.id}")
    client.get(f"/personer/{org.colleague.id}")
    client.get("/admin/personer")
    actions = db.session.scalars(
        select(AccessLogEntry.action).where(AccessLogEntry.actor_id == org.employee.id)
    ).all()
    assert AccessAction.READ not in actions
    assert actions.count(AccessAction.DENIED) == 2


def test_the_access_log_is_searchable_exportable_and_reading_it_is_logged(
    client: FlaskClient, org: Org
) -> None:
    leader = client.application.test_client()
    sign_in(leader, org.own_leader)
    leader.get(f"/personer/{org.employee.id}")
    sign_in(client, org.admin)
    page = client.get("/admin/adgangslog/?person=emma")
    assert "Lise Æbeltoft" in page.text
    assert "<td>læst" in page.text and "<td>read" not in page.text  # the action in Danish
    assert "Ingen poster" in client.get("/admin/adgangslog/?person=ingen-saadan").text
    assert "før fra-datoen" in client.get("/admin/adgangslog/?fra=2026-02-01&til=2026-01-01").text
    export = client.get("/admin/adgangslog/eksport.csv?person=emma")
    assert export.data.startswith("\ufeff".encode())
    assert ";read;" in export.text and "lise@test.dk" in export.text
    actions = db.session.scalars(
        select(AccessLogEntry.action).where(AccessLogEntry.actor_id == org.admin.id)
    ).all()
    assert AccessAction.EXPORT in actions and AccessAction.READ in actions


def _routes_with_object_ids(app: Flask) -> list[str]:
    """Pages with an object id (the API's take no session at all: 401 for every person)."""
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "<int:" in rule.rule and not rule.endpoint.startswith("api.")
    )


@pytest.mark.parametrize("person", ["E2", "E3", "C1", "D1"])
def test_no_object_is_reachable_by_another_person(
    client: FlaskClient, world: World, person: str
) -> None:
    """Every route with an object id, tried by a colleague, a person in another team, the
    leader's own leader and the director: all of the world's objects are the employee's."""
    endpoints = _routes_with_object_ids(client.application)
    assert len(endpoints) > 20
    sign_in(client, world.people[person])
    token = csrf_token(client)
    for endpoint in endpoints:
        method, path, _expected = ROUTES[endpoint]
        url = path(world)
        if method == "POST":
            response = client.post(url, data={"csrf_token": token})
        else:
            response = client.get(url)
        assert response.status_code in (403, 404), f"{endpoint} as {person}: {url}"
