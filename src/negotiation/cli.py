"""The `negotiation` command: replay scenarios, compare branches, list a folder's tree of forks.

Every user mistake is a `NegotiationError`, printed as one line on stderr with exit status 2
(`--verbose` adds the location details); tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from negotiation.analysis import diff
from negotiation.errors import NegotiationError, suggest
from negotiation.invariants import Severity
from negotiation.render import (
    check_file,
    diff_json,
    diff_text,
    replay_json,
    replay_text,
    tree_entries,
    tree_json,
    tree_text,
)
from negotiation.scenario import load_scenario
from negotiation.visibility import PUBLIC

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="negotiation",
        description="Replay and analyse diplomatic negotiations move by move.",
    )
    parser.add_argument("--verbose", action="store_true", help="show error details")
    # --verbose is accepted after the command too; SUPPRESS keeps the top-level value otherwise.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--verbose", action="store_true", default=argparse.SUPPRESS, help="show error details"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rp = sub.add_parser(
        "replay", parents=[common], help="replay a scenario file and show the state move by move"
    )
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
    dp = sub.add_parser("diff", parents=[common], help="compare two scenarios or branches")
    dp.add_argument("a", help="scenario TOML file")
    dp.add_argument("b", help="scenario TOML file")
    dp.add_argument("--at", metavar="MOVE_ID", help="compare the terms after this move (in both)")
    dp.add_argument("--json", action="store_true", help="print the comparison as JSON")
    cp = sub.add_parser(
        "check", parents=[common], help="replay scenarios and report broken invariants and findings"
    )
    cp.add_argument("files", nargs="+", metavar="FILE", help="scenario TOML files (branches too)")
    cp.add_argument(
        "--severity",
        choices=[str(s) for s in Severity],
        default="note",
        help="the least severe findings to show (default note: show all)",
    )
    cp.add_argument("--json", action="store_true", help="print the findings as JSON")
    tp = sub.add_parser(
        "tree", parents=[common], help="list a folder's scenarios as a tree of bases and branches"
    )
    tp.add_argument("folder", help="folder of scenario TOML files (searched recursively)")
    tp.add_argument("--json", action="store_true", help="print the tree as JSON")
    return parser


def _replay(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    timeline = scenario.replay()
    if args.json:
        _print_json(replay_json(scenario, timeline, viewer=args.viewer, at=args.at))
    else:
        sys.stdout.write(replay_text(scenario, timeline, viewer=args.viewer, at=args.at, width=args.width))
    return 0


def _diff(args: argparse.Namespace) -> int:
    a, b = load_scenario(args.a), load_scenario(args.b)
    ta, tb = a.replay(), b.replay()
    if args.at is not None:
        for scenario, timeline in ((a, ta), (b, tb)):
            if args.at not in timeline:
                raise NegotiationError(
                    f"--at {args.at!r}: {scenario.path} has no such move "
                    f"({suggest(args.at, [m.id for m in timeline.moves], noun='move id')})"
                )
    d = diff(ta, tb, at=args.at)
    if args.json:
        _print_json(diff_json(a, b, d))
    else:
        sys.stdout.write(diff_text(a, b, d))
    return 0


def _tree(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        raise NegotiationError(f"{args.folder}: not a folder")
    entries = tree_entries(folder)
    if not entries:
        raise NegotiationError(f"{args.folder}: no .toml scenario files in it")
    if args.json:
        _print_json(tree_json(folder, entries))
    else:
        sys.stdout.write(tree_text(folder, entries))
    return 1 if any(e.error for e in entries) else 0


def _check(args: argparse.Namespace) -> int:
    reports = [check_file(f) for f in args.files]
    shown = list(Severity)[: list(Severity).index(Severity(args.severity)) + 1]
    if args.json:
        _print_json([r.document(shown) for r in reports])
    else:
        sys.stdout.write("".join(r.text(shown) for r in reports))
    if any(r.unreadable for r in reports):
        return 2
    return 1 if any(r.errors for r in reports) else 0


def _print_json(doc: object) -> None:
    sys.stdout.write(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


COMMANDS = {"replay": _replay, "diff": _diff, "check": _check, "tree": _tree}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except NegotiationError as e:
        print(f"negotiation: error: {e}", file=sys.stderr)
        if args.verbose:
            details = {k: v for k, v in vars(e).items() if v not in (None, "")}
            for key, value in details.items():
                print(f"  {key}: {value}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
