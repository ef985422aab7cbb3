"""What a state is, for merging: a digest of everything the rules read from it.

A search meets the same negotiation by many paths; `state_key` names it the same way each
time, in any process, so that a search (or a shard of one) keeps it once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

import immutables

from negotiation.state import Position, State
from negotiation.vocabulary import Modality

__all__ = ["KeyCache", "owner", "state_key"]


def state_key(state: State, *, next_movers: Sequence[str] = (), cache: KeyCache | None = None) -> str:
    """A digest of everything the rules read from a state, and nothing of how it was reached.

    Two states with the same key allow the same replies with the same effects: the same
    positions (stance, formulation without its provenance, whose statements were let stand),
    the same statements awaiting answers, the same order of recency among formulations (the
    rules build an acceptance on the latest), and the same next movers. Stable across
    processes and runs (no `hash()`), so workers can merge.

    Each term's positions and each party's pending statements get a digest of their own, and
    the key sums them: a `cache` shared between calls keeps the digest of each positions map
    by identity, so a state that shares most of its maps with states seen before (a child
    with its parent) digests only what its move changed.
    """
    total = 0
    for term, positions in state.terms.items():
        total += _cached(cache, term, positions, _term_digest, state, cache)
    for party, items in state.pending.items():
        if len(items):
            total += _cached(cache, party, items, _pending_digest)
    text = f"{total & _MASK:032x}{json.dumps(list(next_movers))}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


_MASK = (1 << 128) - 1

KeyCache = dict[tuple[str, int], tuple[Any, Any]]
"""What `state_key` worked out for parts of states, by (term or party, identity of the part)."""


def _cached(cache: KeyCache | None, name: str, part: Any, make: Callable[..., Any], *args: Any) -> Any:
    """`make(name, part, *args)`, remembered by the part's identity.

    The parts a move left alone are the same objects from state to state; the part is kept in
    the cache, so its id is never reused for another.
    """
    if cache is None:
        return make(name, part, *args)
    hit = cache.get((name, id(part)))
    if hit is not None and hit[0] is part:
        return hit[1]
    value = make(name, part, *args)
    cache[name, id(part)] = (part, value)
    return value


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=16).digest(), "big")


def _term_digest(
    term: str, positions: immutables.Map[str, Position], state: State, cache: KeyCache | None
) -> int:
    rows = ",".join(_cached(cache, p, pos, _row_text) for p, pos in sorted(positions.items()))
    stated = [(p, pos.formulation.move) for p, pos in positions.items() if pos.formulation is not None]
    order: list[str] = []
    if len(stated) > 1:  # the order matters only between two or more formulations
        order = [p for p, _ in sorted(stated, key=lambda pm: (_rank(state, pm[1]), pm[0]))]
    return _digest(f'["t",{json.dumps(term)},[{rows}],{json.dumps(order)}]')


def _pending_digest(party: str, items: immutables.Map[tuple[str, str], str]) -> int:
    return _digest(json.dumps(["p", party, sorted([term, proposer] for term, proposer in items)]))


def _row_text(party: str, pos: Position) -> str:
    return json.dumps(_row(party, pos))


def _row(party: str, pos: Position) -> list[object]:
    row: list[object] = [party, pos.stance, _substance(pos), sorted(pos.tacit)]
    return row if pos.modality is Modality.COMMITMENT else [*row, pos.modality]


def _substance(pos: Position) -> list[object] | None:
    f = pos.formulation
    if f is None:
        return None
    return [sorted(v) if isinstance(v, frozenset) else v for v in f.substance]


def _rank(state: State, move_id: str | None) -> int:
    record = state.moves.get(move_id) if move_id is not None else None
    return record.index if record is not None else -1


def owner(key: str, shards: int) -> int:
    """The shard a state belongs to: its key's leading digits modulo the number of shards.

    A key is a uniform digest, so the shards get even shares, and every process agrees.
    """
    return int(key[:8], 16) % shards
