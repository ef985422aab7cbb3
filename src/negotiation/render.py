"""Rendering a replay: the per-move table of changes, the memo side-by-side, and JSON.

Both renderings come from one list of frames, so text and JSON always say the same thing.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import attrs

from negotiation.analysis import TermView, memo, position_changes, term_view
from negotiation.engine import Timeline
from negotiation.model import Formulation, Move
from negotiation.rules import Irregularity
from negotiation.scenario import Scenario
from negotiation.state import Position, State
from negotiation.status import term_status
from negotiation.visibility import PUBLIC, knew

__all__ = ["Frame", "frames", "replay_json", "replay_text"]


@attrs.frozen
class Frame:
    """One move as a viewer saw it: the state after it and the position changes since the last frame."""

    move: Move
    state: State
    changes: tuple[tuple[str, str, Position, Position, str], ...]
    notes: tuple[Irregularity, ...]
    known: bool = True


def frames(timeline: Timeline, *, viewer: str | None = None, at: str | None = None) -> list[Frame]:
    """The frames of a replay, for the historian (viewer None) or as one viewer knew it, up to `at`."""
    end = timeline.index(at) + 1 if at is not None else len(timeline)
    out: list[Frame] = []
    if viewer is None:
        for s in timeline.steps[:end]:
            changes = tuple((c.term, c.party, c.before, c.after, c.cause) for c in s.changes)
            out.append(Frame(s.move, s.state, changes, s.notes))
        return out
    previous = timeline.initial
    views = timeline.views(viewer)
    for i, (s, state) in enumerate(zip(timeline.steps[:end], views[:end], strict=False)):
        changes = tuple((c.term, c.party, c.before, c.after, "") for c in position_changes(previous, state))
        out.append(Frame(s.move, state, changes, (), knew(s.move, viewer, timeline.clock(i))))
        previous = state
    return out


# -- JSON -----------------------------------------------------------------------------------


def _formulation_json(f: Formulation | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "text": f.text,
        **f.qualifiers(),
        "conditions": sorted(f.conditions),
        "quote": f.quote,
        "move": f.move,
    }


def _term_json(view: TermView) -> dict[str, Any]:
    return {
        "status": str(view.status),
        "divergent": view.divergent,
        "stances": {p: (str(pos.stance) if pos.stance else None) for p, pos in view.positions.items()},
        "formulations": {
            p: (pos.formulation.text if pos.formulation else None) for p, pos in view.positions.items()
        },
        "conditions": {
            p: (sorted(pos.formulation.conditions) if pos.formulation else [])
            for p, pos in view.positions.items()
        },
        "unchallenged": {p: sorted(pos.tacit) for p, pos in view.positions.items()},
        "details": {p: _formulation_json(pos.formulation) for p, pos in view.positions.items()},
    }


def replay_json(
    scenario: Scenario, timeline: Timeline, *, viewer: str | None = None, at: str | None = None
) -> dict[str, Any]:
    """The replay as a JSON-ready document (see the README for the contract)."""
    cat = scenario.catalogue
    steps = []
    for f in frames(timeline, viewer=viewer, at=at):
        steps.append(
            {
                "move": f.move.id,
                "author": f.move.author,
                "addressees": list(f.move.addressees),
                "channel": str(f.move.channel),
                "sent": str(f.move.sent) if f.move.sent else None,
                "known": f.known,
                "changes": [
                    {"term": t, "party": p, "before": _stance(b), "after": _stance(a), "cause": cause}
                    for t, p, b, a, cause in f.changes
                ],
                "notes": [
                    {"act": n.act_index, "rule": n.rule, "problem": n.problem, "reason": n.reason}
                    for n in f.notes
                ],
                "terms": {v.term: _term_json(v) for v in memo(f.state, raised_only=False)},
            }
        )
    return {
        "scenario": scenario.id,
        "title": scenario.title,
        "viewer": viewer or "historian",
        "parties": list(cat.principals),
        "third_parties": [p.id for p in cat.parties if p.id not in cat.principals],
        "steps": steps,
    }


def _stance(pos: Position) -> str | None:
    return str(pos.stance) if pos.stance else None


# -- text -----------------------------------------------------------------------------------


def _short(text: str | None, n: int) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _move_heading(move: Move) -> str:
    to = ", ".join(move.addressees) or "all"
    when = str(move.sent) if move.sent else "date unknown"
    title = f"  {move.title}" if move.title else ""
    return f"{move.id}  [{when}, {move.author} → {to}, {move.channel}]{title}"


_STANCE_OF_VERB = {
    "propose": "proposed",
    "accept": "accepted",
    "reject": "rejected",
    "dispute": "disputed",
    "withdraw": "withdrawn",
    "ignore": "ignored",
    "affirm": "affirmed",
}


def _change_line(term: str, party: str, before: Position, after: Position, cause: str) -> str:
    old, new = before.stance or "—", after.stance or "—"
    what = f"{old} → {new}" if old != new else f"{new}, reworded"
    if after.tacit - before.tacit:
        what = f"{new}, let {', '.join(sorted(after.tacit - before.tacit))}'s wording stand"
    if cause and _STANCE_OF_VERB.get(cause) != new:
        what += f" ({cause})"
    form = after.formulation
    said = f'  "{_short(form.text, 56)}"' if form is not None and form != before.formulation else ""
    return f"    {term:<34} {party:<6} {what}{said}"


def _changes_text(frames_: Sequence[Frame], viewer: str | None) -> list[str]:
    lines = ["Moves and what they changed", "==========================="]
    previous: State | None = None
    for f in frames_:
        lines.append("")
        lines.append(_move_heading(f.move))
        for term, party, before, after, cause in f.changes:
            lines.append(_change_line(term, party, before, after, cause))
        touched = sorted({c[0] for c in f.changes}, key=list(f.state.catalogue.by_id).index)
        for term in touched:
            old = term_status(previous, term) if previous is not None else None
            new = term_status(f.state, term)
            if old != new:
                lines.append(f"    {term:<34} status {old or 'unraised'} → {new}")
        for n in f.notes:
            lines.append(f"    ! irregular acts[{n.act_index}]: {n.problem} [rule {n.rule}] — {n.reason}")
        if not f.known:
            lines.append(f"    (not yet known to {viewer})")
        elif not f.changes:
            lines.append("    (no position changed)")
        previous = f.state
    return lines


def _cell(pos: Position, width: int) -> list[str]:
    if pos.stance is None:
        return ["—"]
    lines = [str(pos.stance) + (f" (let {', '.join(sorted(pos.tacit))} stand)" if pos.tacit else "")]
    f = pos.formulation
    if f is not None:
        lines += textwrap.wrap(f'"{" ".join(f.text.split())}"', width)
        for name, value in f.qualifiers().items():
            lines += textwrap.wrap(f"{name}: {value}", width, subsequent_indent="  ")
        if f.move:
            lines.append(f"[{f.move}]")
    return lines


def _memo_text(state: State, heading: str, width: int) -> list[str]:
    parties = state.catalogue.principals
    col = max(24, (width - 2 - 3 * (len(parties) - 1)) // max(1, len(parties)))
    lines = ["", heading, "=" * len(heading)]
    for view in memo(state):
        term = state.catalogue.by_id[view.term]
        flag = ", divergent" if view.divergent and view.status.value != "divergent" else ""
        lines += ["", f"{view.term}  [{view.status}{flag}]  obliges {', '.join(term.obligors)}"]
        lines.append(("  " + " | ".join(f"{p:<{col}}" for p in parties)).rstrip())
        cells = [_cell(view.positions[p], col) for p in parties]
        for row in range(max(len(c) for c in cells)):
            parts = [(c[row] if row < len(c) else "") for c in cells]
            lines.append(("  " + " | ".join(f"{x:<{col}}" for x in parts)).rstrip())
    unraised = [t for t in state.catalogue.by_id if term_view(state, t).status.value == "unraised"]
    if unraised:
        lines += ["", "not raised: " + ", ".join(unraised)]
    return lines


def replay_text(
    scenario: Scenario,
    timeline: Timeline,
    *,
    viewer: str | None = None,
    at: str | None = None,
    width: int = 100,
) -> str:
    """The replay for reading: what each move changed, then the memo side-by-side at the end."""
    fs = frames(timeline, viewer=viewer, at=at)
    who = f"as {'the public' if viewer == PUBLIC else viewer} knew it" if viewer else "as the record shows it"
    head = f"{scenario.title or scenario.id} — {who}"
    lines = [head, "", *_changes_text(fs, viewer)]
    final = fs[-1].state if fs else timeline.initial
    point = f"after {fs[-1].move.id}" if fs else "before any move"
    lines += _memo_text(final, f"Terms {point}, side by side ({who})", width)
    return "\n".join(lines) + "\n"
