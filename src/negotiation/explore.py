"""The space of replies from a point of a negotiation: generated, searched, merged and summarised.

`explore` searches the replies a `Policy` allows (`policy.replies`) to a depth or a budget of
states, merging states that are the same negotiation (`state_key`), and returns an
`Exploration`: a networkx graph of states and moves with an outcome (`analysis.label`) on
every state.
Expanding a frontier is a pure function of its states, so any `concurrent.futures` executor
(a process pool, or a Dask cluster's) can run it with the same result as one process.
"""

from __future__ import annotations

import enum
import hashlib
import heapq
import itertools
import json
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import Any

import attrs
import immutables
import networkx as nx

from negotiation.analysis import Label, Reached, label
from negotiation.engine import apply, paused_gc
from negotiation.errors import ModelError, ParameterError
from negotiation.model import Act, Move, trusted_move
from negotiation.policy import Policy, TermPool, Turns, movers, replies
from negotiation.state import Position, State
from negotiation.status import StatusMemo, term_status
from negotiation.vocabulary import Channel, Modality, Status

__all__ = [
    "AGREEMENT",
    "BREAKDOWN",
    "DIVERGENT_AGREEMENT",
    "OPEN",
    "Child",
    "Exploration",
    "KeyCache",
    "Label",
    "Order",
    "Policy",
    "Reached",
    "TermPool",
    "Turns",
    "expand",
    "expand_packed",
    "explore",
    "label",
    "movers",
    "replies",
    "state_key",
    "unpack",
]


AGREEMENT = Reached.AGREEMENT
DIVERGENT_AGREEMENT = Reached.DIVERGENT_AGREEMENT
BREAKDOWN = Reached.BREAKDOWN
OPEN = Reached.OPEN


class Order(enum.StrEnum):
    """The order in which a search expands states."""

    BREADTH = "breadth"
    """Level by level: the first path found to a state is a shortest one."""
    BEST = "best"
    """The state where the most core terms are agreed first, then the one with fewest moves."""


# -- what a state is, for merging ---------------------------------------------------------------


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


# -- the search -------------------------------------------------------------------------------


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


def _free_prefix(start: State) -> str:
    """A prefix for generated move ids that no move id of the history starts with."""
    prefix = "x"
    while any(mid.startswith(prefix) for mid in start.moves):
        prefix += "x"
    return prefix


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
    prefix = _free_prefix(start)
    with paused_gc():
        for path, who in chunk:
            state = start
            for move in path:
                state = apply(state, move)
            children = []
            for party in who:
                for move, child in replies(state, party, policy, tag=f"{prefix}{depth}"):
                    after = tuple(movers(child, policy))
                    key = state_key(child, next_movers=after, cache=cache)
                    agreed = sum(memo.agreed(child, t) for t in core)
                    children.append(Child(move, key, after, label(child, core, memo=memo), agreed))
            out.append(children)
    return out


Packed = tuple[
    str, str, tuple[Act, ...], tuple[str, ...], str, str, tuple[str, ...], str, tuple[str, ...], int
]
"""A child as it crosses processes: the move's id, author, acts, addressees and channel, then the
key, movers, outcome, terms and count of agreed core terms. Plain tuples pickle several times
faster than the attrs values they stand for, and a level of a search sends tens of thousands."""


def expand_packed(
    start: State,
    chunk: Sequence[tuple[Path, tuple[str, ...]]],
    policy: Policy,
    core: Sequence[str],
    depth: int,
) -> list[list[Packed]]:
    """`expand`, with each child packed for the trip back to the process that merges."""
    return [
        [
            (
                c.move.id,
                c.move.author,
                c.move.acts,
                c.move.addressees,
                c.move.channel.value,
                c.key,
                c.movers,
                c.label.outcome.value,
                c.label.terms,
                c.agreed,
            )
            for c in children
            if c.move is not None
        ]
        for children in expand(start, chunk, policy, core, depth)
    ]


def unpack(p: Packed) -> Child:
    """The child `expand_packed` packed: its move is rebuilt as it was, without checks."""
    mid, author, acts, addressees, channel, key, who, reached, terms, agreed = p
    move = trusted_move(mid, author, acts, addressees, Channel(channel))
    return Child(move, key, who, Label(Reached(reached), terms), agreed)


_CHUNKS_PER_WORKER = 2
"""A level is cut in this many chunks per worker, so that a slow chunk does not idle the rest."""

Progress = Callable[[int, int, int], None]
"""Called after each expansion step with (depth reached, states expanded, distinct states)."""


@attrs.frozen(eq=False)
class Exploration:
    """The explored state graph and what it says.

    Nodes are state keys with attributes `depth` (moves from the start), `parent` (the state
    the node was first reached from), `outcome` and `terms` (of an agreement); edges carry the
    `move` from one state to the next. Breadth-first, `path(node)` is a shortest path.
    """

    start: State
    graph: nx.DiGraph
    root: str
    policy: Policy
    core: tuple[str, ...]
    depth: int
    budget: int
    truncated: bool
    expanded: int
    generated: int

    def outcomes(self) -> dict[Reached, int]:
        """The number of states with each outcome."""
        counts = Counter(self.graph.nodes[n]["outcome"] for n in self.graph)
        return {o: counts.get(o, 0) for o in Reached}

    def path(self, node: str) -> list[Move]:
        """The moves from the start to the node along the edges that first reached each state."""
        moves: list[Move] = []
        while node != self.root:
            parent = self.graph.nodes[node]["parent"]
            moves.append(self.graph.edges[parent, node]["move"])
            node = parent
        return moves[::-1]

    def state(self, node: str) -> State:
        """The node's state, as its path reaches it from the start."""
        state = self.start
        for move in self.path(node):
            state = apply(state, move)
        return state

    def agreements(self) -> dict[tuple[str, ...], str]:
        """Each agreement's term set (consistent or divergent) and its shallowest state."""
        best: dict[tuple[str, ...], str] = {}
        for node in self.graph:
            data = self.graph.nodes[node]
            if data["outcome"] in (AGREEMENT, DIVERGENT_AGREEMENT):
                terms = data["terms"]
                if terms not in best or data["depth"] < self.graph.nodes[best[terms]]["depth"]:
                    best[terms] = node
        return dict(sorted(best.items(), key=lambda kv: (self.graph.nodes[kv[1]]["depth"], kv[0])))

    def core_of_deal(self) -> tuple[str, ...]:
        """The terms in every agreement found (empty when none was found)."""
        sets = [set(t) for t in self.agreements()]
        common = set.intersection(*sets) if sets else set()
        return tuple(t for t in self.start.catalogue.by_id if t in common)

    def in_no_agreement(self) -> tuple[str, ...]:
        """The terms of the start's pool that no agreement found contains."""
        seen = {t for terms in self.agreements() for t in terms}
        return tuple(t for t in self.policy.pool(self.start) if t not in seen)

    def merge_ratio(self) -> float:
        """Replies generated per distinct state reached: how much merging saved."""
        return self.generated / max(1, len(self.graph) - 1)


def explore(
    start: State,
    policy: Policy = Policy(),
    *,
    depth: int,
    budget: int = 100_000,
    order: Order | str = Order.BREADTH,
    executor: Executor | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> Exploration:
    """Search the replies from `start` to `depth` moves, keeping at most `budget` distinct states.

    `order` is an `Order`: breadth (level by level: first paths are shortest) or best (states
    where the most core terms are agreed first). With an `executor` (any `concurrent.futures.Executor`,
    e.g. a process pool or `distributed.Client.get_executor()`), each breadth level is expanded
    in `workers` chunks in parallel and merged in a fixed order: the graph is the same as in
    one process.
    """
    if depth < 0 or budget < 1:
        raise ModelError("exploration", f"depth {depth} and budget {budget}", "give depth >= 0, budget >= 1")
    if order not in list(Order):
        raise ParameterError("order", order, "is not a search order", f"give {' or '.join(Order)}")
    policy.check(start)
    core = policy.core
    if core is None:
        core = tuple(t for t in start.catalogue.by_id if term_status(start, t) is not Status.UNRAISED)
    who = tuple(movers(start, policy))
    search = _Search(start, policy, core, budget, progress)
    root = state_key(start, next_movers=who)
    search.add(Child(None, root, who, label(start, core)), None, 0)
    if order == Order.BREADTH:
        search.breadth(root, depth, executor, workers)
    else:
        search.best(root, depth)
    return Exploration(
        start,
        search.graph,
        root,
        policy,
        core,
        depth,
        budget,
        search.truncated,
        search.expanded,
        search.generated,
    )


class _Search:
    """The mutable bookkeeping of one `explore` call; never escapes it."""

    def __init__(
        self, start: State, policy: Policy, core: tuple[str, ...], budget: int, progress: Progress | None
    ) -> None:
        self.start, self.policy, self.core, self.budget = start, policy, core, budget
        self.graph: nx.DiGraph = nx.DiGraph()
        self.paths: dict[str, Path] = {}
        self.movers: dict[str, tuple[str, ...]] = {}
        self.progress = progress
        self.truncated = False
        self.expanded = 0
        self.generated = 0

    def add(self, child: Child, parent: str | None, depth: int) -> bool:
        """Record a state reached from `parent` by the child's move; True when it is new."""
        key = child.key
        new = key not in self.graph
        if new:
            if len(self.graph) >= self.budget:
                self.truncated = True
                return False
            self.graph.add_node(
                key, depth=depth, parent=parent, outcome=child.label.outcome, terms=child.label.terms
            )
            self.paths[key] = () if child.move is None else (*self.paths[parent or ""], child.move)
            self.movers[key] = child.movers
        if parent is not None and child.move is not None and not self.graph.has_edge(parent, key):
            self.graph.add_edge(parent, key, move=child.move)
        return new

    def _work(self, keys: Sequence[str]) -> list[tuple[Path, tuple[str, ...]]]:
        return [(self.paths[k], self.movers[k]) for k in keys]

    def breadth(self, root: str, depth: int, executor: Executor | None, workers: int) -> None:
        frontier = [root]
        for level in range(1, depth + 1):
            if not frontier:
                break
            if executor is None:
                results = expand(self.start, self._work(frontier), self.policy, self.core, level)
            else:
                size = max(1, -(-len(frontier) // (workers * _CHUNKS_PER_WORKER)))
                chunks = [self._work(frontier[k : k + size]) for k in range(0, len(frontier), size)]
                n = len(chunks)
                parts = executor.map(
                    expand_packed, [self.start] * n, chunks, [self.policy] * n, [self.core] * n, [level] * n
                )
                results = [[unpack(c) for c in children] for part in parts for children in part]
            self.expanded += len(frontier)
            following = []
            for key, children in zip(frontier, results, strict=True):
                for child in children:
                    self.generated += 1
                    if self.add(child, key, level):
                        following.append(child.key)
            frontier = following
            if self.progress is not None:
                self.progress(level, self.expanded, len(self.graph))

    def best(self, root: str, depth: int) -> None:
        """Expand the most promising state first: most core terms agreed, then fewest moves."""
        tie = itertools.count()
        queue = [(0, 0, next(tie), root)]
        while queue and not self.truncated:
            _, level, _, key = heapq.heappop(queue)
            if level >= depth:
                continue
            self.expanded += 1
            for child in expand(self.start, self._work([key]), self.policy, self.core, level + 1)[0]:
                self.generated += 1
                if self.add(child, key, level + 1):
                    heapq.heappush(queue, (-child.agreed, level + 1, next(tie), child.key))
            if self.progress is not None:
                self.progress(level + 1, self.expanded, len(self.graph))
