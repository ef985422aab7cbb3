"""Graph formats: GraphML and node-link JSON through networkx's writers, DOT and Mermaid by hand.

DOT and Mermaid carry the palette's colours, so a term's status looks the same in Graphviz, in
a Markdown page and in the HTML report.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from negotiation.errors import ParameterError, suggest
from negotiation.render.palette import EDGE_COLOURS, STATUS_COLOURS, party_colour, text_colour
from negotiation.vocabulary import Status

__all__ = ["FORMATS", "graph_writer", "write_graph"]


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
    """The writer of the named format (see `FORMATS`); an unknown name is a `ParameterError`."""
    writer = FORMATS.get(fmt)
    if writer is None:
        raise ParameterError("format", fmt, "unknown format", suggest(fmt, FORMATS, noun="format"))
    return writer


def write_graph(g: nx.MultiDiGraph, fmt: str) -> str:
    """The graph as text in the named format (see `FORMATS`)."""
    return graph_writer(fmt)(g)
