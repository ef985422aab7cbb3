"""What each viewer saw: the views a report offers, and each view's frames as lanes of colour."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from negotiation.analysis import term_view
from negotiation.engine import Timeline
from negotiation.invariants import Conditioned, status_affected
from negotiation.render.frames import iter_frames
from negotiation.render.report.markup import term_code
from negotiation.state import Position, State
from negotiation.vocabulary import HISTORIAN, PUBLIC, Stance, Status

__all__ = ["MemoRow", "View", "speakers", "viewed_frames", "viewers"]


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
class MemoRow:
    """A term's memo row after a move, as far as it changed: its status, and the positions that moved.

    `positions` holds only the parties whose position the move changed (every party holding
    one, at the first move); the page's script keeps the rest from the rows before.
    """

    term: str
    status: Status
    divergent: bool
    differs: frozenset[str]
    positions: tuple[tuple[str, Position], ...]


@attrs.frozen
class View:
    """What one viewer saw of a run of moves, and each lane as the points where it changes.

    Per move (column): the stances it changed and whether the viewer knew of it; and
    the state after the last. `points[term]` lists (column, status code) where the term's
    status after a move differs from the column before, starting at column 0; `touched[term]`
    the columns of the moves that changed a position on the term or acted on it. The states
    between are not kept: a report of a long history holds its changes, not every state;
    `memo`, when asked for, holds per move the memo rows of the terms it changed, from which
    the page rebuilds the memo at any move.
    """

    viewer: str
    changes: tuple[Changes, ...]
    known: tuple[bool, ...]
    final: State | None
    points: dict[str, list[tuple[int, str]]]
    touched: dict[str, list[int]]
    memo: tuple[tuple[MemoRow, ...], ...] = ()


def viewed_frames(
    timeline: Timeline, viewer: str, terms: Sequence[str], start: int, *, memo: bool = False
) -> View:
    """The viewer's frames from move `start` on, with the points where each term's lane changes.

    With `memo`, also the memo rows each move changed (see `View.memo`), at a cost that grows
    with the changes, not with the terms times the moves.
    """
    catalogue = timeline.initial.catalogue.by_id
    points: dict[str, list[tuple[int, str]]] = {t: [] for t in terms}
    touched: dict[str, list[int]] = {t: [] for t in terms}
    changes: list[Changes] = []
    known: list[bool] = []
    rows: list[tuple[MemoRow, ...]] = []
    final: State | None = None
    conditioned = Conditioned(timeline.initial)
    cat = timeline.initial.catalogue
    for i, f in enumerate(iter_frames(timeline, viewer=viewer)):
        for term, _, before, after, _ in f.changes:
            conditioned.update(term, before, after)
        if i < start:
            continue
        k = i - start
        changes.append(tuple((t, p, b.stance, a.stance, cause) for t, p, b, a, cause in f.changes))
        known.append(f.known)
        final = f.state
        if k == 0:
            for term in terms:
                points[term] = [(0, term_code(f.state, term) if term in catalogue else "x")]
        # A status reads the term's positions, those of the terms replacing it and those of its
        # conditions: only the terms the changes name, and the terms those bear on, can change
        # colour (a term replaced once its replacement is agreed, though nobody spoke on it).
        changed = {c[0] for c in f.changes}
        affected = status_affected(cat, changed, conditioned) if changed else changed
        if memo:
            rows.append(_memo_rows(f.state, f.changes, affected, first=k == 0))
        for term in changed | (f.move.terms if f.known else frozenset()):
            if term in touched:
                touched[term].append(k)
        if k == 0:
            continue
        for term in affected:
            if term in points and (code := term_code(f.state, term)) != points[term][-1][1]:
                points[term].append((k, code))
    return View(viewer, tuple(changes), tuple(known), final, points, touched, tuple(rows))


def _memo_rows(
    state: State,
    changes: Sequence[tuple[str, str, Position, Position, str]],
    affected: set[str],
    *,
    first: bool,
) -> tuple[MemoRow, ...]:
    """The memo rows of the terms whose status may have moved; at the first move, of every term held."""
    moved: dict[str, dict[str, Position]] = {t: {} for t in affected}
    for term, party, _, after, _ in changes:
        moved.setdefault(term, {})[party] = after
    if first:  # the state may start from a base's positions: send them all once
        for term, held in state.terms.items():
            moved[term] = {**dict(held.items()), **moved.get(term, {})}
    order = state.catalogue.order
    out = []
    for term in sorted(moved, key=order.__getitem__):
        view = term_view(state, term)
        positions = tuple(sorted(moved[term].items(), key=lambda item: item[0]))
        out.append(MemoRow(term, view.status, view.divergent, view.differing(), positions))
    return tuple(out)
