"""The commands: each reads its files, calls the library and writes what the renderers return.

Output goes to standard output (or the file given); colour and tables only on a terminal.
Nothing here knows a rule of the negotiation: that is the library's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

from negotiation.analysis import diff
from negotiation.engine import Timeline
from negotiation.errors import ModelError, NegotiationError, suggest
from negotiation.explore import Progress, explore
from negotiation.findings import Severity
from negotiation.io.check import check_file
from negotiation.io.folder import tree_entries
from negotiation.io.loading import load_scenario, loads_scenario
from negotiation.io.policy_file import load_policy
from negotiation.io.preferences import load_preferences
from negotiation.io.scenario import FORMAT, Scenario
from negotiation.io.starter import starter_text
from negotiation.io.upgrade import upgrade_file
from negotiation.io.writer import dumps_scenario
from negotiation.policy import Policy, TermPool
from negotiation.preferences import PreferenceSet
from negotiation.render.documents import check_document, diff_json, replay_json_chunks, tree_json
from negotiation.render.exploration import exploration_json, exploration_text, write_graph
from negotiation.render.formats import graph_writer
from negotiation.render.graphs import state_graph, term_graph
from negotiation.render.solutions import solutions_json, solutions_text
from negotiation.render.text import check_text, diff_text, replay_chunks, tree_text
from negotiation.shards import DaskShards, ProcessShards, Shards
from negotiation.solutions import agreement_points, place, solve
from negotiation.state import State

__all__ = ["COMMANDS", "output_to"]


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
    from negotiation.render.console import print_renderables  # rich loads only when it draws

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


@contextmanager
def output_to(output: str) -> Iterator[None]:
    """Send what the command prints to the file given with -o (standard output for `-`).

    A regular file is written beside itself and renamed into place once the command has
    succeeded, so that a failure (a bad move, a full disk) leaves no half-written file and
    keeps an earlier one whole. Any write error is one clear line.
    """
    path = _target(output)
    if path is None:
        yield
        return
    if path.is_symlink():
        path = path.resolve()  # write the file the link points to, and keep the link
    if path.exists() and not path.is_file():  # a device or a pipe (/dev/stdout, a fifo): as it is
        try:
            with open(path, "w", encoding="utf-8") as f, redirect_stdout(f):
                yield
        except OSError as e:
            raise _cannot_write(output, e) from None
        return
    partial: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        partial = Path(name)
        with open(handle, "w", encoding="utf-8") as f, redirect_stdout(f):
            yield
        # the replaced file's permissions, or those a new file gets (mkstemp makes it 0600)
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
        os.chmod(partial, mode)
        os.replace(partial, path)
    except OSError as e:
        raise _cannot_write(output, e) from None
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)


def _cannot_write(output: object, e: OSError) -> NegotiationError:
    return NegotiationError(f"{output}: cannot write: {e.strerror or e}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write(path: Path | None, text: str) -> None:
    if path is None:
        sys.stdout.write(text)
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise _cannot_write(path, e) from None


STDIN = "-"
"""The file name that reads a scenario from standard input."""

STDIN_NAME = "<stdin>"
"""How messages name a scenario read from standard input."""


def _stdin() -> bytes:
    return sys.stdin.buffer.read()


def _scenario(name: str) -> Scenario:
    """The scenario in the named file, or on standard input for `-` (a base is then found from here)."""
    if name == STDIN:
        return loads_scenario(_stdin(), STDIN_NAME, root=Path.cwd())
    return load_scenario(name)


def _once(*names: str | None) -> None:
    """Standard input holds one scenario: `-` may stand for one file argument only."""
    if sum(n == STDIN for n in names) > 1:
        raise NegotiationError("'-' reads standard input, which holds one scenario: give it once")


def _replay(args: argparse.Namespace) -> int:
    if args.compact and not args.json:
        raise NegotiationError("--compact shapes the JSON document: give it with --json")
    scenario = _scenario(args.file)
    timeline = scenario.replay()
    if args.json:
        chunks = replay_json_chunks(scenario, timeline, viewer=args.viewer, at=args.at, compact=args.compact)
        _stream(chunks)
    elif _coloured(args):
        from negotiation.render.console import replay_renderables

        _print_rich(replay_renderables(scenario, timeline, viewer=args.viewer, at=args.at), args.width)
    else:
        _stream(replay_chunks(scenario, timeline, viewer=args.viewer, at=args.at, width=args.width or 100))
    return 0


def _stream(chunks: Iterable[str]) -> None:
    """Write the pieces as they are made, a few hundred kilobytes at a time."""
    buffered: list[str] = []
    size = 0
    for chunk in chunks:
        buffered.append(chunk)
        size += len(chunk)
        if size > 1 << 18:
            sys.stdout.write("".join(buffered))
            buffered, size = [], 0
    sys.stdout.write("".join(buffered))


def _diff(args: argparse.Namespace) -> int:
    _once(args.a, args.b)
    a, b = _scenario(args.a), _scenario(args.b)
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
        from negotiation.render.console import diff_renderables

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
    _once(*args.files)
    reports = [check_file(STDIN_NAME, _stdin()) if f == STDIN else check_file(f) for f in args.files]
    shown = list(Severity)[: list(Severity).index(Severity(args.severity)) + 1]
    if args.json:
        _print_json([check_document(r, shown) for r in reports])
    elif _coloured(args):
        from negotiation.render.console import check_renderables

        _print_rich(check_renderables(reports, shown))
    else:
        sys.stdout.write("".join(check_text(r, shown) for r in reports))
    if any(r.unreadable for r in reports):
        return 2
    return 1 if any(r.errors for r in reports) else 0


def _explore(args: argparse.Namespace) -> int:
    scenario = _scenario(args.file)
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
    if args.workers is not None and args.workers < 1:
        raise NegotiationError(f"--workers {args.workers}: give 1 or more")
    policy = _policy_from(args)
    start = timeline[after]
    judging = _preference_sets(args, scenario, timeline, start)
    figure_out = report_out = None  # checked before the search, which may be long
    if args.figure is not None:
        from negotiation.render.figures import FIGURE_FORMATS

        figure_out = _target(args.figure)
        if figure_out is None or figure_out.suffix.lower() not in FIGURE_FORMATS:
            raise NegotiationError(
                f"--figure {args.figure}: give a file ending in {', '.join(FIGURE_FORMATS)}"
            )
    if args.report is not None:
        report_out = Path(args.report)
        if report_out.suffix.lower() not in (".html", ".htm") or not report_out.parent.is_dir():
            raise NegotiationError(
                f"--report {args.report}: give a file ending in .html, in a folder that exists"
            )
    ordering = None
    if args.order == "utility":
        if judging is None:
            raise NegotiationError("--order utility: give --preferences FILE (what each party wanted)")
        if len(judging[0]) != 1:
            names = ", ".join(s.name for s in judging[0])
            raise NegotiationError(f"--order utility orders by one reading: give --set NAME (one of {names})")
        ordering = judging[0][0]
    # The shards' processes start before the progress bar's thread does: a fork copies no thread.
    with _shards(args) as shards, _progress_bar() as progress:
        result = explore(
            start,
            policy,
            depth=args.depth,
            budget=args.budget,
            order=args.order,
            shards=shards,
            progress=progress,
            preferences=ordering,
        )
    if graph_out is not None:
        _write(graph_out, write_graph(result, graph_out.suffix[1:]))
    judged = None
    if judging is not None:
        sets, outcome_id, outcome_state = judging
        judged = []
        for preferences in sets:
            solutions = solve(agreement_points(result, preferences), preferences)
            judged.append((preferences, solutions, place(outcome_state, solutions, preferences)))
    if judged is not None and args.figure is not None:
        from negotiation.render.figures import FIGURE_FORMATS, outcome_space_figure, save_figure

        figure_out = _target(args.figure)
        if figure_out is None or figure_out.suffix.lower() not in FIGURE_FORMATS:
            raise NegotiationError(
                f"--figure {args.figure}: give a file ending in {', '.join(FIGURE_FORMATS)}"
            )
        save_figure(outcome_space_figure(judged, outcome=outcome_id), figure_out)
    if judged is not None and report_out is not None:
        from negotiation.render.report import report_html

        page = report_html(scenario, preferences=[j[0] for j in judged], judged=judged, outcome=outcome_id)
        _write(report_out, page)
    if args.json:
        doc = exploration_json(result, start=after)
        if judged is not None:
            doc["preferences"] = solutions_json(judged, outcome=outcome_id)
        _print_json(doc)
    else:
        sys.stdout.write(exploration_text(result, start=after, more="see --json"))
        if judged is not None:
            sys.stdout.write(solutions_text(judged, outcome=outcome_id))
    return 0


def _chosen_sets(args: argparse.Namespace, scenario: Scenario, state: State) -> tuple[PreferenceSet, ...]:
    """The preference sets of `--preferences` (alone: the scenario's own), or the one `--set` names.

    Each is checked against the scenario: a party or a term it lacks is an error naming the
    file and the set.
    """
    if args.preferences == "":
        if not scenario.preferences:
            raise NegotiationError(
                f"--preferences: {args.file} holds no [[preferences]]; "
                "give a preferences file (--preferences FILE)"
            )
        source, sets = args.file, scenario.preferences
    else:
        source, sets = args.preferences, load_preferences(args.preferences)
    if args.preference_set is not None:
        names = [s.name for s in sets]
        if args.preference_set not in names:
            raise NegotiationError(
                f"--set {args.preference_set!r}: {source} has no such set "
                f"({suggest(args.preference_set, names, noun='set')})"
            )
        sets = tuple(s for s in sets if s.name == args.preference_set)
    for preferences in sets:
        try:
            preferences.check(state)
        except ModelError as e:
            raise NegotiationError(
                f"{source}: set {preferences.name!r}: {e.what} {e.problem} ({e.hint})"
            ) from None
    return sets


def _preference_sets(
    args: argparse.Namespace, scenario: Scenario, timeline: Timeline, start: State
) -> tuple[tuple[PreferenceSet, ...], str, State] | None:
    """The preference sets `--preferences` names (checked against the scenario), and the outcome to place."""
    if args.preferences is None:
        for flag, value in (
            ("--set", args.preference_set),
            ("--outcome", args.outcome),
            ("--figure", args.figure),
            ("--report", args.report),
        ):
            if value is not None:
                raise NegotiationError(f"{flag} {value!r}: give --preferences FILE with it")
        return None
    sets = _chosen_sets(args, scenario, start)
    outcome = args.outcome if args.outcome is not None else timeline.move_at(-1).id
    if outcome not in timeline:
        raise NegotiationError(
            f"--outcome {outcome!r}: {args.file} has no such move "
            f"({suggest(outcome, [m.id for m in timeline.moves], noun='move id')})"
        )
    return sets, outcome, timeline[outcome]


def _policy_from(args: argparse.Namespace) -> Policy:
    """The policy of a file (if given) with the flags' values over it."""
    fields: dict[str, Any] = load_policy(args.policy) if args.policy else {}
    if args.verbs:
        fields["verbs"] = _listed(args.verbs)
    if args.terms:
        fields["terms"] = TermPool(args.terms) if args.terms in list(TermPool) else _listed(args.terms)
    if args.max_acts is not None:
        fields["max_acts"] = args.max_acts
    if args.turns:
        fields["turns"] = args.turns
    if args.core:
        fields["core"] = _listed(args.core)
    if args.parties:
        fields["parties"] = _listed(args.parties)
    return Policy(**fields)


def _listed(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@contextmanager
def _shards(args: argparse.Namespace) -> Iterator[Shards | None]:
    """Where the search runs: Dask actors (--scheduler), worker processes (--workers), or here."""
    if args.scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise NegotiationError(
                "--scheduler needs Dask distributed: pip install 'negotiation[distributed]'"
            ) from None
        try:
            client = Client(args.scheduler, timeout=30)  # type: ignore[no-untyped-call]
        except OSError as error:
            raise NegotiationError(
                f"--scheduler {args.scheduler}: no Dask scheduler answers ({error})"
            ) from None
        with client:
            yield DaskShards(client, args.workers)
    elif args.workers is not None and args.workers > 1:
        with ProcessShards(args.workers) as shards:
            yield shards
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
    from negotiation.render.report import report_html  # the page's assets load only for this command

    _once(args.file, args.compare)
    scenario = _scenario(args.file)
    other = _scenario(args.compare) if args.compare is not None else None
    sets: tuple[PreferenceSet, ...] = ()
    if args.preferences is not None:
        sets = _chosen_sets(args, scenario, State.initial(scenario.catalogue))
    elif args.preference_set is not None:
        raise NegotiationError(f"--set {args.preference_set!r}: give --preferences FILE with it")
    sys.stdout.write(
        report_html(scenario, compare=other, viewer=args.viewer, layout=args.layout, preferences=sets)
    )
    if other is not None and diff(scenario.replay(), other.replay()).common is None:
        print(
            f"negotiation: note: {args.file} and {args.compare} share no move; "
            "the report shows both from their first move",
            file=sys.stderr,
        )
    return 0


def _graph(args: argparse.Namespace) -> int:
    writer = graph_writer(args.format)  # an unknown format fails before the file is read
    scenario = _scenario(args.file)
    timeline = scenario.replay()
    if args.states:
        if args.at is not None:
            raise NegotiationError("--at and --states: choose one (the states graph holds every move)")
        g = state_graph(timeline, name=scenario.id)
    else:
        g = term_graph(timeline[args.at] if args.at is not None else timeline.final, name=scenario.id)
    sys.stdout.write(writer(g))
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    pending = 0
    for file in args.files:
        changed = upgrade_file(file, write=not args.check)
        pending += changed
        if not changed:
            print(f"{file}: format {FORMAT} already")
        elif args.check:
            print(f"{file}: format 1, needs: negotiation upgrade {file}")
        else:
            print(f"{file}: upgraded to format {FORMAT}")
    return 1 if args.check and pending else 0


def _export(args: argparse.Namespace) -> int:
    from negotiation.render.plover import plover_lines, unmapped_acts

    if args.format == "negmas":
        return _export_negmas(args)
    if args.trace != "parquet":
        raise NegotiationError("--trace is for --format negmas: PLOVER events are JSON lines")
    scenario = _scenario(args.file)
    timeline = scenario.replay()
    _stream(plover_lines(scenario, timeline))
    left = unmapped_acts(timeline)
    if left:
        shown = ", ".join(f"{m} acts[{j}]" for m, j in left[:5]) + (", ..." if len(left) > 5 else "")
        print(
            f"negotiation: note: {len(left)} ignore act(s) have no PLOVER event and are not written: {shown}",
            file=sys.stderr,
        )
    return 0


def _export_negmas(args: argparse.Namespace) -> int:
    from negotiation.io.negmas import write_negmas_run
    from negotiation.render.negmas import NegmasExport

    if args.output == "-":
        raise NegotiationError("a NegMAS run is a folder of files: give it with -o FOLDER")
    scenario = _scenario(args.file)
    export = NegmasExport(scenario, scenario.replay())
    if not export.issues():
        raise NegotiationError(f"{args.file}: no act states or accepts a term: there is no offer to write")
    run = write_negmas_run(export.rows(), export.run, scenario.id, args.output, trace=args.trace)
    ended = "an agreement" if run.agreement else "broken off" if run.broken else "no agreement"
    print(
        f"{args.output}: a NegMAS run of {run.n_rows} offers by {len(run.negotiators)} negotiators "
        f"on {len(run.issues)} issues in {run.n_steps} steps, {ended}",
        file=sys.stderr,
    )
    if run.skipped:
        shown = ", ".join(run.skipped[:5]) + (", ..." if len(run.skipped) > 5 else "")
        print(
            f"negotiation: note: {len(run.skipped)} move(s) change no offer, accept none and end nothing, "
            f"and are not in the trace: {shown}",
            file=sys.stderr,
        )
    return 0


def _completion(args: argparse.Namespace) -> int:
    import shtab

    from negotiation.cli.parser import build_parser

    sys.stdout.write(shtab.complete(build_parser(), shell=args.shell))
    return 0


def _import(args: argparse.Namespace) -> int:
    from negotiation.io.geniusweb import load_geniusweb, loads_geniusweb
    from negotiation.io.negmas import load_negmas_run

    if args.source == "negmas":
        scenario = load_negmas_run(args.file)
    elif args.file == STDIN:
        try:
            text = _stdin().decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise NegotiationError(f"{STDIN_NAME}: not UTF-8 text (byte {e.start})") from None
        scenario = loads_geniusweb(text, STDIN_NAME)
    else:
        scenario = load_geniusweb(args.file)
    scenario.replay()  # a log the rules cannot follow is an error here, naming the move
    sys.stdout.write(dumps_scenario(scenario))
    return 0


def _figure(args: argparse.Namespace) -> int:
    from negotiation.render.figures import FIGURE_FORMATS, graph_figure, save_figure, timeline_figure

    target = _target(args.output)
    if target is None or target.suffix.lower() not in FIGURE_FORMATS:
        raise NegotiationError(f"give the figure's file with -o OUT, ending in {', '.join(FIGURE_FORMATS)}")
    if not 2 <= args.width <= 20:
        raise NegotiationError(f"--width {args.width}: give inches between 2 and 20 (3.5 or 7 for a journal)")
    scenario = _scenario(args.file)
    timeline = scenario.replay()
    if args.at is not None:
        timeline = timeline.until(args.at)
    if args.kind != "utility" and (args.preferences is not None or args.preference_set is not None):
        raise NegotiationError("--preferences and --set draw --kind utility: give --kind utility with them")
    if args.kind == "utility":
        from negotiation.render.figures import utility_figure

        if args.preferences is None:
            raise NegotiationError("--kind utility: give --preferences FILE (what each party wanted)")
        sets = _chosen_sets(args, scenario, timeline.initial)
        fig = utility_figure(timeline, sets[0], width=args.width, title=args.title)
    elif args.kind == "graph":  # the terms as the viewer knew them at the end
        fig = graph_figure(timeline.state_as_known_by(args.viewer), width=args.width, title=args.title)
    else:
        fig = timeline_figure(timeline, width=args.width, title=args.title, viewer=args.viewer)
    save_figure(fig, target)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from negotiation.io.schema import scenario_schema

    sys.stdout.write(json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0


def _new(args: argparse.Namespace) -> int:
    if args.output != "-":
        raise NegotiationError("new writes the FILE it is given: leave out -o (or give - as FILE for stdout)")
    path = _target(args.file)
    if path is None:
        sys.stdout.write(starter_text())
        return 0
    if path.exists() and not args.force:
        raise NegotiationError(f"{args.file}: exists already; give --force to replace it")
    _write(path, starter_text(path.stem))
    print(f"{args.file}: a starter scenario; try: negotiation replay {args.file}", file=sys.stderr)
    return 0


def _print_json(doc: object) -> None:
    sys.stdout.write(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "replay": _replay,
    "diff": _diff,
    "check": _check,
    "tree": _tree,
    "report": _report,
    "graph": _graph,
    "explore": _explore,
    "upgrade": _upgrade,
    "new": _new,
    "export": _export,
    "completion": _completion,
    "import": _import,
    "schema": _schema,
    "figure": _figure,
}

WRITES_ITS_OWN_FILE = frozenset({"figure", "new"})
"""Commands that write the -o file themselves (a figure is not text on standard output)."""


def writes_its_own_file(args: argparse.Namespace) -> bool:
    """Whether the command writes -o itself: a figure, a starter file, a NegMAS run's folder."""
    return args.command in WRITES_ITS_OWN_FILE or (args.command == "export" and args.format == "negmas")
