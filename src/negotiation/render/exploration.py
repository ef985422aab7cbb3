"""An exploration for people and tools: the summary as text or JSON, the state graph for files.

Pure functions returning strings, documents or graphs; the command line writes them.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from negotiation.explore import Exploration, Reached
from negotiation.model import Move
from negotiation.render.formats import graph_writer

__all__ = ["exploration_json", "exploration_text", "move_label", "plain_graph", "write_graph"]


def move_label(move: Move) -> str:
    """A move in a few words: 'US: accept us-no-invasion-pledge; reject turkey-jupiter-removal'."""
    acts = "; ".join(f"{a.verb} {a.target}" for a in move.acts)
    return f"{move.author}: {acts}"


def exploration_text(e: Exploration, *, start: str, limit: int = 20, more: str = "") -> str:
    """The readable summary: size, outcomes, agreements with their shortest paths, the deal's core.

    At most `limit` agreements are listed; `more` says where to find the rest, if anywhere.
    """
    nodes = len(e.graph)
    lines = [
        f"explored from {start}: {nodes:,} states to depth {e.depth}"
        + (f" (budget of {e.budget:,} states reached)" if e.truncated else ""),
        f"  policy: {e.policy.describe()}",
        f"  core terms: {', '.join(e.core) if e.core else '(none)'}",
        f"  expanded {e.expanded:,} states, generated {e.generated:,} replies, "
        f"merge ratio {e.merge_ratio():.2f}",
        "",
        "outcomes: " + ", ".join(f"{o} {n:,}" for o, n in e.outcomes().items()),
    ]
    agreements = e.agreements()
    if agreements:
        lines += ["", f"agreements ({len(agreements)} term sets, shortest path first):"]
        for terms, node in list(agreements.items())[:limit]:
            data = e.graph.nodes[node]
            kind = "" if data["outcome"] is Reached.AGREEMENT else " [divergent]"
            lines.append(f"  {', '.join(terms)}{kind}")
            for i, move in enumerate(e.path(node), start=1):
                lines.append(f"    {i}. {move_label(move)}")
        if len(agreements) > limit:
            lines.append(f"  ... and {len(agreements) - limit} more" + (f" ({more})" if more else ""))
        lines += [
            "",
            f"in every agreement: {', '.join(e.core_of_deal()) or '(none)'}",
            f"in no agreement: {', '.join(e.in_no_agreement()) or '(none)'}",
        ]
    else:
        lines += ["", "no agreement within the horizon"]
    return "\n".join(lines) + "\n"


def exploration_json(e: Exploration, *, start: str) -> dict[str, Any]:
    """The summary as a JSON document, with every agreement and its path of moves."""
    return {
        "start": start,
        "depth": e.depth,
        "budget": e.budget,
        "truncated": e.truncated,
        "states": len(e.graph),
        "expanded": e.expanded,
        "generated": e.generated,
        "merge_ratio": round(e.merge_ratio(), 4),
        "policy": {
            "verbs": [str(v) for v in e.policy.verbs],
            "terms": e.policy.terms if isinstance(e.policy.terms, str) else list(e.policy.terms),
            "max_acts": e.policy.max_acts,
            "turns": str(e.policy.turns),
            "channel": str(e.policy.channel),
            "parties": list(e.policy.parties) if e.policy.parties is not None else None,
        },
        "core": list(e.core),
        "outcomes": e.outcomes(),
        "agreements": [
            {
                "terms": list(terms),
                "divergent": e.graph.nodes[node]["outcome"] is not Reached.AGREEMENT,
                "state": node,
                "path": [_move_json(m) for m in e.path(node)],
            }
            for terms, node in e.agreements().items()
        ],
        "in_every_agreement": list(e.core_of_deal()),
        "in_no_agreement": list(e.in_no_agreement()),
    }


def _move_json(move: Move) -> dict[str, Any]:
    return {
        "id": move.id,
        "author": move.author,
        "acts": [{"verb": str(a.verb), "term": a.term, "conditions": list(a.conditions)} for a in move.acts],
    }


_COLOURS = {
    Reached.AGREEMENT: "palegreen",
    Reached.DIVERGENT_AGREEMENT: "khaki",
    Reached.BREAKDOWN: "lightpink",
    Reached.OPEN: "white",
}


def plain_graph(e: Exploration) -> nx.MultiDiGraph:
    """The state graph with only strings and numbers as attributes, as GraphML and DOT hold them.

    Nodes carry `depth`, `outcome`, `terms` and, for Graphviz, a `label` and a `fillcolor` by
    outcome; edges the move's id and a `label` such as "US: accept us-no-invasion-pledge".
    """
    g: nx.MultiDiGraph = nx.MultiDiGraph(name="exploration")
    for node, data in e.graph.nodes(data=True):
        label = f"{data['outcome']} (depth {data['depth']})"
        if data["terms"]:
            label += "\n" + ", ".join(data["terms"])
        g.add_node(
            node,
            depth=data["depth"],
            outcome=str(data["outcome"]),
            terms=", ".join(data["terms"]),
            root=node == e.root,
            label=label,
            fillcolor=_COLOURS[data["outcome"]],
        )
    for a, b, data in e.graph.edges(data=True):
        g.add_edge(a, b, move=data["move"].id, label=move_label(data["move"]))
    return g


def write_graph(e: Exploration, fmt: str) -> str:
    """The state graph as text: "graphml" or "dot" (through the writers of `render.formats`)."""
    return graph_writer(fmt)(plain_graph(e))
