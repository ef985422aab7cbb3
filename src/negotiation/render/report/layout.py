"""Where each term stands in the report's graph: columns by dependency, rows to keep lines short.

A small layered layout (after Sugiyama: layers by longest path, then barycentre sweeps),
written out because the report draws its own SVG and must not need Graphviz.
"""

from __future__ import annotations

import math

import networkx as nx

from negotiation.render.graphs import DEPENDENCY_KINDS

__all__ = ["layered_layout"]


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
