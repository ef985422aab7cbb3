"""Findings: what a check says about a state or a history, and how a scenario acknowledges one.

A finding has a severity (error, warning, note), a code naming the check, and the terms,
parties and move it concerns; an acknowledgement is a scenario author's explanation that turns
a matching finding into a note.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

__all__ = ["Acknowledgement", "Finding", "Severity", "acknowledge"]


class Severity(enum.StrEnum):
    """How much a finding matters: an error breaks an invariant; a note only informs."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@attrs.frozen
class Finding:
    """One thing a check found, with the terms, parties and move it concerns."""

    severity: Severity
    code: str
    message: str
    terms: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    move: str | None = None
    acknowledged: str | None = None

    @property
    def key(self) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """What identifies the finding across the states of a timeline."""
        return (self.code, self.terms, self.parties)


@attrs.frozen
class Acknowledgement:
    """A finding a scenario's author has examined and explains: it is reported as a note.

    Matches findings by code and, where given, by a term and a party they concern and the move
    they are reported at (so a branch that reaches the same finding by its own moves is told).
    """

    code: str
    reason: str
    term: str | None = None
    party: str | None = None
    move: str | None = None

    def matches(self, finding: Finding) -> bool:
        return (
            finding.code == self.code
            and (self.term is None or self.term in finding.terms)
            and (self.party is None or self.party in finding.parties)
            and (self.move is None or self.move == finding.move)
        )


def acknowledge(
    findings: Iterable[Finding],
    acknowledgements: Iterable[Acknowledgement],
    *,
    must_match: Iterable[Acknowledgement] | None = None,
) -> list[Finding]:
    """The findings with acknowledged ones turned into notes carrying the reason.

    An acknowledgement in `must_match` (by default, all of them) that matches nothing is itself
    a warning, so stale ones do not linger; a branch need not use what its base acknowledges.
    """
    acks = list(acknowledgements)
    required = acks if must_match is None else list(must_match)
    used: set[int] = set()
    out = []
    for f in findings:
        hit = next((i for i, a in enumerate(acks) if a.matches(f)), None)
        if hit is None:
            out.append(f)
            continue
        used.add(hit)
        out.append(attrs.evolve(f, severity=Severity.NOTE, acknowledged=acks[hit].reason))
    for i, a in enumerate(acks):
        if i not in used and a in required:
            what = ", ".join(x for x in (a.code, a.term, a.party, a.move) if x)
            out.append(
                Finding(
                    Severity.WARNING,
                    "unused-acknowledgement",
                    f"the acknowledgement of {what} matches no finding",
                )
            )
    return out
