"""Cursor pagination: a page's `next_cursor` is where the next page starts, opaque to clients.

Every list the API pages through is in id order: a page is the rows after the cursor's id,
fetched one more than shown, so the extra one says whether there is a next page.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

from devtrack.api.problems import ProblemAbort, problem
from devtrack.extensions import db


class _WithId(Protocol):
    @property
    def id(self) -> int: ...


T = TypeVar("T", bound=_WithId)
_MAX_ID = 2**31 - 1  # ids are INTEGER columns


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def after_id(cursor: str | None) -> int:
    """The id a cursor continues after (0: the first page); 400 for a cursor we never gave."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, number = text.partition(":")
        value = int(number)
        if kind != "id" or not 0 <= value <= _MAX_ID:
            raise ValueError(text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ProblemAbort(
            problem(
                400,
                "Bad Request",
                "the cursor is not one this API gave",
                [{"pointer": "/query/cursor", "detail": "unknown cursor"}],
            )
        ) from None
    return value


def rows_after(
    statement: Select[tuple[T]], id_column: InstrumentedAttribute[int], after: int, limit: int
) -> list[T]:
    """The statement's rows with an id after `after`, in id order: a page and one more."""
    return list(
        db.session.scalars(statement.where(id_column > after).order_by(id_column).limit(limit + 1))
    )


def paginated(
    query: dict[str, Any], rows_after: Callable[[int, int], Sequence[T]], item: Callable[[T], Any]
) -> dict[str, Any]:
    """The page the query's `cursor` and `limit` ask for: `rows_after(id, limit)` fetches the
    rows after the cursor's id (a page and one more), `item` shows each."""
    limit = query["limit"]
    found = rows_after(after_id(query.get("cursor")), limit)
    shown = list(found[:limit])
    more = len(found) > limit
    return {
        "items": [item(row) for row in shown],
        "next_cursor": _encode(shown[-1].id) if more and shown else None,
    }
