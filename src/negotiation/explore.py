"""The space of replies from a point of a negotiation: generated, searched, merged and summarised.

`explore` searches the replies a `Policy` allows (`policy.replies`) to a depth or a budget of
states, merging states that are the same negotiation (`state_key`), and returns an
`Exploration`: a networkx graph of states and moves with an outcome (`analysis.label`) on
every state.
A breadth-first search runs on shards of the key space (`negotiation.shards`): in this
process, in worker processes, or as actors on a Dask cluster, with the same graph; any
`concurrent.futures` executor can also expand its levels, each state folded from its path.
"""

from __future__ import annotations

import enum
import heapq
import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Executor

import attrs
import networkx as nx

from negotiation.analysis import Label, Reached, label
from negotiation.engine import apply, paused_gc
from negotiation.errors import ModelError, ParameterError
from negotiation.expansion import (
    Child,
    Packed,
    Path,
    expand,
    expand_packed,
    pack_path,
    unpack,
    unpack_move,
)
from negotiation.model import Move
from negotiation.policy import Policy, TermPool, Turns, movers, replies
from negotiation.preferences import PreferenceSet, utilities
from negotiation.shards import InlineShards, ProcessShards, Shards, Work
from negotiation.state import State
from negotiation.statekeys import KeyCache, owner, state_key
from negotiation.status import term_status
from negotiation.vocabulary import Status

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
    UTILITY = "utility"
    """The state whose parties gain most in all over their reservation values first, under the
    preferences given (`explore(..., preferences=...)`), then the one with fewest moves."""


# -- the search -------------------------------------------------------------------------------


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
    shards: Shards | None = None,
    progress: Progress | None = None,
    preferences: PreferenceSet | None = None,
) -> Exploration:
    """Search the replies from `start` to `depth` moves, keeping at most `budget` distinct states.

    `order` is an `Order`: breadth (level by level: first paths are shortest) or best (states
    where the most core terms are agreed first, in this process). A breadth search runs on
    `shards` (`ProcessShards`, `DaskShards`: each worker keeps its shard of the states from
    level to level), on `workers` local processes when no shards are given, or, with an
    `executor` (any `concurrent.futures.Executor`), in `workers` chunks per level, each state
    folded again from its path. Every way gives the graph one process gives.
    """
    if depth < 0 or budget < 1:
        raise ModelError("exploration", f"depth {depth} and budget {budget}", "give depth >= 0, budget >= 1")
    if order not in list(Order):
        raise ParameterError("order", order, "is not a search order", f"give {' or '.join(Order)}")
    if (order == Order.UTILITY) != (preferences is not None):
        raise ParameterError(
            "preferences",
            preferences,
            "order a utility search, and only that"
            if preferences is not None
            else "are needed to search by utility",
            f"give order={Order.UTILITY.value!r} with preferences=PreferenceSet(...)",
        )
    if preferences is not None:
        preferences.check(start)
    if workers < 1:
        raise ParameterError("workers", workers, "is no number of workers", "give 1 or more")
    if executor is not None and shards is not None:
        raise ParameterError("executor", executor, "is given with shards", "give one or the other")
    policy.check(start)
    core = policy.core
    if core is None:
        core = tuple(t for t in start.catalogue.by_id if term_status(start, t) is not Status.UNRAISED)
    who = tuple(movers(start, policy))
    search = _Search(start, policy, core, budget, progress)
    root = state_key(start, next_movers=who)
    search.add(Child(None, root, who, label(start, core)), None, 0)
    with paused_gc():
        if order == Order.UTILITY:
            assert preferences is not None
            search.best(root, depth, score=_joint_gain(preferences))
        elif order != Order.BREADTH:
            search.best(root, depth)
        elif executor is not None:
            search.chunked(root, depth, executor, workers)
        elif shards is not None:
            search.sharded(root, depth, shards)
        elif workers > 1:
            with ProcessShards(workers) as local:
                search.sharded(root, depth, local)
        else:
            search.sharded(root, depth, InlineShards())
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

    def add_packed(self, p: Packed, parent: str, depth: int) -> bool:
        """`add` for a packed child: its move is rebuilt only for an edge not seen before."""
        key, graph = p[5], self.graph
        if key in graph:
            if not graph.has_edge(parent, key):
                graph.add_edge(parent, key, move=unpack_move(p))
            return False
        if len(graph) >= self.budget:
            self.truncated = True
            return False
        move = unpack_move(p)
        graph.add_node(key, depth=depth, parent=parent, outcome=p[7], terms=p[8])
        graph.add_edge(parent, key, move=move)
        self.paths[key] = (*self.paths[parent], move)
        self.movers[key] = p[6]
        return True

    def _work(self, keys: Sequence[str]) -> list[tuple[Path, tuple[str, ...]]]:
        return [(self.paths[k], self.movers[k]) for k in keys]

    def _level_done(self, level: int, frontier: Sequence[str]) -> None:
        self.expanded += len(frontier)
        if self.progress is not None:
            self.progress(level, self.expanded, len(self.graph))

    def sharded(self, root: str, depth: int, shards: Shards) -> None:
        """Breadth first on shards of the key space, merged in the frontier's order."""
        count = shards.count
        shards.begin(self.start, self.policy, self.core)
        frontier, maker = [root], {root: -1}
        for level in range(1, depth + 1):
            if not frontier:
                break
            works: list[list[Work]] = [[] for _ in range(count)]
            for key in frontier:
                shard = owner(key, count)
                works[shard].append(self._shard_work(key, shard == maker[key]))
            results = shards.expand(level, works, level < depth)
            by_key: dict[str, tuple[int, list[Packed]]] = {}
            for shard, (work, result) in enumerate(zip(works, results, strict=True)):
                for item, children in zip(work, result, strict=True):
                    by_key[item[0]] = (shard, children)
            following, maker = [], {}
            for key in frontier:
                shard, children = by_key[key]
                self.generated += len(children)
                for p in children:
                    if self.add_packed(p, key, level):
                        following.append(p[5])
                        maker[p[5]] = shard
            self._level_done(level, frontier)
            frontier = following

    def _shard_work(self, key: str, held: bool) -> Work:
        """What a shard needs to expand a state: a path only when it did not make the state."""
        parent = self.graph.nodes[key]["parent"]
        origin = None if parent is None else (parent, self.graph.edges[parent, key]["move"].id)
        return (key, self.movers[key], origin, None if held else pack_path(self.paths[key]))

    def chunked(self, root: str, depth: int, executor: Executor, workers: int) -> None:
        """Breadth first, each level cut in chunks an executor expands from the states' paths."""
        frontier = [root]
        for level in range(1, depth + 1):
            if not frontier:
                break
            size = max(1, -(-len(frontier) // (workers * _CHUNKS_PER_WORKER)))
            chunks = [self._work(frontier[k : k + size]) for k in range(0, len(frontier), size)]
            n = len(chunks)
            parts = executor.map(
                expand_packed, [self.start] * n, chunks, [self.policy] * n, [self.core] * n, [level] * n
            )
            results = [children for part in parts for children in part]
            following = []
            for key, children in zip(frontier, results, strict=True):
                self.generated += len(children)
                for p in children:
                    if self.add_packed(p, key, level):
                        following.append(p[5])
            self._level_done(level, frontier)
            frontier = following

    def best(self, root: str, depth: int, score: Callable[[State], float] | None = None) -> None:
        """Expand the most promising state first: the highest score, then the fewest moves.

        The score is by default the number of core terms agreed; a scored search keeps the
        states it has queued.
        """
        tie = itertools.count()
        queue = [(0.0, 0, next(tie), root)]
        states = {root: self.start} if score is not None else {}
        while queue and not self.truncated:
            _, level, _, key = heapq.heappop(queue)
            if level >= depth:
                continue
            self.expanded += 1
            state = states.get(key)
            for child in expand(self.start, self._work([key]), self.policy, self.core, level + 1)[0]:
                self.generated += 1
                if self.add(child, key, level + 1):
                    if score is None:
                        priority = -float(child.agreed)
                    else:
                        assert state is not None
                        assert child.move is not None
                        reached = states[child.key] = apply(state, child.move)
                        priority = -score(reached)
                    heapq.heappush(queue, (priority, level + 1, next(tie), child.key))
            if self.progress is not None:
                self.progress(level + 1, self.expanded, len(self.graph))


def _joint_gain(preferences: PreferenceSet) -> Callable[[State], float]:
    """The parties' summed gain over their reservation values in a state."""
    reservations = preferences.reservations

    def gain(state: State) -> float:
        return sum(u - r for u, r in zip(utilities(preferences, state), reservations, strict=True))

    return gain
