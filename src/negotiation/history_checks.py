"""Checks of a whole history: what each party could know, irregular acts, time order, wording.

Each takes a timeline and returns `Finding`s; `invariants.check_timeline` runs them with the
state checks after every move.
"""

from __future__ import annotations

from collections.abc import Iterable

from negotiation.engine import Timeline
from negotiation.findings import Finding, Severity
from negotiation.model import QUALIFIERS, Move
from negotiation.status import term_status
from negotiation.visibility import PUBLIC, knew
from negotiation.vocabulary import Stance, Status

__all__ = [
    "TIMELINE_CODES",
    "dropped_qualifiers",
    "irregular_acts",
    "knowledge_leaks",
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
    out = []
    for viewer in sorted(parties):
        for i, view in enumerate(timeline.views(viewer)):
            now = timeline.clock(i)
            allowed = {s.move.id for s in timeline.steps[: i + 1] if knew(s.move, viewer, now)}
            leaked = sorted(set(view.moves.keys()) - allowed)
            if leaked:
                move = timeline.step_at(i).move.id
                out.append(
                    Finding(
                        Severity.ERROR,
                        "knowledge-leak",
                        f"{viewer}'s view after {move!r} holds {', '.join(leaked)}, not yet received",
                        (),
                        (viewer,),
                        move,
                    )
                )
    return out


def irregular_acts(timeline: Timeline) -> list[Finding]:
    """Warnings for acts the record keeps although they break a rule."""
    return [
        Finding(
            Severity.WARNING,
            "irregular-act",
            f"acts[{n.act_index}] breaks {n.rule}: {n.problem} (kept: {n.reason})",
            parties=(s.move.author,),
            move=s.move.id,
        )
        for s in timeline.steps
        for n in s.notes
    ]


def dropped_qualifiers(timeline: Timeline) -> list[Finding]:
    """Notes for an act whose new wording leaves out qualifiers the author's own formulation had.

    An act with a wording of its own states the term afresh (see docs/semantics.md); this says
    what the earlier statement carried that the new one does not, so nothing goes silently.
    """
    out = []
    for s in timeline.steps:
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
    """Notes for moves replayed after a move the record dates later."""
    out = []
    latest = None
    for s in timeline.steps:
        sent = s.move.sent
        if sent is not None and latest is not None and latest[1].certainly_after(sent):
            out.append(
                Finding(
                    Severity.NOTE,
                    "time-order",
                    f"sent {sent}, before {latest[0]!r} ({latest[1]}), which it follows in the replay",
                    move=s.move.id,
                )
            )
        if sent is not None and (latest is None or sent.certainly_after(latest[1])):
            latest = (s.move.id, sent)
    return out


def unaccepted_affirmations(timeline: Timeline) -> list[Finding]:
    """Warnings for an affirmation that binds terms another principal never accepted in public.

    Binding is one party's word that the deal is done; it says more than the record when the
    other side stood behind the affirmed wording only in a private channel, only in its own
    wording (the President's "firm undertakings" of 28 October bound formulations Moscow had
    put differently), or not at all. Public means known to everyone by the affirmation. One
    finding per affirming move, other party and reason, naming the terms.
    """
    out = []
    principals = timeline.initial.catalogue.principals
    public: dict[tuple[str, str], list[tuple[Move, tuple[object, ...] | None]]] = {}
    for i, s in enumerate(timeline.steps):
        now = timeline.clock(i)
        for c in s.changes:
            if c.party == s.move.author and c.after.counts:
                held = c.after.formulation.substance if c.after.formulation is not None else None
                public.setdefault((c.term, c.party), []).append((s.move, held))
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
            for other in principals:
                if other == c.party:
                    continue
                said = [w for m, w in public.get((c.term, other), ()) if knew(m, PUBLIC, now)]
                if wording in said or (said and wording is None):
                    continue
                why = "only in its own wording" if said else "in no public move"
                short.setdefault((other, why), []).append(c.term)
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
            (s.move.author,),
            s.move.id,
        )
        for s in timeline.steps
        for i, a in enumerate(s.move.acts)
        if a.quote is not None and a.verified is False
    ]
