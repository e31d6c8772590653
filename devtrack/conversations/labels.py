from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from devtrack.conversations.forms import answer_field, note_field, note_version_field
from devtrack.conversations.models import (
    AgreementStatus,
    AmendmentKind,
    ConversationState,
    DevelopmentKind,
    PlanAmendment,
    RoundKind,
)
from devtrack.i18n import danish_date, labels_in_language

ROUND_KINDS: dict[RoundKind, LazyString] = {
    RoundKind.MUS: _l("MUS – medarbejderudviklingssamtale"),
    RoundKind.LUS: _l("LUS – lederudviklingssamtale"),
    RoundKind.GUS: _l("GUS – gruppeudviklingssamtale"),
}
STATES: dict[ConversationState, LazyString] = {
    ConversationState.INVITED: _l("Inviteret"),
    ConversationState.BOOKED: _l("Booket"),
    ConversationState.PREPARED: _l("Forberedt"),
    ConversationState.HELD: _l("Afholdt"),
    ConversationState.PLAN_ACKNOWLEDGED: _l("Plan kvitteret"),
    ConversationState.FOLLOWED_UP: _l("Fulgt op"),
}
DEVELOPMENT_KINDS: dict[DevelopmentKind, LazyString] = {
    DevelopmentKind.COURSE: _l("Kursus eller uddannelse"),
    DevelopmentKind.ON_THE_JOB: _l("Læring i jobbet"),
    DevelopmentKind.SPARRING: _l("Sparring"),
    DevelopmentKind.NETWORK: _l("Netværk"),
    DevelopmentKind.OTHER: _l("Andet"),
}
AGREEMENT_STATUSES: dict[AgreementStatus, LazyString] = {
    AgreementStatus.NOT_STARTED: _l("Ikke startet"),
    AgreementStatus.UNDER_WAY: _l("I gang"),
    AgreementStatus.DONE: _l("Gennemført"),
    AgreementStatus.DROPPED: _l("Droppet"),
}

HELPERS: dict[str, Any] = {
    # A list shows a label per row: each is translated once per process and language.
    "round_kind_label": labels_in_language(ROUND_KINDS),
    "conversation_state_label": labels_in_language(STATES),
    "development_kind_label": labels_in_language(DEVELOPMENT_KINDS),
    "agreement_status_label": labels_in_language(AGREEMENT_STATUSES),
    "amendment_title": lambda amendment: amendment_title(amendment),
    "amendment_changes": lambda amendment: amendment_changes(amendment),
    "answer_field": answer_field,
    "note_field": note_field,
    "note_version_field": note_version_field,
}

# What an amendment may change, named as the plan's form names it.
AMENDED_FIELDS: dict[str, LazyString] = {
    "what": _l("Aftalen"),
    "kind": _l("Slags udvikling"),
    "who_does_what": _l("Hvem gør hvad"),
    "deadline": _l("Frist"),
    "success": _l("Sådan ser succes ud"),
    "links": _l("Grundlaget"),
    "summary": _l("Referatet"),
}


def _amended_value(field: str, value: str) -> str:
    if field == "deadline":
        return danish_date(date.fromisoformat(value)) if value else str(_l("ingen frist"))
    if field == "kind":
        return str(DEVELOPMENT_KINDS[DevelopmentKind(value)]) if value else "–"
    return f"»{value}«" if value else str(_l("(tom)"))


def amendment_title(amendment: PlanAmendment) -> str:
    """What the amendment touched: an agreement (new or changed), or the minutes."""
    match amendment.kind:
        case AmendmentKind.AGREEMENT_ADDED:
            return str(_("Ny aftale %(number)d", number=amendment.agreement_position or 0))
        case AmendmentKind.AGREEMENT_CHANGED:
            return str(_("Aftale %(number)d", number=amendment.agreement_position or 0))
        case AmendmentKind.SUMMARY_CHANGED:
            return str(_("Referatet"))
    return amendment.description  # written before the values were stored


def amendment_changes(amendment: PlanAmendment) -> list[str]:
    """Each change as a sentence in the reader's language: "Frist ændret fra 30. juni 2027
    til 31. oktober 2027"."""
    sentences = []
    for change in amendment.changes or []:
        field, old, new = change.get("field", ""), change.get("old", ""), change.get("new", "")
        label = str(AMENDED_FIELDS.get(field, field))
        if amendment.kind == AmendmentKind.AGREEMENT_ADDED:
            sentences.append(_amended_value(field, new))
        else:
            sentences.append(
                _(
                    "%(field)s ændret fra %(old)s til %(new)s",
                    field=label,
                    old=_amended_value(field, old),
                    new=_amended_value(field, new),
                )
            )
    return sentences
