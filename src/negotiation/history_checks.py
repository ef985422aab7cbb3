"""Checks of a whole history: what each party could know, irregular acts, time order, wording.

Each takes a timeline and returns `Finding`s; `invariants.check_timeline` runs the step-wise
ones in the same single walk as the state checks. Every one costs what the history holds: none
looks back over the moves before the current one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from negotiation.engine import Step, Timeline
from negotiation.findings import Finding, Severity
from negotiation.model import QUALIFIERS, Move, When
from negotiation.status import term_status
from negotiation.visibility import PUBLIC, knew, reaches
from negotiation.vocabulary import Stance, Status

__all__ = [
    "TIMELINE_CODES",
    "AffirmationWalk",
    "dropped_qualifiers",
    "irregular_acts",
    "knowledge_leaks",
    "step_dropped_qualifiers",
    "step_irregularities",
    "time_order",
    "unaccepted_affirmations",
    "unverified_quotes",
]

TIMELINE_CODES = (
    "knowledge-leak",
    "irregular-act",
    "time-order",
    "dropped-qualifier",
    "unaccepted-affirmation",
    "unverified-quote",
)
"""Codes of the findings only a whole timeline can show."""


def knowledge_leaks(timeline: Timeline, viewers: Iterable[str] | None = None) -> list[Finding]:
    """Errors where a party's view holds a move it had not received at that point."""
    parties = list(viewers) if viewers is not None else [*timeline.initial.catalogue.party_ids, PUBLIC]
    return [f for viewer in sorted(parties) for f in _leaks(timeline, viewer)]


def _leaks(timeline: Timeline, viewer: str) -> list[Finding]:
    """One viewer's leaks, in one walk: the moves its view is folded from against those it had received.

    A view is the fold of every move that has arrived (`Timeline.arrivals`); a move arrived
    and not yet received by the record's clock is a leak until it is received.
    """
    moves, clocks = timeline.moves, timeline.clocks
    allowed: set[str] = set()
    waiting: list[Move] = []  # moves that reach the viewer and had not yet by then
    early: set[str] = set()  # moves the view holds that the viewer had not received
    held: set[str] = set()
    dated = False
    out = []
    for i, arrived in enumerate(timeline.arrivals(viewer)):
        now = clocks[i]
        if now is not None and not dated:
            # An undated record counts every move as received; its first date may take some back.
            dated = True
            allowed = set()
            waiting = [m for m in moves[:i] if reaches(m, viewer)]
            early = set(held)
        if reaches(moves[i], viewer):
            waiting.append(moves[i])
        still: list[Move] = []
        for m in waiting:
            if knew(m, viewer, now):
                allowed.add(m.id)
                early.discard(m.id)
            else:
                still.append(m)
        waiting = still
        for j in arrived:
            held.add(moves[j].id)
            if moves[j].id not in allowed:
                early.add(moves[j].id)
        if early:
            names = ", ".join(sorted(early))
            out.append(
                Finding(
                    Severity.ERROR,
                    "knowledge-leak",
                    f"{viewer}'s view after {moves[i].id!r} holds {names}, not yet received",
                    (),
                    (viewer,),
                    moves[i].id,
                )
            )
    return out


def irregular_acts(timeline: Timeline) -> list[Finding]:
    """Warnings for acts the record keeps although they break a rule."""
    return [f for s in timeline for f in step_irregularities(s)]


def step_irregularities(s: Step) -> list[Finding]:
    """The irregular-act warnings of one step."""
    return [
        Finding(
            Severity.WARNING,
            "irregular-act",
            f"acts[{n.act_index}] breaks {n.rule}: {n.problem} (kept: {n.reason})",
            parties=(s.move.author,),
            move=s.move.id,
        )
        for n in s.notes
    ]


def dropped_qualifiers(timeline: Timeline) -> list[Finding]:
    """Notes for an act whose new wording leaves out qualifiers the author's own formulation had.

    An act with a wording of its own states the term afresh (see docs/semantics.md); this says
    what the earlier statement carried that the new one does not, so nothing goes silently.
    """
    return [f for s in timeline for f in step_dropped_qualifiers(s)]


def step_dropped_qualifiers(s: Step) -> list[Finding]:
    """The dropped-qualifier notes of one step."""
    out = []
    for c in s.changes:
        old, new = c.before.formulation, c.after.formulation
        if c.party != s.move.author or old is None or new is None:
            continue
        lost = [q for q in QUALIFIERS if getattr(old, q) is not None and getattr(new, q) is None]
        if lost:
            said = ", ".join(f"{q} {getattr(old, q)!r}" for q in lost)
            out.append(
                Finding(
                    Severity.NOTE,
                    "dropped-qualifier",
                    f"{c.party}'s new statement of {c.term!r} leaves out its earlier {said}",
                    (c.term,),
                    (c.party,),
                    s.move.id,
                )
            )
    return out


def time_order(timeline: Timeline) -> list[Finding]:
    """Notes for moves replayed after a move the record dates later (read from the moves alone)."""
    out = []
    latest = None
    for move in timeline.moves:
        sent = move.sent
        if sent is not None and latest is not None and latest[1].certainly_after(sent):
            out.append(
                Finding(
                    Severity.NOTE,
                    "time-order",
                    f"sent {sent}, before {latest[0]!r} ({latest[1]}), which it follows in the replay",
                    move=move.id,
                )
            )
        if sent is not None and (latest is None or sent.certainly_after(latest[1])):
            latest = (move.id, sent)
    return out


def unaccepted_affirmations(timeline: Timeline) -> list[Finding]:
    """Warnings for an affirmation that binds terms another principal never accepted in public.

    Binding is one party's word that the deal is done; it says more than the record when the
    other side stood behind the affirmed wording only in a private channel, only in its own
    wording (the President's "firm undertakings" of 28 October bound formulations Moscow had
    put differently), or not at all. Public means known to everyone by the affirmation. One
    finding per affirming move, other party and reason, naming the terms.
    """
    walk = AffirmationWalk(timeline.initial.catalogue.principals)
    return [f for s, now in zip(timeline, timeline.clocks, strict=True) for f in walk.step(s, now)]


_Statement = tuple[Move, tuple[str, str], tuple[object, ...] | None]
"""A public statement: its move, (term, party), and the substance of its wording (None: none)."""


class AffirmationWalk:
    """`unaccepted_affirmations` one step at a time, keeping what each party had said in public.

    Each statement that will reach the public waits until it has; an affirmation then looks up
    the wordings public by its time, so a walk costs what the moves hold, not their square.
    """

    def __init__(self, principals: Sequence[str]) -> None:
        self.principals = principals
        self.stated: list[_Statement] = []  # every statement reaching the public
        self.waiting: list[_Statement] = []  # those not public yet
        self.said: dict[
            tuple[str, str], set[tuple[object, ...] | None]
        ] = {}  # (term, party) -> wordings public by now
        self.dated = False

    def step(self, s: Step, now: When | None) -> list[Finding]:
        """The findings of one step, given the record's clock after it."""
        if now is not None and not self.dated:
            # An undated record counts everything as published; its first date may take some back.
            self.dated, self.said, self.waiting = True, {}, list(self.stated)
        public = reaches(s.move, PUBLIC)
        for c in s.changes:
            if public and c.party == s.move.author and c.after.counts:
                held = c.after.formulation.substance if c.after.formulation is not None else None
                entry: _Statement = (s.move, (c.term, c.party), held)
                self.stated.append(entry)
                self.waiting.append(entry)
        still = []
        for entry in self.waiting:
            if knew(entry[0], PUBLIC, now):
                self.said.setdefault(entry[1], set()).add(entry[2])
            else:
                still.append(entry)
        self.waiting = still
        short: dict[tuple[str, str], list[str]] = {}
        for c in s.changes:
            if not (
                c.party == s.move.author
                and c.after.stance is Stance.AFFIRMED
                and c.before.stance is not Stance.AFFIRMED
                and term_status(s.state, c.term) is Status.BINDING
            ):
                continue
            wording = c.after.formulation.substance if c.after.formulation is not None else None
            for other in self.principals:
                if other == c.party:
                    continue
                said = self.said.get((c.term, other), ())
                if wording in said or (said and wording is None):
                    continue
                why = "only in its own wording" if said else "in no public move"
                short.setdefault((other, why), []).append(c.term)
        out = []
        for (other, why), terms in sorted(short.items()):
            names = ", ".join(repr(t) for t in sorted(terms))
            out.append(
                Finding(
                    Severity.WARNING,
                    "unaccepted-affirmation",
                    f"{s.move.author}'s affirmation binds {names}, which {other} stood behind {why}",
                    tuple(sorted(terms)),
                    (s.move.author, other),
                    s.move.id,
                )
            )
        return out


def unverified_quotes(timeline: Timeline) -> list[Finding]:
    """Notes for every quotation its act marks as not checked against a primary text.

    Historians check every line; this lists the ones still to check, where they are.
    """
    return [
        Finding(
            Severity.NOTE,
            "unverified-quote",
            f"acts[{i}] ({a.verb} {a.target}) quotes words not checked against a primary text",
            (a.term,) if a.term is not None else (),
            (move.author,),
            move.id,
        )
        for move in timeline.moves
        for i, a in enumerate(move.acts)
        if a.quote is not None and a.verified is False
    ]
