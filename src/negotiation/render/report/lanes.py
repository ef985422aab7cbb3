"""The timeline: one lane per term and one column per move, coloured by status, for every view."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from negotiation.catalogue import Catalogue
from negotiation.engine import Timeline
from negotiation.model import Move, When
from negotiation.render.palette import CHANNEL_COLOURS, STATUS_CODES, STATUS_MEANINGS
from negotiation.render.report.markup import MONTHS, esc
from negotiation.render.report.views import View, speakers, viewed_frames
from negotiation.render.shorten import clipped
from negotiation.vocabulary import HISTORIAN, PUBLIC

__all__ = ["Block", "block", "lanes_table", "legend", "raised"]


def _day(when: When | None) -> str:
    if when is None:
        return ""
    return f"{when.day.day} {MONTHS[when.day.month - 1]}"


def _move_title(move: Move) -> str:
    to = ", ".join(move.addressees) or "all"
    when = str(move.sent) if move.sent else "date unknown"
    title = f": {move.title}" if move.title else ""
    return f"{move.id} · {when} · {move.author} → {to} · {move.channel}{title}"


def _head_cells(block: str, moves: Sequence[Move], offset: int, *, wide: bool) -> str:
    """A column head per move: its date and author (wide: time of day and addressees too)."""
    cells = []
    for i, move in enumerate(moves):
        day = _day(move.sent) or f"#{offset + i + 1}"
        if wide:
            at = move.sent.at if move.sent is not None else None
            when = f"{day} {at:%H:%M}" if at is not None else day
            who = f"{move.author} → {', '.join(move.addressees) or 'all'}"
            label = f'<span class="v">{esc(when)}</span><span class="v">{esc(who)}</span>'
            if move.title:  # the document's name, as the record calls it
                label += f'<span class="v d">{esc(clipped(move.title, 26))}</span>'
        else:
            label = f'<span class="v">{esc(day)} {esc(move.author)}</span>'
        cells.append(
            f'<th class="m c-{move.channel}" data-b="{block}" data-i="{i}" title="{esc(_move_title(move))}">'
            f"{label}</th>"
        )
    return "".join(cells)


def _segments(points: Sequence[tuple[int, str]], touched: Sequence[int], n: int) -> str:
    """A lane's cells: one per run of equal status, and one for each move that touched the term."""
    cuts = sorted({p for p, _ in points} | set(touched) | {t + 1 for t in touched if t + 1 < n})
    code_at = dict(points)
    marked = set(touched)
    out = []
    code = "u"
    for i, first in enumerate(cuts):
        code = code_at.get(first, code)
        span = (cuts[i + 1] if i + 1 < len(cuts) else n) - first
        cls = f"s-{code}" + (" t" if first in marked else "")
        out.append(f'<td class="{cls}"' + (f" colspan={span}" if span > 1 else "") + "></td>")
    return "".join(out)


def _known_cells(view: View) -> str:
    marks = ["k" if known else "q" for known in view.known]
    out = []
    i = 0
    while i < len(marks):
        j = i + 1
        while j < len(marks) and marks[j] == marks[i]:
            j += 1
        span = f" colspan={j - i}" if j - i > 1 else ""
        out.append(f'<td class="{marks[i]}"{span}></td>')
        i = j
    return "".join(out)


def _lane_label(term: str, catalogue: Catalogue, badge: str = "") -> str:
    """The lane's head: the term's title (its id and obligors on hover)."""
    t = catalogue.by_id.get(term)
    if t is None:
        return f'<th scope="row" title="{esc(term)}">{badge}{esc(term)}</th>'
    shown = clipped(t.title or term, 44)
    hover = f"{term}: {t.title or t.text} — obliges {', '.join(t.obligors)}"
    return f'<th scope="row" title="{esc(hover)}">{badge}{esc(shown)}</th>'


@attrs.frozen
class Block:
    """A run of moves of one timeline shown as columns, with every viewer's lanes."""

    key: str
    label: str
    timeline: Timeline
    start: int
    views: dict[str, View]
    moves: tuple[Move, ...]

    @property
    def parties(self) -> tuple[str, ...]:
        """The parties whose changes the block's data carries (see `views.speakers`)."""
        return speakers(self.timeline)


def block(
    key: str,
    label: str,
    timeline: Timeline,
    shown: Sequence[str],
    terms: Sequence[str],
    start: int,
    *,
    memo: bool = False,
) -> Block:
    """The block of the timeline's moves from `start` on, with the frames of every view shown.

    `memo` keeps each view's memo rows move by move, for the memo at any move.
    """
    own = {HISTORIAN, PUBLIC, *timeline.initial.catalogue.party_ids}
    views = {v: viewed_frames(timeline, v, terms, start, memo=memo) for v in shown if v in own}
    return Block(key, label, timeline, start, views, timeline.moves[start:])


def raised(blocks: Iterable[Block], terms: Sequence[str]) -> list[str]:
    """The terms some view of some block shows raised: those that get a lane."""
    return [
        t
        for t in terms
        if any(code not in "ux" for b in blocks for v in b.views.values() for _, code in v.points[t])
    ]


def lanes_table(
    table: str,
    blocks: Sequence[Block],
    terms: Sequence[str],
    shown: Sequence[str],
    active: str,
    marked: frozenset[str] = frozenset(),
) -> str:
    """The lanes of the blocks side by side, one table body per view (the active one shown)."""
    widest = max(len(b.moves) for b in blocks)
    width = 44 if widest <= 30 else 34 if widest <= 40 else 22 if widest <= 120 else 12
    catalogue = blocks[0].timeline.initial.catalogue
    head = ['<th class="corner" scope="col">term</th>']
    for k, b in enumerate(blocks):
        if k:
            head.append('<th class="gap"></th>')
        head.append(_head_cells(b.key, b.moves, b.start, wide=width >= 44))
    top = ""
    if len(blocks) > 1:
        labels = ['<th class="corner"></th>']
        for k, b in enumerate(blocks):
            if k:
                labels.append('<th class="gap"></th>')
            labels.append(f'<th class="blk" colspan="{len(b.moves)}">{esc(b.label)}</th>')
        top = f"<tr>{''.join(labels)}</tr>"
    bodies = []
    for viewer in shown:
        rows = []
        if viewer != HISTORIAN:
            cells = []
            for k, b in enumerate(blocks):
                if k:
                    cells.append('<td class="gap"></td>')
                view = b.views.get(viewer)
                cells.append(_known_cells(view) if view else f'<td class="s-x" colspan={len(b.moves)}></td>')
            rows.append(
                f'<tr class="known"><th scope="row">received by {esc(viewer)}</th>{"".join(cells)}</tr>'
            )
        for i, term in enumerate(terms):
            cells = []
            for k, b in enumerate(blocks):
                if k:
                    cells.append('<td class="gap"></td>')
                view = b.views.get(viewer)
                if view is None:
                    cells.append(f'<td class="s-x" colspan={len(b.moves)}></td>')
                else:
                    cells.append(_segments(view.points[term], view.touched[term], len(b.moves)))
            badge = '<span class="ne" title="differs at the end">≠</span>' if term in marked else ""
            label = _lane_label(term, catalogue, badge)
            rows.append(f'<tr data-t="{i}" data-term="{esc(term)}">{label}{"".join(cells)}</tr>')
        hidden = "" if viewer == active else " hidden"
        bodies.append(f'<tbody data-view="{esc(viewer)}"{hidden}>{"".join(rows)}</tbody>')
    return (
        f'<div class="scroll"><table class="lanes" data-table="{table}" style="--w:{width}px">'
        f"<thead>{top}<tr>{''.join(head)}</tr></thead>{''.join(bodies)}</table></div>"
    )


def legend() -> str:
    """The key to the lanes' colours: a swatch per status, the divergent stripe, channels."""
    items = [
        f'<li title="{esc(m)}"><span class="sw s-{STATUS_CODES[s]}"></span><b>{s}</b></li>'
        for s, m in STATUS_MEANINGS.items()
    ]
    items.append(
        '<li title="the parties stand behind it in different formulations: agreed in name, not in wording">'
        '<span class="sw s-B"></span><b>striped: divergent too</b></li>'
    )
    items.append('<li title="the move acted on the term"><span class="sw dot"></span><b>touched</b></li>')
    channels = "".join(
        f'<li><span class="sw chan" style="background:{c}"></span><b>{ch}</b></li>'
        for ch, c in CHANNEL_COLOURS.items()
    )
    return (
        f'<div class="legend"><ul class="statuses">{"".join(items)}</ul>'
        f'<ul class="channels"><li class="lh">channel:</li>{channels}</ul></div>'
    )
