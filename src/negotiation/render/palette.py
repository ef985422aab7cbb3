"""The colours and short codes of statuses, stances and channels, shared by every picture.

The HTML report, the terminal tables and the DOT and Mermaid graphs take their colours from
here, so a status looks the same wherever it is shown.
"""

from __future__ import annotations

from negotiation.vocabulary import Channel, Stance, Status

__all__ = [
    "CHANNEL_COLOURS",
    "EDGE_COLOURS",
    "PARTY_COLOURS",
    "STANCE_STATUS",
    "STATUS_CODES",
    "STATUS_COLOURS",
    "STATUS_MEANINGS",
    "party_colour",
    "text_colour",
]

STATUS_COLOURS: dict[Status, str] = {
    Status.UNRAISED: "#f1f1ee",
    Status.OPEN: "#f7dc6f",
    Status.UNCHALLENGED: "#a9cce3",
    Status.AGREED: "#82c99a",
    Status.CONDITIONAL: "#b9a3d9",
    Status.AWAITING_CONSENT: "#b8d8be",
    Status.DIVERGENT: "#f0a04b",
    Status.BINDING: "#2e7d4f",
    Status.FULFILLED: "#1f5f8b",
    Status.CONFIRMED: "#143f66",
    Status.CONTESTED: "#d65f9e",
    Status.DISPUTED: "#e07a6f",
    Status.REJECTED: "#a93226",
    Status.BLOCKED: "#6e2c00",
    Status.REPLACED: "#d5d8dc",
    Status.WITHDRAWN: "#a6a6a6",
    Status.LAPSED: "#8d7b68",
}
"""A background colour per status: warm for open questions, green for agreement, red for refusal.

Chosen so that the pairs a reader must tell apart (open from conditional, agreed from
disputed, binding from rejected, ...) stay apart under simulated deuteranopia and protanopia
(tests/test_palette.py); every cell and legend entry also carries the status letter.
"""

STATUS_CODES: dict[Status, str] = {
    Status.UNRAISED: "u",
    Status.OPEN: "o",
    Status.UNCHALLENGED: "n",
    Status.AGREED: "a",
    Status.CONDITIONAL: "q",
    Status.AWAITING_CONSENT: "t",
    Status.DIVERGENT: "d",
    Status.BINDING: "b",
    Status.FULFILLED: "f",
    Status.CONFIRMED: "k",
    Status.CONTESTED: "c",
    Status.DISPUTED: "p",
    Status.REJECTED: "r",
    Status.BLOCKED: "y",
    Status.REPLACED: "s",
    Status.WITHDRAWN: "w",
    Status.LAPSED: "l",
}
"""One letter per status, for compact class names and data in the HTML report."""

STATUS_MEANINGS: dict[Status, str] = {
    Status.UNRAISED: "nobody has put it forward",
    Status.OPEN: "put forward, not yet answered by every party it needs",
    Status.UNCHALLENGED: "received and left unanswered",
    Status.AGREED: "every party it needs stands behind it, in the same formulation",
    Status.CONDITIONAL: "every party it needs stands behind it, but on conditions not yet agreed",
    Status.AWAITING_CONSENT: (
        "every principal stands behind it; a party whose consent it needs has not given it"
    ),
    Status.DIVERGENT: "every party it needs stands behind it, in different formulations",
    Status.BINDING: "agreed and declared binding or acted on",
    Status.FULFILLED: "performed by every party it obliges, by their report, and nobody contests it",
    Status.CONFIRMED: "performed by every party it obliges, and the others it needs confirm it",
    Status.CONTESTED: "an obligor reports performing it; a party it needs contests the claim",
    Status.DISPUTED: "a party it needs disputes it",
    Status.REJECTED: "a party it needs rejects it",
    Status.BLOCKED: "a party whose consent it needs refuses it",
    Status.REPLACED: "another term that stands in for it is agreed",
    Status.WITHDRAWN: "those who stood behind it withdrew",
    Status.LAPSED: "its addressees set it aside",
}
"""The legend's one-line meaning of each status (the README's table, shortened)."""

STANCE_STATUS: dict[Stance, Status] = {
    Stance.PROPOSED: Status.OPEN,
    Stance.ACCEPTED: Status.AGREED,
    Stance.REJECTED: Status.REJECTED,
    Stance.DISPUTED: Status.DISPUTED,
    Stance.UNCHALLENGED: Status.UNCHALLENGED,
    Stance.IGNORED: Status.LAPSED,
    Stance.WITHDRAWN: Status.WITHDRAWN,
    Stance.AFFIRMED: Status.BINDING,
    Stance.PERFORMING: Status.BINDING,
    Stance.FULFILLED: Status.FULFILLED,
    Stance.CONTESTED: Status.CONTESTED,
    Stance.CONFIRMED: Status.CONFIRMED,
}
"""The status whose colour a single party's stance borrows."""

CHANNEL_COLOURS: dict[Channel, str] = {
    Channel.PUBLIC: "#2471a3",
    Channel.PRIVATE: "#7b7d7d",
    Channel.BACK_CHANNEL: "#7d3c98",
    Channel.ORAL: "#b9770e",
}
"""A colour per channel, for move headers."""

PARTY_COLOURS = ("#1f618d", "#b03a2e", "#117a65", "#7d6608", "#6c3483", "#1c2833")
"""Colours for the principals' condition edges, in catalogue order (cycled beyond six)."""

EDGE_COLOURS: dict[str, str] = {
    "requires": "#566573",
    "conflicts": "#c0392b",
    "refines": "#8e44ad",
    "replaces": "#7f8c8d",
}
"""Colours of the catalogue's relations in term graphs; conditions take their party's colour."""


def party_colour(index: int) -> str:
    """The colour of the principal at this position in the catalogue."""
    return PARTY_COLOURS[index % len(PARTY_COLOURS)]


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on the background colour ("#rrggbb")."""
    r, g, b = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#1b1b1b" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"
