"""Danish alphabetical order: æ, ø and å come after z, and "aa" counts as å."""

from __future__ import annotations

import unicodedata

# "{", "|" and "}" follow "z" in code point order.
_AFTER_Z = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"}


def danish_sort_key(text: str) -> str:
    lowered = text.casefold().replace("aa", "å")
    key = []
    for char in lowered:
        if char in _AFTER_Z:
            key.append(_AFTER_Z[char])
            continue
        if char == "ü":
            key.append("y")
            continue
        # é, è, ó … sort as their base letter.
        base = unicodedata.normalize("NFD", char)[0]
        key.append(base)
    return "".join(key)
