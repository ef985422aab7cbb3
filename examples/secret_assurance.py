"""Who knew of the Jupiter assurance, move by move, and what withdrawing it would have changed.

python examples/secret_assurance.py
"""

from __future__ import annotations

from pathlib import Path

from negotiation import PUBLIC, load_scenario
from negotiation.script import move, withdraw

HISTORY = Path(__file__).resolve().parent.parent / "scenarios" / "cuba-1962" / "historical.toml"
TERM = "turkey-jupiter-removal"
VIEWERS = ("US", "USSR", PUBLIC)


def main() -> None:
    """Print the US stance on the Jupiters in each party's view, then in a branch that withdraws it."""
    history = load_scenario(HISTORY).replay()
    views = {v: history.views(v) for v in VIEWERS}
    print(f"US stance on {TERM}, as each viewer knew it")
    print((f"  {'after move':<30}" + "".join(f"{v:<12}" for v in VIEWERS)).rstrip())
    for i, step in enumerate(history.steps[-6:], start=len(history) - 6):
        row = [str(views[v][i].stance(TERM, "US") or "—") for v in VIEWERS]
        print((f"  {step.move.id:<30}" + "".join(f"{cell:<12}" for cell in row)).rstrip())

    second_thoughts = history.fork(
        "rfk-dobrynin-27-oct",
        [move("rusk-dobrynin-withdrawal", "US", withdraw(TERM), to="USSR", channel="back-channel")],
    )
    print("\nIf the assurance had been withdrawn before the 28 October broadcast:")
    for v in VIEWERS:
        print(f"  {v:<8} {second_thoughts.state_as_known_by(v).stance(TERM, 'US')}")


if __name__ == "__main__":
    main()
