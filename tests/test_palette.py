"""The status colours stay apart for readers with the common colour-vision deficiencies.

Deuteranopia and protanopia are simulated with the matrices of Machado, Oliveira and
Fernandes (2009, severity 1.0) on linear RGB, and colours compared as CIELAB distances
(CIE76 delta E: about 2 is just noticeable, 10 plainly different).
"""

from __future__ import annotations

import itertools
import math

import pytest

from negotiation.render.palette import STATUS_COLOURS
from negotiation.vocabulary import Status

SIMULATIONS = {
    "normal vision": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
}

MUST_DIFFER = [
    (Status.OPEN, Status.CONDITIONAL),
    (Status.OPEN, Status.AGREED),
    (Status.OPEN, Status.DISPUTED),
    (Status.AGREED, Status.CONDITIONAL),
    (Status.AGREED, Status.DIVERGENT),
    (Status.AGREED, Status.DISPUTED),
    (Status.AGREED, Status.REJECTED),
    (Status.AGREED, Status.AWAITING_CONSENT),
    (Status.AGREED, Status.LAPSED),
    (Status.BINDING, Status.DISPUTED),
    (Status.BINDING, Status.REJECTED),
    (Status.FULFILLED, Status.CONTESTED),
]
"""Pairs that mean opposite things for the negotiation: they must differ plainly, not by the letter alone."""


def linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(colour: str, matrix: tuple[tuple[float, float, float], ...]) -> tuple[float, float, float]:
    rgb = [linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    simulated = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix]
    return lab((simulated[0], simulated[1], simulated[2]))


def status_points(vision: str) -> dict[Status, tuple[float, float, float]]:
    """Each status colour as the vision sees it, in CIELAB."""
    return {s: seen(c, SIMULATIONS[vision]) for s, c in STATUS_COLOURS.items()}


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_opposite_statuses_differ_plainly(vision: str) -> None:
    points = status_points(vision)
    close = [
        (a, b, round(math.dist(points[a], points[b]), 1))
        for a, b in MUST_DIFFER
        if math.dist(points[a], points[b]) < 10
    ]
    assert not close, close


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_no_two_statuses_look_alike(vision: str) -> None:
    points = status_points(vision)
    close = [(a, b) for a, b in itertools.combinations(points, 2) if math.dist(points[a], points[b]) < 6]
    assert not close, close


def test_the_simulation_would_see_a_red_green_confusion() -> None:
    """Guards the tests above: a pure red and a pure green look alike to a deuteranope."""
    red, green = seen("#c0392b", SIMULATIONS["deuteranopia"]), seen("#27ae60", SIMULATIONS["deuteranopia"])
    normal = math.dist(
        seen("#c0392b", SIMULATIONS["normal vision"]), seen("#27ae60", SIMULATIONS["normal vision"])
    )
    assert math.dist(red, green) < normal / 3
