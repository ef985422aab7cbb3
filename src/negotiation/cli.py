"""The `negotiation` command: replay, compare, check, list and explore scenarios; write reports and graphs.

Every user mistake is a `NegotiationError`, printed as one line on stderr with exit status 2
(`--verbose` adds the location details); tracebacks are for bugs only. Replays, comparisons
and checks are drawn as coloured tables on a terminal, and stay plain text anywhere else.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from negotiation.analysis import diff
from negotiation.errors import NegotiationError, suggest
from negotiation.explore import Policy, Progress, explore
from negotiation.explore_report import exploration_json, exploration_text, write_graph
from negotiation.graphs import FORMATS, graph_writer, state_graph, term_graph
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
    colour = argparse.ArgumentParser(add_help=False)
    group = colour.add_mutually_exclusive_group()
    group.add_argument(
        "--color",
        dest="color",
        action="store_const",
        const=True,
        default=None,
        help="coloured tables even when the output is not a terminal",
    )
    group.add_argument(
        "--no-color",
        dest="color",
        action="store_const",
        const=False,
        help="plain text even on a terminal (as does the NO_COLOR environment variable)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rp = sub.add_parser(
        "replay", parents=[common, colour], help="replay a scenario file and show the state move by move"
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
    rp.add_argument("--width", type=int, help="text width (default 100; a terminal's own width for tables)")
    dp = sub.add_parser("diff", parents=[common, colour], help="compare two scenarios or branches")
    dp.add_argument("a", help="scenario TOML file")
    dp.add_argument("b", help="scenario TOML file")
    dp.add_argument("--at", metavar="MOVE_ID", help="compare the terms after this move (in both)")
    dp.add_argument("--json", action="store_true", help="print the comparison as JSON")
    cp = sub.add_parser(
        "check", parents=[common, colour], help="replay scenarios and report broken invariants and findings"
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
    hp = sub.add_parser(
        "report",
        parents=[common],
        help="write one HTML page with the timeline, the memo side by side and the term graph",
    )
    hp.add_argument("file", help="scenario TOML file")
    hp.add_argument(
        "--compare",
        metavar="OTHER",
        help="another scenario or branch, shown beside the first from their last common move",
    )
    hp.add_argument(
        "--as",
        dest="viewer",
        metavar="VIEW",
        help=f"the view the page opens with: historian (default), a party, or '{PUBLIC}'",
    )
    hp.add_argument(
        "-o", "--output", metavar="OUT", default="-", help="file to write (default: standard output)"
    )
    gp = sub.add_parser(
        "graph", parents=[common], help="write the term graph, or the replay's states, for other tools"
    )
    gp.add_argument("file", help="scenario TOML file")
    gp.add_argument(
        "--format",
        default="dot",
        metavar="FORMAT",
        help=f"{', '.join(FORMATS)} (default dot)",
    )
    gp.add_argument(
        "--states",
        action="store_true",
        help="the replay's states instead: a node per state, an edge per move",
    )
    gp.add_argument(
        "--at", metavar="MOVE_ID", help="the terms as they stood after this move (default: the end)"
    )
    gp.add_argument(
        "-o", "--output", metavar="OUT", default="-", help="file to write (default: standard output)"
    )
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
    ep.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes expanding each level; with --scheduler, how many ways to split it (default 1)",
    )
    ep.add_argument("--scheduler", metavar="ADDRESS", help="expand on a Dask cluster at this address")
    ep.add_argument("--json", action="store_true", help="print the summary as JSON")
    ep.add_argument("--graph", metavar="OUT", help="write the state graph to OUT.graphml or OUT.dot")


def _coloured(args: argparse.Namespace) -> bool:
    """Tables and colour: when asked, else on a terminal unless NO_COLOR is set; never with --json."""
    if getattr(args, "json", False):
        return False
    if args.color is not None:
        return bool(args.color)
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _print_rich(renderables: Sequence[Any], width: int | None = None) -> None:
    from negotiation.console import print_renderables  # rich loads only when it draws

    print_renderables(renderables, sys.stdout, width=width)


def _target(output: str) -> Path | None:
    """The file to write (None: standard output), checked before any work is done for it."""
    if output == "-":
        return None
    path = Path(output)
    if not path.parent.is_dir():
        raise NegotiationError(f"{output}: cannot write: folder {str(path.parent)!r} does not exist")
    if path.is_dir():
        raise NegotiationError(f"{output}: cannot write: it is a folder")
    return path


def _write(path: Path | None, text: str) -> None:
    if path is None:
        sys.stdout.write(text)
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise NegotiationError(f"{path}: cannot write: {e.strerror or e}") from None


def _replay(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    timeline = scenario.replay()
    if args.json:
        _print_json(replay_json(scenario, timeline, viewer=args.viewer, at=args.at))
    elif _coloured(args):
        from negotiation.console import replay_renderables

        _print_rich(replay_renderables(scenario, timeline, viewer=args.viewer, at=args.at), args.width)
    else:
        text = replay_text(scenario, timeline, viewer=args.viewer, at=args.at, width=args.width or 100)
        sys.stdout.write(text)
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
    elif _coloured(args):
        from negotiation.console import diff_renderables

        _print_rich(diff_renderables(a, b, d))
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
    elif _coloured(args):
        from negotiation.console import check_renderables

        _print_rich(check_renderables(reports, shown))
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
    policy = _policy_from(args)
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
        _write(graph_out, write_graph(result, graph_out.suffix[1:]))
    if args.json:
        _print_json(exploration_json(result, start=after))
    else:
        sys.stdout.write(exploration_text(result, start=after))
    return 0


def _policy_from(args: argparse.Namespace) -> Policy:
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
    from rich.console import Console
    from rich.progress import Progress as Bar
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("exploring", total=None)

        def report(depth: int, expanded: int, states: int) -> None:
            bar.update(task, description=f"depth {depth}: {expanded:,} expanded, {states:,} states")

        yield report


def _report(args: argparse.Namespace) -> int:
    from negotiation.report import report_html  # the page's assets load only for this command

    target = _target(args.output)
    scenario = load_scenario(args.file)
    other = load_scenario(args.compare) if args.compare is not None else None
    page = report_html(scenario, compare=other, viewer=args.viewer)
    _write(target, page)
    if other is not None and diff(scenario.replay(), other.replay()).common is None:
        print(
            f"negotiation: note: {args.file} and {args.compare} share no move; "
            "the report shows both from their first move",
            file=sys.stderr,
        )
    return 0


def _graph(args: argparse.Namespace) -> int:
    writer = graph_writer(args.format)  # an unknown format fails before the file is read
    target = _target(args.output)
    scenario = load_scenario(args.file)
    timeline = scenario.replay()
    if args.states:
        if args.at is not None:
            raise NegotiationError("--at and --states: choose one (the states graph holds every move)")
        g = state_graph(timeline, name=scenario.id)
    else:
        g = term_graph(timeline[args.at] if args.at is not None else timeline.final, name=scenario.id)
    _write(target, writer(g))
    return 0


def _print_json(doc: object) -> None:
    sys.stdout.write(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


COMMANDS = {
    "replay": _replay,
    "diff": _diff,
    "check": _check,
    "tree": _tree,
    "report": _report,
    "graph": _graph,
    "explore": _explore,
}


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
