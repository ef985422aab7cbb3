"""The common case, read fast: well-formed moves built straight from their tables.

Long histories are mostly well-formed moves. `plain_act` and `plain_move` build those directly
and return None at the first thing they do not vouch for; the careful reader (`io.reader`)
then goes over the same table field by field and names the problem. A value is only ever
accepted here if the careful reader would accept it and build the same thing.
"""

from __future__ import annotations

from typing import Any, TypeGuard, TypeVar

import attrs
import immutables

from negotiation.errors import ModelError
from negotiation.io.reader import ACT_KEYS, MOVE_KEYS
from negotiation.model import Act, Move
from negotiation.vocabulary import Channel, Extent, Modality, Verb

__all__ = ["plain_act", "plain_move"]

_ACT_KEYSET = frozenset(ACT_KEYS)
_ACT_TEXT = _ACT_KEYSET - {"verb", "conditions", "extent", "modality", "verified"}
_MOVE_PLAIN_KEYSET = frozenset(MOVE_KEYS) - {"sent", "received", "published"}
_VERBS = {str(v): v for v in Verb}
_EXTENTS = {str(e): e for e in Extent}
_MODALITIES = {str(m): m for m in Modality}
_CHANNELS = {str(c): c for c in Channel}
_VERB_VALUES = frozenset(_VERBS)
_EXTENT_VALUES = frozenset(_EXTENTS)
_MODALITY_VALUES = frozenset(_MODALITIES)
_CHANNEL_VALUES = frozenset(_CHANNELS)

_T = TypeVar("_T")
_NO_RECEIPTS: immutables.Map[str, Any] = immutables.Map()


def _defaults(cls: type) -> dict[str, Any]:
    """Each field of an attrs class with its default (`attrs.NOTHING` where it has none)."""
    out: dict[str, Any] = {}
    for field in attrs.fields(cls):
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if field.name != "received":  # one shared default is safe only for an immutable map
                raise TypeError(f"{cls.__name__}.{field.name}: give the fast reader its default")
            default = _NO_RECEIPTS
        out[field.name] = default
    return out


_ACT_DEFAULTS = _defaults(Act)
_MOVE_DEFAULTS = _defaults(Move)
_set = object.__setattr__


def _assembled(cls: type[_T], defaults: dict[str, Any], values: dict[str, Any]) -> _T:
    """An instance built from values already in their converted types, checked by its own rules.

    The attrs constructor would run a converter on every field; here each value has been
    vouched for and typed by the caller, so only the class's checks (`__attrs_post_init__`) run.
    """
    obj = object.__new__(cls)
    get = values.get
    for name, default in defaults.items():
        _set(obj, name, get(name, default))
    obj.__attrs_post_init__()  # type: ignore[attr-defined]
    return obj


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
    typed = dict(data)
    typed["verb"] = _VERBS[data["verb"]]
    typed["conditions"] = tuple(conditions)
    if extent is not None:
        typed["extent"] = _EXTENTS[extent]
    if modality is not None:
        typed["modality"] = _MODALITIES[modality]
    try:
        return _assembled(Act, _ACT_DEFAULTS, typed)  # every value is checked and typed above
    except ModelError:
        return None


def _act_key(data: object) -> tuple[object, ...] | None:
    """A hashable form of an act's table, to share the acts equal tables give; None: not shared.

    Only strings, lists of strings and booleans are keyed, each as itself, so that no two
    tables a reader would tell apart (`true` and `1`, say) share a key.
    """
    if type(data) is not dict:
        return None
    key: list[object] = []
    for name, value in data.items():
        kind = type(value)
        if kind is str or (kind is bool and name == "verified"):
            key.append((name, value))
        elif kind is list and all(type(v) is str for v in value):
            key.append((name, tuple(value)))
        else:
            return None
    return tuple(key)


def plain_move(
    data: object, parties: frozenset[str], acts_seen: dict[object, Act] | None = None
) -> Move | None:
    """The move, if the table is plainly well formed and undated; None sends it to the careful reader.

    `acts_seen` keeps the acts built so far by their tables: a long history repeats the same
    act table many times, and equal acts can be one value.
    """
    if type(data) is not dict or not data.keys() <= _MOVE_PLAIN_KEYSET:
        return None
    get = data.get
    mid, author, addressees = get("id"), get("author"), get("addressees", [])
    channel, acts_data = get("channel", "private"), get("acts")
    if (
        type(mid) is not str
        or not mid.strip()
        or mid != mid.strip()
        or not mid.isprintable()
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
        key = _act_key(a) if acts_seen is not None else None
        act = acts_seen.get(key) if acts_seen is not None and key is not None else None
        if act is None:
            act = plain_act(a)
            if act is None:
                return None
            if acts_seen is not None and key is not None:
                acts_seen[key] = act
        acts.append(act)
    typed = dict(data)
    typed["acts"] = tuple(acts)
    typed["addressees"] = tuple(addressees)
    typed["channel"] = _CHANNELS[channel]
    try:
        return _assembled(Move, _MOVE_DEFAULTS, typed)
    except ModelError:
        return None
