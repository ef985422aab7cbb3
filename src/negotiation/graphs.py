"""Graphs of a negotiation for other tools: the terms and their relations, the states of a replay.

Built with networkx and written as GraphML or node-link JSON by its writers, as DOT or
Mermaid by hand; every attribute is a string or an integer, so that each format can hold it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from negotiation.analysis import condition_graph, outcome
from negotiation.engine import Timeline
from negotiation.errors import NegotiationError, suggest
from negotiation.model import Status
from negotiation.palette import EDGE_COLOURS, STATUS_COLOURS, party_colour, text_colour
from negotiation.state import State
from negotiation.status import is_divergent, term_status

__all__ = [
    "DEPENDENCY_KINDS",
    "FORMATS",
    "graph_writer",
    "layered_layout",
    "state_graph",
    "term_graph",
    "write_graph",
]

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
    states = [timeline.initial, *(s.state for s in timeline.steps)]
    moves = timeline.moves
    for i, state in enumerate(states):
        result = outcome(state)
        counts = {str(status): len(ids) for status, ids in result.by_status.items()}
        g.add_node(
            f"s{i}",
            index=i,
            after=moves[i - 1].id if i else "",
            label=f"after {moves[i - 1].id}" if i else "start",
            verdict=result.verdict,
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


# -- layout ---------------------------------------------------------------------------------


def layered_layout(g: nx.MultiDiGraph, *, per_column: int = 0) -> dict[str, tuple[int, int]]:
    """A column and row for every node: prerequisites left, the terms depending on them right.

    Layers are the longest chains of dependency (conditions, requirements, refinements) in the
    graph of strongly connected components, so a quid pro quo shares a column; rows are
    ordered by the mean row of neighbours in the next column (a few sweeps), ties by the
    graph's node order. Nodes without any edge come last; a column holds at most `per_column`
    nodes (0: about the square root of the node count, at least 8) and wraps beyond.
    """
    nodes = list(g.nodes)
    order = {n: i for i, n in enumerate(nodes)}
    per_column = per_column or max(8, math.ceil(math.sqrt(len(nodes))))
    dependencies = nx.DiGraph()
    neighbours: dict[str, set[str]] = {n: set() for n in nodes}
    for u, v, kind in g.edges(data="kind"):
        if u == v:
            continue
        neighbours[u].add(v)
        neighbours[v].add(u)
        if kind in DEPENDENCY_KINDS:
            dependencies.add_edge(u, v)
    linked = [n for n in nodes if neighbours[n]]
    loose = [n for n in nodes if not neighbours[n]]
    dependencies.add_nodes_from(linked)
    components = nx.condensation(dependencies)
    depth: dict[int, int] = {}
    for c in reversed(list(nx.topological_sort(components))):
        depth[c] = 1 + max((depth[d] for d in components.successors(c)), default=-1)
    member = components.graph["mapping"]
    layers: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for n in linked:
        layers[depth[member[n]]].append(n)
    row = {n: float(i) for layer in layers for i, n in enumerate(layer)}
    for sweep in range(4):
        sequence = layers if sweep % 2 else list(reversed(layers))
        for k, layer in enumerate(sequence):
            if k == 0:
                continue
            side = set(sequence[k - 1])

            def centre(n: str, side: set[str] = side) -> tuple[float, int]:
                near = [row[m] for m in neighbours[n] if m in side]
                return (sum(near) / len(near) if near else row[n], order[n])

            layer.sort(key=centre)
            row.update((n, float(i)) for i, n in enumerate(layer))
    out: dict[str, tuple[int, int]] = {}
    column = 0
    for group in [*layers, loose]:
        for i, n in enumerate(group):
            out[n] = (column + i // per_column, i % per_column)
        column += math.ceil(len(group) / per_column)
    return out


# -- writers --------------------------------------------------------------------------------


def _graphml(g: nx.MultiDiGraph) -> str:
    return "\n".join(nx.generate_graphml(g)) + "\n"


def _json(g: nx.MultiDiGraph) -> str:
    return json.dumps(nx.node_link_data(g, edges="edges"), indent=1, ensure_ascii=False) + "\n"


def _direction(g: nx.MultiDiGraph) -> str:
    return "RL" if g.graph.get("direction") == "RL" else "LR"


def _dot_quote(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _dot_attrs(attrs: Mapping[str, object]) -> str:
    return ", ".join(f"{key}={_dot_quote(value)}" for key, value in attrs.items())


def _edge_look(data: Mapping[str, Any], parties: list[str]) -> dict[str, str]:
    kind = str(data.get("kind", ""))
    if kind == "condition":
        party = str(data.get("party", ""))
        index = parties.index(party) if party in parties else len(parties)
        return {"colour": party_colour(index), "label": f"{party} condition".strip(), "style": "solid"}
    style = {"conflicts": "dashed", "refines": "dotted"}.get(kind, "solid")
    return {"colour": EDGE_COLOURS.get(kind, "#333333"), "label": kind, "style": style}


def _parties(g: nx.MultiDiGraph) -> list[str]:
    return sorted({str(p) for _, _, p in g.edges(data="party") if p is not None})


_STATUS_NAMES = frozenset(str(s) for s in Status)


def _node_fill(data: Mapping[str, Any]) -> str | None:
    status = data.get("status")
    if status not in _STATUS_NAMES:
        return None
    return STATUS_COLOURS[Status(status)]


def _dot(g: nx.MultiDiGraph) -> str:
    parties = _parties(g)
    lines = [f"digraph {_dot_quote(g.graph.get('name', 'negotiation'))} {{"]
    lines.append(f'  graph [rankdir={_dot_quote(_direction(g))}, fontname="Helvetica"];')
    lines.append('  node [shape="box", style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];')
    lines.append('  edge [fontname="Helvetica", fontsize="10"];')
    for node, data in g.nodes(data=True):
        look: dict[str, object] = dict(data)
        fill = _node_fill(data)
        if fill is not None:
            look.update(fillcolor=fill, fontcolor=text_colour(fill))
        look.setdefault("label", node)
        lines.append(f"  {_dot_quote(node)} [{_dot_attrs(look)}];")
    for u, v, data in g.edges(data=True):
        look = dict(data)
        if "kind" in data:
            edge = _edge_look(data, parties)
            look.update(color=edge["colour"], style=edge["style"], label=edge["label"])
            if data["kind"] == "conflicts":
                look["dir"] = "none"
        lines.append(f"  {_dot_quote(u)} -> {_dot_quote(v)} [{_dot_attrs(look)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(value: object) -> str:
    return str(value).replace('"', "#quot;").replace("\n", " ")


def _mermaid(g: nx.MultiDiGraph) -> str:
    parties = _parties(g)
    ids = {node: f"n{i}" for i, node in enumerate(g.nodes)}
    lines = [f"flowchart {_direction(g)}"]
    classes: dict[str, list[str]] = {}
    for node, data in g.nodes(data=True):
        label = data.get("label", node)
        lines.append(f'  {ids[node]}["{_mermaid_text(label)}"]')
        if _node_fill(data) is not None:
            classes.setdefault(str(data["status"]), []).append(ids[node])
    styles: list[str] = []
    for i, (u, v, data) in enumerate(g.edges(data=True)):
        if "kind" in data:
            edge = _edge_look(data, parties)
            arrow = {"dashed": "-.-", "dotted": "-.->"}.get(edge["style"], "-->")
            lines.append(f'  {ids[u]} {arrow}|"{_mermaid_text(edge["label"])}"| {ids[v]}')
            styles.append(f"  linkStyle {i} stroke:{edge['colour']}")
        else:
            lines.append(f'  {ids[u]} -->|"{_mermaid_text(data.get("label", ""))}"| {ids[v]}')
    for status, members in sorted(classes.items()):
        fill = STATUS_COLOURS[Status(status)]
        lines.append(f"  classDef {status} fill:{fill},color:{text_colour(fill)},stroke:#555555")
        lines.append(f"  class {','.join(members)} {status}")
    return "\n".join(lines + styles) + "\n"


FORMATS: dict[str, Callable[[nx.MultiDiGraph], str]] = {
    "dot": _dot,
    "graphml": _graphml,
    "json": _json,
    "mermaid": _mermaid,
}
"""The graph formats `write_graph` knows, by name."""


def graph_writer(fmt: str) -> Callable[[nx.MultiDiGraph], str]:
    """The writer of the named format (see `FORMATS`); an unknown name is a `NegotiationError`."""
    writer = FORMATS.get(fmt)
    if writer is None:
        raise NegotiationError(f"--format {fmt!r}: unknown format ({suggest(fmt, FORMATS, noun='format')})")
    return writer


def write_graph(g: nx.MultiDiGraph, fmt: str) -> str:
    """The graph as text in the named format (see `FORMATS`)."""
    return graph_writer(fmt)(g)
