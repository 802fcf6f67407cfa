"""What each command installs: `make build` only what building, copies and
the service need; the test tools come with `make test`. And the command on
the PATH: `complaints-code` works as typed in a new login shell."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "ensure-system-packages"
TEST_ONLY = ("chromium", "default-jre-headless", "nodejs", "npm", "postgresql")
"""What a staff PC that only makes copies must not get."""


def _listed(which: str) -> list[str]:
    done = subprocess.run([str(SCRIPT), "--list", which], capture_output=True, text=True,
                          check=True)
    return done.stdout.split()


def test_the_build_set_has_none_of_the_test_tools_and_the_test_set_has_them() -> None:
    build, test = _listed("build"), _listed("test")
    assert "liblouis20" in build and "espeak-ng" in build
    assert [p for p in TEST_ONLY if p in build] == []
    assert [p for p in (*TEST_ONLY, "jing", "wrk", "poppler-utils") if p not in test] == []
    assert set(build) <= set(test)


@pytest.mark.slow
def test_nothing_the_build_set_depends_on_is_a_test_tool() -> None:
    closure = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
         "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", *_listed("build")],
        capture_output=True, text=True, check=True).stdout
    needed = {line.strip() for line in closure.splitlines() if not line.startswith(" ")}
    assert len(needed) > len(_listed("build")), "apt-cache found no dependencies"
    pulled = [p for p in needed if p.split(":")[0] in TEST_ONLY
              or p.startswith(("openjdk-", "chromium", "nodejs", "postgresql-"))]
    assert pulled == []


def test_make_build_on_a_fresh_clone_sets_up_only_the_build(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    plan = subprocess.run(["make", "-n", "build"], cwd=clone, capture_output=True, text=True,
                          check=True).stdout
    assert "scripts/ensure-system-packages build" in plan
    assert "--require-hashes -r requirements/runtime.lock" in plan
    for test_only in ("ensure-system-packages test", "dev.lock", "npm install", ".venv/bin/pytest"):
        assert test_only not in plan
    plan = subprocess.run(["make", "-n", "test"], cwd=clone, capture_output=True, text=True,
                          check=True).stdout
    assert "ensure-system-packages test" in plan and "requirements/dev.lock" in plan


def test_the_locks_pin_every_package_with_its_hash() -> None:
    for name in ("runtime.lock", "dev.lock"):
        text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
        pins = [line for line in text.splitlines() if "==" in line and not line.startswith("#")]
        assert pins and all(line.endswith("\\") for line in pins), name
        assert text.count("--hash=sha256:") >= len(pins)
    runtime = (ROOT / "requirements" / "runtime.lock").read_text(encoding="utf-8")
    assert "pytest==" not in runtime and "weasyprint==" in runtime


@pytest.mark.slow
def test_complaints_code_works_as_typed_in_a_new_login_shell(tmp_path: Path) -> None:
    # A user without sudo gets the link in ~/.local/bin, which Debian's
    # ~/.profile puts on the PATH of a login shell once the folder exists.
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy("/etc/skel/.profile", home / ".profile")
    clean = ["env", "-i", f"HOME={home}", "PATH=/usr/bin:/bin"]
    linked = subprocess.run([*clean, f"BINDIR={home}/.local/bin",
                             str(ROOT / "scripts" / "link-command")],
                            capture_output=True, text=True, check=False)
    assert linked.returncode == 0, linked.stderr
    assert f"linked {home}/.local/bin/complaints-code" in linked.stdout
    assert "open a new terminal" in linked.stderr  # not on this shell's PATH yet
    typed = subprocess.run([*clean, "bash", "-l", "-c", "complaints-code --version"],
                           capture_output=True, text=True, check=False, cwd=tmp_path)
    assert typed.returncode == 0, typed.stderr
    assert typed.stdout.startswith("complaints-code, version ")


def test_a_link_for_other_users_warns_when_they_cannot_reach_the_checkout(
        tmp_path: Path) -> None:
    closed = tmp_path / "closed"
    venv_bin = closed / "checkout" / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    closed.chmod(0o700)
    (venv_bin / "python").symlink_to("/usr/bin/python3")
    (venv_bin / "complaints-code").write_text("#!/bin/sh\n", encoding="utf-8")
    (venv_bin / "complaints-code").chmod(0o755)
    (closed / "checkout" / "scripts").mkdir()
    script = shutil.copy(ROOT / "scripts" / "link-command", closed / "checkout" / "scripts")
    done = subprocess.run(["env", "-i", f"HOME={tmp_path / 'home'}", "PATH=/usr/bin:/bin",
                           f"BINDIR={tmp_path / 'bin'}", script], capture_output=True,
                          text=True, check=True)
    assert f"other users cannot run complaints-code: {closed} is closed to them" in done.stderr
