"""The solution concepts of an exploration under preference sets, as text and as JSON.

Each set is shown with its note (whose reading, and that it is one), the parties'
reservation values, the Pareto frontier, the Nash and Kalai-Smorodinsky points and where the
given outcome (the historical one) stands among them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from negotiation.preferences import PreferenceSet
from negotiation.solutions import Placement, Point, Solutions

__all__ = ["solutions_json", "solutions_text"]

Judged = tuple[PreferenceSet, Solutions, Placement | None]


def _values(parties: tuple[str, ...], values: tuple[float, ...]) -> str:
    return ", ".join(f"{p} {v:.3f}" for p, v in zip(parties, values, strict=True))


def _point(s: Solutions, p: Point) -> str:
    kind = " [divergent]" if p.divergent else ""
    return f"{_values(s.parties, p.utilities)}  at depth {p.depth}: {', '.join(p.terms)}{kind}"


def _distance(value: float | None) -> str:
    return "none to measure" if value is None else f"{value:.3f}"


def solutions_text(judged: Sequence[Judged], *, outcome: str | None, limit: int = 10) -> str:
    """The readable verdict of each preference set, in the order given."""
    lines: list[str] = []
    for preferences, s, placement in judged:
        lines.append("")
        lines.append(
            f"preferences {preferences.name!r}" + (f": {preferences.note}" if preferences.note else "")
        )
        lines.append(f"  reservation values (no agreement): {_values(s.parties, s.reservations)}")
        consistent = sum(1 for p in s.points if not p.divergent)
        lines.append(
            f"  {len(s.points)} distinct agreements reached ({consistent} consistent); "
            f"{len(s.frontier)} on the Pareto frontier"
        )
        if not s.points:
            lines.append("  no agreement was reached, so there is nothing to weigh")
            continue
        alike: dict[tuple[float, ...], list[Point]] = {}
        for p in s.frontier:  # agreements on other terms that leave every party as well off
            alike.setdefault(p.utilities, []).append(p)
        for group in list(alike.values())[:limit]:
            more = f"  (and {len(group) - 1} more agreements worth the same)" if len(group) > 1 else ""
            lines.append(f"    {_point(s, group[0])}{more}")
        if len(alike) > limit:
            lines.append(f"    ... and {len(alike) - limit} more points (see --json)")
        if s.nash is not None:
            lines.append(f"  Nash bargaining solution (product of gains {s.nash_product(s.nash):.4f}):")
            lines.append(f"    {_point(s, s.nash)}")
        else:
            lines.append(
                "  Nash bargaining solution: none (no agreement gives every party more than no agreement)"
            )
        if s.kalai_smorodinsky is not None:
            assert s.ideal is not None
            lines.append(f"  Kalai-Smorodinsky solution (ideal point {_values(s.parties, s.ideal)}):")
            lines.append(f"    {_point(s, s.kalai_smorodinsky)}")
        else:
            lines.append(
                "  Kalai-Smorodinsky solution: none (every agreement leaves some party below no agreement)"
            )
        if placement is not None and outcome is not None:
            lines.append(f"  the outcome after {outcome}: {_values(s.parties, placement.utilities)}")
            if placement.undominated:
                lines.append("    no agreement reached here is better for one party and worse for none")
            else:
                lines.append(
                    f"    {len(placement.dominated_by)} agreement(s) reached here were better for some party "
                    "and worse for none"
                )
            lines.append(
                f"    distance to the frontier {_distance(placement.to_frontier)}, "
                f"to Nash {_distance(placement.to_nash)}, "
                f"to Kalai-Smorodinsky {_distance(placement.to_kalai_smorodinsky)}"
            )
    return "\n".join(lines) + "\n"


def _point_json(s: Solutions, p: Point | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "utilities": dict(zip(s.parties, p.utilities, strict=True)),
        "terms": list(p.terms),
        "divergent": p.divergent,
        "depth": p.depth,
        "node": p.node,
    }


def solutions_json(judged: Sequence[Judged], *, outcome: str | None) -> list[dict[str, Any]]:
    """One entry per preference set: reservations, points, frontier, solutions, the placement."""
    out = []
    for preferences, s, placement in judged:
        entry: dict[str, Any] = {
            "name": preferences.name,
            "note": preferences.note,
            "parties": list(s.parties),
            "reservation": dict(zip(s.parties, s.reservations, strict=True)),
            "agreements": [_point_json(s, p) for p in s.points],
            "frontier": [_point_json(s, p) for p in s.frontier],
            "nash": _point_json(s, s.nash),
            "nash_product": s.nash_product(s.nash) if s.nash is not None else None,
            "kalai_smorodinsky": _point_json(s, s.kalai_smorodinsky),
            "ideal": dict(zip(s.parties, s.ideal, strict=True)) if s.ideal is not None else None,
            "outcome": None,
        }
        if placement is not None and outcome is not None:
            entry["outcome"] = {
                "after": outcome,
                "utilities": dict(zip(s.parties, placement.utilities, strict=True)),
                "undominated": placement.undominated,
                "dominated_by": [_point_json(s, p) for p in placement.dominated_by],
                "distance_to_frontier": placement.to_frontier,
                "distance_to_nash": placement.to_nash,
                "distance_to_kalai_smorodinsky": placement.to_kalai_smorodinsky,
            }
        out.append(entry)
    return out
