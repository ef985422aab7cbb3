"""Expanding states: each legal reply, the key of the state it leads to, and its outcome.

A pure function of its arguments (`expand`), so any process can run it; children cross
processes packed as plain tuples (`pack`, `unpack`), which pickle several times faster than
the attrs values they stand for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from negotiation.analysis import Label, Reached, label
from negotiation.engine import apply, paused_gc
from negotiation.model import Act, Move, trusted_move
from negotiation.policy import Policy, movers, replies
from negotiation.state import State
from negotiation.statekeys import KeyCache, state_key
from negotiation.status import StatusMemo
from negotiation.vocabulary import Channel

__all__ = [
    "Child",
    "Packed",
    "PackedMove",
    "Path",
    "children_of",
    "expand",
    "expand_packed",
    "free_prefix",
    "pack",
    "pack_path",
    "unpack",
    "unpack_move",
]


@attrs.frozen
class Child:
    """One reply found by `expand`.

    The move (None for the start), the key of the state it leads to, who answers it there, and
    that state's outcome and how many core terms every principal stands behind there.
    """

    move: Move | None
    key: str
    movers: tuple[str, ...]
    label: Label
    agreed: int = 0


Path = tuple[Move, ...]


def free_prefix(start: State) -> str:
    """A prefix for generated move ids that no move id of the history starts with."""
    prefix = "x"
    while any(mid.startswith(prefix) for mid in start.moves):
        prefix += "x"
    return prefix


def children_of(
    state: State,
    who: Sequence[str],
    policy: Policy,
    core: Sequence[str],
    tag: str,
    cache: KeyCache,
    memo: StatusMemo,
) -> Iterator[tuple[Move, State, Child]]:
    """Each reply the movers may make from the state: the move, the state it leads to, the child."""
    for party in who:
        for move, child in replies(state, party, policy, tag=tag):
            after = tuple(movers(child, policy))
            key = state_key(child, next_movers=after, cache=cache)
            agreed = sum(memo.agreed(child, t) for t in core)
            yield move, child, Child(move, key, after, label(child, core, memo=memo), agreed)


def expand(
    start: State,
    chunk: Sequence[tuple[Path, tuple[str, ...]]],
    policy: Policy,
    core: Sequence[str],
    depth: int,
) -> list[list[Child]]:
    """The replies from each state of a chunk, given as a path of moves from `start` and its movers.

    A pure function of its arguments, so any process can run it; only moves and keys travel.
    """
    out = []
    cache: KeyCache = {}
    memo = StatusMemo()
    tag = f"{free_prefix(start)}{depth}"
    with paused_gc():
        for path, who in chunk:
            state = start
            for move in path:
                state = apply(state, move)
            out.append([c for _, _, c in children_of(state, who, policy, core, tag, cache, memo)])
    return out


PackedMove = tuple[str, str, tuple[Act, ...], tuple[str, ...], Channel]
"""A generated move as it crosses processes: id, author, acts, addressees, channel; the rest default."""

Packed = tuple[
    str, str, tuple[Act, ...], tuple[str, ...], Channel, str, tuple[str, ...], Reached, tuple[str, ...], int
]
"""A child as it crosses processes: its move's fields (as in `PackedMove`), then the key, movers,
outcome, terms and count of agreed core terms. Plain tuples pickle several times faster than
the attrs values they stand for, and a level of a search sends tens of thousands."""


def pack(child: Child) -> Packed:
    """A child as plain values, for the trip to the process that merges."""
    assert child.move is not None
    reached = child.label
    return (*_pack_move(child.move), child.key, child.movers, reached.outcome, reached.terms, child.agreed)


def _pack_move(m: Move) -> PackedMove:
    return (m.id, m.author, m.acts, m.addressees, m.channel)


def pack_path(path: Path) -> tuple[PackedMove, ...]:
    """A path of generated moves as plain values."""
    return tuple(map(_pack_move, path))


def unpack_move(p: PackedMove | Packed) -> Move:
    """The generated move a packed move or child carries, rebuilt without checks."""
    return trusted_move(p[0], p[1], p[2], p[3], p[4])


def expand_packed(
    start: State,
    chunk: Sequence[tuple[Path, tuple[str, ...]]],
    policy: Policy,
    core: Sequence[str],
    depth: int,
) -> list[list[Packed]]:
    """`expand`, with each child packed for the trip back to the process that merges."""
    return [
        [pack(c) for c in children if c.move is not None]
        for children in expand(start, chunk, policy, core, depth)
    ]


def unpack(p: Packed) -> Child:
    """The child `pack` packed: its move is rebuilt as it was, without checks."""
    return Child(unpack_move(p), p[5], p[6], Label(p[7], p[8]), p[9])
