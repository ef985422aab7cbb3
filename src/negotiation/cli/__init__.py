"""The `negotiation` command: replay, compare, check, list and explore scenarios; write reports and graphs.

Every user mistake is a `NegotiationError`, printed as one line on stderr with exit status 2
(`--verbose` adds the location details); tracebacks are for bugs only. Replays, comparisons
and checks are drawn as coloured tables on a terminal, and stay plain text anywhere else.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence

from negotiation.cli.commands import COMMANDS, output_to, writes_its_own_file
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
        with paused_gc(), output_to("-" if writes_its_own_file(args) else args.output):
            status = COMMANDS[args.command](args)
            sys.stdout.flush()  # a full disk is found here, not after the exit status is set
        return status
    except BrokenPipeError:  # the reader stopped reading (| head): not an error
        _silence_stdout()
        return 0
    except OSError as e:
        if e.errno not in _OUTPUT_ERRORS:
            raise
        _silence_stdout()
        print(f"negotiation: error: cannot write the output: {e.strerror or e}", file=sys.stderr)
        return 2
    except NegotiationError as e:
        print(f"negotiation: error: {_message(e)}", file=sys.stderr)
        if args.verbose:
            details = {k: v for k, v in vars(e).items() if v not in (None, "")}
            for key, value in details.items():
                print(f"  {key}: {value}", file=sys.stderr)
        return 2


_OUTPUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}
"""Errors writing standard output that are the output's, not a bug: said in one line."""


def _silence_stdout() -> None:
    """Point standard output at the null device, so the interpreter's last flush fails no more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor behind it (a test's capture, say)
        pass
