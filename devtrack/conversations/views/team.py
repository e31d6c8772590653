"""The leader's overview of their direct reports and how far each one's conversation is."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from devtrack.audit.services import log_reads_of_others
from devtrack.conversations.blueprint import team_blueprint
from devtrack.conversations.models import RoundKind
from devtrack.conversations.services import team_overview
from devtrack.i18n import today_in_denmark
from devtrack.people.collation import danish_sort_key
from devtrack.people.hierarchy import direct_reports


@team_blueprint.route("/mine-medarbejdere")
@login_required
def overview() -> str:
    reports = sorted(direct_reports(current_user), key=lambda person: danish_sort_key(person.name))
    # The page shows each report's steps, dates and open agreements.
    log_reads_of_others(reports, "team_overview")
    members = team_overview(reports)
    today = today_in_denmark()
    # A GUS round with conversations still to hold: the leader books one time for the group.
    group_rounds = {
        member.conversation.round.id: member.conversation.round
        for member in members
        if member.conversation is not None
        and member.conversation.round.kind == RoundKind.GUS
        and member.conversation.held_at is None
    }
    return render_template(
        "conversations/team.html",
        members=members,
        today=today,
        group_rounds=list(group_rounds.values()),
    )
