"""Replays, comparisons and check reports as coloured tables for a terminal, drawn with rich.

The same facts as the plain text of `render`, laid out for reading on a screen; the command
line uses it only when standard output is a terminal and colour is wanted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from negotiation.analysis import TermView, TimelineDiff, memo, outcome
from negotiation.engine import Timeline
from negotiation.findings import Severity
from negotiation.io.check import CheckReport
from negotiation.io.scenario import Scenario
from negotiation.model import Formulation
from negotiation.render.frames import Frame, StatusChanges, frames, viewed_as
from negotiation.render.palette import CHANNEL_COLOURS, STANCE_STATUS, STATUS_COLOURS, text_colour
from negotiation.render.text import change_parts
from negotiation.state import Position, State
from negotiation.status import term_status
from negotiation.vocabulary import HISTORIAN, Channel, Modality, Stance, Status

__all__ = ["check_renderables", "diff_renderables", "print_renderables", "replay_renderables"]

_SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def _badge(status: Status, label: str = "") -> Text:
    colour = STATUS_COLOURS[status]
    return Text(f" {label or status} ", style=Style(color=text_colour(colour), bgcolor=colour))


def _stance(stance: Stance | None) -> Text:
    if stance is None:
        return Text("—", style="dim")
    return _badge(STANCE_STATUS[stance], str(stance))


def _channel(channel: Channel) -> Text:
    return Text(str(channel), style=Style(color=CHANNEL_COLOURS[channel], bold=True))


def _heading(f: Frame) -> Text:
    move = f.move
    text = Text(move.id, style="bold")
    text.append(f"  {move.sent or 'date unknown'}  ", style="dim")
    text.append(f"{move.author} → {', '.join(move.addressees) or 'all'}  ")
    text.append_text(_channel(move.channel))
    if move.title:
        text.append(f"  {move.title}", style="italic")
    return text


def _frame(f: Frame, statuses: StatusChanges, viewer: str) -> RenderableType:
    table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
    table.add_column("term", style="cyan", no_wrap=True)
    table.add_column("party", style="bold", no_wrap=True)
    table.add_column("change")
    for term, party, before, after, cause in f.changes:
        what, said = change_parts(before, after, cause)
        old, new = before.stance or "—", after.stance or "—"
        if old != new:  # "proposed → accepted (fulfil)": the new stance drawn as a badge
            cell = Text.assemble(
                (str(old), "dim"), " → ", _stance(after.stance), what[len(f"{old} → {new}") :]
            )
        else:
            cell = Text.assemble(_stance(after.stance), what[len(str(new)) :])
        if said is not None:
            cell.append(f'  "{said}"', style="dim italic")
        table.add_row(term, party, cell)
    for term, old, new in statuses.step(f):
        table.add_row(term, "status", Text.assemble(_badge(old), " → ", _badge(new)))
    parts: list[RenderableType] = [_heading(f)]
    if table.row_count:
        parts.append(table)
    for n in f.notes:
        parts.append(
            Text(
                f"  ! irregular acts[{n.act_index}]: {n.problem} [rule {n.rule}] — {n.reason}", style="yellow"
            )
        )
    if not f.known:
        parts.append(Text(f"  (not yet known to {viewer})", style="dim italic"))
    elif not f.changes:
        parts.append(Text("  (no position changed)", style="dim"))
    return Group(*parts)


def _formulation(f: Formulation, differs: frozenset[str]) -> Text:
    mark = Style(bgcolor="#5c4b00", color="#fff3b0")
    text = Text(" ".join(f.text.split()), style=mark if "text" in differs else "")
    for name, value in f.qualifiers().items():
        text.append("\n")
        text.append(f"{name}: ", style="dim")
        text.append(value, style=mark if name in differs else "")
    if f.move:
        text.append(f"\n[{f.move}]", style="dim")
    return text


def _position(pos: Position, differs: frozenset[str]) -> RenderableType:
    if pos.stance is None:
        return Text("—", style="dim")
    head = Text.assemble(_stance(pos.stance))
    if pos.modality is not Modality.COMMITMENT:
        head.append(f" {pos.modality}: not counted", style="dim italic")
    if pos.tacit:
        head.append(f" let {', '.join(sorted(pos.tacit))} stand", style="dim")
    if pos.formulation is None:
        return head
    return Group(head, _formulation(pos.formulation, differs))


def _memo(state: State, heading: str) -> list[RenderableType]:
    out: list[RenderableType] = [Rule(heading, style="bold")]
    for view in memo(state):
        parties = list(view.positions)  # the principals, then the parties whose consent it needs
        term = state.catalogue.by_id[view.term]
        title = Text.assemble((view.term, "bold cyan"), "  ", _badge(view.status))
        if view.divergent and view.status is not Status.DIVERGENT:
            title.append(" ")
            title.append_text(_badge(Status.DIVERGENT))
        title.append(f"  obliges {', '.join(term.obligors)}", style="dim")
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True)
        for p in parties:
            table.add_column(p, ratio=1)
        differs = view.differing()
        table.add_row(*(_position(view.positions[p], differs) for p in parties))
        out.append(table)
        for party, pos in view.others.items():
            out.append(Text.assemble(f"  also {party} (not counted): ", _stance(pos.stance), style="dim"))
    unraised = [t for t in state.catalogue.by_id if term_status(state, t) is Status.UNRAISED]
    if unraised:
        out.append(Text("not raised: " + ", ".join(unraised), style="dim"))
    return out


def replay_renderables(
    scenario: Scenario, timeline: Timeline, *, viewer: str = HISTORIAN, at: str | None = None
) -> list[RenderableType]:
    """The replay as rich renderables: each move's changes, then the memo side by side."""
    fs = frames(timeline, viewer=viewer, at=at)
    who = viewed_as(viewer)
    out: list[RenderableType] = [
        Text(f"{scenario.title or scenario.id} — {who}", style="bold"),
        Rule("Moves and what they changed", style="bold"),
    ]
    statuses = StatusChanges(timeline.initial)
    for f in fs:
        out.append(_frame(f, statuses, viewer))
        out.append(Text(""))
    final = fs[-1].state if fs else timeline.initial
    point = f"after {fs[-1].move.id}" if fs else "before any move"
    out += _memo(final, f"Terms {point}, side by side ({who})")
    return out


def _view_cell(view: TermView | None) -> Text:
    if view is None:
        return Text("not in this scenario", style="dim")
    text = Text.assemble(_badge(view.status))
    if view.divergent and view.status is not Status.DIVERGENT:
        text.append(" ")
        text.append_text(_badge(Status.DIVERGENT))
    for i, (party, pos) in enumerate(view.positions.items()):
        text.append(f"{'  ' if i else chr(10)}{party} ")
        text.append_text(_stance(pos.stance))
    return text


def diff_renderables(a: Scenario, b: Scenario, d: TimelineDiff) -> list[RenderableType]:
    """The comparison of two histories as rich renderables."""
    files = Table(box=None, show_header=False, pad_edge=False)
    files.add_column(style="bold")
    files.add_column(style="dim")
    files.add_row(a.id, a.path)
    files.add_row(b.id, b.path)
    where = Text()
    where.append("last common move:  ", style="bold")
    where.append(d.common or "(none: they differ from the first move)")
    where.append("\nfirst difference:  ", style="bold")
    if d.first_a is None and d.first_b is None:
        where.append("none, the two histories have the same moves")
    else:
        where.append(f"{d.first_a or '(ends)'} ({a.id})  |  {d.first_b or '(ends)'} ({b.id})")
    point = f"after {d.at}" if d.at else "at the end"
    terms = Table(
        title=f"terms that differ {point}: {len(d.terms)}", title_justify="left", box=box.SIMPLE_HEAD
    )
    terms.add_column("term", style="cyan", no_wrap=True)
    terms.add_column(a.id)
    terms.add_column(b.id)
    for t in d.terms:
        terms.add_row(t.term, _view_cell(t.a), _view_cell(t.b))
    out: list[RenderableType] = [files, Text(""), where, Text(""), terms]
    if d.at is None:
        ends = Table(title="outcome", title_justify="left", box=box.SIMPLE_HEAD, show_header=False)
        ends.add_column(style="bold", no_wrap=True)
        ends.add_column()
        for s in (a, b):
            ends.add_row(s.id, outcome(s.replay().final).summary())
        out.append(ends)
    return out


def check_renderables(reports: Sequence[CheckReport], shown: Sequence[Severity]) -> list[RenderableType]:
    """Check reports as rich renderables: a line of counts per file, then its findings."""
    out: list[RenderableType] = []
    for r in reports:
        if r.unreadable is not None:
            out.append(Text.assemble((r.file, "bold"), ": ", ("cannot be read: ", "bold red"), r.unreadable))
            continue
        head = Text(f"{r.file}: ", style="bold")
        for i, (severity, n) in enumerate(r.counts().items()):
            head.append(", " if i else "")
            head.append(
                f"{n} {severity}{'s' if n != 1 else ''}",
                style=_SEVERITY_STYLES[severity] if n else "dim",
            )
        out.append(head)
        rows = [f for severity in shown for f in r.findings if f.severity is severity]
        if rows:
            table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
            table.add_column("severity", no_wrap=True)
            table.add_column("code", no_wrap=True, style="cyan")
            table.add_column("move", no_wrap=True)
            table.add_column("finding")
            for f in rows:
                said = f.message + (f" (acknowledged: {f.acknowledged})" if f.acknowledged else "")
                table.add_row(
                    Text(str(f.severity), style=_SEVERITY_STYLES[f.severity]), f.code, f.move or "-", said
                )
            out.append(table)
    return out


def print_renderables(
    renderables: Sequence[RenderableType], file: IO[str], *, width: int | None = None
) -> None:
    """Print to the file as a colour terminal, whatever the file is (the caller has decided)."""
    console = Console(
        file=file,
        force_terminal=True,
        no_color=False,
        width=width,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    for r in renderables:
        console.print(r)
