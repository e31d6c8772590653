"""A goal re-saved after a new version of the grundlag links each element in one version."""

from __future__ import annotations

from devtrack.extensions import db
from devtrack.goals.services import create_goal, update_goal
from devtrack.grundlag.importer import parse_grundlag
from devtrack.grundlag.links import version_for_choices
from devtrack.grundlag.services import import_grundlag
from tests.conftest import SEED_DIR, Org, choice


def test_a_goal_saved_again_on_a_new_version_links_the_element_in_that_version_only(
    grundlag: Org,
) -> None:
    goal = create_goal(
        grundlag.employee,
        title="Sige fra",
        description="",
        target_date=None,
        choices=[choice("mod", "s1")],
        share=True,
    )
    db.session.commit()
    original = (SEED_DIR / "grundlag" / "albertslund.yaml").read_text("utf-8")
    import_grundlag(parse_grundlag(original.replace("title: Mod\n", "title: Mod og mening\n", 1)))
    db.session.commit()
    newer = version_for_choices()
    assert newer is not None

    update_goal(
        goal,
        grundlag.employee,
        seen_version=goal.version,
        title="Sige fra",
        description="",
        target_date=None,
        choices=[choice("mod", "s1"), choice("mod", "s2")],
    )
    db.session.commit()

    statements = [link.statement_version for link in goal.links]
    assert {statement.statement.key for statement in statements if statement} == {"s1", "s2"}
    assert {link.element_version.version_id for link in goal.links} == {newer.id}
    assert {link.element_version.title for link in goal.links} == {"Mod og mening"}
