"""The term graph as SVG: terms as boxes in layers, conditions and relations as curved arrows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
import networkx as nx

from negotiation.errors import NegotiationError, ParameterError
from negotiation.render.graphs import term_graph
from negotiation.render.palette import EDGE_COLOURS, STATUS_CODES, party_colour
from negotiation.render.report.dotlayout import EdgeKey, dot_layout, dot_program
from negotiation.render.report.layout import layered_layout
from negotiation.render.report.markup import esc
from negotiation.render.shorten import clipped
from negotiation.state import State
from negotiation.vocabulary import Status

__all__ = ["LAYOUTS", "graph_legend", "graph_section"]


_NODE_H = 26
_GAP_X = 70
_GAP_Y = 16
_PAD = 24
_CHAR = 6.7  # width of one character of the 11px monospace labels


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _label(term: str) -> str:
    return clipped(term, 40)


LAYOUTS = ("auto", "dot", "layered")
"""How the graph may be laid out: by Graphviz when `dot` is installed (auto), always by it, or by ours."""


@attrs.frozen
class _Placed:
    """A layout as the drawing needs it: the canvas, each node's centre, and each edge's path."""

    width: float
    height: float
    centre: dict[str, tuple[float, float]]
    route: Callable[[EdgeKey, int], str]
    note: str


def graph_section(states: dict[str, State], active: str, *, layout: str = "auto") -> str:
    """The term graph of each view's final state, on one layout shared by every view.

    `layout` is "auto" (Graphviz's `dot` when it is on PATH, else the built-in layered
    layout), "dot" (an error without it) or "layered".
    """
    if layout not in LAYOUTS:
        raise ParameterError("layout", layout, "no such layout", f"give one of {', '.join(LAYOUTS)}")
    graphs = {v: term_graph(s) for v, s in states.items()}
    first = next(iter(graphs.values()))
    edges = list(dict.fromkeys(_key(u, v, d) for g in graphs.values() for u, v, d in g.edges(data=True)))
    edges = [e for e in edges if e[0] != e[1]]
    linked = {n for e in edges for n in e[:2]}
    never = {n for n in first.nodes if all(g.nodes[n]["status"] == "unraised" for g in graphs.values())}
    nodes = [n for n in first.nodes if n not in never or n in linked]
    if not nodes:
        return '<p class="empty">No term has been raised.</p>'
    node_w = max(120.0, min(40, max(len(n) for n in nodes)) * _CHAR + 20)
    placed = _place(first, nodes, edges, node_w, layout)
    parties = list(next(iter(states.values())).catalogue.principals)
    colours = sorted({party_colour(i) for i in range(len(parties))} | set(EDGE_COLOURS.values()))
    markers = "".join(
        f'<marker id="ngr-arrow-{c[1:]}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{c}"/></marker>'
        for c in colours
    )
    out = []
    for viewer, g in graphs.items():
        body = [_edges_svg(g, placed, parties), _nodes_svg(g, nodes, placed.centre, node_w)]
        hidden = "" if viewer == active else " hidden"
        out.append(
            f'<div class="view" data-view="{esc(viewer)}"{hidden}>'
            f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="{_fmt(placed.width)}" '
            f'height="{_fmt(placed.height)}" viewBox="0 0 {_fmt(placed.width)} {_fmt(placed.height)}" '
            f'role="img" aria-label="terms and their conditions ({esc(viewer)})">'
            f"<defs>{markers}</defs>{''.join(body)}</svg></div>"
        )
    left_out = [t for t in next(iter(states.values())).catalogue.by_id if t not in placed.centre]
    rest = (
        f'<p class="unraised">Not shown (never raised, no relation): {esc(", ".join(left_out))}</p>'
        if left_out
        else ""
    )
    return "".join(out) + rest + f'<p class="hint layout-note">{esc(placed.note)}</p>'


def _key(u: str, v: str, data: dict[str, Any]) -> EdgeKey:
    return (u, v, str(data.get("kind", "")), str(data.get("party", "")))


def _place(g: Any, nodes: list[str], edges: list[EdgeKey], node_w: float, layout: str) -> _Placed:
    """The layout asked for: Graphviz's where it is asked for or found, else the built-in one."""
    program = dot_program() if layout != "layered" else None
    if layout == "dot" and program is None:
        raise NegotiationError(
            "graphviz: the layout 'dot' needs Graphviz's dot on PATH "
            "(apt-get install graphviz, brew install graphviz), or give the layout 'layered'"
        )
    note = "Laid out by the built-in layered layout."
    if program is not None:
        try:
            done = dot_layout(nodes, edges, node_w, _NODE_H, pad=_PAD, program=program)
        except NegotiationError as e:
            if layout == "dot":
                raise
            note = f"Laid out by the built-in layered layout: {e}."
        else:
            return _Placed(
                done.width,
                done.height,
                done.centre,
                lambda key, k: done.routes[key],
                f"Laid out by Graphviz's dot{done.version}: edges are routed round the terms.",
            )
    elif layout == "auto":
        note = (
            "Laid out by the built-in layered layout "
            "(with Graphviz's dot installed, edges are routed round the terms)."
        )
    union = nx.MultiDiGraph()
    union.add_nodes_from(nodes)
    union.add_edges_from((u, v, {"kind": kind}) for u, v, kind, _ in edges)
    cells = layered_layout(union)
    cols = 1 + max(c for c, _ in cells.values())
    rows = 1 + max(r for _, r in cells.values())
    centre = {
        n: (_PAD + c * (node_w + _GAP_X) + node_w / 2, _PAD + r * (_NODE_H + _GAP_Y) + _NODE_H / 2)
        for n, (c, r) in cells.items()
    }

    def route(key: EdgeKey, k: int) -> str:
        return _curve(key, k, cells, centre, node_w)

    return _Placed(
        2 * _PAD + cols * node_w + (cols - 1) * _GAP_X,
        2 * _PAD + rows * _NODE_H + (rows - 1) * _GAP_Y,
        centre,
        route,
        note,
    )


def _nodes_svg(g: Any, nodes: list[str], centre: dict[str, tuple[float, float]], node_w: float) -> str:
    out = []
    for n in nodes:
        data = g.nodes[n]
        x, y = centre[n]
        status = Status(data["status"])
        code = STATUS_CODES[status]
        if data["divergent"] and status is not Status.DIVERGENT:
            code = code.upper()
        flag = ", divergent" if data["divergent"] else ""
        tip = f"{n}: {data['title']} — {data['status']}{flag}; obliges {data['obligors']}"
        out.append(
            f'<g class="node s-{code}"><title>{esc(tip)}</title>'
            f'<rect x="{_fmt(x - node_w / 2)}" y="{_fmt(y - _NODE_H / 2)}" '
            f'width="{_fmt(node_w)}" height="{_NODE_H}" rx="6"/>'
            f'<text x="{_fmt(x)}" y="{_fmt(y + 4)}">{esc(_label(n))}</text></g>'
        )
    return "".join(out)


def _curve(
    key: EdgeKey,
    k: int,
    cells: dict[str, tuple[int, int]],
    centre: dict[str, tuple[float, float]],
    node_w: float,
) -> str:
    """The built-in layout's edge: a curve from side to side, bowed out within one column."""
    u, v = key[0], key[1]
    half = node_w / 2
    (x1, y1), (x2, y2) = centre[u], centre[v]
    cu, cv = cells[u][0], cells[v][0]
    off = 7.0 * k
    if cu != cv:
        sign = -1 if cu > cv else 1
        sx, ex = x1 + sign * half, x2 - sign * half
        reach = abs(ex - sx) / 2
        c1, c2 = (sx + sign * reach, y1 + off), (ex - sign * reach, y2 + off)
    else:  # same column: bow out to the left going down, to the right going up
        sign = -1 if y2 > y1 else 1
        sx, ex = x1 + sign * half, x2 + sign * half
        bow = sign * (36 + abs(y2 - y1) / 6 + off)
        c1, c2 = (sx + bow, y1), (ex + bow, y2)
    return " ".join(
        f"{cmd}{_fmt(px)},{_fmt(py)}"
        for cmd, (px, py) in zip(("M", "C", "", ""), ((sx, y1), c1, c2, (ex, y2)), strict=True)
    )


def _edges_svg(g: Any, placed: _Placed, parties: list[str]) -> str:
    out = []
    seen: dict[EdgeKey, int] = {}
    for u, v, data in g.edges(data=True):
        if u == v or u not in placed.centre or v not in placed.centre:
            continue
        key = _key(u, v, data)
        k = seen.get(key, 0)
        seen[key] = k + 1
        kind = data.get("kind", "")
        if kind == "condition":
            party = data.get("party", "")
            colour = party_colour(parties.index(party)) if party in parties else "#333333"
            tip = f"{u} on condition of {v} ({party}, {data.get('move', '')})"
        else:
            colour = EDGE_COLOURS.get(kind, "#333333")
            tip = f"{u} {kind} {v}"
        arrow = "" if kind == "conflicts" else f' marker-end="url(#ngr-arrow-{colour[1:]})"'
        out.append(
            f'<path class="e e-{esc(kind)}" d="{placed.route(key, k)}" stroke="{colour}"{arrow}>'
            f"<title>{esc(tip)}</title></path>"
        )
    return "".join(out)


def graph_legend(parties: Sequence[str]) -> str:
    """The key to the graph's arrows: a colour per party's conditions, then the catalogue's relations."""
    items = [
        f'<li><span class="ln" style="border-color:{party_colour(i)}"></span>'
        f"{esc(p)} makes it conditional on</li>"
        for i, p in enumerate(parties)
    ]
    items += [
        f'<li><span class="ln {kind}" style="border-color:{colour}"></span>{kind}</li>'
        for kind, colour in EDGE_COLOURS.items()
    ]
    return f'<ul class="edges">{"".join(items)}</ul>'
