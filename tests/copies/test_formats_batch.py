"""EPUB, Word and plain-text copies in a batch: each gets its own file
ending, and none can go into a merged PDF print run."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from tests.conftest import SOURCE


def _batch(tmp_path: Path) -> Path:
    path = tmp_path / "requests.csv"
    path.write_text("format,size\nepub,\ndocx,28\ntext,\n",
                    encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_batch_writes_each_format_with_its_own_file_ending(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["copy", "--source", str(SOURCE), "--batch",
                                  str(_batch(tmp_path)), "--out-dir", str(out),
                                  "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["001-epub.epub", "002-docx.docx",
                                                     "003-text.txt"]
    assert docx.Document(str(out / "002-docx.docx")).styles["Normal"].font.size.pt == 28


def test_a_merged_print_run_refuses_digital_formats_naming_each_row(runner: CliRunner,
                                                                    tmp_path: Path) -> None:
    path = _batch(tmp_path)
    result = runner.invoke(main, ["copy", "--source", str(SOURCE), "--batch", str(path),
                                  "--merged", str(tmp_path / "run.pdf")])
    assert result.exit_code == 2
    for line, name in ((2, "an epub"), (3, "a docx"), (4, "a text")):
        assert (f"{path}:line {line}: format: {name} copy cannot go into a merged PDF print run; "
                f"use --out-dir, or make the {name.split()[1]} copies separately") in result.output
    assert not (tmp_path / "run.pdf").exists()
