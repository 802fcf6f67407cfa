"""The W3C Nu HTML Checker (vnu-jar, installed into .tools/ by make
test-setup, run on the system's Java). It starts slowly, so each test hands
it every page at once."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

VNU = ROOT / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(pages: dict[str, Path]) -> dict[str, list[str]]:
    """The checker's errors on each page (``line: message``), by the
    page's name; every page is a key, with an empty list when clean."""
    if not VNU.is_file() or shutil.which("java") is None:
        pytest.fail(f"the Nu HTML Checker is not installed at {VNU}; run make test-setup")
    done = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--stdout",
                           *map(str, pages.values())],
                          capture_output=True, text=True, check=False, timeout=300)
    names = {f"file:{p.resolve()}": name for name, p in pages.items()}  # vnu's form
    found: dict[str, list[str]] = {name: [] for name in pages}
    for m in json.loads(done.stdout)["messages"]:
        if m["type"] == "error" or m.get("subType") == "fatal":
            found.setdefault(names.get(m.get("url", ""), m.get("url", "?")), []).append(
                f"{m.get('lastLine')}: {m['message']}")
    return found


def nu_errors_in(sources: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """The checker's errors on HTML as a server sent it, by page name; only
    the pages with errors."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, html in sources.items():
        files[name] = folder / f"{name}.html"
        files[name].write_text(html, encoding="utf-8")
    return {name: found for name, found in nu_errors(files).items() if found}
