"""The ``complaints-code`` command (also ``python -m complaints_code``).

Signals are handled from the first moment, before the command line's
modules are imported (which takes a moment), so that Ctrl-C at any time
prints one line rather than a traceback; and after the command has ended,
while the interpreter shuts down, they are ignored (the work is done).
"""

from __future__ import annotations

import signal
import sys

from .interrupts import NAMES, SIGNALS, Interrupted, handling_signals


def main() -> None:
    """Run the command line."""
    try:
        with handling_signals():
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
