"""The starter scenario `negotiation new` writes: every kind of entry once, each explained in a comment."""

from __future__ import annotations

import re
from importlib import resources

__all__ = ["starter_text"]

_ID_LINE = re.compile(r'^id = "starter"', re.M)
_GOOD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def starter_text(scenario_id: str | None = None) -> str:
    """The starter file's text, its scenario id set to `scenario_id` when that is a plain id.

    An id that is not plain (spaces, quotes, ...) leaves the starter's own, to be changed by hand.
    """
    text = resources.files("negotiation.io").joinpath("starter.toml").read_text(encoding="utf-8")
    if scenario_id and _GOOD_ID.fullmatch(scenario_id):
        text = _ID_LINE.sub(f'id = "{scenario_id}"', text, count=1)
    return text
