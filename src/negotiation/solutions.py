"""Which reachable agreements served whom: the Pareto frontier, Nash and Kalai-Smorodinsky.

Each agreement an exploration reaches (consistent or divergent) is a point: every party's
utility of that state, under one `PreferenceSet`. The disagreement point is the parties'
reservation values. From the points:

- the **Pareto frontier**: the points no other point makes better for some party and worse
  for none;
- the **Nash bargaining solution**: among the points where every party gains over its
  reservation value, the one with the greatest product of gains;
- the **Kalai-Smorodinsky solution**: among the points no party would refuse (none below
  its reservation value), the one with the greatest smallest share of each party's best
  possible gain (its ideal point);
- and a given outcome (the historical one) is placed among them: which points dominate it,
  and its distance to each solution and to the frontier.

Each solution picks the same agreement when a party's utilities are rescaled by a positive
affine map (its reservation value with them); the distances are in utility units and move
with the scale.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import attrs

from negotiation.explore import AGREEMENT, DIVERGENT_AGREEMENT, Exploration
from negotiation.preferences import PreferenceSet, utilities
from negotiation.state import State

__all__ = ["Placement", "Point", "Solutions", "agreement_points", "place", "solve"]


@attrs.frozen
class Point:
    """An agreement reached: its utilities (in the set's party order) and where it was reached."""

    utilities: tuple[float, ...]
    node: str = ""
    terms: tuple[str, ...] = ()
    divergent: bool = False
    depth: int = 0


@attrs.frozen
class Placement:
    """A given outcome among the agreements: who it left better off, and how far it lay from each."""

    utilities: tuple[float, ...]
    dominated_by: tuple[Point, ...]
    to_frontier: float | None
    to_nash: float | None
    to_kalai_smorodinsky: float | None

    reached_any: bool = True

    @property
    def undominated(self) -> bool | None:
        """No agreement reached is better for some party and worse for none (None: none was reached)."""
        return not self.dominated_by if self.reached_any else None


@attrs.frozen
class Solutions:
    """The solution concepts over a set of agreements, for one preference set."""

    parties: tuple[str, ...]
    reservations: tuple[float, ...]
    points: tuple[Point, ...]
    frontier: tuple[Point, ...]
    nash: Point | None
    kalai_smorodinsky: Point | None
    ideal: tuple[float, ...] | None

    def nash_product(self, point: Point) -> float:
        """The product of the point's gains over the reservation values."""
        return math.prod(u - r for u, r in zip(point.utilities, self.reservations, strict=True))


def agreement_points(exploration: Exploration, preferences: PreferenceSet) -> tuple[Point, ...]:
    """Every distinct agreement the exploration reached, valued under the preferences.

    States that agree on the same terms with the same utilities are one point, reached at the
    shallowest depth; points come in the order of depth, then terms, then node key.
    """
    preferences.check(exploration.start)
    graph = exploration.graph
    found: dict[tuple[tuple[str, ...], tuple[float, ...]], Point] = {}
    nodes = [n for n in graph if graph.nodes[n]["outcome"] in (AGREEMENT, DIVERGENT_AGREEMENT)]
    nodes.sort(key=lambda n: (graph.nodes[n]["depth"], graph.nodes[n]["terms"], n))
    for node in nodes:
        data = graph.nodes[node]
        state = exploration.state(node)
        point = Point(
            utilities(preferences, state),
            node,
            tuple(data["terms"]),
            data["outcome"] == DIVERGENT_AGREEMENT,
            int(data["depth"]),
        )
        found.setdefault((point.terms, point.utilities), point)
    return tuple(found.values())


def _dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and any(x > y for x, y in zip(a, b, strict=True))


def solve(points: Iterable[Point], preferences: PreferenceSet) -> Solutions:
    """The frontier, Nash and Kalai-Smorodinsky solutions over the points (see the module)."""
    points = tuple(points)
    reservations = preferences.reservations
    frontier = tuple(p for p in points if not any(_dominates(q.utilities, p.utilities) for q in points))
    # Only undominated points can be solutions (a dominating point has a larger product of gains
    # and a larger sum of shares), so near-ties are broken among the frontier alone.
    gaining = [p for p in frontier if all(u > r for u, r in zip(p.utilities, reservations, strict=True))]
    nash = _first_best(
        gaining, lambda p: (math.prod(u - r for u, r in zip(p.utilities, reservations, strict=True)),)
    )
    rational = [p for p in points if all(u >= r for u, r in zip(p.utilities, reservations, strict=True))]
    ks = ideal = None
    if rational:
        ideal = tuple(max(p.utilities[i] for p in rational) for i in range(len(reservations)))
        undominated = [p for p in rational if p in frontier]

        def shares(p: Point) -> tuple[float, float]:
            parts = [
                (u - r) / (top - r) if top > r else 1.0
                for u, r, top in zip(p.utilities, reservations, ideal, strict=True)
            ]
            return min(parts), sum(parts)

        ks = _first_best(undominated, shares)
    return Solutions(preferences.parties, reservations, points, frontier, nash, ks, ideal)


_CLOSE = 1e-9
"""Relative difference under which two scores tie (rescaled utilities round differently)."""


def _first_best(points: Sequence[Point], score: Callable[[Point], tuple[float, ...]]) -> Point | None:
    """The first point whose score is best, comparing each part in turn and calling near-equals a tie."""
    left = list(points)
    if not left:
        return None
    scores = {id(p): score(p) for p in left}
    for k in range(len(scores[id(left[0])])):
        top = max(scores[id(p)][k] for p in left)
        left = [p for p in left if scores[id(p)][k] >= top - _CLOSE * abs(top)]
    return left[0]


def place(state: State, solutions: Solutions, preferences: PreferenceSet) -> Placement:
    """Where the state's outcome stands among the solutions' agreements."""
    here = utilities(preferences, state)
    dominated_by = tuple(p for p in solutions.points if _dominates(p.utilities, here))
    to_frontier = min((math.dist(here, p.utilities) for p in solutions.frontier), default=None)
    return Placement(
        here,
        dominated_by,
        to_frontier,
        math.dist(here, solutions.nash.utilities) if solutions.nash is not None else None,
        math.dist(here, solutions.kalai_smorodinsky.utilities)
        if solutions.kalai_smorodinsky is not None
        else None,
        bool(solutions.points),
    )
