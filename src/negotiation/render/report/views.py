"""What each viewer saw: the views a report offers, and each view's frames as lanes of colour."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import attrs

from negotiation.engine import Timeline
from negotiation.render.frames import iter_frames
from negotiation.render.report.markup import term_code
from negotiation.state import State
from negotiation.vocabulary import HISTORIAN, PUBLIC, Stance

__all__ = ["View", "speakers", "viewed_frames", "viewers"]


def viewers(timeline: Timeline) -> list[str]:
    """The views a report offers: the historian, each principal, the other parties in a move, the public."""
    cat = timeline.initial.catalogue
    involved = {a for m in timeline.moves for a in (m.author, *m.addressees)}
    others = [p.id for p in cat.parties if p.id not in cat.principals and p.id in involved]
    return [HISTORIAN, *cat.principals, *others, PUBLIC]


def speakers(timeline: Timeline) -> tuple[str, ...]:
    """The parties whose positions the report shows: the principals, then every other author."""
    cat = timeline.initial.catalogue
    authors = {m.author for m in timeline.moves}
    return (*cat.principals, *(p.id for p in cat.parties if p.id not in cat.principals and p.id in authors))


Changes = tuple[tuple[str, str, Stance | None, Stance | None, str], ...]
"""A move's position changes as the report draws them: term, party, stance before and after, cause."""


@attrs.frozen
class View:
    """What one viewer saw of a run of moves, and each lane as the points where it changes.

    Per move (column): the stances it changed and whether the viewer knew of it; and
    the state after the last. `points[term]` lists (column, status code) where the term's
    status after a move differs from the column before, starting at column 0; `touched[term]`
    the columns of the moves that changed a position on the term or acted on it. The states
    between are not kept: a report of a long history holds its changes, not every state.
    """

    viewer: str
    changes: tuple[Changes, ...]
    known: tuple[bool, ...]
    final: State | None
    points: dict[str, list[tuple[int, str]]]
    touched: dict[str, list[int]]


def viewed_frames(timeline: Timeline, viewer: str, terms: Sequence[str], start: int) -> View:
    """The viewer's frames from move `start` on, with the points where each term's lane changes."""
    catalogue = timeline.initial.catalogue.by_id
    points: dict[str, list[tuple[int, str]]] = {t: [] for t in terms}
    touched: dict[str, list[int]] = {t: [] for t in terms}
    changes: list[Changes] = []
    known: list[bool] = []
    final: State | None = None
    for k, f in enumerate(itertools.islice(iter_frames(timeline, viewer=viewer), start, None)):
        changes.append(tuple((t, p, b.stance, a.stance, cause) for t, p, b, a, cause in f.changes))
        known.append(f.known)
        final = f.state
        if k == 0:
            for term in terms:
                points[term] = [(0, term_code(f.state, term) if term in catalogue else "x")]
        # Every change of position is in the frame's changes, and a status depends on the
        # positions alone: only the terms named there can change colour.
        changed = {c[0] for c in f.changes}
        for term in changed | (f.move.terms if f.known else frozenset()):
            if term in touched:
                touched[term].append(k)
        if k == 0:
            continue
        for term in changed:
            if term in points and (code := term_code(f.state, term)) != points[term][-1][1]:
                points[term].append((k, code))
    return View(viewer, tuple(changes), tuple(known), final, points, touched)
