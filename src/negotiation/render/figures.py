"""Static figures for papers: the timeline of term statuses and the term graph, with legends.

Vector first (SVG, PDF), PNG at 300 dpi; sized for a journal page (7 in wide by default, 3.5
for one column). Each cell and node carries its status letter as well as its colour, so a
figure still reads in greyscale and for colour-blind readers. Drawn with matplotlib (the
`figures` extra), loaded only when a figure is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotiation.errors import NegotiationError
from negotiation.render.graphs import term_graph
from negotiation.render.palette import EDGE_COLOURS, STATUS_CODES, STATUS_COLOURS, party_colour, text_colour
from negotiation.render.report.layout import layered_layout
from negotiation.render.report.views import viewed_frames
from negotiation.render.shorten import clipped
from negotiation.state import State
from negotiation.status import term_status
from negotiation.vocabulary import HISTORIAN, Status

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from negotiation.engine import Timeline
    from negotiation.preferences import PreferenceSet
    from negotiation.render.solutions import Judged

__all__ = [
    "FIGURE_FORMATS",
    "graph_figure",
    "outcome_space_figure",
    "save_figure",
    "timeline_figure",
    "utility_figure",
]

FIGURE_FORMATS = (".svg", ".pdf", ".png")
"""The files a figure is written as, by suffix."""

_LETTER = {s: c.upper() for s, c in STATUS_CODES.items()}
_STATUS_OF = {c: s for s, c in STATUS_CODES.items()}
_ROW = 0.17  # inches per term lane
_FONT = 6.5  # points: a journal's figure text


def _matplotlib() -> type[Figure]:
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: never a window
    except ImportError:
        raise NegotiationError("figures need matplotlib: pip install 'negotiation[figures]'") from None
    from matplotlib.figure import Figure

    return Figure


def _title(state: State, term: str, limit: int = 42) -> str:
    title = state.catalogue.by_id[term].title or term
    return clipped(title, limit)


def _legend(fig: Figure, statuses: Sequence[Status], *, extra: Sequence[Any] = ()) -> None:
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=STATUS_COLOURS[s], edgecolor="#555555", linewidth=0.3, label=f"{_LETTER[s]}  {s}")
        for s in statuses
    ]
    fig.legend(
        handles=[*handles, *extra],
        loc="lower center",
        ncol=min(4, max(1, len(handles) + len(extra))),
        fontsize=_FONT,
        frameon=False,
        handlelength=1.2,
        columnspacing=1.2,
    )


def timeline_figure(
    timeline: Timeline, *, width: float = 7.0, title: str = "", viewer: str = HISTORIAN
) -> Figure:
    """A lane per raised term (by title), a column per move, each cell the term's status after it.

    A lane is drawn as its runs of equal status (as the report draws it), so a long history
    costs rectangles per change of status, not per move and term.
    """
    from matplotlib.patches import Rectangle

    figure_class = _matplotlib()
    if not len(timeline):
        raise NegotiationError("no move to draw: the timeline is empty")
    catalogue = timeline.initial.catalogue
    view = viewed_frames(timeline, viewer, list(catalogue.by_id), 0)
    lanes = {t: p for t, p in view.points.items() if any(code not in "ux" for _, code in p)}
    if not lanes:
        raise NegotiationError("no term to draw: none is raised in this view")
    final = view.final if view.final is not None else timeline.initial
    terms = list(lanes)
    n = len(timeline)
    seen = [s for s in Status if any(_STATUS_OF[code.lower()] is s for p in lanes.values() for _, code in p)]
    label_in = min(2.6, 0.055 * max(len(_title(final, t)) for t in terms) + 0.1)
    legend_rows = -(-len(seen) // 4)
    every = max(1, -(-n // 40))
    ids = [clipped(timeline.move_at(i).id, 30) for i in range(0, n, every)]
    ticks_in = 0.04 * max(len(i) for i in ids) + 0.1  # the move ids, written upwards under the lanes
    bottom_in = ticks_in + 0.12 + 0.15 * legend_rows
    top_in = 0.4 if title else 0.1
    height = top_in + _ROW * len(terms) + bottom_in
    fig = figure_class(figsize=(width, height), layout=None)
    left = label_in / width
    ax = fig.add_axes((left, bottom_in / height, 1 - left - 0.01, (_ROW * len(terms)) / height))
    cell_w = (width - label_in) / n
    for row, term in enumerate(terms):
        y = len(terms) - 1 - row
        points = lanes[term]
        for k, (start, code) in enumerate(points):
            end = points[k + 1][0] if k + 1 < len(points) else n
            status = _STATUS_OF[code.lower()]
            colour = STATUS_COLOURS[status]
            hatch = "////" if code.isupper() and status is not Status.DIVERGENT else None
            ax.add_patch(
                Rectangle((start, y), end - start, 1, facecolor=colour, edgecolor="white", linewidth=0.4,
                          hatch=hatch)
            )  # fmt: skip
            if status is not Status.UNRAISED and (end - start) * cell_w >= 0.09:
                ax.text(
                    start + min(end - start, 1) / 2, y + 0.5, _LETTER[status], ha="center", va="center",
                    fontsize=_FONT - 1.5, color=text_colour(colour),
                )  # fmt: skip
    ax.set_xlim(0, n)
    ax.set_ylim(0, len(terms))
    ax.set_yticks([len(terms) - 1 - i + 0.5 for i in range(len(terms))], [_title(final, t) for t in terms])
    ax.set_xticks([i + 0.5 for i in range(0, n, every)], ids, rotation=90)
    ax.tick_params(labelsize=_FONT - 1, length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    if title:
        fig.suptitle(title, fontsize=_FONT + 1.5, y=1 - 0.06 / height, va="top")
    hatched = any(code.isupper() and code != "D" for p in lanes.values() for _, code in p)
    _legend(fig, seen, extra=[_divergent_patch()] if hatched else [])
    return fig


def _divergent_patch() -> Any:
    from matplotlib.patches import Patch

    return Patch(
        facecolor="white", edgecolor="#555555", hatch="////", linewidth=0.3, label="hatched: divergent too"
    )


def graph_figure(state: State, *, width: float = 7.0, title: str = "") -> Figure:
    """The terms in layers (prerequisites left), coloured and lettered by status; relations as arrows."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    figure_class = _matplotlib()
    g = term_graph(state)
    linked = {n for u, v in g.edges() for n in (u, v)}
    raised = [t for t in g.nodes if t in state.terms or t in linked]
    if not raised:
        raise NegotiationError("no term to draw: none is raised or related")
    g = g.subgraph(raised).copy()
    place = layered_layout(g)
    columns, rows = max(c for c, _ in place.values()) + 1, max(r for _, r in place.values()) + 1
    box_w, gap = 1.0, 0.45
    height = max(1.6, 0.32 * rows + 0.9)
    fig = figure_class(figsize=(width, height))
    ax = fig.add_axes((0.01, 0.22, 0.98, 0.72 if not title else 0.66))
    ax.set_xlim(-0.05, columns * (box_w + gap))
    ax.set_ylim(-rows - 0.1, 0.9)
    ax.axis("off")
    chars = max(10, int(width / columns * 14))
    centre: dict[str, tuple[float, float]] = {}
    statuses = []
    for term, (col, row) in place.items():
        status = term_status(state, term)
        statuses.append(status)
        x, y = col * (box_w + gap), -row
        centre[term] = (x + box_w / 2, y)
        colour = STATUS_COLOURS[status]
        ax.add_patch(
            FancyBboxPatch(
                (x, y - 0.3), box_w, 0.6, boxstyle="round,pad=0.02,rounding_size=0.08",
                facecolor=colour, edgecolor="#444444", linewidth=0.4,
            )
        )  # fmt: skip
        ax.text(
            x + box_w / 2, y, f"{_LETTER[status]}  {_title(state, term, chars)}", ha="center", va="center",
            fontsize=_FONT - 1, color=text_colour(colour),
        )  # fmt: skip
    principals = list(state.catalogue.principals)
    kinds: dict[str, str] = {}  # legend label -> colour, in the order first drawn
    for u, v, data in g.edges(data=True):
        if u == v or u not in centre or v not in centre:
            continue
        kind, party = str(data.get("kind", "")), data.get("party")
        if kind in EDGE_COLOURS:
            label, colour = kind, EDGE_COLOURS[kind]
        else:  # a condition a party set: its colour
            who = principals.index(party) if party in principals else len(principals)
            label, colour = f"{kind} ({party})" if party else kind, party_colour(who)
        kinds.setdefault(label, colour)
        (x1, y1), (x2, y2) = centre[u], centre[v]
        half = box_w / 2
        if x1 > x2:  # leave a box by its side and enter the other's, so arrows run between columns
            start, end, bend = (x1 - half, y1), (x2 + half, y2), 0.1
        elif x1 < x2:
            start, end, bend = (x1 + half, y1), (x2 - half, y2), 0.1
        else:  # within a column (a quid pro quo): round the boxes' right side
            start, end, bend = (x1 + half, y1), (x2 + half, y2), -0.5 if y1 > y2 else 0.5
        ax.add_patch(
            FancyArrowPatch(
                start, end, arrowstyle="-|>", mutation_scale=5, shrinkA=1, shrinkB=1,
                connectionstyle=f"arc3,rad={bend}", color=colour, linewidth=0.6,
            )
        )  # fmt: skip
    if title:
        fig.suptitle(title, fontsize=_FONT + 1.5)
    edges = [Line2D([], [], color=colour, linewidth=0.8, label=label) for label, colour in kinds.items()]
    _legend(fig, [s for s in Status if s in statuses], extra=edges)
    return fig


def utility_figure(
    timeline: Timeline, preferences: PreferenceSet, *, width: float = 7.0, title: str = ""
) -> Figure:
    """A line per party: its utility after each move, with its reservation value dashed beside it."""
    from negotiation.preferences import utilities_along

    figure_class = _matplotlib()
    points = utilities_along(preferences, timeline)
    if not points:
        raise NegotiationError("no move to draw: the timeline is empty")
    n = len(points)
    every = max(1, -(-n // 40))
    ids = [clipped(points[i][0], 30) for i in range(0, n, every)]
    ticks_in = 0.04 * max(len(i) for i in ids) + 0.1
    height = (0.4 if title else 0.15) + 1.8 + ticks_in + 0.35
    fig = figure_class(figsize=(width, height), layout=None)
    ax = fig.add_axes((0.55 / width, (ticks_in + 0.35) / height, 1 - 0.65 / width, 1.8 / height))
    xs = [i + 0.5 for i in range(n)]
    for k, party in enumerate(preferences.parties):
        colour = party_colour(k)
        ax.step(xs, [u[k] for _, u in points], where="mid", color=colour, linewidth=1.2, label=party)
        ax.axhline(preferences.reservations[k], color=colour, linewidth=0.7, linestyle="--")
    ax.set_xlim(0, n)
    ax.set_xticks([i + 0.5 for i in range(0, n, every)], ids, rotation=90)
    ax.set_ylabel("utility", fontsize=_FONT)
    ax.tick_params(labelsize=_FONT - 1, length=2)
    ax.legend(fontsize=_FONT - 0.5, frameon=False, loc="upper left", ncols=len(preferences.parties))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    caption = f"{preferences.name}: {preferences.note}" if preferences.note else preferences.name
    fig.suptitle(title or caption, fontsize=_FONT + 1, y=1 - 0.04 / height, va="top")
    fig.text(0.01, 0.01, "dashed: each party's reservation value (no agreement)", fontsize=_FONT - 1.5)
    return fig


def outcome_space_figure(judged: Sequence[Judged], *, outcome: str | None, width: float = 7.0) -> Figure:
    """The outcome space of the first two parties, a panel per preference set (more are projected).

    Every agreement reached is a dot (hollow where divergent), the Pareto frontier a line, the
    disagreement point a cross, Nash and Kalai-Smorodinsky marked, and the given outcome a star.
    """
    figure_class = _matplotlib()
    if not judged:
        raise NegotiationError("no preference set to draw")
    panels = len(judged)
    side = min(3.2, (width - 0.3) / panels)
    fig = figure_class(figsize=(width, side + 1.2), layout=None)
    for k, (preferences, s, placement) in enumerate(judged):
        ax = fig.add_axes(
            (
                (0.45 + k * side) / width,
                0.85 / (side + 1.2),
                (side - 0.6) / width,
                (side - 0.35) / (side + 1.2),
            )
        )
        consistent = [p.utilities for p in s.points if not p.divergent]
        divergent = [p.utilities for p in s.points if p.divergent]
        ax.scatter([u[0] for u in consistent], [u[1] for u in consistent], s=12, color="#4c72b0",
                   label="agreement reached")  # fmt: skip
        ax.scatter([u[0] for u in divergent], [u[1] for u in divergent], s=12, facecolors="none",
                   edgecolors="#4c72b0", label="divergent agreement")  # fmt: skip
        front = sorted({p.utilities[:2] for p in s.frontier})
        if front:
            ax.plot(
                [u[0] for u in front],
                [u[1] for u in front],
                color="#4c72b0",
                linewidth=0.8,
                label="Pareto frontier",
            )
        ax.scatter(
            [s.reservations[0]], [s.reservations[1]], marker="x", color="black", s=18, label="no agreement"
        )
        if s.nash is not None:
            ax.scatter([s.nash.utilities[0]], [s.nash.utilities[1]], marker="s", s=34, facecolors="none",
                       edgecolors="#dd8452", linewidths=1.2, label="Nash")  # fmt: skip
        if s.kalai_smorodinsky is not None:
            ks = s.kalai_smorodinsky.utilities
            ax.scatter([ks[0]], [ks[1]], marker="D", s=22, facecolors="none", edgecolors="#55a868",
                       linewidths=1.2, label="Kalai-Smorodinsky")  # fmt: skip
        if placement is not None and outcome is not None:
            ax.scatter([placement.utilities[0]], [placement.utilities[1]], marker="*", s=60, color="#c44e52",
                       label=f"after {clipped(outcome, 28)}")  # fmt: skip
        ax.set_xlabel(f"{s.parties[0]} utility", fontsize=_FONT)
        ax.set_ylabel(f"{s.parties[1]} utility", fontsize=_FONT)
        shown = "" if len(s.parties) == 2 else f" ({', '.join(s.parties[2:])} not shown)"
        ax.set_title(clipped(preferences.name, 48) + shown, fontsize=_FONT + 0.5)
        ax.tick_params(labelsize=_FONT - 1, length=2)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        if k == 0:
            fig.legend(*ax.get_legend_handles_labels(), fontsize=_FONT - 1, frameon=False, loc="lower center",
                       ncols=4, bbox_to_anchor=(0.5, 0.0))  # fmt: skip
    return fig


def save_figure(fig: Figure, path: Path) -> None:
    """Write the figure in the format its suffix names (see `FIGURE_FORMATS`)."""
    if path.suffix.lower() not in FIGURE_FORMATS:
        raise NegotiationError(
            f"{path}: a figure is written as {', '.join(FIGURE_FORMATS)}; give one of them as the suffix"
        )
    try:
        fig.savefig(path, dpi=300, metadata={"Creator": "negotiation"} if path.suffix != ".png" else None)
    except OSError as e:
        raise NegotiationError(f"{path}: cannot write: {e.strerror or e}") from None
