#!/usr/bin/env python3
"""Build every format of the Complaints Code: a thin wrapper over
``complaints-code build``. Arguments are passed through, e.g.
``python build_formats.py --only web,braille``."""

import sys

from complaints_code.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
