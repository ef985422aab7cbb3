"""The common case, read fast: well-formed moves built straight from their tables.

Long histories are mostly well-formed moves. `plain_act` and `plain_move` build those directly
and return None at the first thing they do not vouch for; the careful reader (`io.reader`)
then goes over the same table field by field and names the problem. A value is only ever
accepted here if the careful reader would accept it and build the same thing.
"""

from __future__ import annotations

from typing import TypeGuard

from negotiation.errors import ModelError
from negotiation.io.reader import ACT_KEYS, MOVE_KEYS
from negotiation.model import Act, Move
from negotiation.vocabulary import Channel, Extent, Modality, Verb

__all__ = ["plain_act", "plain_move"]

_ACT_KEYSET = frozenset(ACT_KEYS)
_ACT_TEXT = _ACT_KEYSET - {"verb", "conditions", "extent", "modality", "verified"}
_MOVE_PLAIN_KEYSET = frozenset(MOVE_KEYS) - {"sent", "received", "published"}
_VERB_VALUES = frozenset(str(v) for v in Verb)
_EXTENT_VALUES = frozenset(str(e) for e in Extent)
_MODALITY_VALUES = frozenset(str(m) for m in Modality)
_CHANNEL_VALUES = frozenset(str(c) for c in Channel)


def _text_or_none(value: object) -> bool:
    return value is None or (type(value) is str and bool(value.strip()))


def _one_of(value: object, allowed: frozenset[str]) -> TypeGuard[str]:
    return type(value) is str and value in allowed


def _plain_ids(value: object) -> bool:
    return type(value) is list and all(type(v) is str and v.strip() for v in value)


def plain_act(data: object) -> Act | None:
    """The act, if the table is plainly well formed; None sends it to the careful reader."""
    if (
        type(data) is not dict
        or not data.keys() <= _ACT_KEYSET
        or not _one_of(data.get("verb"), _VERB_VALUES)
    ):
        return None
    get = data.get
    for key, value in data.items():
        if key in _ACT_TEXT and (type(value) is not str or not value.strip()):
            return None
    conditions = get("conditions", [])
    extent = get("extent")
    if not _plain_ids(conditions) or (extent is not None and not _one_of(extent, _EXTENT_VALUES)):
        return None
    modality = get("modality")
    if modality is not None and not _one_of(modality, _MODALITY_VALUES):
        return None
    if "verified" in data and type(data["verified"]) is not bool:
        return None
    try:
        return Act(**data)  # every value is checked above; the act's converters type them
    except ModelError:
        return None


def plain_move(data: object, parties: frozenset[str]) -> Move | None:
    """The move, if the table is plainly well formed and undated; None sends it to the careful reader."""
    if type(data) is not dict or not data.keys() <= _MOVE_PLAIN_KEYSET:
        return None
    get = data.get
    mid, author, addressees = get("id"), get("author"), get("addressees", [])
    channel, acts_data = get("channel", "private"), get("acts")
    if (
        type(mid) is not str
        or not mid.strip()
        or not _one_of(author, parties)
        or not _plain_ids(addressees)
        or not parties.issuperset(addressees)
        or not _one_of(channel, _CHANNEL_VALUES)
        or type(acts_data) is not list
        or not acts_data
        or not all(_text_or_none(get(k)) for k in ("title", "source", "note"))
    ):
        return None
    acts = []
    for a in acts_data:
        act = plain_act(a)
        if act is None:
            return None
        acts.append(act)
    try:
        return Move(**{**data, "acts": acts})
    except ModelError:
        return None
