"""Derived views of a state: the memo-style side-by-side, the condition graph, and what changed.

Everything here is computed from states on demand; nothing is stored twice.
"""

from __future__ import annotations

import attrs
import networkx as nx

from negotiation.model import Status
from negotiation.state import EMPTY, Position, State
from negotiation.status import is_divergent, term_status

__all__ = [
    "PositionChange",
    "TermView",
    "condition_graph",
    "memo",
    "position_changes",
    "quid_pro_quos",
    "term_view",
]


@attrs.frozen
class TermView:
    """One row of the memo: a term's status and every principal's position on it."""

    term: str
    status: Status
    divergent: bool
    positions: dict[str, Position]


def term_view(state: State, term: str) -> TermView:
    """The memo row for one term."""
    return TermView(term, term_status(state, term), is_divergent(state, term), state.positions(term))


def memo(state: State, *, raised_only: bool = True) -> list[TermView]:
    """Memo rows for the catalogue's terms in order; by default only those somebody raised."""
    rows = [term_view(state, t) for t in state.catalogue.by_id]
    return [r for r in rows if r.status is not Status.UNRAISED or not raised_only]


def condition_graph(state: State) -> nx.MultiDiGraph:
    """Terms as nodes; an edge term -> condition for each party that makes the one depend on the other.

    Cycles are quid pro quos (each side's undertaking conditional on the other's), not errors.
    Catalogue relations appear as edges with `kind` "requires", "conflicts" or "refines".
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
    """Every (term, party) whose position differs between two states of one catalogue."""
    out: list[PositionChange] = []
    for term in after.catalogue.by_id:
        old, new = before.terms.get(term), after.terms.get(term)
        if old is new:
            continue
        for party in after.catalogue.principals:
            a = old.get(party, EMPTY) if old is not None else EMPTY
            b = new.get(party, EMPTY) if new is not None else EMPTY
            if a != b:
                out.append(PositionChange(term, party, a, b))
    return out
