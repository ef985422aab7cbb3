"""The space of replies from a point of a negotiation: generated, searched, merged and summarised.

`replies` lists the legal moves a party could make under a `Policy`; `explore` searches them to
a depth or a budget of states, merging states that are the same negotiation (`state_key`), and
returns an `Exploration`: a networkx graph of states and moves with an outcome on every state.
Expanding a frontier is a pure function of its states, so any `concurrent.futures` executor
(a process pool, or a Dask cluster's) can run it with the same result as one process.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import heapq
import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor

import attrs
import networkx as nx

from negotiation.analysis import outcome
from negotiation.engine import _cyclic_gc_paused
from negotiation.errors import IllegalMove, ModelError, suggest
from negotiation.model import Act, Channel, Move, Status, Verb
from negotiation.rules import play
from negotiation.state import Position, State
from negotiation.status import is_agreed, term_status

__all__ = [
    "AGREEMENT",
    "BREAKDOWN",
    "DIVERGENT_AGREEMENT",
    "OPEN",
    "Child",
    "Exploration",
    "Label",
    "Policy",
    "Turns",
    "expand",
    "explore",
    "label",
    "movers",
    "replies",
    "state_key",
]

AGREEMENT = "agreement"
DIVERGENT_AGREEMENT = "divergent agreement"
BREAKDOWN = "breakdown"
OPEN = "open"
OUTCOMES = (AGREEMENT, DIVERGENT_AGREEMENT, BREAKDOWN, OPEN)

_PLAIN_VERBS = (Verb.PROPOSE, Verb.ACCEPT, Verb.REJECT, Verb.DISPUTE, Verb.WITHDRAW, Verb.AFFIRM, Verb.FULFIL)
_SETTLED = (Status.UNRAISED, Status.BINDING, Status.FULFILLED)


class Turns(enum.StrEnum):
    """Who may answer: the principal after the last mover (in catalogue order), or any principal."""

    ALTERNATE = "alternate"
    ANY = "any"


def _verbs(values: Iterable[Verb | str]) -> tuple[Verb, ...]:
    allowed = [str(v) for v in (*_PLAIN_VERBS, Verb.CONDITION)]
    verbs = []
    for value in values:
        if str(value) not in allowed:
            problem = (
                "needs a wording or an earlier move, which a generated reply cannot invent"
                if str(value) in [str(v) for v in Verb]
                else "is not a verb"
            )
            raise ModelError(
                f"policy verb {str(value)!r}", problem, suggest(str(value), allowed, noun="verb")
            )
        verbs.append(Verb(value))
    return tuple(sorted(set(verbs), key=list(Verb).index))


def _pool(value: str | Iterable[str]) -> str | tuple[str, ...]:
    if isinstance(value, str):
        if value not in ("open", "catalogue"):
            raise ModelError(f"policy terms {value!r}", "is not a pool", "give open, catalogue or term ids")
        return value
    return tuple(value)


def _core(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


@attrs.frozen
class Policy:
    """What a generated reply may be.

    `verbs` are the acts allowed (restate, ignore and move-wide affirm need words or move ids
    a generator cannot invent; condition makes one term conditional on another of the pool);
    `terms` is "open" (raised and not yet binding or fulfilled, in each state), "catalogue",
    or a tuple of term ids; a reply carries 1 to `max_acts` acts on distinct terms; `turns`
    says who answers; `core` are the terms an agreement must settle and whose rejection is a
    breakdown (None: the terms on the table at the start).
    """

    verbs: tuple[Verb, ...] = attrs.field(
        default=(Verb.PROPOSE, Verb.ACCEPT, Verb.REJECT, Verb.WITHDRAW, Verb.AFFIRM), converter=_verbs
    )
    terms: str | tuple[str, ...] = attrs.field(default="open", converter=_pool)
    max_acts: int = 1
    turns: Turns = attrs.field(default=Turns.ALTERNATE, converter=Turns)
    channel: Channel = attrs.field(default=Channel.PRIVATE, converter=Channel)
    core: tuple[str, ...] | None = attrs.field(default=None, converter=_core)

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.max_acts <= 4:
            raise ModelError(f"policy max_acts {self.max_acts}", "is out of range", "give 1 to 4")
        if not self.verbs:
            raise ModelError("policy verbs", "are empty", "give at least one verb")

    def check(self, state: State) -> None:
        """Raise `ModelError` naming any term of the pool or core the catalogue lacks."""
        known = state.catalogue.by_id
        for group, ids in (("terms", self.terms), ("core", self.core or ())):
            for term in ids if isinstance(ids, tuple) else ():
                if term not in known:
                    raise ModelError(f"policy {group}", f"names unknown term {term!r}", suggest(term, known))

    def pool(self, state: State) -> list[str]:
        """The terms replies may act on in this state, in catalogue order."""
        if self.terms == "catalogue":
            return list(state.catalogue.by_id)
        if self.terms == "open":
            return [t for t in state.catalogue.by_id if term_status(state, t) not in _SETTLED]
        chosen = set(self.terms)
        return [t for t in state.catalogue.by_id if t in chosen]

    def describe(self) -> str:
        """One line for a summary."""
        pool = self.terms if isinstance(self.terms, str) else ", ".join(self.terms)
        acts = "1 act" if self.max_acts == 1 else f"up to {self.max_acts} acts"
        return f"verbs {', '.join(self.verbs)}; terms {pool}; {acts} per move; turns {self.turns}"


# -- replies ----------------------------------------------------------------------------------


def movers(state: State, policy: Policy) -> list[str]:
    """The principals who may make the next move."""
    principals = list(state.catalogue.principals)
    if policy.turns is Turns.ANY or state.last is None:
        return principals
    last = state.moves[state.last].move.author
    if last not in principals:
        return principals
    return [principals[(principals.index(last) + 1) % len(principals)]]


def _candidates(state: State, policy: Policy) -> list[Act]:
    pool = policy.pool(state)
    acts: list[Act] = []
    for term in pool:
        for verb in policy.verbs:
            if verb is Verb.CONDITION:
                acts += [_act(verb, term, (other,)) for other in pool if other != term]
            else:
                acts.append(_act(verb, term, ()))
    return acts


@functools.lru_cache(maxsize=4096)
def _act(verb: Verb, term: str, conditions: tuple[str, ...]) -> Act:
    """A plain act, built once: acts are values, and checking one costs more than the lookup."""
    return Act(verb, term=term, conditions=conditions)


def replies(state: State, party: str, policy: Policy, *, tag: str = "x") -> list[tuple[Move, State]]:
    """Every legal move the party could make under the policy, with the state it leads to.

    Moves are addressed to every other principal on the policy's channel; their ids are
    `{tag}-{party}-{n}`, numbered over the candidates in a fixed order (single acts in catalogue
    and verb order, then combinations), so the same state always yields the same replies.
    """
    others = tuple(p for p in state.catalogue.principals if p != party)
    channel = policy.channel if others else Channel.PUBLIC

    def attempt(acts: Sequence[Act], n: int) -> tuple[Move, State] | None:
        move = Move(f"{tag}-{party}-{n}", party, tuple(acts), others, channel)
        try:
            return move, play(state, move, record=False)[0]
        except IllegalMove:
            return None

    candidates = _candidates(state, policy)
    tried = [(act, attempt((act,), n)) for n, act in enumerate(candidates)]
    out = [r for _, r in tried if r is not None]
    acts = [a for a, r in tried if r is not None]
    n = len(candidates)
    for size in range(2, policy.max_acts + 1):
        for combo in itertools.combinations(acts, size):
            if len({a.term for a in combo}) == size:
                if (result := attempt(combo, n)) is not None:
                    out.append(result)
                n += 1
    return out


# -- what a state is, for merging ---------------------------------------------------------------


def state_key(
    state: State, *, next_movers: Sequence[str] = (), cache: dict[object, str] | None = None
) -> str:
    """A digest of everything the rules read from a state, and nothing of how it was reached.

    Two states with the same key allow the same replies with the same effects: the same
    positions (stance, formulation without its provenance, whose statements were let stand),
    the same statements awaiting answers, the same order of recency among formulations (the
    rules build an acceptance on the latest), and the same next movers. Stable across
    processes and runs (no `hash()`), so workers can merge. A `cache` dict shared between
    calls keeps the encoding of each term's positions, which states of a search mostly share.
    """
    terms = []
    for term, positions in sorted(state.terms.items(), key=lambda item: item[0]):
        head = cache.get((term, positions)) if cache is not None else None
        if head is None:
            rows = [
                [p, pos.stance, _substance(pos), sorted(pos.tacit)] for p, pos in sorted(positions.items())
            ]
            head = json.dumps([term, rows])[:-1]  # open: the recency order follows
            if cache is not None:
                cache[(term, positions)] = head
        stated = [(p, pos.formulation.move) for p, pos in positions.items() if pos.formulation is not None]
        if len(stated) > 1:  # the order matters only between two or more formulations
            ranked = sorted(stated, key=lambda pm: (_rank(state, pm[1]), pm[0]))
            terms.append(f"{head},{_order(tuple(p for p, _ in ranked))}]")
        else:
            terms.append(f"{head},[]]")
    pending = sorted(
        [party, term, proposer] for party, items in state.pending.items() for term, proposer in items
    )
    text = f"[[{','.join(terms)}],{json.dumps(pending)},{json.dumps(list(next_movers))}]"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _substance(pos: Position) -> list[object] | None:
    f = pos.formulation
    if f is None:
        return None
    return [f.text, f.scope, f.verification, f.timing, f.confidentiality, sorted(f.conditions)]


@functools.lru_cache(maxsize=256)
def _order(parties: tuple[str, ...]) -> str:
    return json.dumps(parties)


def _rank(state: State, move_id: str | None) -> int:
    record = state.moves.get(move_id) if move_id is not None else None
    return record.index if record is not None else -1


@attrs.frozen
class Label:
    """A state's outcome: agreement (on `terms`), divergent agreement, breakdown, or open."""

    outcome: str
    terms: tuple[str, ...] = ()


def label(state: State, core: Iterable[str]) -> Label:
    """The outcome of a state for an exploration with these core terms.

    Breakdown: a principal rejected a core term. Agreement: every core term is agreed with its
    conditions met (`analysis.outcome`'s secured terms); `terms` is the whole secured set, and
    the agreement is divergent when some of those terms stand in different wordings.
    Otherwise the state is open.
    """
    core = tuple(core)
    if any(term_status(state, t) is Status.REJECTED for t in core):
        return Label(BREAKDOWN)
    if not core or not all(is_agreed(state, t) for t in core):
        return Label(OPEN)  # settles nothing yet: spare the full verdict
    verdict = outcome(state)
    if core and set(core) <= set(verdict.secured):
        divergent = set(verdict.divergent) & set(verdict.secured)
        return Label(DIVERGENT_AGREEMENT if divergent else AGREEMENT, verdict.secured)
    return Label(OPEN)


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
    cache: dict[object, str] = {}
    prefix = _free_prefix(start)
    with _cyclic_gc_paused():
        for path, who in chunk:
            state = start
            for move in path:
                state = play(state, move, record=False)[0]
            children = []
            for party in who:
                for move, child in replies(state, party, policy, tag=f"{prefix}{depth}"):
                    after = tuple(movers(child, policy))
                    key = state_key(child, next_movers=after, cache=cache)
                    agreed = sum(is_agreed(child, t) for t in core)
                    children.append(Child(move, key, after, label(child, core), agreed))
            out.append(children)
    return out


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

    def outcomes(self) -> dict[str, int]:
        """The number of states with each outcome."""
        counts = Counter(self.graph.nodes[n]["outcome"] for n in self.graph)
        return {o: counts.get(o, 0) for o in OUTCOMES}

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
            state = play(state, move, record=False)[0]
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
    order: str = "breadth",
    executor: Executor | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> Exploration:
    """Search the replies from `start` to `depth` moves, keeping at most `budget` distinct states.

    `order` is "breadth" (level by level: first paths are shortest) or "best" (states where
    the most core terms are agreed first). With an `executor` (any `concurrent.futures.Executor`,
    e.g. a process pool or `distributed.Client.get_executor()`), each breadth level is expanded
    in `workers` chunks in parallel and merged in a fixed order: the graph is the same as in
    one process.
    """
    if depth < 0 or budget < 1:
        raise ModelError("exploration", f"depth {depth} and budget {budget}", "give depth >= 0, budget >= 1")
    if order not in ("breadth", "best"):
        raise ModelError("exploration order", f"{order!r} is not an order", "give breadth or best")
    policy.check(start)
    core = policy.core
    if core is None:
        core = tuple(t for t in start.catalogue.by_id if term_status(start, t) is not Status.UNRAISED)
    who = tuple(movers(start, policy))
    search = _Search(start, policy, core, budget, progress)
    root = state_key(start, next_movers=who)
    search.add(Child(None, root, who, label(start, core)), None, 0)
    if order == "breadth":
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
                    expand, [self.start] * n, chunks, [self.policy] * n, [self.core] * n, [level] * n
                )
                results = [r for part in parts for r in part]
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
