"""Derived views of a state: the memo-style side-by-side, the condition graph, and what changed.

Everything here is computed from states on demand; nothing is stored twice.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs
import networkx as nx

from negotiation.engine import Timeline
from negotiation.model import NO_IDS, SUBSTANCE
from negotiation.state import EMPTY, Position, State
from negotiation.status import StatusMemo, is_divergent, term_status
from negotiation.vocabulary import Status

__all__ = [
    "AGREEING",
    "BOUND",
    "Label",
    "Outcome",
    "PositionChange",
    "Reached",
    "TermDifference",
    "TermView",
    "TimelineDiff",
    "Verdict",
    "condition_graph",
    "diff",
    "label",
    "memo",
    "outcome",
    "position_changes",
    "quid_pro_quos",
    "term_view",
]


@attrs.frozen
class TermView:
    """One row of the memo: a term's status and the position of every party it needs.

    `others` are the positions of parties whose word the term does not count (a mediator's
    formula, a third party's demand), shown beside the row.
    """

    term: str
    status: Status
    divergent: bool
    positions: dict[str, Position]
    others: dict[str, Position] = attrs.field(factory=dict)

    def differing(self) -> frozenset[str]:
        """The formulation fields (`SUBSTANCE`) in which the principals behind a divergent term differ."""
        if not self.divergent:
            return frozenset()
        forms = [p.formulation for p in self.positions.values() if p.supports and p.formulation is not None]
        return frozenset(f for f in SUBSTANCE if len({getattr(x, f) for x in forms}) > 1)


def term_view(state: State, term: str) -> TermView:
    """The memo row for one term."""
    positions = state.positions(term)
    held = state.terms.get(term)
    others = {}
    if held is not None and any(p not in positions for p in held):
        others = {p.id: held[p.id] for p in state.catalogue.parties if p.id in held and p.id not in positions}
    return TermView(term, term_status(state, term), is_divergent(state, term), positions, others)


def memo(state: State, *, raised_only: bool = True) -> list[TermView]:
    """Memo rows for the catalogue's terms in order; by default only those somebody raised."""
    rows = [term_view(state, t) for t in state.catalogue.by_id]
    return [r for r in rows if r.status is not Status.UNRAISED or not raised_only]


def condition_graph(state: State) -> nx.MultiDiGraph:
    """Terms as nodes; an edge term -> condition for each party that makes the one depend on the other.

    Cycles are quid pro quos (each side's undertaking conditional on the other's), not errors.
    Catalogue relations appear as edges with `kind` "requires", "conflicts", "refines" or
    "replaces".
    """
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for term in state.catalogue.terms:
        g.add_node(term.id, obligors=term.obligors, status=str(term_status(state, term.id)))
        for other in term.requires:
            g.add_edge(term.id, other, kind="requires")
        for other in term.conflicts:
            g.add_edge(term.id, other, kind="conflicts")
        if term.refines is not None:
            g.add_edge(term.id, term.refines, kind="refines")
        for other in term.replaces:
            g.add_edge(term.id, other, kind="replaces")
    for term_id, positions in sorted(state.terms.items()):
        for party, pos in sorted(positions.items()):
            if pos.formulation is None:
                continue
            for cond in sorted(pos.formulation.conditions):
                g.add_edge(term_id, cond, kind="condition", party=party, move=pos.formulation.move)
    return g


def quid_pro_quos(state: State) -> list[list[str]]:
    """The cycles of conditions between terms: undertakings each made in exchange for the other."""
    g = condition_graph(state)
    conditions = nx.DiGraph((u, v) for u, v, kind in g.edges(data="kind") if kind == "condition")
    return sorted(sorted(c) for c in nx.simple_cycles(conditions))


@attrs.frozen
class PositionChange:
    """A principal's position on a term in two states, where it differs."""

    term: str
    party: str
    before: Position
    after: Position


def position_changes(before: State, after: State) -> list[PositionChange]:
    """Every (term, party) whose position differs between two states of one catalogue.

    Parties come in catalogue order, principals, mediators and third parties alike.
    """
    out: list[PositionChange] = []
    parties = [p.id for p in after.catalogue.parties]
    for term in after.catalogue.by_id:
        old, new = before.terms.get(term), after.terms.get(term)
        if old is new:
            continue
        for party in parties:
            a = old.get(party, EMPTY) if old is not None else EMPTY
            b = new.get(party, EMPTY) if new is not None else EMPTY
            if a != b:
                out.append(PositionChange(term, party, a, b))
    return out


BOUND = frozenset({Status.BINDING, Status.FULFILLED, Status.CONTESTED, Status.CONFIRMED})
"""Statuses of an agreed term that binds: declared binding, or being performed (claimed, judged)."""

AGREEING = frozenset({Status.AGREED, Status.CONDITIONAL, Status.DIVERGENT}) | BOUND
"""Statuses of a term every party it needs stands behind."""


class Verdict(enum.StrEnum):
    """Where a whole negotiation stands (see `outcome`)."""

    AGREEMENT = "agreement"
    BREAKDOWN = "breakdown"
    AGREEMENT_IN_PRINCIPLE = "agreement in principle"
    OPEN = "open"


@attrs.frozen
class Outcome:
    """Where a negotiation stands: a verdict and the terms by status.

    `verdict` is an agreement when some term is binding or fulfilled; otherwise a breakdown
    when a principal rejected a term that another position depends on; otherwise an agreement
    in principle when some agreed term's conditions are all agreed too; otherwise open.
    `secured` are the agreed terms whose conditions (every principal's) are agreed as well;
    `consistent` says all agreed terms are secured.
    """

    verdict: Verdict
    by_status: dict[Status, tuple[str, ...]]
    agreed: tuple[str, ...]
    secured: tuple[str, ...]
    divergent: tuple[str, ...]

    @property
    def consistent(self) -> bool:
        """True when every agreed term's conditions are agreed too."""
        return len(self.secured) == len(self.agreed)

    def summary(self) -> str:
        """One line: the verdict, the agreed terms, and counts of the rest."""
        parts: list[str] = [self.verdict]
        if self.agreed:
            extra = [f"{len(self.divergent)} divergent"] if self.divergent else []
            if not self.consistent:
                extra.append(f"{len(self.agreed) - len(self.secured)} on unmet conditions")
            parts.append(f"{len(self.agreed)} terms agreed" + (f" ({', '.join(extra)})" if extra else ""))
        rest = [
            f"{len(ids)} {status}"
            for status, ids in self.by_status.items()
            if ids and status not in AGREEING and status is not Status.UNRAISED
        ]
        return "; ".join(parts + rest)


def outcome(state: State, *, memo: StatusMemo | None = None) -> Outcome:
    """The verdict on a state and its terms grouped by status (see `Outcome`).

    A `memo` shared between calls remembers statuses by what they read (a search's states).
    """
    m = memo if memo is not None else StatusMemo()
    statuses = {t: m.status(state, t) for t in state.catalogue.by_id}
    grouped: dict[Status, list[str]] = {s: [] for s in Status}
    for t, st in statuses.items():
        grouped[st].append(t)
    by_status = {s: tuple(ts) for s, ts in grouped.items()}
    agreed = [t for t in state.terms if m.agreed(state, t)]
    agreed.sort(key=state.catalogue.order.__getitem__)
    conditions = {
        t: {c for pos in positions.values() if pos.formulation for c in pos.formulation.conditions} or NO_IDS
        for t, positions in state.terms.items()
    }
    secured = set(agreed)
    changed = True
    while changed:  # the largest set of agreed terms whose conditions all lie inside it
        unmet = {t for t in secured if not conditions.get(t, NO_IDS) <= secured}
        secured -= unmet
        changed = bool(unmet)
    rejected = set(by_status[Status.REJECTED]) | set(by_status[Status.BLOCKED])
    if any(statuses[t] in BOUND for t in agreed):
        verdict = Verdict.AGREEMENT
    elif rejected and any(conds & rejected for conds in conditions.values()):
        verdict = Verdict.BREAKDOWN
    elif secured:
        verdict = Verdict.AGREEMENT_IN_PRINCIPLE
    else:
        verdict = Verdict.OPEN
    return Outcome(
        verdict,
        by_status,
        tuple(agreed),
        tuple(t for t in agreed if t in secured),
        tuple(t for t in agreed if m.divergent(state, t)),
    )


class Reached(enum.StrEnum):
    """What a state amounts to for a set of core terms, as an exploration labels it (see `label`).

    The words are the verdicts' where they mean the same kind of end, judged on the core terms.
    """

    AGREEMENT = Verdict.AGREEMENT.value
    DIVERGENT_AGREEMENT = f"divergent {Verdict.AGREEMENT}"
    BREAKDOWN = Verdict.BREAKDOWN.value
    OPEN = Verdict.OPEN.value


@attrs.frozen
class Label:
    """A state's outcome: agreement (on `terms`), divergent agreement, breakdown, or open."""

    outcome: Reached
    terms: tuple[str, ...] = ()


def label(state: State, core: Iterable[str], *, memo: StatusMemo | None = None) -> Label:
    """What the state amounts to for these core terms (an exploration's label of each state).

    Breakdown: a principal rejected a core term. Agreement: every core term is agreed with its
    conditions met (`outcome`'s secured terms); `terms` is the whole secured set, and
    the agreement is divergent when some of those terms stand in different wordings.
    Otherwise the state is open.
    """
    core = tuple(core)
    m = memo if memo is not None else StatusMemo()
    if any(m.status(state, t) is Status.REJECTED for t in core):
        return Label(Reached.BREAKDOWN)
    if not core or not all(m.agreed(state, t) for t in core):
        return Label(Reached.OPEN)  # settles nothing yet: spare the full verdict
    verdict = outcome(state, memo=m)
    if core and set(core) <= set(verdict.secured):
        divergent = set(verdict.divergent) & set(verdict.secured)
        return Label(Reached.DIVERGENT_AGREEMENT if divergent else Reached.AGREEMENT, verdict.secured)
    return Label(Reached.OPEN)


@attrs.frozen
class TermDifference:
    """A term whose status or stances differ between two timelines at the compared point."""

    term: str
    a: TermView | None
    b: TermView | None


@attrs.frozen
class TimelineDiff:
    """How two histories relate: where they part, and which terms end up different."""

    common: str | None
    first_a: str | None
    first_b: str | None
    at: str | None
    terms: tuple[TermDifference, ...]


def diff(a: Timeline, b: Timeline, *, at: str | None = None) -> TimelineDiff:
    """The last common move, the first move where each history differs, and differing terms.

    Terms are compared at the end of each history, or after the move `at` in both.
    """
    moves_a, moves_b = a.moves, b.moves
    n = 0
    for x, y in zip(moves_a, moves_b, strict=False):
        if x != y:
            break
        n += 1
    state_a = a[at] if at is not None else a.final
    state_b = b[at] if at is not None else b.final
    terms = list(state_a.catalogue.by_id) + [
        t for t in state_b.catalogue.by_id if t not in state_a.catalogue.by_id
    ]
    out = []
    for t in terms:
        va = term_view(state_a, t) if t in state_a.catalogue.by_id else None
        vb = term_view(state_b, t) if t in state_b.catalogue.by_id else None
        if va is None or vb is None or _differs(va, vb):
            out.append(TermDifference(t, va, vb))
    return TimelineDiff(
        moves_a[n - 1].id if n else None,
        moves_a[n].id if n < len(moves_a) else None,
        moves_b[n].id if n < len(moves_b) else None,
        at,
        tuple(out),
    )


def _differs(a: TermView, b: TermView) -> bool:
    stances_a = {p: pos.stance for p, pos in a.positions.items()}
    stances_b = {p: pos.stance for p, pos in b.positions.items()}
    return a.status is not b.status or stances_a != stances_b
