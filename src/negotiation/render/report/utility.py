"""The report's preferences section: each side's utility along the record, and the outcome space.

Drawn as inline SVG on the server, one chart per preference set: a line per party (its
utility after each move, its reservation value dashed), and where an exploration was
weighed, the agreements it reached with the Pareto frontier, Nash, Kalai-Smorodinsky, the
point of no agreement and the outcome placed among them.
"""

from __future__ import annotations

from collections.abc import Sequence

from negotiation.engine import Timeline
from negotiation.preferences import PreferenceSet, utilities_along
from negotiation.render.palette import party_colour
from negotiation.render.report.markup import esc
from negotiation.render.solutions import Judged

__all__ = ["preferences_section"]

_W, _H, _PAD = 720, 180, 36


def _scale(lo: float, hi: float, out_lo: float, out_hi: float) -> tuple[float, float]:
    """The map a*x+b taking [lo, hi] onto [out_lo, out_hi] (a flat range is centred)."""
    if hi - lo < 1e-12:
        return 0.0, (out_lo + out_hi) / 2
    a = (out_hi - out_lo) / (hi - lo)
    return a, out_lo - a * lo


def _lines(preferences: PreferenceSet, timeline: Timeline) -> str:
    points = utilities_along(preferences, timeline)
    if not points:
        return '<p class="empty">No move.</p>'
    values = [u for _, us in points for u in us] + list(preferences.reservations)
    lo, hi = min(values), max(values)
    ay, by = _scale(lo, hi, _H - _PAD, 12)
    step = (_W - 2 * _PAD) / len(points)
    parts = [f'<svg class="utility" viewBox="0 0 {_W} {_H}" role="img" aria-label="utility after each move">']
    for k, party in enumerate(preferences.parties):
        colour = party_colour(k)
        y_r = ay * preferences.reservations[k] + by
        parts.append(
            f'<line x1="{_PAD}" x2="{_W - _PAD}" y1="{y_r:.1f}" y2="{y_r:.1f}" stroke="{colour}" '
            f'stroke-dasharray="4 3" stroke-width="1"><title>{esc(party)}: no agreement, '
            f"{preferences.reservations[k]:.3f}</title></line>"
        )
        path = []
        for i, (_, us) in enumerate(points):
            y = ay * us[k] + by
            path.append(f"{_PAD + i * step:.1f},{y:.1f} {_PAD + (i + 1) * step:.1f},{y:.1f}")
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(path)}">'
            f"<title>{esc(party)}</title></polyline>"
        )
        parts.append(
            f'<text x="{_W - _PAD + 4}" y="{ay * points[-1][1][k] + by + 4:.1f}" font-size="11" '
            f'fill="{colour}">{esc(party)}</text>'
        )
    for label, value in ((f"{hi:.2f}", hi), (f"{lo:.2f}", lo)):
        parts.append(f'<text x="2" y="{ay * value + by + 4:.1f}" font-size="10">{label}</text>')
    parts.append(
        f'<text x="{_PAD}" y="{_H - 8}" font-size="10">{esc(points[0][0])}</text>'
        f'<text x="{_W - _PAD}" y="{_H - 8}" font-size="10" text-anchor="end">{esc(points[-1][0])}</text>'
    )
    for i, (move, us) in enumerate(points):  # a column per move, for the values on hover
        values_text = ", ".join(f"{p} {u:.3f}" for p, u in zip(preferences.parties, us, strict=True))
        parts.append(
            f'<rect x="{_PAD + i * step:.1f}" y="0" width="{step:.1f}" height="{_H - _PAD}" '
            f'fill="transparent"><title>after {esc(move)}: {esc(values_text)}</title></rect>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _space(judged: Judged, outcome: str | None) -> str:
    preferences, s, placement = judged
    side = 300
    xs = [p.utilities[0] for p in s.points] + [s.reservations[0]]
    ys = [p.utilities[1] for p in s.points] + [s.reservations[1]]
    if placement is not None:
        xs.append(placement.utilities[0])
        ys.append(placement.utilities[1])
    ax, bx = _scale(min(xs), max(xs), _PAD, side - 12)
    ay, by = _scale(min(ys), max(ys), side - _PAD, 12)

    def at(u: Sequence[float]) -> tuple[float, float]:
        return ax * u[0] + bx, ay * u[1] + by

    parts = [
        f'<figure class="outcome-space">'
        f'<svg class="outcome-space" viewBox="0 0 {side} {side}" role="img" '
        f'aria-label="outcome space of {esc(preferences.name)}">'
    ]
    front = sorted({p.utilities[:2] for p in s.frontier})
    if len(front) > 1:
        joined = " ".join(f"{x:.1f},{y:.1f}" for x, y in map(at, front))
        parts.append(f'<polyline class="frontier" fill="none" stroke="#4c72b0" points="{joined}"/>')
    for p in s.points:
        x, y = at(p.utilities)
        fill = "none" if p.divergent else "#4c72b0"
        kind = "divergent agreement" if p.divergent else "agreement"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{fill}" stroke="#4c72b0">'
            f"<title>{kind}: {esc(', '.join(p.terms))}</title></circle>"
        )
    x, y = at(s.reservations)
    parts.append(
        f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="14">×'
        "<title>no agreement</title></text>"
    )
    marks = [("Nash", s.nash, "#dd8452"), ("Kalai-Smorodinsky", s.kalai_smorodinsky, "#55a868")]
    for name, point, colour in marks:
        if point is not None:
            x, y = at(point.utilities)
            parts.append(
                f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="none" stroke="{colour}" '
                f'stroke-width="2"><title>{name}</title></rect>'
            )
    if placement is not None and outcome is not None:
        x, y = at(placement.utilities)
        parts.append(
            f'<text x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle" font-size="16" fill="#c44e52">★'
            f"<title>after {esc(outcome)}</title></text>"
        )
    parts.append(
        f'<text x="{side / 2}" y="{side - 6}" text-anchor="middle" font-size="11">'
        f"{esc(s.parties[0])} utility</text>"
        f'<text x="10" y="{side / 2}" font-size="11" transform="rotate(-90 10 {side / 2})" '
        f'text-anchor="middle">{esc(s.parties[1])} utility</text></svg>'
    )
    if len(s.parties) > 2:
        others = ", ".join(s.parties[2:])
        parts.append(
            f'<figcaption class="hint">The first two parties only; {esc(others)} not shown, so the '
            "frontier drawn is the projection of one in more dimensions.</figcaption>"
        )
    parts.append("</figure>")
    return "".join(parts)


def preferences_section(
    timeline: Timeline,
    sets: Sequence[PreferenceSet],
    judged: Sequence[Judged] = (),
    outcome: str | None = None,
) -> str:
    """The section: a chart of utilities per set, and the outcome space of each weighed set."""
    spaces = {j[0].name: j for j in judged}
    parts = [
        '<section class="preferences-section"><h2>What each side wanted</h2>'
        '<p class="hint">Under each preference set (a reading of the record, not a finding of it): '
        "each party's utility after every move, its reservation value dashed. "
        + ("Beside it, the agreements an exploration reached and the solutions among them." if judged else "")
        + "</p>"
    ]
    for preferences in sets:
        note = f": {esc(preferences.note)}" if preferences.note else ""
        parts.append(
            f'<h3>{esc(preferences.name)}{note}</h3><div class="utility-row">{_lines(preferences, timeline)}'
        )
        if preferences.name in spaces:
            parts.append(_space(spaces[preferences.name], outcome))
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)
