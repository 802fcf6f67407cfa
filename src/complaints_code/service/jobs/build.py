"""The build of a release, in a process of its own.

A job worker is a daemonic process, which may not start the build's own
pool of renderer processes; and a renderer that crashes should take a
process of its own with it, not the worker. So the release job runs
``python -m complaints_code.service.jobs.build``, hands it the settings
(pickled, on its standard input) and reads its progress, one JSON object a
line, from its standard output:

    {"event": "start", "format": "braille"}
    {"event": "done", "format": "braille"}
    {"published": "/srv/out/site", "version": "1.1", "seconds": 8.1}
    {"error": "braille: ...", "kind": "BuildError"}

The exit status is 0 when the site was published, 1 when it was not.
"""

from __future__ import annotations

import json
import logging
import pickle
import sys
from typing import Any

from ...errors import ComplaintsCodeError
from ...publish import FormatResult, publish
from ...settings import Settings
from ...structure.source import load


def _say(**message: Any) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> int:
    """Build and publish every format from the settings' source."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    settings: Settings = pickle.load(sys.stdin.buffer)  # from the worker, over a pipe

    def event(kind: str, name: str, _result: FormatResult | None) -> None:
        _say(event=kind, format=name)

    try:
        code = load(settings.source)
        done = publish(code, settings, event=event)
    except ComplaintsCodeError as exc:
        _say(error=str(exc), kind=type(exc).__name__)
        return 1
    _say(published=str(done.site), version=code.metadata.version,
         seconds=round(done.seconds, 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
