"""Rendering for people and tools: replays, comparisons of two histories, trees of branches.

Text and JSON of a replay come from one list of frames, so they always say the same thing.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from negotiation.analysis import TermView, TimelineDiff, memo, outcome, position_changes, term_view
from negotiation.engine import Timeline
from negotiation.errors import NegotiationError, ScenarioError
from negotiation.invariants import Finding, Severity, acknowledge, check_timeline
from negotiation.model import Formulation, Move, Status
from negotiation.rules import Irregularity
from negotiation.scenario import Scenario, load_scenario
from negotiation.state import Position, State
from negotiation.status import term_status
from negotiation.visibility import PUBLIC, knew

__all__ = [
    "CheckReport",
    "Frame",
    "TreeEntry",
    "change_parts",
    "check_file",
    "diff_json",
    "diff_text",
    "frames",
    "move_heading",
    "replay_json",
    "replay_text",
    "tree_entries",
    "tree_json",
    "tree_text",
]


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


def move_heading(move: Move) -> str:
    """One line naming the move, its date, author, addressees, channel and title."""
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


def change_parts(before: Position, after: Position, cause: str) -> tuple[str, str | None]:
    """What a position change did ("proposed → accepted (fulfil)") and the new wording, if any."""
    old, new = before.stance or "—", after.stance or "—"
    what = f"{old} → {new}" if old != new else f"{new}, reworded"
    if after.tacit - before.tacit:
        what = f"{new}, let {', '.join(sorted(after.tacit - before.tacit))}'s wording stand"
    if cause and _STANCE_OF_VERB.get(cause) != new:
        what += f" ({cause})"
    form = after.formulation
    said = _short(form.text, 56) if form is not None and form != before.formulation else None
    return what, said


def _change_line(term: str, party: str, before: Position, after: Position, cause: str) -> str:
    what, said = change_parts(before, after, cause)
    quoted = f'  "{said}"' if said is not None else ""
    return f"    {term:<34} {party:<6} {what}{quoted}"


def _changes_text(frames_: Sequence[Frame], viewer: str | None) -> list[str]:
    lines = ["Moves and what they changed", "==========================="]
    previous: State | None = None
    for f in frames_:
        lines.append("")
        lines.append(move_heading(f.move))
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


# -- diff -----------------------------------------------------------------------------------


def _stances_text(view: TermView | None) -> str:
    if view is None:
        return "not in this scenario"
    stances = ", ".join(f"{p} {pos.stance or '—'}" for p, pos in view.positions.items())
    flag = ", divergent" if view.divergent and view.status is not Status.DIVERGENT else ""
    return f"{view.status}{flag}: {stances}"


def diff_text(a: Scenario, b: Scenario, d: TimelineDiff) -> str:
    """The comparison of two histories for reading."""
    width = max(len(a.id), len(b.id))
    lines = [f"{a.id:<{width}}  {a.path}", f"{b.id:<{width}}  {b.path}", ""]
    lines.append(f"last common move:  {d.common or '(none: they differ from the first move)'}")
    if d.first_a is None and d.first_b is None:
        lines.append("first difference:  none, the two histories have the same moves")
    else:
        lines.append(
            f"first difference:  {d.first_a or '(ends)'} ({a.id})  |  {d.first_b or '(ends)'} ({b.id})"
        )
    point = f"after {d.at}" if d.at else "at the end"
    lines += ["", f"terms that differ {point}: {len(d.terms)}"]
    for t in d.terms:
        lines.append(f"  {t.term}")
        lines.append(f"    {a.id:<{width}}  {_stances_text(t.a)}")
        lines.append(f"    {b.id:<{width}}  {_stances_text(t.b)}")
    if d.at is None:
        lines += ["", "outcome"]
        for s in (a, b):
            lines.append(f"  {s.id:<{width}}  {outcome(s.replay().final).summary()}")
    return "\n".join(lines) + "\n"


def _view_json(view: TermView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {
        "status": str(view.status),
        "divergent": view.divergent,
        "stances": {p: _stance(pos) for p, pos in view.positions.items()},
    }


def diff_json(a: Scenario, b: Scenario, d: TimelineDiff) -> dict[str, Any]:
    """The comparison of two histories as a JSON-ready document."""
    doc: dict[str, Any] = {
        "a": {"scenario": a.id, "file": a.path},
        "b": {"scenario": b.id, "file": b.path},
        "last_common_move": d.common,
        "first_difference": {"a": d.first_a, "b": d.first_b},
        "at": d.at,
        "terms": {t.term: {"a": _view_json(t.a), "b": _view_json(t.b)} for t in d.terms},
    }
    if d.at is None:
        for key, s in (("a", a), ("b", b)):
            o = outcome(s.replay().final)
            doc[key]["outcome"] = {"verdict": o.verdict, "summary": o.summary(), "agreed": list(o.agreed)}
    return doc


# -- tree -----------------------------------------------------------------------------------


@attrs.frozen
class TreeEntry:
    """One scenario file of a folder, loaded (or not), with its place among the others."""

    file: Path
    scenario: Scenario | None
    error: str | None

    @property
    def base(self) -> Path | None:
        if self.scenario is None or self.scenario.base is None:
            return None
        return Path(self.scenario.base.path).resolve()

    def line(self, folder: Path) -> str:
        name = self.file.relative_to(folder).as_posix()
        if self.scenario is None:
            return f"{name}  error: {self.error}"
        s = self.scenario
        where = ""
        if s.base is not None:
            dropped = f", {len(s.drop)} dropped" if s.drop else ""
            n = len(s.own_moves)
            where = f"  after {s.fork_after} (+{n} move{'' if n == 1 else 's'}{dropped})"
        try:
            result = outcome(s.replay().final).summary()
        except NegotiationError as e:
            result = f"error: {e}"
        return f"{name}  [{s.id}]{where} — {result}"


def tree_entries(folder: Path) -> list[TreeEntry]:
    """Every scenario file under the folder, loaded; a file that fails carries its error."""
    entries = []
    for file in sorted(folder.rglob("*.toml")):
        try:
            entries.append(TreeEntry(file.resolve(), load_scenario(file), None))
        except NegotiationError as e:
            entries.append(TreeEntry(file.resolve(), None, str(e)))
    return entries


def tree_text(folder: Path, entries: Sequence[TreeEntry]) -> str:
    """The scenarios of a folder as a tree of bases and the branches forked from them."""
    folder = folder.resolve()
    by_file = {e.file: e for e in entries}
    children: dict[Path | None, list[TreeEntry]] = {}
    for e in entries:
        parent = e.base if e.base in by_file else None
        children.setdefault(parent, []).append(e)
    lines: list[str] = []

    def walk(entry: TreeEntry, prefix: str, last: bool, top: bool) -> None:
        branch = "" if top else ("└── " if last else "├── ")
        lines.append(prefix + branch + entry.line(folder))
        kids = children.get(entry.file, [])
        inner = prefix if top else prefix + ("    " if last else "│   ")
        for i, kid in enumerate(kids):
            walk(kid, inner, i == len(kids) - 1, False)

    for root in children.get(None, []):
        walk(root, "", True, True)
    return "\n".join(lines) + "\n"


def tree_json(folder: Path, entries: Sequence[TreeEntry]) -> list[dict[str, Any]]:
    """The scenarios of a folder with their bases and outcomes, as JSON-ready records."""
    folder = folder.resolve()
    out = []
    for e in entries:
        rec: dict[str, Any] = {"file": e.file.relative_to(folder).as_posix(), "error": e.error}
        if e.scenario is not None:
            s = e.scenario
            base = e.base
            rec.update(
                scenario=s.id,
                base=base.relative_to(folder).as_posix() if base and base.is_relative_to(folder) else None,
                fork_after=s.fork_after,
                drop=list(s.drop),
                own_moves=[m.id for m in s.own_moves],
            )
            try:
                o = outcome(s.replay().final)
                rec["outcome"] = {"verdict": o.verdict, "summary": o.summary(), "agreed": list(o.agreed)}
            except NegotiationError as err:
                rec["error"] = str(err)
        out.append(rec)
    return out


# -- check ----------------------------------------------------------------------------------


@attrs.frozen
class CheckReport:
    """The findings for one scenario file, or why it could not be read."""

    file: str
    findings: tuple[Finding, ...] = ()
    unreadable: str | None = None

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    def counts(self) -> dict[str, int]:
        return {str(s): sum(f.severity is s for f in self.findings) for s in Severity}

    def text(self, shown: Sequence[Severity] = tuple(Severity)) -> str:
        """The findings grouped by severity, one line each, under a line of counts."""
        if self.unreadable is not None:
            return f"{self.file}: cannot be read: {self.unreadable}\n"
        counts = self.counts()
        head = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
        lines = [f"{self.file}: {head}"]
        for severity in shown:
            for f in self.findings:
                if f.severity is severity:
                    where = f"move {f.move}" if f.move else "-"
                    said = f.message + (f" (acknowledged: {f.acknowledged})" if f.acknowledged else "")
                    lines.append(f"  {severity:<7}  {f.code:<22}  {where:<32}  {said}")
        return "\n".join(lines) + "\n"

    def document(self, shown: Sequence[Severity] = tuple(Severity)) -> dict[str, Any]:
        """The report as JSON-ready data."""
        if self.unreadable is not None:
            return {"file": self.file, "error": self.unreadable}
        return {
            "file": self.file,
            "counts": self.counts(),
            "findings": [
                {
                    "severity": str(f.severity),
                    "code": f.code,
                    "message": f.message,
                    "move": f.move,
                    "terms": list(f.terms),
                    "parties": list(f.parties),
                    "acknowledged": f.acknowledged,
                }
                for f in self.findings
                if f.severity in shown
            ],
        }


def check_file(path: str) -> CheckReport:
    """Load, replay and check one scenario file; a replay that breaks a rule is an error finding."""
    try:
        scenario = load_scenario(path)
    except ScenarioError as e:
        return CheckReport(path, unreadable=str(e))
    try:
        findings = check_timeline(scenario.replay())
    except ScenarioError as e:
        return CheckReport(path, (Finding(Severity.ERROR, "illegal-move", str(e), move=e.move_id),))
    order = list(Severity)
    found = acknowledge(findings, scenario.acknowledged, must_match=scenario.own_acknowledged)
    return CheckReport(path, tuple(sorted(found, key=lambda f: order.index(f.severity))))
