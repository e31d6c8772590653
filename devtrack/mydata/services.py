"""Everything stored about one person, as plain data (for the page and the JSON download).

Each feature registers its part (`<feature>/personal_data.py`); this only puts them together in
the order they were registered.
"""

from __future__ import annotations

from typing import Any

from devtrack.people.models import Person
from devtrack.personal_data import registered


def personal_data(person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for hooks in registered():
        if hooks.export is not None:
            data.update(hooks.export(person))
    return data
