"""The term graph as SVG: terms as boxes in layers, conditions and relations as curved arrows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from negotiation.render.graphs import term_graph
from negotiation.render.palette import EDGE_COLOURS, STATUS_CODES, party_colour
from negotiation.render.report.layout import layered_layout
from negotiation.render.report.markup import esc
from negotiation.render.shorten import clipped
from negotiation.state import State
from negotiation.vocabulary import Status

__all__ = ["graph_legend", "graph_section"]


_NODE_H = 26
_GAP_X = 70
_GAP_Y = 16
_PAD = 24
_CHAR = 6.7  # width of one character of the 11px monospace labels


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _label(term: str) -> str:
    return clipped(term, 40)


def graph_section(states: dict[str, State], active: str) -> str:
    """The term graph of each view's final state, on one layout shared by every view."""
    graphs = {v: term_graph(s) for v, s in states.items()}
    union = next(iter(graphs.values())).copy()
    for g in graphs.values():
        union.add_edges_from(g.edges(keys=False, data=True))
    never = [n for n in union.nodes if all(g.nodes[n]["status"] == "unraised" for g in graphs.values())]
    union.remove_nodes_from([n for n in never if union.degree(n) == 0])
    if union.number_of_nodes() == 0:
        return '<p class="empty">No term has been raised.</p>'
    layout = layered_layout(union)
    node_w = max(120.0, min(40, max(len(n) for n in layout)) * _CHAR + 20)
    cols = 1 + max(c for c, _ in layout.values())
    rows = 1 + max(r for _, r in layout.values())
    width = 2 * _PAD + cols * node_w + (cols - 1) * _GAP_X
    height = 2 * _PAD + rows * _NODE_H + (rows - 1) * _GAP_Y
    centre = {
        n: (_PAD + c * (node_w + _GAP_X) + node_w / 2, _PAD + r * (_NODE_H + _GAP_Y) + _NODE_H / 2)
        for n, (c, r) in layout.items()
    }
    parties = list(next(iter(states.values())).catalogue.principals)
    colours = sorted({party_colour(i) for i in range(len(parties))} | set(EDGE_COLOURS.values()))
    markers = "".join(
        f'<marker id="ngr-arrow-{c[1:]}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{c}"/></marker>'
        for c in colours
    )
    out = []
    for viewer, g in graphs.items():
        body = [_edges_svg(g, layout, centre, node_w, parties), _nodes_svg(g, layout, centre, node_w)]
        hidden = "" if viewer == active else " hidden"
        out.append(
            f'<div class="view" data-view="{esc(viewer)}"{hidden}>'
            f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="{_fmt(width)}" '
            f'height="{_fmt(height)}" viewBox="0 0 {_fmt(width)} {_fmt(height)}" role="img" '
            f'aria-label="terms and their conditions ({esc(viewer)})">'
            f"<defs>{markers}</defs>{''.join(body)}</svg></div>"
        )
    left_out = [t for t in next(iter(states.values())).catalogue.by_id if t not in layout]
    rest = (
        f'<p class="unraised">Not shown (never raised, no relation): {esc(", ".join(left_out))}</p>'
        if left_out
        else ""
    )
    return "".join(out) + rest


def _nodes_svg(
    g: Any, layout: dict[str, tuple[int, int]], centre: dict[str, tuple[float, float]], node_w: float
) -> str:
    out = []
    for n in layout:
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


def _edges_svg(
    g: Any,
    layout: dict[str, tuple[int, int]],
    centre: dict[str, tuple[float, float]],
    node_w: float,
    parties: list[str],
) -> str:
    out = []
    seen: dict[tuple[str, str], int] = {}
    half = node_w / 2
    for u, v, data in g.edges(data=True):
        if u == v or u not in layout or v not in layout:
            continue
        k = seen.get((u, v), 0)
        seen[(u, v)] = k + 1
        (x1, y1), (x2, y2) = centre[u], centre[v]
        cu, cv = layout[u][0], layout[v][0]
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
        kind = data.get("kind", "")
        if kind == "condition":
            party = data.get("party", "")
            colour = party_colour(parties.index(party)) if party in parties else "#333333"
            tip = f"{u} on condition of {v} ({party}, {data.get('move', '')})"
        else:
            colour = EDGE_COLOURS.get(kind, "#333333")
            tip = f"{u} {kind} {v}"
        arrow = "" if kind == "conflicts" else f' marker-end="url(#ngr-arrow-{colour[1:]})"'
        d = " ".join(
            f"{cmd}{_fmt(px)},{_fmt(py)}"
            for cmd, (px, py) in zip(("M", "C", "", ""), ((sx, y1), c1, c2, (ex, y2)), strict=True)
        )
        out.append(
            f'<path class="e e-{esc(kind)}" d="{d}" stroke="{colour}"{arrow}><title>{esc(tip)}</title></path>'
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
