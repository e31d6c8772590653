"""Sign-in sessions in retention: a former employee's go with their password."""

from __future__ import annotations

from sqlalchemy import delete

from devtrack.auth.models import SigninSession
from devtrack.personal_data import PersonalData, PurgeScope, PurgeStep


def purge(scope: PurgeScope) -> list[PurgeStep]:
    return [
        (
            "signin_sessions",
            delete(SigninSession).where(SigninSession.person_id.in_(scope.person_ids)),
        )
    ]


PERSONAL_DATA = PersonalData("auth", tables=("signin_session",), purge=purge)
