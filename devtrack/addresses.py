"""Links to many pages of one kind at the cost of one `url_for`.

A list with a row per person or conversation links each row to its page: `url_for` per row
looks up the rule, the blueprint and the URL defaults every time. `addresses` builds the
address once with a stand-in id and puts each row's id in its place, which gives exactly what
`url_for` gives: the `int` converter writes an id as its digits and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, url_for

# An id no table reaches, within the `int` converter's range (a database integer).
_STAND_IN = 7_304_718_563_204_911_237


def addresses(endpoint: str, key: str, **values: Any) -> Callable[[int], str]:
    """`url_for(endpoint, **values, key=id)` as a function of the id (an `int` argument)."""

    def built(value: int) -> str:
        arguments: dict[str, Any] = {**values, key: value}
        return url_for(endpoint, **arguments)

    stand_in = str(_STAND_IN)
    before, found, after = built(_STAND_IN).partition(stand_in)
    if not found or stand_in in after:  # not where an id goes: build each one as usual
        return built
    return lambda value: f"{before}{int(value)}{after}"


def init_app(app: Flask) -> None:
    app.jinja_env.globals["addresses"] = addresses
