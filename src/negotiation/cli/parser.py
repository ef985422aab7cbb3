"""The command line's grammar: every command, its arguments and the options they share."""

from __future__ import annotations

import argparse
import platform
import sys
from importlib import metadata
from typing import Any

from negotiation.errors import NegotiationError
from negotiation.explore import Order
from negotiation.findings import Severity
from negotiation.native import core_name, native_module, native_problem
from negotiation.policy import TermPool, Turns
from negotiation.render.formats import FORMATS
from negotiation.vocabulary import HISTORIAN, PUBLIC

__all__ = ["build_parser"]


def _preferences_options(parser: argparse.ArgumentParser, what: str, one: str) -> None:
    """`--preferences [FILE]` (alone: the scenario's own `[[preferences]]`) and `--set NAME`."""
    parser.add_argument(
        "--preferences", metavar="FILE", nargs="?", const="", help=f"{what} (TOML; alone: the scenario's own)"
    )
    parser.add_argument("--set", dest="preference_set", metavar="NAME", help=f"the preference set: {one}")


def _viewer_option(parser: argparse.ArgumentParser, help: str, metavar: str = "PARTY") -> None:
    """`--as`: whose view a command shows (the historian's by default)."""
    parser.add_argument("--as", dest="viewer", metavar=metavar, default=HISTORIAN, help=help)


def _version() -> str:
    """The installed version, and which implementation of the rules runs."""
    try:
        number = metadata.version("negotiation")
    except metadata.PackageNotFoundError:
        number = "(not installed: run from the source tree)"
    try:
        name = core_name()
    except NegotiationError as e:
        core = f"no core: {e}"
    else:
        built = getattr(native_module(), "__version__", "?")
        core = (
            f"native core {built} (NEGOTIATION_CORE=python for the pure-Python reference)"
            if name == "native"
            else "pure-Python core"
        )
        if native_problem() is not None:
            core += f" ({native_problem()})"
    return f"negotiation {number}, {core}, Python {platform.python_version()}"


class _Version(argparse.Action):
    """`--version`: the line `_version` gives, as it is (argparse's own action wraps it)."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        sys.stdout.write(_version() + "\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command, with the options they share."""
    parser = argparse.ArgumentParser(
        prog="negotiation",
        description="Replay and analyse diplomatic negotiations move by move.",
    )
    parser.add_argument("--verbose", action="store_true", help="show error details")
    parser.add_argument("--version", action=_Version, help="print the version and which core runs, and exit")
    # --verbose is accepted after the command too; SUPPRESS keeps the top-level value otherwise.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--verbose", action="store_true", default=argparse.SUPPRESS, help="show error details"
    )
    common.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        default="-",
        help="write to this file instead of standard output (written whole, or not at all)",
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
    _viewer_option(rp, f"show the state as this party knew it ('{PUBLIC}' for what had been published)")
    rp.add_argument("--json", action="store_true", help="print the replay as JSON")
    rp.add_argument(
        "--compact",
        action="store_true",
        help="with --json: each step's changes only, and the state after the last step shown",
    )
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
    _viewer_option(
        hp, f"the view the page opens with: {HISTORIAN} (default), a party, or '{PUBLIC}'", metavar="VIEW"
    )
    hp.add_argument(
        "--layout",
        choices=["auto", "dot", "layered"],
        default="auto",
        help=(
            "the term graph's layout: auto (default) uses Graphviz's dot where it is installed, "
            "dot insists on it, layered is the built-in one"
        ),
    )
    _preferences_options(
        hp, "add each party's utility after every move, under each set", "only this set of the file"
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
    up = sub.add_parser(
        "upgrade",
        parents=[common],
        help="rewrite scenario files in the current format, keeping every comment and line",
    )
    up.add_argument("files", nargs="+", metavar="FILE", help="scenario TOML files (branches too)")
    up.add_argument(
        "--check", action="store_true", help="only say which files need upgrading (exit 1 if any)"
    )
    xp = sub.add_parser(
        "export",
        parents=[common],
        help="write a history in another field's format (PLOVER event data, a NegMAS run)",
    )
    xp.add_argument("file", help="scenario TOML file")
    xp.add_argument(
        "--format",
        choices=["plover", "negmas"],
        default="plover",
        help=(
            "plover: JSON lines, one event per act (default); "
            "negmas: the folder of a saved SAO run, written to -o FOLDER"
        ),
    )
    xp.add_argument(
        "--trace",
        choices=["parquet", "csv"],
        default="parquet",
        help="negmas: store the trace as trace.parquet (default, needs pyarrow) or trace.csv",
    )
    ip = sub.add_parser(
        "import", parents=[common], help="read another tool's negotiation log as a scenario (TOML)"
    )
    ip.add_argument("file", help="the log to read (a folder for negmas)")
    ip.add_argument(
        "--from",
        dest="source",
        choices=["geniusweb", "negmas"],
        required=True,
        help=(
            "geniusweb: a session log (SAOPState) of Offer, Accept and EndNegotiation actions; "
            "negmas: the folder of a saved SAO run (trace and scenario)"
        ),
    )
    fp = sub.add_parser(
        "figure",
        parents=[common],
        help="draw the timeline or the term graph as a figure for a paper (-o OUT.svg, .pdf or .png)",
    )
    fp.add_argument("file", help="scenario TOML file")
    fp.add_argument(
        "--kind",
        choices=["timeline", "graph", "utility"],
        default="timeline",
        help="timeline (default), graph, or utility (a line per party; give --preferences)",
    )
    _preferences_options(
        fp, "with --kind utility: what each party wanted", "the set to draw (default: the first)"
    )
    fp.add_argument("--at", metavar="MOVE_ID", help="draw the history up to this move (default: the end)")
    fp.add_argument(
        "--width", type=float, default=7.0, help="inches: 7 for a page (default), 3.5 for one column"
    )
    fp.add_argument("--title", default="", help="a title above the figure (default: none)")
    _viewer_option(fp, f"the timeline as this party knew it ('{PUBLIC}' for what had been published)")
    sub.add_parser(
        "schema",
        parents=[common],
        help="print the JSON Schema of scenario files, for editors that complete TOML by schema",
    )
    np = sub.add_parser(
        "new", parents=[common], help="write a starter scenario, every field explained in a comment"
    )
    np.add_argument("file", help="the scenario TOML file to create")
    np.add_argument("--force", action="store_true", help="replace the file if it exists")
    cp2 = sub.add_parser(
        "completion",
        parents=[common],
        help='print a shell completion script: eval "$(negotiation completion bash)"',
    )
    cp2.add_argument("shell", choices=["bash", "zsh", "tcsh"], help="the shell to complete for")
    _explore_parser(sub, common)
    _complete_files(parser)
    return parser


def _complete_files(parser: argparse.ArgumentParser) -> None:
    """Let the shell complete file and folder arguments by path (shtab reads `.complete`)."""
    import shtab

    for action in _actions(parser):
        if action.dest in ("file", "files", "a", "b", "compare", "policy", "output", "graph"):
            action.complete = shtab.FILE  # type: ignore[attr-defined]
        elif action.dest == "folder":
            action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]


def _actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    out = list(parser._actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                out += _actions(sub)
    return out


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
    pools = ", ".join(TermPool)
    ep.add_argument("--terms", help=f"{pools}, or comma-separated term ids (default {TermPool.OPEN})")
    ep.add_argument("--max-acts", type=int, help="acts per reply, 1 to 4 (default 1)")
    ep.add_argument(
        "--turns", choices=[str(t) for t in Turns], help=f"who answers (default {Turns.ALTERNATE})"
    )
    ep.add_argument("--core", help="comma-separated terms an agreement must settle (default: those raised)")
    ep.add_argument(
        "--parties", help="comma-separated parties who may move, in turn order (default: the principals)"
    )
    ep.add_argument(
        "--order", choices=[str(o) for o in Order], default=str(Order.BREADTH), help="search order"
    )
    ep.add_argument(
        "--workers",
        type=int,
        help=(
            "shards of the search, one worker process each (default 1: this process); with "
            "--scheduler, one Dask actor each (default: one per cluster worker)"
        ),
    )
    ep.add_argument(
        "--scheduler", metavar="ADDRESS", help="search on a Dask cluster at this address (tcp://host:8786)"
    )
    _preferences_options(
        ep,
        "what each party wanted: weigh the agreements reached (Pareto frontier, Nash, Kalai-Smorodinsky)",
        "only this set of the file (one is needed to order a search by utility)",
    )
    ep.add_argument(
        "--outcome",
        metavar="MOVE_ID",
        help="with --preferences, the outcome to place among the agreements: the state after this move "
        "(default: the record's last)",
    )
    ep.add_argument(
        "--figure",
        metavar="OUT",
        help="with --preferences, draw the outcome space (agreements, frontier, solutions) "
        "to OUT.svg, .pdf or .png",
    )
    ep.add_argument(
        "--report",
        metavar="OUT",
        help="with --preferences, write the scenario's HTML report with each side's utility "
        "and the outcome space",
    )
    ep.add_argument("--json", action="store_true", help="print the summary as JSON")
    ep.add_argument("--graph", metavar="OUT", help="write the state graph to OUT.graphml or OUT.dot")
