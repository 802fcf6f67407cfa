"""Batch files: every bad row reported at once with its row, field, what and
how to fix; values of the wrong type refused; all or nothing written, with
failures found while rendering naming their row."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.copies import batch
from tests.conftest import SOURCE, project_settings

SETTINGS = project_settings()
HEADER = "format,size,name,address,reference,file\n"


def problems_of(path: Path) -> list[str]:
    with pytest.raises(batch.BatchError) as info:
        batch.prepare(path, SETTINGS, out_dir=path.parent / "out")
    return info.value.problems


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("row", "message"), [
    ({"name": 12, "address": "1 Road; London; SW1A 1AA"},
     "name: expected text, got 12; put the value in quotes"),
    ({"name": "Ann", "address": ["1 Road", 3]},
     'address: expected address lines as text, got ["1 Road", 3]; write ["1 Road", "London", '
     '"SW1A 1AA"]'),
    ({"name": "Ann", "address": "1 Road; London; SW1A 1AA", "reference": {"id": 1}},
     'reference: expected text, got {"id": 1}; put the value in quotes'),
    ({"format": ["print"]}, 'format: expected text, got ["print"]; put the value in quotes'),
    ({"size": True}, "size: true is not a whole number; write digits only, e.g. 18"),
    ({"size": 18.5}, "size: 18.5 is not a whole number; write digits only, e.g. 18"),
    ({"size": "1e3"}, "size: '1e3' is not a whole number; write digits only, e.g. 18"),
    ({"size": "9" * 5000}, "size: '" + "9" * 39 + "…' is not a whole number; write digits "
     "only, e.g. 18"),
    ({"file": 7}, "file: expected text, got 7; put the value in quotes"),
    ({"file": "../x.pdf"}, "file: '../x.pdf' must be a plain file name of at most 120 "
     'characters, without folders or any of / \\ : * ? " < > |'),
    ({"file": "a\u0000b.pdf"}, "file: file contains the control character <U+0000 NULL>; "
     "remove it"),

    ({"colour": "red"}, "colour: unknown key 'colour'; the keys are format, size, name, "
     "address, reference, grade, cells, lines, salutation, font, bold, line_spacing, sides, "
     "paper, envelope, file"),
    ({"format": "braille", "cells": 5}, "cells: cells = 5 is not allowed; use a number from "
     "20 to 100"),
    ({"format": "braille", "grade": 3}, "grade: grade = 3 is not allowed; use one of [1, 2]"),
])
def test_a_bad_json_value_is_named_with_its_request_and_field(
        tmp_path: Path, row: dict[str, object], message: str) -> None:
    path = write(tmp_path, "r.json", json.dumps([{"format": "print"}, row]))
    assert problems_of(path) == [f"{path}:request 2: {message}"]


def test_every_field_s_problem_of_a_row_is_reported_with_its_column(tmp_path: Path) -> None:
    path = write(tmp_path, "r.json", json.dumps([
        {"format": "print", "size": 15, "name": "Ann\u0000",
         "address": "1 Road\u0007; London; SW1A 1AA", "sides": "both"}]))
    assert problems_of(path) == [
        f"{path}:request 1: size: size 15 is not offered for print; choose 12 or 14",
        f"{path}:request 1: sides: sides both is not offered for print; choose single or double",
        f"{path}:request 1: name: name contains the control character <U+0000 NULL>; remove it",
        f"{path}:request 1: address: address contains the control character <U+0007 BELL>; "
        "remove it"]


def test_every_bad_row_is_reported_in_row_order_from_reading_and_checking(
        tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", HEADER +
                 "large-print,24,Ann Lee,1 Road; London; SW1A 1AA,R1,,extra\n"
                 "print,15,Bob,2 Lane; Leeds; LS1 1AA,,\n"
                 "print,,,,,\n"
                 "braille,,,,,x.brf\n"
                 "braille,,,,,x.brf\n"
                 "print,big,,,,\n")
    assert problems_of(path) == [
        f"{path}:line 2: the row has 7 cells but the header has 6 columns; remove the extra "
        "cells, or add a heading for them",
        f"{path}:line 3: size: size 15 is not offered for print; choose 12 or 14",
        f"{path}:line 6: file: the file name x.brf is used twice; give each copy its own name",
        f"{path}:line 7: size: 'big' is not a whole number; write digits only, e.g. 18",
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("format,colour\nprint,red\n", "line 1: colour: unknown column 'colour'; the columns are "
     "format, size, name, address, reference, grade, cells, lines, salutation, font, bold, "
     "line_spacing, sides, paper, envelope, file"),
    ("format,sise\nprint,14\n", "line 1: sise: unknown column 'sise'; did you mean 'size'?"),
    ("format,size,size\nprint,14,12\n", "line 1: size: the column 'size' appears twice; keep "
     "one of them"),
    ("format,,size\nprint,x,14\n", "line 2: cell 2 has no column heading; add a heading, or "
     "empty the cell"),
    ("", "no requests; add one row per copy under the header"),
    ("format,size\n", "no requests; add one row per copy under the header"),
])
def test_csv_headings_and_cells_must_match(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "r.csv", text)
    sep = ":" if message.startswith("line") else ": "
    assert problems_of(path) == [f"{path}{sep}{message}"]


def test_a_blank_trailing_line_and_empty_trailing_cells_are_fine(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "format,size,,\nprint,14,,\n\n")
    (job,) = batch.prepare(path, SETTINGS, out_dir=tmp_path / "out")
    assert job.request.point_size == 14


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfeformat\n", "the file is not UTF-8 text (byte 1); save it as CSV UTF-8 or JSON"),
    (b'{"format": "print"}', "expected a JSON list of objects, one per copy"),
    (b"[1, 2]", "expected a JSON list of objects, one per copy"),
    (b"[" * 100_000, "the JSON is nested too deeply; expected a list of objects, one per copy"),
])
def test_a_batch_file_that_cannot_be_read_says_why(tmp_path: Path, content: bytes,
                                                   message: str) -> None:
    path = tmp_path / ("r.csv" if content.startswith(b"\xff") else "r.json")
    path.write_bytes(content)
    assert problems_of(path) == [f"{path}: {message}"]


@pytest.mark.slow
def test_a_failure_while_rendering_names_its_row_and_writes_nothing(tmp_path: Path) -> None:
    # A letter template that cannot render: only the rows with a letter fail.
    templates = tmp_path / "templates"
    shutil.copytree(SETTINGS.templates, templates)
    letter = templates / "print" / "letter.html.j2"
    letter.write_text(letter.read_text(encoding="utf-8") + "{{ no_such_name }}",
                      encoding="utf-8")
    settings = project_settings(templates=templates)
    path = write(tmp_path, "r.csv", HEADER + "print,,,,,plain.pdf\n"
                 "print,,Ann Lee,1 Road; London; SW1A 1AA,,ann.pdf\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.pdf").write_bytes(b"from yesterday")
    jobs = batch.prepare(path, settings, out_dir=out)
    with pytest.raises(batch.BatchRenderError) as info:
        batch.run_batch(settings, jobs, workers=1)
    assert info.value.problems == [
        f"{path}:line 3: the copy could not be made (UndefinedError: 'no_such_name' is "
        "undefined); nothing was written"]
    assert sorted(p.name for p in out.iterdir()) == ["earlier.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "r.csv", "templates"]


def test_cli_batch_reports_rows_and_exits_2_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "r.json", json.dumps([{"name": None, "size": "x"}, {"size": 99}]))
    result = CliRunner().invoke(main, ["copy", "--source", str(SOURCE), "--batch", str(path),
                                       "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output == (
        f"error: {path}:request 1: size: 'x' is not a whole number; write digits only, e.g. "
        f"18\n{path}:request 2: size: size 99 is not offered for large-print; choose 16, 18, "
        "20, 24, 28 or 32\n2 problems in the batch; nothing was written\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("fmt", ["braille", "audio"])
def test_only_pdf_copies_go_into_a_merged_print_run(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, "r.csv", f"format\nprint\n{fmt}\n")
    article = "an" if fmt == "audio" else "a"
    with pytest.raises(batch.BatchError) as info:
        batch.prepare(path, SETTINGS, out_dir=None)
    assert info.value.problems == [
        f"{path}:line 3: format: {article} {fmt} copy cannot go into a merged PDF print run; "
        f"use an output folder (one file per copy), or make the {fmt} copies separately"]
