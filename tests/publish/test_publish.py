"""Publishing the site as a whole: build-info.json, reuse of unchanged
formats, the lock, leftovers, a failed format, a killed build and two builds
at once. Each check reads the published files themselves."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code import renderers
from complaints_code.cli import main
from tests.conftest import ROOT, digest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("publish")]

EXE = [sys.executable, "-c", "from complaints_code.cli import main; main()"]
FORMATS = ["data", "large-print", "print", "braille", "web"]
"""The formats these tests build: the publishing rules are the same for every
format, and each newer format (EPUB, audio ...) has tests of its own."""
ONLY = ",".join(FORMATS)


def build(out: Path, *args: str) -> tuple[int, str]:
    only = [] if "--only" in args else ["--only", ONLY]
    result = CliRunner().invoke(main, ["build", "--out", str(out), "-q", *only, *args])
    return result.exit_code, result.output


def site_state(site: Path) -> dict[str, str]:
    """Every file of a published site and its SHA-256."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def assert_whole(site: Path) -> str:
    """A published site is whole: build-info.json lists exactly its files with
    their hashes, and every format shows one and the same version of the Code.
    Returns that version."""
    site = site.resolve()  # one build, even if the link moves on meanwhile
    info = json.loads((site / "build-info.json").read_text(encoding="utf-8"))
    state = site_state(site)
    if not site.exists():
        # Replaced by a newer build and removed while being read: not a
        # mixed site, just a stale read.
        raise FileNotFoundError(site)
    state.pop("build-info.json")
    assert state == {name: meta["sha256"] for name, meta in info["files"].items()}
    version = info["code_version"]
    export = json.loads((site / "data" / "complaints-code.json").read_text(encoding="utf-8"))
    assert export["code"]["version"] == version
    page = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(rf"Version\s*{re.escape(version)}\b", page), "the page shows another version"
    return str(version)


def source_with_version(tmp_path: Path, version: str, name: str = "code.yaml") -> Path:
    text = (ROOT / "code_source" / "complaints-code.yaml").read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_text(text.replace('  version: "1.0"', f'  version: "{version}"', 1),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every format in the registry, built and published once."""
    out = tmp_path_factory.mktemp("published")
    result = CliRunner().invoke(main, ["build", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def test_the_site_is_a_link_to_one_whole_build_with_build_info(published: Path) -> None:
    site = published / "site"
    assert site.is_symlink() and os.readlink(site).startswith(".site-")
    assert assert_whole(site) == "1.0"
    info = json.loads((site / "build-info.json").read_text(encoding="utf-8"))
    source = (ROOT / "code_source" / "complaints-code.yaml").read_bytes()
    assert info["source_sha256"] == hashlib.sha256(source).hexdigest()
    assert list(info["formats"]) == renderers.formats()
    assert {"weasyprint", "mkdocs", "liblouis", "complaints-code"} <= set(info["engines"])
    assert all(re.fullmatch(r"[0-9a-f]{64}", f["fingerprint"])
               for f in info["formats"].values())
    assert info["files"]["downloads/complaints-code.brf"]["size"] == (
        site / "downloads" / "complaints-code.brf").stat().st_size


def test_a_build_with_nothing_changed_says_so_in_one_line_and_force_builds(
        published: Path) -> None:
    target = os.readlink(published / "site")
    result = CliRunner().invoke(main, ["build", "--out", str(published)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Nothing has changed since version 1.0")
    assert "up to date" in lines[0] and "--force" in lines[0]
    assert os.readlink(published / "site") == target  # nothing was published
    forced = CliRunner().invoke(main, ["build", "--out", str(published), "--force",
                                       "--only", "data", "-q"])
    assert forced.exit_code == 0, forced.output
    assert os.readlink(published / "site") != target
    info = json.loads((published / "site" / "build-info.json").read_text(encoding="utf-8"))
    assert info["formats"]["data"]["reused"] is False
    assert_whole(published / "site")


def test_a_rebuild_with_nothing_changed_reuses_every_format(tmp_path: Path) -> None:
    assert build(tmp_path)[0] == 0
    before = site_state(tmp_path / "site")
    before.pop("build-info.json")
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path), "--only", ONLY])
    assert result.exit_code == 0
    for name in FORMATS:
        assert re.search(rf"^{name}\s+reused$", result.stderr, re.M), result.stderr
    after = site_state(tmp_path / "site")
    after.pop("build-info.json")
    assert after == before
    status, _ = build(tmp_path, "--force")
    info = json.loads((tmp_path / "site" / "build-info.json").read_text(encoding="utf-8"))
    assert status == 0 and not any(f["reused"] for f in info["formats"].values())


def test_a_paragraph_edit_rebuilds_what_shows_it_and_reuses_the_data(tmp_path: Path) -> None:
    source = source_with_version(tmp_path, "1.0")
    out = tmp_path / "out"
    assert build(out, "--source", str(source))[0] == 0
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("We take all complaints seriously",
                                   "We take every complaint seriously", 1), encoding="utf-8")
    assert build(out, "--source", str(source))[0] == 0
    info = json.loads((out / "site" / "build-info.json").read_text(encoding="utf-8"))
    reused = {name for name, f in info["formats"].items() if f["reused"]}
    assert reused == {"data"}
    pdf = (out / "site" / "downloads" / "complaints-code-print.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert "We take every complaint seriously" in (out / "site" / "index.html").read_text()


@pytest.mark.parametrize("name", renderers.formats())
def test_the_registry_says_which_renderers_fingerprint_only_what_they_show(name: str) -> None:
    # The build reads the flag instead of importing every renderer; a module
    # with inputs() that is not flagged would be rebuilt on every paragraph edit.
    import importlib

    module = importlib.import_module(renderers.REGISTRY[name].module)
    assert renderers.REGISTRY[name].inputs == hasattr(module, "inputs")


def test_only_some_formats_keeps_the_others_from_the_published_site(tmp_path: Path) -> None:
    assert build(tmp_path)[0] == 0
    brf = (tmp_path / "site" / "downloads" / "complaints-code.brf").read_bytes()
    assert build(tmp_path, "--only", "data")[0] == 0
    again = (tmp_path / "site" / "downloads" / "complaints-code.brf").read_bytes()
    assert digest(again) == digest(brf)
    assert_whole(tmp_path / "site")


def test_a_failing_format_publishes_nothing_and_keeps_the_previous_site(
        published: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(out)[0] == 0
    before = site_state(out / "site")
    text = (ROOT / "code_source" / "complaints-code.yaml").read_text(encoding="utf-8")
    source = tmp_path / "bad.yaml"
    source.write_text(text.replace("We take all complaints seriously",
                                   "We take all complaints ☎ seriously", 1), encoding="utf-8")
    status, output = build(out, "--source", str(source))
    assert status == 2
    assert "☎" in output and "Traceback" not in output
    assert site_state(out / "site") == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".staging")) == []


def test_a_second_build_into_the_same_folder_refuses_while_one_holds_the_lock(
        tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    fd = os.open(tmp_path / ".build.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        status, output = build(tmp_path, "--only", "data")
        assert status == 2
        assert output == (f"error: another build is publishing into {tmp_path}; wait for it "
                          "to finish, or give --wait SECONDS to wait for it\n")
        started = time.monotonic()
        result = CliRunner().invoke(main, ["build", "--out", str(tmp_path), "--only", "data",
                                           "--wait", "0.5"])
        assert result.exit_code == 2 and time.monotonic() - started >= 0.5
        assert f"waiting for another build into {tmp_path} to finish..." in result.stderr
    finally:
        os.close(fd)
    assert build(tmp_path, "--only", "data")[0] == 0
    assert not (tmp_path / "site" / "index.html").exists()  # only data was asked for


def test_leftovers_of_a_killed_build_are_removed_by_the_next(tmp_path: Path) -> None:
    (tmp_path / ".staging-0123456789ab" / "site").mkdir(parents=True)
    (tmp_path / ".site-dead00000000").mkdir()
    (tmp_path / ".link-feedfeedfeed").symlink_to(".site-dead00000000")
    assert build(tmp_path, "--only", "data")[0] == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".build.lock", os.readlink(tmp_path / "site"), "site"]


def _spawn(source: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    # Errors go to a file beside the source, read by _errors() if a build fails.
    with (source.parent / f"{source.stem}.log").open("ab") as log:
        return subprocess.Popen([*EXE, "build", "-q", "--only", ONLY, "--source", str(source),
                                 "--out", str(out), *extra], stdout=subprocess.DEVNULL, stderr=log,
                                start_new_session=True, env={**os.environ, "CI": "1"})


def _errors(source: Path) -> str:
    return (source.parent / f"{source.stem}.log").read_text(encoding="utf-8")


def test_killing_a_build_at_any_moment_leaves_the_previous_site_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(out)[0] == 0
    source = source_with_version(tmp_path, "2.0")
    versions = set()
    for delay in (0.05, 0.4, 0.9, 1.5, 2.2, 3.0, 4.5):
        proc = _spawn(source, out, "--force")
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers, mid-flight
        proc.wait()
        versions.add(assert_whole(out / "site"))
    assert versions <= {"1.0", "2.0"}
    proc = _spawn(source, out)
    assert proc.wait(timeout=120) == 0, _errors(source)
    assert assert_whole(out / "site") == "2.0"
    assert not [p for p in out.iterdir() if p.name.startswith(".staging-")]


def test_two_builds_at_once_never_leave_a_mixed_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    a, b = source_with_version(tmp_path, "3.0", "a.yaml"), source_with_version(tmp_path, "4.0",
                                                                              "b.yaml")
    first, second = _spawn(a, out, "--wait", "120"), _spawn(b, out, "--wait", "120")
    seen = set()
    while first.poll() is None or second.poll() is None:
        if (out / "site").exists():
            # FileNotFoundError: the build being read was replaced and removed meanwhile.
            with contextlib.suppress(FileNotFoundError):
                seen.add(assert_whole(out / "site"))
        time.sleep(0.05)
    assert first.returncode == 0, _errors(a)
    assert second.returncode == 0, _errors(b)
    seen.add(assert_whole(out / "site"))
    assert seen <= {"3.0", "4.0"} and seen
