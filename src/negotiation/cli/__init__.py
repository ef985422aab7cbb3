"""The `negotiation` command: replay, compare, check, list and explore scenarios; write reports and graphs.

Every user mistake is a `NegotiationError`, printed as one line on stderr with exit status 2
(`--verbose` adds the location details); tracebacks are for bugs only. Replays, comparisons
and checks are drawn as coloured tables on a terminal, and stay plain text anywhere else.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from negotiation.cli.commands import COMMANDS
from negotiation.cli.parser import build_parser
from negotiation.engine import paused_gc
from negotiation.errors import NegotiationError, ParameterError

__all__ = ["FLAGS", "main"]


FLAGS = {"viewer": "--as", "format": "--format", "order": "--order"}
"""The flag that gives each library parameter its value, for messages about a bad value."""


def _message(e: NegotiationError) -> str:
    """The error in the command line's words: a bad parameter is named by its flag."""
    if isinstance(e, ParameterError) and e.parameter in FLAGS:
        text = f"{FLAGS[e.parameter]} {e.value!r}: {e.problem}"
        return f"{text} ({e.hint})" if e.hint else text
    return str(e)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        # A command makes and drops states by the million and none holds a cycle; the cyclic
        # collector, left running, would walk everything kept so far again and again.
        with paused_gc():
            return COMMANDS[args.command](args)
    except NegotiationError as e:
        print(f"negotiation: error: {_message(e)}", file=sys.stderr)
        if args.verbose:
            details = {k: v for k, v in vars(e).items() if v not in (None, "")}
            for key, value in details.items():
                print(f"  {key}: {value}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
