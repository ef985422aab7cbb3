"""Plain text of replays, comparisons of two histories, folders of branches and check reports.

For reading in a terminal or a file: what each move changed, then the memo side by side.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path

from negotiation.analysis import TermView, TimelineDiff, memo, outcome
from negotiation.engine import Timeline
from negotiation.errors import NegotiationError
from negotiation.findings import Severity
from negotiation.io.check import CheckReport
from negotiation.io.folder import TreeEntry
from negotiation.io.scenario import Scenario
from negotiation.model import Move
from negotiation.render.frames import Frame, StatusChanges, iter_frames, viewed_as
from negotiation.render.shorten import clipped
from negotiation.state import Position, State
from negotiation.vocabulary import HISTORIAN, NAMED_STANCE, Modality, Status

__all__ = [
    "change_parts",
    "check_text",
    "diff_text",
    "move_heading",
    "replay_chunks",
    "replay_text",
    "tree_text",
]


def _short(text: str | None, n: int) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return clipped(text, n)


def move_heading(move: Move) -> str:
    """One line naming the move, its date, author, addressees, channel and title."""
    to = ", ".join(move.addressees) or "all"
    when = str(move.sent) if move.sent else "date unknown"
    title = f"  {move.title}" if move.title else ""
    return f"{move.id}  [{when}, {move.author} → {to}, {move.channel}]{title}"


_NAMED_STANCE: dict[str, str] = {str(v): str(s) for v, s in NAMED_STANCE.items()}


def change_parts(before: Position, after: Position, cause: str) -> tuple[str, str | None]:
    """What a position change did ("proposed → accepted (fulfil)") and the new wording, if any."""
    old, new = before.stance or "—", after.stance or "—"
    what = f"{old} → {new}" if old != new else f"{new}, reworded"
    if after.tacit - before.tacit:
        what = f"{new}, let {', '.join(sorted(after.tacit - before.tacit))}'s wording stand"
    if cause and _NAMED_STANCE.get(cause) != new:
        what += f" ({cause})"
    form = after.formulation
    said = _short(form.text, 56) if form is not None and form != before.formulation else None
    return what, said


def _change_line(term: str, party: str, before: Position, after: Position, cause: str) -> str:
    what, said = change_parts(before, after, cause)
    quoted = f'  "{said}"' if said is not None else ""
    return f"    {term:<34} {party:<6} {what}{quoted}"


def _frame_lines(f: Frame, statuses: StatusChanges, viewer: str) -> list[str]:
    """One move's part of the replay: its heading, what it changed, and what it broke."""
    lines = ["", move_heading(f.move)]
    lines += [
        _change_line(term, party, before, after, cause) for term, party, before, after, cause in f.changes
    ]
    for term, old, new in statuses.step(f):
        lines.append(f"    {term:<34} status {old} → {new}")
    lines += [
        f"    ! irregular acts[{n.act_index}]: {n.problem} [rule {n.rule}] — {n.reason}" for n in f.notes
    ]
    if not f.known:
        lines.append(f"    (not yet known to {viewer})")
    elif not f.changes:
        lines.append("    (no position changed)")
    return lines


_MEMO_TEXT = 800
"""Characters of a formulation the memo shows; a longer text is cut with the count of the rest."""


def _shown(text: str, limit: int = _MEMO_TEXT) -> str:
    """The text with its runs of blanks made one space, cut at `limit` characters with its length.

    A term's text can be a whole treaty; wrapping megabytes of it into a memo cell would take
    seconds and bury the memo, so only its head is shown, and the cut says how long it is.
    """
    head = " ".join(text[: 2 * limit].split())
    if len(head) <= limit and len(text) <= 2 * limit:
        return head
    return f"{head[:limit]}… ({len(text):,} characters in all)"


def _cell(pos: Position, width: int) -> list[str]:
    if pos.stance is None:
        return ["—"]
    said = (
        ""
        if pos.modality is Modality.COMMITMENT
        else f" ({pos.modality}{'' if pos.counts else ': not counted'})"
    )
    lines = [str(pos.stance) + said + (f" (let {', '.join(sorted(pos.tacit))} stand)" if pos.tacit else "")]
    f = pos.formulation
    if f is not None:
        lines += textwrap.wrap(f'"{_shown(f.text)}"', width)
        for name, value in f.qualifiers().items():
            lines += textwrap.wrap(f"{name}: {value}", width, subsequent_indent="  ")
        if f.move:
            lines.append(f"[{f.move}]")
    return lines


def _memo_text(state: State, heading: str, width: int) -> list[str]:
    lines = ["", heading, "=" * len(heading)]
    for view in memo(state):
        # The principals, then the parties whose consent it needs once they have spoken; a silent
        # one gets a line rather than an empty column.
        principals = state.catalogue.principals
        parties = [p for p, pos in view.positions.items() if p in principals or pos.stance is not None]
        silent = [p for p in view.positions if p not in parties]
        col = max(24, (width - 2 - 3 * (len(parties) - 1)) // max(1, len(parties)))
        term = state.catalogue.by_id[view.term]
        flag = ", divergent" if view.divergent and view.status.value != "divergent" else ""
        lines += ["", f"{view.term}  [{view.status}{flag}]  obliges {', '.join(term.obligors)}"]
        lines.append(("  " + " | ".join(f"{p:<{col}}" for p in parties)).rstrip())
        cells = [_cell(view.positions[p], col) for p in parties]
        for row in range(max(len(c) for c in cells)):
            parts = [(c[row] if row < len(c) else "") for c in cells]
            lines.append(("  " + " | ".join(f"{x:<{col}}" for x in parts)).rstrip())
        if silent:
            lines.append(f"  consent needed, not given: {', '.join(silent)}")
        for party, pos in view.others.items():
            said = " ".join(_cell(pos, width)[:2])
            lines.append(f"  also {party} (not counted): {said}")
    unraised = [t for t in state.catalogue.by_id if not state.terms.get(t)]
    if unraised:
        lines += ["", "not raised: " + ", ".join(unraised)]
    return lines


def replay_text(
    scenario: Scenario,
    timeline: Timeline,
    *,
    viewer: str = HISTORIAN,
    at: str | None = None,
    width: int = 100,
) -> str:
    """The replay for reading: what each move changed, then the memo side-by-side at the end."""
    return "".join(replay_chunks(scenario, timeline, viewer=viewer, at=at, width=width))


def replay_chunks(
    scenario: Scenario,
    timeline: Timeline,
    *,
    viewer: str = HISTORIAN,
    at: str | None = None,
    width: int = 100,
) -> Iterator[str]:
    """`replay_text` in pieces of about a move each, made as they are written: a long replay streams."""
    fs = iter_frames(timeline, viewer=viewer, at=at)  # an unknown move or viewer raises before any text
    who = viewed_as(viewer)
    yield f"{scenario.title or scenario.id} — {who}\n\n"
    yield "Moves and what they changed\n===========================\n"
    piece, last = "", None  # each move's piece waits for the next, so the last can carry the memo
    statuses = StatusChanges(timeline.initial)
    for f in fs:
        if piece:
            yield piece
        piece = "\n".join(_frame_lines(f, statuses, viewer)) + "\n"
        last = f
    final = last.state if last else timeline.initial
    point = f"after {last.move.id}" if last else "before any move"
    yield piece + "\n".join(_memo_text(final, f"Terms {point}, side by side ({who})", width)) + "\n"


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


def _tree_line(entry: TreeEntry, folder: Path) -> str:
    name = entry.file.relative_to(folder).as_posix()
    if entry.scenario is None:
        return f"{name}  error: {entry.error}"
    s = entry.scenario
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
        lines.append(prefix + branch + _tree_line(entry, folder))
        kids = children.get(entry.file, [])
        inner = prefix if top else prefix + ("    " if last else "│   ")
        for i, kid in enumerate(kids):
            walk(kid, inner, i == len(kids) - 1, False)

    for root in children.get(None, []):
        walk(root, "", True, True)
    return "\n".join(lines) + "\n"


def check_text(report: CheckReport, shown: Sequence[Severity] = tuple(Severity)) -> str:
    """A file's findings grouped by severity, one line each, under a line of counts."""
    if report.unreadable is not None:
        return f"{report.file}: cannot be read: {report.unreadable}\n"
    head = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in report.counts().items())
    lines = [f"{report.file}: {head}"]
    for severity in shown:
        for f in report.findings:
            if f.severity is severity:
                where = f"move {f.move}" if f.move else "-"
                said = f.message + (f" (acknowledged: {f.acknowledged})" if f.acknowledged else "")
                lines.append(f"  {severity:<7}  {f.code:<22}  {where:<32}  {said}")
    return "\n".join(lines) + "\n"
