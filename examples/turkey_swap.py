"""What if Kennedy had accepted the public Turkey-for-Cuba swap? The branch of turkey-swap.toml, in Python.

python examples/turkey_swap.py
"""

from __future__ import annotations

from pathlib import Path

from negotiation import Timeline, load_scenario, outcome, term_status
from negotiation.script import accept, affirm, fulfil, move

HISTORY = Path(__file__).resolve().parent.parent / "scenarios" / "cuba-1962" / "historical.toml"


def accept_the_swap(history: Timeline) -> Timeline:
    """The record up to the public letter of 27 October, then the swap accepted and confirmed."""
    return history.fork(
        "khrushchev-27-oct-letter",
        [
            move(
                "kennedy-27-oct-accepts-swap",
                "US",
                accept("soviet-remove-offensive-weapons"),
                accept("turkey-jupiter-removal"),
                accept("turkey-non-aggression"),
                accept("us-no-invasion-pledge"),
                accept("un-verification"),
                accept("un-negotiation"),
                to="USSR",
                channel="public",
                sent="1962-10-27",
            ),
            move(
                "khrushchev-28-oct-confirms-swap",
                "USSR",
                affirm(move="kennedy-27-oct-accepts-swap"),
                fulfil("soviet-remove-offensive-weapons", extent="begun"),
                to="US",
                channel="public",
                sent="1962-10-28",
            ),
        ],
    )


def main() -> None:
    """Print the outcome of the record and of the swap, and where the Turkey terms stand."""
    history = load_scenario(HISTORY).replay()
    for label, timeline in (("as it happened", history), ("with the swap", accept_the_swap(history))):
        final = timeline.final
        print(f"{label}: {outcome(final).summary()}")
        for term in ("turkey-jupiter-removal", "turkey-non-aggression", "us-no-invasion-pledge"):
            print(f"  {term:<26} {term_status(final, term)}")


if __name__ == "__main__":
    main()
