"""Cursor pagination: a page's `next_cursor` is where the next page starts, opaque to clients."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from devtrack.api.problems import ProblemAbort, problem

T = TypeVar("T")
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


def page(
    found: Sequence[T], limit: int, id_of: Callable[[T], int], item: Callable[[T], Any]
) -> dict[str, Any]:
    """A page from `limit + 1` rows fetched: the extra one says whether there is more."""
    shown = list(found[:limit])
    more = len(found) > limit
    return {
        "items": [item(row) for row in shown],
        "next_cursor": _encode(id_of(shown[-1])) if more and shown else None,
    }
