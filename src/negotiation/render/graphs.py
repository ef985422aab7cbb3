"""Graphs of a negotiation for other tools: the terms and their relations, the states of a replay.

Built with networkx; every attribute is a string or an integer, so that each format of
`render.formats` can hold it.
"""

from __future__ import annotations

import itertools

import networkx as nx

from negotiation.analysis import condition_graph, outcome
from negotiation.engine import Timeline
from negotiation.state import State
from negotiation.status import StatusMemo, is_divergent, term_status

__all__ = ["DEPENDENCY_KINDS", "state_graph", "term_graph"]

DEPENDENCY_KINDS = frozenset({"condition", "requires", "refines"})
"""Edge kinds that point from a term to a term it depends on (conflicts do not)."""


def term_graph(state: State, *, name: str = "") -> nx.MultiDiGraph:
    """The terms as nodes and their conditions and catalogue relations as edges, export-ready.

    The structure is `analysis.condition_graph`'s; node attributes are the term's title,
    obligors (comma-separated), status and divergent flag (0 or 1), edge attributes the kind
    and, for conditions, the party and the move that set them.
    """
    source = condition_graph(state)
    g: nx.MultiDiGraph = nx.MultiDiGraph(name=name or "terms", direction="RL")
    for term in state.catalogue.terms:
        g.add_node(
            term.id,
            title=term.title or term.id,
            obligors=",".join(term.obligors),
            status=str(term_status(state, term.id)),
            divergent=int(is_divergent(state, term.id)),
        )
    for u, v, data in source.edges(data=True):
        attrs = {k: str(value) for k, value in data.items() if value is not None}
        g.add_edge(u, v, **attrs)
    return g


def state_graph(timeline: Timeline, *, name: str = "") -> nx.MultiDiGraph:
    """The replay as a graph: a node per state (before any move, then after each), an edge per move.

    Nodes carry their position (`index`), the move they follow, the outcome's verdict and
    summary, and the number of terms in each status; edges the move's id, author, addressees,
    channel and date.
    """
    g: nx.MultiDiGraph = nx.MultiDiGraph(name=name or "states", direction="LR")
    states = itertools.chain([timeline.initial], (s.state for s in timeline))  # walked, not kept
    moves = timeline.moves
    memo = StatusMemo()  # a state shares most terms' positions with the one before it
    for i, state in enumerate(states):
        result = outcome(state, memo=memo)
        counts = {str(status): len(ids) for status, ids in result.by_status.items()}
        g.add_node(
            f"s{i}",
            index=i,
            after=moves[i - 1].id if i else "",
            label=f"after {moves[i - 1].id}" if i else "start",
            verdict=str(result.verdict),
            summary=result.summary(),
            **counts,
        )
    for i, move in enumerate(moves):
        g.add_edge(
            f"s{i}",
            f"s{i + 1}",
            move=move.id,
            label=move.id,
            author=move.author,
            addressees=",".join(move.addressees),
            channel=str(move.channel),
            sent=str(move.sent) if move.sent else "",
        )
    return g
