"""The `negotiation` command: replay a scenario file and show what each move changed.

Every user mistake is a `NegotiationError`, printed as one line on stderr with exit status 2
(`--verbose` adds the location details); tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from negotiation.errors import NegotiationError
from negotiation.render import replay_json, replay_text
from negotiation.scenario import load_scenario
from negotiation.visibility import PUBLIC

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="negotiation",
        description="Replay and analyse diplomatic negotiations move by move.",
    )
    parser.add_argument("--verbose", action="store_true", help="show error details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rp = sub.add_parser("replay", help="replay a scenario file and show the state move by move")
    rp.add_argument("file", help="scenario TOML file")
    rp.add_argument("--at", metavar="MOVE_ID", help="stop after this move")
    rp.add_argument(
        "--as",
        dest="viewer",
        metavar="PARTY",
        help=f"show the state as this party knew it ('{PUBLIC}' for what had been published)",
    )
    rp.add_argument("--json", action="store_true", help="print the replay as JSON")
    rp.add_argument("--width", type=int, default=100, help="text width (default 100)")
    return parser


def _replay(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    timeline = scenario.replay()
    if args.json:
        doc = replay_json(scenario, timeline, viewer=args.viewer, at=args.at)
        sys.stdout.write(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(replay_text(scenario, timeline, viewer=args.viewer, at=args.at, width=args.width))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _replay(args)
    except NegotiationError as e:
        print(f"negotiation: error: {e}", file=sys.stderr)
        if args.verbose:
            details = {k: v for k, v in vars(e).items() if v not in (None, "")}
            for key, value in details.items():
                print(f"  {key}: {value}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
