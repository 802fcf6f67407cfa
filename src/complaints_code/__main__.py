"""The ``complaints-code`` command (also ``python -m complaints_code``).

Signals are handled from the first moment: until the command line's modules
are imported (which takes a moment), Ctrl-C or SIGTERM ends the process at
once with one line (nothing has been done yet); then the edge handles them
as the command goes (``interrupts``). After the command has ended, while the
interpreter shuts down, they are ignored: the work is done.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType


def _before_start(signum: int, frame: FrameType | None) -> None:
    how = "Ctrl-C (SIGINT)" if signum == signal.SIGINT else "SIGTERM"
    os.write(2, f"complaints-code: stopped by {how}; nothing was written.\n".encode())
    os._exit(128 + signum)


# A worker process started by spawn (a batch's) imports this module too, as
# part of the program's script: its signals are the worker's own to handle
# (it starts with SIGINT ignored and ends quietly, see interrupts), so it
# must not print this line as well.
if "--multiprocessing-fork" not in sys.orig_argv:
    for _signum in (signal.SIGINT, signal.SIGTERM):  # first, before any other import
        signal.signal(_signum, _before_start)

from .processes.interrupts import NAMES, SIGNALS, Interrupted, handling_signals  # noqa: E402


def main() -> None:
    """Run the command line."""
    try:
        with handling_signals():
            # lazy: the command line's modules take a moment to import; signals are handled first
            from .cli import main as command_line

            command_line(prog_name="complaints-code")
    except (KeyboardInterrupt, Interrupted) as exc:
        # Only before a command starts or after it ends: a command's own
        # interruption is reported by the edge, which knows what it left.
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        print(f"complaints-code: stopped by {NAMES[signum]}; nothing was written.",
              file=sys.stderr)
        raise SystemExit(128 + signum) from None
    finally:
        for s in SIGNALS:
            signal.signal(s, signal.SIG_IGN)


if __name__ == "__main__":
    main()
