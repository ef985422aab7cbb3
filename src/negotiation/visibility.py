"""Who learns of a move, and when: the channel and receipt rules behind every party's view.

A move is known to its author at once, to its addressees on receipt, to everyone on receipt of
a public move, and to everyone once its text is published. Unknown receipt times count as
known by the next move, so the record's order decides.
"""

from __future__ import annotations

from negotiation.model import Move, When
from negotiation.vocabulary import HISTORIAN, PUBLIC, Channel

__all__ = ["HISTORIAN", "PUBLIC", "knew", "reaches"]


def reaches(move: Move, viewer: str) -> bool:
    """True when the move gets to the viewer at some time, on its channel or by publication."""
    return (
        viewer == move.author
        or viewer in move.addressees
        or move.channel is Channel.PUBLIC
        or move.published is not None
    )


def _routes(move: Move, viewer: str) -> list[When | None]:
    """The times at which the viewer learns of the move by each route (None: time unknown)."""
    routes: list[When | None] = []
    if viewer in move.addressees:
        routes.append(move.received.get(viewer))
    if move.channel is Channel.PUBLIC:
        routes.append(move.received.get(viewer, move.sent))
    if move.published is not None:
        routes.append(move.published)
    return routes


def knew(move: Move, viewer: str, now: When | None) -> bool:
    """True when the viewer had the move at `now` (None: at the end of the record)."""
    if viewer == move.author:
        return True
    return any(when is None or now is None or not when.certainly_after(now) for when in _routes(move, viewer))
