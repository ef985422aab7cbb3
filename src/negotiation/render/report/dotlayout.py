"""The term graph laid out by Graphviz's `dot`, when it is installed: nodes placed, edges routed round them.

`dot` ranks the terms by dependency as the built-in layout does, and routes each edge as a
spline that goes round the boxes it passes, which a layout of columns and curves cannot
promise. The report still draws its own SVG: only the positions and the routes come from
Graphviz, read from its JSON output (`-Tjson`). Nothing is installed or downloaded: without
`dot` on PATH the report keeps its own layout.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable

import attrs

from negotiation.errors import NegotiationError
from negotiation.render.graphs import DEPENDENCY_KINDS

__all__ = ["DotLayout", "EdgeKey", "dot_layout", "dot_program"]

EdgeKey = tuple[str, str, str, str]
"""An edge of the term graph as the layout knows it: tail, head, kind, party (or "")."""

_TIMEOUT = 60.0
"""Seconds `dot` may take; a graph of a thousand terms takes a few."""


@attrs.frozen
class DotLayout:
    """Where `dot` put each node (its centre) and how it routed each edge, in SVG coordinates."""

    width: float
    height: float
    centre: dict[str, tuple[float, float]]
    routes: dict[EdgeKey, str]
    """Each edge's SVG path data: the spline's cubic Béziers, then a line to the arrow's tip."""
    version: str
    """" 2.43.0", say, as `dot -V` gives it (empty when it does not)."""


def dot_program() -> str | None:
    """The `dot` on PATH, or None."""
    return shutil.which("dot")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def dot_source(nodes: Iterable[str], edges: Iterable[EdgeKey], node_w: float, node_h: float) -> str:
    """The graph in DOT, nodes as fixed boxes of the report's size (a pixel is taken as a point)."""
    lines = [
        "digraph terms {",
        '  graph [rankdir="RL", splines="spline", nodesep="0.3", ranksep="0.9", outputorder="edgesfirst"];',
        f'  node [shape="box", fixedsize="true", width="{node_w / 72:.4f}", '
        f'height="{node_h / 72:.4f}", label=""];',
    ]
    lines += [f"  {_quote(n)};" for n in nodes]
    for i, (u, v, kind, _) in enumerate(edges):
        style = ["dir=none"] if kind == "conflicts" else []
        if kind not in DEPENDENCY_KINDS:
            style.append('constraint="false"')  # only dependencies rank the terms, as in ours
        lines.append(f"  {_quote(u)} -> {_quote(v)} [{', '.join([f'id={_quote(str(i))}', *style])}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_layout(
    nodes: list[str], edges: list[EdgeKey], node_w: float, node_h: float, *, pad: float, program: str
) -> DotLayout:
    """Run `dot` on the graph and read back its layout; a failure is a `NegotiationError` saying why."""
    source = dot_source(nodes, edges, node_w, node_h)
    try:
        done = subprocess.run(
            [program, "-Tjson"], input=source, capture_output=True, text=True, timeout=_TIMEOUT, check=False
        )
        version = subprocess.run(
            [program, "-V"], capture_output=True, text=True, timeout=_TIMEOUT, check=False
        ).stderr.strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        raise NegotiationError(f"graphviz: {program} could not lay out the term graph: {e}") from None
    if done.returncode != 0:
        why = (
            done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit status {done.returncode}"
        )
        raise NegotiationError(f"graphviz: {program} could not lay out the term graph: {why}")
    try:
        doc = json.loads(done.stdout)
        _, _, right, top = (float(x) for x in doc["bb"].split(","))
        names = {}
        centre = {}
        for obj in doc.get("objects", []):
            x, y = (float(c) for c in obj["pos"].split(","))
            names[obj["_gvid"]] = obj["name"]
            centre[obj["name"]] = (pad + x, pad + top - y)
        routes = {}
        for edge in doc.get("edges", []):
            key = edges[int(edge["id"])]
            routes[key] = _path(edge["pos"], pad, top)
    except (ValueError, KeyError, IndexError, TypeError) as e:
        raise NegotiationError(f"graphviz: {program} gave a layout this report cannot read: {e!r}") from None
    if set(centre) != set(nodes):
        raise NegotiationError(f"graphviz: {program} placed other nodes than it was given")
    found = re.search(r"version (\S+)", version)
    return DotLayout(right + 2 * pad, top + 2 * pad, centre, routes, f" {found.group(1)}" if found else "")


def _path(pos: str, pad: float, top: float) -> str:
    """SVG path data of a Graphviz spline (`[e,x,y] [s,x,y] p0 p1 p2 p3 ...`, 3n+1 points)."""
    end = None
    points = []
    for part in pos.split():
        fields = part.split(",")
        if fields[0] == "e":
            end = (float(fields[1]), float(fields[2]))
        elif fields[0] == "s":
            continue  # an arrow at the tail: none is drawn
        else:
            points.append((float(fields[0]), float(fields[1])))
    if len(points) < 4 or (len(points) - 1) % 3:
        raise ValueError(f"a spline of {len(points)} points")

    def at(p: tuple[float, float]) -> str:
        return f"{_fmt(pad + p[0])},{_fmt(pad + top - p[1])}"

    d = [f"M{at(points[0])}"]
    for i in range(1, len(points), 3):
        d.append(f"C{at(points[i])} {at(points[i + 1])} {at(points[i + 2])}")
    if end is not None:
        d.append(f"L{at(end)}")
    return " ".join(d)
