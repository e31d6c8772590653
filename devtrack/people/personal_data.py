"""The person's own record in retention and "Mine data".

Retention deletes their password links; the record itself is anonymised by retention
(`devtrack/retention.py`), and their memberships and leaderships stay as the organisation's
history (they name the anonymised record only).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete

from devtrack.people.models import PasswordLink, Person
from devtrack.personal_data import PersonalData, PurgeScope, PurgeStep, plain


def purge(scope: PurgeScope) -> list[PurgeStep]:
    return [
        (
            "password_links",
            delete(PasswordLink).where(PasswordLink.person_id.in_(scope.person_ids)),
        ),
    ]


def export(person: Person) -> dict[str, Any]:
    return {
        "person": {
            "name": person.name,
            "email": person.email,
            "employee_number": person.employee_number,
            "unit": person.unit.name,
            "start_date": plain(person.start_date),
            "end_date": plain(person.end_date),
            "active": person.active,
            "hr": person.is_hr,
            "admin": person.is_admin,
            "language": person.language,
            "last_signin_at": plain(person.last_signin_at),
        }
    }


PERSONAL_DATA = PersonalData(
    "people",
    tables=("person", "password_link", "unit_membership", "unit_leadership", "org_unit"),
    purge=purge,
    export=export,
)
