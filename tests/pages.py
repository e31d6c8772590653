"""Every page of devtrack, by the role that sees it: walked by the browser and language tests."""

from __future__ import annotations

from tests.conftest import World


def pages_by_role(org: World) -> dict[str, list[str]]:
    """Each signed-in role's email and the paths it opens (the shared world's ids filled in)."""
    conversation = f"/samtaler/{org.conversation_id}"
    return {
        org.employee.email: [
            "/",
            "/grundlag/",
            "/grundlag/mod",
            "/grundlag/ledelse-retning",
            f"/personer/{org.employee.id}",
            "/adgangskode",
            "/maal/",
            "/maal/nyt",
            f"/maal/{org.shared_goal_id}",
            f"/maal/{org.shared_goal_id}/rediger",
            "/feedback/",
            "/feedback/ny",
            "/feedback/anmod",
            f"/feedback/{org.leader_feedback_id}",
            "/tidslinje/",
            "/tidslinje/?type=feedback&element=mod",
            "/notifikationer/",
            "/samtaler/",
            "/mine-data/",
            conversation,
            f"{conversation}/forberedelse",
            f"{conversation}/noter",
            f"{conversation}/plan",
            f"{conversation}/plan/aftale/{org.agreement_id}",
            f"{conversation}/plan/print",
        ],
        org.own_leader.email: [
            "/",
            "/mine-medarbejdere",
            f"/personer/{org.employee.id}",
            f"/tidslinje/{org.employee.id}",
            "/grundlag/mod",
            conversation,
            f"{conversation}/book",
            f"{conversation}/forberedelse",
        ],
        org.hr.email: [
            "/",
            "/samtaler/runder/",
            "/samtaler/runder/ny",
            f"/samtaler/runder/{org.round_id}",
            "/hr/skabeloner/",
            f"/hr/skabeloner/version/{org.template_version_id}",
            f"/hr/skabeloner/version/{org.template_version_id}?side=leader",
            f"/samtaler/runder/{org.round_id}/enheder",
            "/hr/rapporter/",
            "/hr/rapporter/daekning",
            "/hr/rapporter/daekning?fra=2027-01-01&til=2026-01-01&enhed=999",
            f"/hr/rapporter/daekning?enhed={org.employee.unit_id}",
            "/hr/rapporter/gennemfoersel",
            f"/hr/rapporter/gennemfoersel?enhed={org.employee.unit_id}",
        ],
        org.admin.email: [
            "/",
            "/admin/personer",
            "/admin/personer/ny",
            f"/admin/personer/{org.employee.id}",
            "/admin/enheder",
            "/admin/import",
            "/admin/adgangslog/",
            "/admin/api-klienter/",
        ],
    }
