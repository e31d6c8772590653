from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from devtrack.conversations.models import (
    AgreementStatus,
    ConversationState,
    DevelopmentKind,
    RoundKind,
)

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
    "round_kind_label": lambda kind: str(ROUND_KINDS[kind]),
    "conversation_state_label": lambda state: str(STATES[state]),
    "development_kind_label": lambda kind: str(DEVELOPMENT_KINDS[kind]),
    "agreement_status_label": lambda status: str(AGREEMENT_STATUSES[status]),
}
