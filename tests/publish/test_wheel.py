"""The package as others install it: a wheel, installed into a fresh virtual
environment, builds the site from a folder that is not a checkout, with no
config file: the templates, the website's pages and MkDocs configuration and
a sample source travel inside the package, and the build is written in the
working folder, not among the package's files."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=600)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``complaints-code`` command of a fresh virtual environment holding
    only the wheel. Its dependencies are the project's own (a .pth line naming
    the project's site-packages), so that the test does not spend a minute
    installing them again; the package itself comes only from the wheel."""
    work = tmp_path_factory.mktemp("wheel")
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                  str(work / "wheels"), str(ROOT)], work)
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "wheels").glob("complaints_code-*.whl")
    venv = work / "venv"
    assert _run([sys.executable, "-m", "venv", str(venv)], work).returncode == 0
    site = venv / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    (site / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps",
                 str(wheel)], work)
    assert done.returncode == 0, done.stderr
    return venv / "bin" / "complaints-code"


def test_an_installed_wheel_builds_every_format_from_another_folder(installed: Path,
                                                                     tmp_path: Path) -> None:
    where = _run([str(installed.parent / "python"), "-c",
                  "import complaints_code; print(complaints_code.__file__)"], tmp_path)
    assert "site-packages" in where.stdout and str(ROOT) not in where.stdout
    done = _run([str(installed), "build", "--quiet"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    site = tmp_path / "dist" / "site"
    info = json.loads((site / "build-info.json").read_text(encoding="utf-8"))
    assert set(info["formats"]) == {"data", "large-print", "print", "braille", "epub", "docx",
                                    "text", "audio", "talking-book", "web"}
    assert "Opus Telecoms" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "downloads" / "complaints-code-large-print.pdf").stat().st_size > 10_000
