"""Output paths (issue 19): a name with a control character is refused; only
a regular file or a new name is written, so a device, a socket or a named
pipe given as the output is refused with exit 2 and left as it is; a copy of
several files (the copy and its letter) is written all or none. Property
tests: any file name, any set of names."""

from __future__ import annotations

import os
import socket
import stat
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints_code.cli import main
from complaints_code.errors import OutputError
from complaints_code.output import write_all, write_atomic
from tests.settings.test_properties import PROPERTIES


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def unix_socket(path: Path) -> Path:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
    return path


SPECIAL = {
    "fifo": (fifo, "is a named pipe (FIFO), not a regular file, and is never replaced; give "
             "the name of a new or ordinary file"),
    "socket": (unix_socket, "is a socket, not a regular file, and is never replaced; give the "
               "name of a new or ordinary file"),
}


@pytest.mark.parametrize("kind", sorted(SPECIAL))
@pytest.mark.parametrize("command", [["export", "--out"], ["schema", "--out"],
                                     ["diff", "git:HEAD", "--out"],
                                     ["copy", "--format", "braille", "--out"]])
def test_a_special_file_given_as_the_output_is_refused_and_left_alone(
        runner: CliRunner, tmp_path: Path, kind: str, command: list[str]) -> None:
    make, reason = SPECIAL[kind]
    target = make(tmp_path / "target")
    result = runner.invoke(main, [*command, str(target)])
    assert (result.exit_code, result.stderr) == (2, f"error: {target}: {reason}\n")
    mode = target.lstat().st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISSOCK(mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]


def test_a_build_folder_that_is_a_pipe_is_refused_and_left_alone(runner: CliRunner,
                                                                  tmp_path: Path) -> None:
    pipe = fifo(tmp_path / "out")
    result = runner.invoke(main, ["build", "--only", "data", "--out", str(pipe)])
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2, f"error: {pipe}: is a device, socket or named pipe, not a folder; give --out a folder")
    assert stat.S_ISFIFO(pipe.lstat().st_mode)


def test_a_device_given_as_the_output_is_refused_and_left_alone(runner: CliRunner) -> None:
    before = os.stat("/dev/null")
    result = runner.invoke(main, ["export", "--out", "/dev/null"])
    assert (result.exit_code, result.stderr) == (
        2, "error: /dev/null: is a device, not a regular file, and is never replaced; give the "
           "name of a new or ordinary file\n")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@pytest.mark.parametrize(("name", "shown"), [("a\nb.json", "a<U+000A LINE FEED>b.json"),
                                             ("tab\there.json", "tab<U+0009 CHARACTER "
                                              "TABULATION>here.json"),
                                             ("\x1b[31mred.json", "<U+001B ESCAPE>[31mred.json")])
def test_a_name_with_a_control_character_is_refused(runner: CliRunner, tmp_path: Path,
                                                    name: str, shown: str) -> None:
    result = runner.invoke(main, ["export", "--out", str(tmp_path / name)])
    assert result.exit_code == 2
    assert result.stderr == (f"error: {tmp_path}/{shown}: the name has a control character "
                             f"in it ({shown.split('<')[1].split('>')[0]}); choose a name "
                             "without one\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["build", "--out"], ["copy", "--format", "text", "--out"], ["export", "--out"],
    ["diff", "git:HEAD", "--out"], ["check", "--source"], ["--config"],
    ["copy", "--batch", "rows.csv", "--out-dir"], ["copy", "--batch", "rows.csv", "--merged"],
])
def test_an_empty_path_is_refused_not_read_as_the_current_folder(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        args: list[str]) -> None:
    # `--out ""` once published a whole site into the working folder.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rows.csv").write_text("format\ntext\n", encoding="utf-8")
    result = runner.invoke(main, [*args, " " if args == ["--config"] else ""] +
                           (["check"] if args == ["--config"] else []))
    assert result.exit_code == 2, result.output
    assert "the path is empty; give a file or folder name" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.csv"]


@pytest.mark.slow
def test_a_copy_of_several_files_is_written_all_or_none(runner: CliRunner,
                                                        tmp_path: Path) -> None:
    (tmp_path / "smith.brf").write_bytes(b"the copy sent last week")
    fifo(tmp_path / "smith-braille-preview.html")  # the last of the copy's three files
    result = runner.invoke(main, ["copy", "--format", "braille",
                                  "--out", str(tmp_path / "smith.brf")])
    assert result.exit_code == 2, result.output
    assert "smith-braille-preview.html: is a named pipe (FIFO)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["smith-braille-preview.html",
                                                          "smith.brf"]
    assert (tmp_path / "smith.brf").read_bytes() == b"the copy sent last week"


def test_write_all_puts_back_what_it_replaced_when_stopped_between_renames(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("old a", encoding="utf-8")
    renames = []

    def replace_then_interrupt(src: str, dst: str) -> None:
        if len(renames) == 1 and Path(dst) == second:  # Ctrl-C after the first rename
            raise KeyboardInterrupt
        renames.append(dst)
        real_replace(src, dst)

    real_replace = os.replace
    monkeypatch.setattr(os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_all({first: "new a", second: "new b"})
    monkeypatch.undo()
    assert first.read_text(encoding="utf-8") == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs")
def test_write_all_writes_nothing_when_a_later_file_cannot_be_staged(tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text("old", encoding="utf-8")
    with pytest.raises(OutputError):  # even root cannot make a file in sysfs
        write_all({first: "new", Path("/sys/complaints-code-test.txt"): "new"})
    assert first.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


NAMES = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=30),
    st.sampled_from(["", ".", "..", "a/b/c.txt", "a\nb.txt", "tab\there", "esc\x1b[31m",
                     "x" * 300, "é" * 200, "./x", "../escape.txt", "sub/", "nul\x00x"])
).map(lambda name: name.lstrip("/"))  # under the test's folder, never the file system's root


@pytest.mark.slow
@settings(PROPERTIES, max_examples=120)
@given(NAMES, st.binary(max_size=64))
def test_an_output_path_is_written_whole_or_refused_with_an_output_error(
        name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve() / "out"
        root.mkdir()
        target = root / name
        try:
            written = write_atomic(target, data)
        except OutputError as exc:
            assert str(exc.path) and exc.reason and exc.hint
            assert not [p for p in Path(folder).rglob("*") if p.is_file()]  # nothing left
            return
        assert not any(ord(c) < 0x20 or ord(c) == 0x7F for c in name)
        assert written.read_bytes() == data
        assert [p for p in Path(folder).rglob("*") if p.is_file()] == [written.resolve()]


@settings(PROPERTIES, max_examples=60)
@given(st.lists(NAMES, min_size=2, max_size=3, unique=True))
def test_several_files_are_written_all_or_none(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve() / "out"
        root.mkdir()
        (root / "kept.txt").write_bytes(b"before")
        files = {root / name: name.encode("utf-8", "replace") for name in names}
        try:
            written = write_all(files)
        except OutputError:
            found = sorted(p for p in Path(folder).rglob("*") if p.is_file())
            assert found == [root / "kept.txt"]
            assert (root / "kept.txt").read_bytes() == b"before"
            return
        for path in written:
            assert path.read_bytes() == files[path]
