"""The `negotiation` command: replay, compare, check, list and explore scenarios.

Every user mistake is a `NegotiationError`, printed as one line on stderr with exit status 2
(`--verbose` adds the location details); tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from negotiation.analysis import diff
from negotiation.errors import NegotiationError, suggest
from negotiation.explore import Policy, Progress, explore
from negotiation.explore_report import dot_text, exploration_json, exploration_text, plain_graph
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
from negotiation.scenario import load_policy, load_scenario
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
    _explore_parser(sub, common)
    return parser


def _explore_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    ep = sub.add_parser(
        "explore",
        parents=[common],
        help="search the replies the parties could have made from a point, and their outcomes",
    )
    ep.add_argument("file", help="scenario TOML file")
    ep.add_argument("--after", metavar="MOVE_ID", help="start after this move (default: the last)")
    ep.add_argument("--depth", type=int, default=3, help="moves to look ahead (default 3)")
    ep.add_argument("--budget", type=int, default=100_000, help="most distinct states kept (default 100000)")
    ep.add_argument("--policy", metavar="FILE", help="a TOML file with a [policy] table (flags override it)")
    ep.add_argument("--verbs", help="comma-separated verbs replies may use (default propose,accept,...)")
    ep.add_argument("--terms", help="open, catalogue, or comma-separated term ids (default open)")
    ep.add_argument("--max-acts", type=int, help="acts per reply, 1 to 4 (default 1)")
    ep.add_argument("--turns", choices=["alternate", "any"], help="who answers (default alternate)")
    ep.add_argument("--core", help="comma-separated terms an agreement must settle (default: those raised)")
    ep.add_argument("--order", choices=["breadth", "best"], default="breadth", help="search order")
    ep.add_argument("--workers", type=int, default=1, help="processes expanding each level (default 1)")
    ep.add_argument("--scheduler", metavar="ADDRESS", help="expand on a Dask cluster at this address")
    ep.add_argument("--json", action="store_true", help="print the summary as JSON")
    ep.add_argument("--graph", metavar="OUT", help="write the state graph to OUT.graphml or OUT.dot")


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


def _explore(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    timeline = scenario.replay()
    if not len(timeline):
        raise NegotiationError(f"{args.file}: no moves to explore from")
    after = args.after if args.after is not None else timeline.move_at(-1).id
    if after not in timeline:
        raise NegotiationError(
            f"--after {after!r}: {args.file} has no such move "
            f"({suggest(after, [m.id for m in timeline.moves], noun='move id')})"
        )
    graph_out = Path(args.graph) if args.graph else None
    if graph_out is not None and graph_out.suffix not in (".graphml", ".dot"):
        raise NegotiationError(f"--graph {args.graph}: give a file ending in .graphml or .dot")
    if graph_out is not None and not graph_out.parent.is_dir():
        raise NegotiationError(f"--graph {args.graph}: no folder {graph_out.parent}")
    if args.workers < 1:
        raise NegotiationError(f"--workers {args.workers}: give 1 or more")
    policy = policy_from(args)
    start = timeline[after]
    with _executor(args) as executor, _progress_bar() as progress:
        result = explore(
            start,
            policy,
            depth=args.depth,
            budget=args.budget,
            order=args.order,
            executor=executor,
            workers=max(args.workers, 1),
            progress=progress,
        )
    if graph_out is not None:
        if graph_out.suffix == ".graphml":
            nx.write_graphml(plain_graph(result), graph_out)
        else:
            graph_out.write_text(dot_text(result), encoding="utf-8")
    if args.json:
        _print_json(exploration_json(result, start=after))
    else:
        sys.stdout.write(exploration_text(result, start=after))
    return 0


def policy_from(args: argparse.Namespace) -> Policy:
    """The policy of a file (if given) with the flags' values over it."""
    fields: dict[str, Any] = load_policy(args.policy) if args.policy else {}
    if args.verbs:
        fields["verbs"] = _listed(args.verbs)
    if args.terms:
        fields["terms"] = args.terms if args.terms in ("open", "catalogue") else _listed(args.terms)
    if args.max_acts is not None:
        fields["max_acts"] = args.max_acts
    if args.turns:
        fields["turns"] = args.turns
    if args.core:
        fields["core"] = _listed(args.core)
    return Policy(**fields)


def _listed(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@contextmanager
def _executor(args: argparse.Namespace) -> Iterator[Executor | None]:
    if args.scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise NegotiationError(
                "--scheduler needs Dask distributed: pip install 'negotiation[distributed]'"
            ) from None
        with Client(args.scheduler) as client:  # type: ignore[no-untyped-call]
            yield client.get_executor()
    elif args.workers > 1:
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            yield pool
    else:
        yield None


@contextmanager
def _progress_bar() -> Iterator[Progress | None]:
    """A progress line on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress as Bar
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    with Bar(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("exploring", total=None)

        def report(depth: int, expanded: int, states: int) -> None:
            bar.update(task, description=f"depth {depth}: {expanded:,} expanded, {states:,} states")

        yield report


def _print_json(doc: object) -> None:
    sys.stdout.write(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


COMMANDS = {"replay": _replay, "diff": _diff, "check": _check, "tree": _tree, "explore": _explore}


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
