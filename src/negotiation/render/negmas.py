"""A history as a saved NegMAS SAO run: offers of issue values, row by row, with the answers to them.

NegMAS records a negotiation as a trace of offers: a row per offer, with the step, the
negotiator, the outcome offered (a value per issue) and the other negotiators' responses to
it (`ACCEPT_OFFER`, `END_NEGOTIATION`). Here each term some act states or accepts becomes
an issue, each distinct wording (with its qualifiers) a value, and each move that changes or
states what its author stands behind a row offering the author's whole standing outcome. A
move that takes up another's last offer whole becomes that row's `ACCEPT_OFFER`; a move
that leaves its author behind nothing, withdrawing or rejecting, an `END_NEGOTIATION`.
Moves of other kinds (performance, confirmation, silence) have no place in an offer trace
and are listed as skipped. The mapping is lossy by nature: see docs/negmas.md.

The trace is made as it is written, in one pass, holding only the rows a later move may
still answer; `negotiation.io.negmas` holds the run's type and writes its files.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from itertools import repeat

import attrs

from negotiation.engine import Timeline
from negotiation.io.negmas import NO_POSITION, NegmasRun
from negotiation.io.scenario import Scenario
from negotiation.model import Formulation, When
from negotiation.vocabulary import Verb

__all__ = ["NegmasExport"]

_STATED = frozenset({Verb.PROPOSE, Verb.ACCEPT, Verb.RESTATE, Verb.CONDITION, Verb.RELEASE})
"""Verbs that state or take up a formulation: their terms are issues, and a move of them an offer."""

_ENDING = frozenset({Verb.WITHDRAW, Verb.REJECT})

_CODES = {"ACCEPT_OFFER": 0, "END_NEGOTIATION": 2}
"""NegMAS's `ResponseType` numbers, as its trace prints them."""


@attrs.define
class _Row:
    """A row in the making: its responses fill in while a later move may still answer it."""

    index: int
    negotiator: str
    step: int
    offer: dict[str, str]
    move: int
    responses: dict[str, str] = attrs.Factory(dict)


@attrs.define
class _Ending:
    """What the rows written so far say of the run's end."""

    agreement: tuple[str, ...] | None = None
    broken: bool = False
    blank: bool = False
    """Whether some row has an issue without a value, so the domain needs NO_POSITION."""


@attrs.define
class NegmasExport:
    """The NegMAS run of a replayed scenario: `rows()` makes the trace, then `run()` sums it up.

    A builder rather than a value, so that a history of 100,000 moves is written row by row
    instead of held whole.
    """

    scenario: Scenario
    timeline: Timeline
    _summary: NegmasRun | None = attrs.field(default=None, init=False)

    def issues(self) -> list[str]:
        """The terms some act states or takes up, in order of the first such act (moves only)."""
        known = {t.id for t in self.scenario.catalogue.terms}
        return list(
            dict.fromkeys(
                a.term
                for m in self.timeline.moves
                for a in m.acts
                if a.verb in _STATED and a.term is not None and a.term in known
            )
        )

    def run(self) -> NegmasRun:
        """How the trace ended, and what its files beside the trace say; after `rows()`."""
        if self._summary is None:
            raise RuntimeError("run() sums up the rows: iterate rows() first")
        return self._summary

    def rows(self) -> Iterator[dict[str, object]]:
        """The trace's rows, in order, each as soon as no later move can answer it."""
        terms = {t.id: t for t in self.scenario.catalogue.terms}
        order = self.issues()
        values: dict[str, dict[str, None]] = {t: {} for t in order}  # ordered sets of values
        held: dict[str, dict[str, str]] = {}  # party -> issue -> the value it stands behind
        open_rows: list[_Row] = []  # the rows a later move may still answer
        skipped: list[str] = []
        negotiators: dict[str, None] = {}
        step, in_step, count = 0, set[str](), 0
        ending = _Ending()
        clocks = self.timeline.clocks
        start = next((c for c in clocks if c is not None), None)
        total = len(self.timeline)
        for i, s in enumerate(self.timeline):
            move, state, actor = s.move, s.state, s.move.author
            before = held.setdefault(actor, {})
            changes: dict[str, str | None] = {}
            verbs = {a.verb for a in move.acts}
            for act in move.acts:
                if act.term is None or act.term not in values:
                    continue
                position = state.position(act.term, actor)
                if position.supports and position.formulation is not None:
                    value = _value(position.formulation, terms[act.term].title)
                    changes[act.term] = value
                    values[act.term][value] = None
                else:
                    changes[act.term] = None
            after = _changed(before, changes)
            target = next((r for r in reversed(open_rows) if r.negotiator != actor), None)
            if target is not None and after and verbs <= {Verb.ACCEPT} and after == target.offer:
                target.responses[actor] = "ACCEPT_OFFER"
            elif target is not None and before and not after and verbs & _ENDING:
                target.responses[actor] = "END_NEGOTIATION"
            elif after == before and not verbs & _STATED:
                skipped.append(move.id)
                continue
            else:
                if actor in in_step:
                    step, in_step = step + 1, set()
                in_step.add(actor)
                open_rows.append(_Row(count, actor, step, dict(after), i))
                count += 1
            negotiators[actor] = None
            held[actor] = after
            while open_rows and _settled(open_rows):
                yield self._row(open_rows.pop(0), order, clocks, start, total, ending, negotiators)
        while open_rows:
            yield self._row(open_rows.pop(0), order, clocks, start, total, ending, negotiators)
        blank = NO_POSITION if ending.blank else None
        issues = tuple((t, (*v, blank) if blank else tuple(v)) for t, v in values.items())
        self._summary = NegmasRun(
            issues,
            tuple(negotiators),
            count,
            ending.agreement,
            ending.broken,
            step + 1 if count else 0,
            tuple(skipped),
            blank,
            {t: terms[t].title or terms[t].text for t in order},
            {p.id: p.name for p in self.scenario.catalogue.parties if p.id in negotiators and p.name},
        )

    def _row(
        self,
        row: _Row,
        order: list[str],
        clocks: tuple[When | None, ...],
        start: When | None,
        total: int,
        ending: _Ending,
        negotiators: dict[str, None],
    ) -> dict[str, object]:
        # map over dict.get runs in C: an offer of 1,000 issues costs microseconds, not a millisecond
        outcome = tuple(map(row.offer.get, order, repeat(NO_POSITION, len(order))))
        ending.blank = ending.blank or len(row.offer) < len(order)
        ended = "END_NEGOTIATION" in row.responses.values()
        agreed = not ended and bool(row.responses) and {row.negotiator, *row.responses} >= negotiators.keys()
        if agreed:
            ending.agreement = outcome
        ending.broken = ending.broken or ended
        when = clocks[row.move]
        move = self.timeline.move_at(row.move).id
        return {
            "time": (_instant(when) - _instant(start)).total_seconds() if when and start else None,
            "relative_time": (row.move + 1) / (total + 1),
            "step": row.step,
            "negotiator": row.negotiator,
            "offer": repr(outcome),
            "responses": _responses(row.responses),
            "state": "broken" if ended else "agreement" if agreed else "continuing",
            "text": None,
            "data": json.dumps(
                {"move": move, **({"date": str(when.day)} if when else {})}, ensure_ascii=False
            ),
        }


def _changed(before: dict[str, str], changes: dict[str, str | None]) -> dict[str, str]:
    """The values after a move: `before` itself when the move changed none (no copy)."""
    if all(before.get(t) == v for t, v in changes.items()):
        return before
    after = dict(before)
    for term, value in changes.items():
        if value is None:
            after.pop(term, None)
        else:
            after[term] = value
    return after


def _settled(rows: list[_Row]) -> bool:
    """Whether no later move can answer the first open row.

    A move answers the last row by another party; the first row stays answerable only while
    every row after it is by one party, and not by its own author.
    """
    first, later = rows[0].negotiator, {r.negotiator for r in rows[1:]}
    return first in later or len(later) > 1


def _responses(responses: dict[str, str]) -> str:
    """The responses as NegMAS prints its dict of `ResponseType`s."""
    return "{" + ", ".join(f"{p!r}: <ResponseType.{r}: {_CODES[r]}>" for p, r in responses.items()) + "}"


def _instant(when: When) -> dt.datetime:
    """The moment a clock reading stands for: its minute, or the start of its day (UTC)."""
    return when.at if when.at is not None else dt.datetime.combine(when.day, dt.time(), dt.UTC)


def _value(formulation: Formulation, title: str) -> str:
    """The wording as one value: its text, and its qualifiers in brackets."""
    text = formulation.text
    if title and text.startswith(f"{title}: "):  # the importers word a value as "issue: value"
        text = text[len(title) + 2 :]
    qualifiers = formulation.qualifiers()
    if qualifiers:
        text += " [" + "; ".join(f"{k}: {v}" for k, v in qualifiers.items()) + "]"
    return text
