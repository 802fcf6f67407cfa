"""`complaints-code preview` (MkDocs' live-reloading server with the
package's hooks), used as the legal team uses it: a mistake saved into the
source does not stop the server; every page shows the mistake with its
file:line:col and how to fix it, and the Code comes back when the mistake is
fixed and saved."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SOURCE

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("web")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return str(answer.read().decode("utf-8"))
    except urllib.error.URLError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 60) -> str:
    """The page at ``url`` once it contains ``text`` (the server rebuilds
    a moment after each save)."""
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        page = _get(url)
        if text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r}; last page:\n{page[:2000]}")


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A preview server of a copy of the project (its own source to break);
    its address and the source file."""
    project = tmp_path_factory.mktemp("preview")
    for name in ("docs", "templates"):
        (project / name).symlink_to(ROOT / name, target_is_directory=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(ROOT / "complaints-code.toml", project / "complaints-code.toml")
    (project / "code_source").mkdir()
    source = project / "code_source" / "complaints-code.yaml"
    shutil.copy(SOURCE, source)
    port = _free_port()
    command = [str(Path(sys.executable).parent / "complaints-code"), "preview",
               "--port", str(port)]
    url = f"http://127.0.0.1:{port}/"
    with (project / "preview.log").open("w") as log:
        server = subprocess.Popen(command, cwd=project, stdout=log, stderr=log)
        try:
            _wait_for(url, "Customer Complaints Code")
            yield url, source
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_a_saved_mistake_shows_on_every_page_and_the_fix_brings_the_code_back(
        preview: tuple[str, Path]) -> None:
    url, source = preview
    text = SOURCE.read_text(encoding="utf-8")
    broken = text.replace('  version: "1.0"\n', '  version "1.0"\n', 1)
    line = broken.splitlines().index('  version "1.0"') + 1
    source.write_text(broken, encoding="utf-8")
    page = _wait_for(url, "The Code source has a mistake")
    assert "<h1 id=\"the-code-source-has-a-mistake\">The Code source has a mistake</h1>" in page
    assert f"<code>code_source/complaints-code.yaml:{line}:3</code>" in page
    assert "a field name is missing its colon" in page
    assert "<strong>How to fix it:</strong> put a colon and a space after the field name" in page
    assert 'role="alert"' in page
    assert "The Code source has a mistake" in _get(url + "accessibility/")

    source.write_text(text.replace("    number: 3\n", "    number: three\n", 1),
                      encoding="utf-8")
    page = _wait_for(url, "stages[2].number")
    assert "expected a whole number" in page

    source.write_text(text, encoding="utf-8")
    page = _wait_for(url, "id=\"other-formats\"")
    assert "The Code source has" not in page


def test_a_port_in_use_is_one_line_naming_the_setting(preview: tuple[str, Path]) -> None:
    port = preview[0].rsplit(":", 1)[1].strip("/")
    command = [str(Path(sys.executable).parent / "complaints-code"), "preview", "--port", port]
    done = subprocess.run(command, cwd=preview[1].parents[1], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"error: port {port} on 127.0.0.1 is in use by another program (the service, or "
        "another preview?); choose another with --port or the [web] preview_port setting")
    assert "Traceback" not in done.stderr
