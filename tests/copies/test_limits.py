"""Batch limits (issue 19): a batch file larger than batch.max_bytes, or with
more requests than batch.max_rows, is refused with a clear message before it
is read into memory (never a MemoryError); the same reference on two
different customers is refused, naming both rows; the same customer twice
under one reference is a batch like any other."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.copies import batch
from tests.conftest import project_settings

HEADER = "format,name,address,reference\n"
JANE = 'large-print,Jane Smith,"1 High Street;London;SW1A 1AA",OPUS-1\n'


def run(runner: CliRunner, file: Path, out: Path, **env: str) -> tuple[int, str]:
    result = runner.invoke(main, ["copy", "--batch", str(file), "--out-dir", str(out)],
                           env={f"COMPLAINTS_CODE_BATCH__{k.upper()}": v for k, v in env.items()})
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(runner: CliRunner,
                                                                   tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as fh:  # 4 GB, sparse: nothing is written to the disk
        fh.write(HEADER.encode())
        fh.truncate(4 * 1024 ** 3)
    status, err = run(runner, huge, tmp_path / "out")
    assert (status, err) == (2, f"error: {huge}: the batch file is 4096.0 MB, more than the "
                                "10.0 MB a batch may be (batch.max_bytes); split it into smaller "
                                "batches\n1 problem in the batch; nothing was written\n")
    assert not (tmp_path / "out").exists()


def test_more_rows_than_the_limit_are_refused(runner: CliRunner, tmp_path: Path) -> None:
    many = tmp_path / "many.csv"
    many.write_text(HEADER + "print,,,\n" * 10_001, encoding="utf-8")
    status, err = run(runner, many, tmp_path / "out")
    assert (status, err) == (2, f"error: {many}: the batch file has 10,001 requests, more than "
                                "the 10,000 a batch may have (batch.max_rows); split it into "
                                "smaller batches\n1 problem in the batch; nothing was written\n")


def test_the_limits_are_settings(runner: CliRunner, tmp_path: Path) -> None:
    rows = tmp_path / "rows.json"
    rows.write_text('[{"format": "print"}, {"format": "print"}, {"format": "print"}]',
                    encoding="utf-8")
    status, err = run(runner, rows, tmp_path / "out", max_rows="2")
    assert status == 2 and "has 3 requests, more than the 2 a batch may have" in err
    status, err = run(runner, rows, tmp_path / "out", max_bytes="1024", max_rows="2")
    assert status == 2 and "has 3 requests" in err  # 77 bytes: within 1,024


def test_the_same_reference_on_two_customers_is_refused_naming_both_rows(
        runner: CliRunner, tmp_path: Path) -> None:
    file = tmp_path / "refs.csv"
    file.write_text(HEADER + JANE + 'braille,Raj Patel,"2 Low Road;Leeds;LS1 1AA",OPUS-1\n'
                    'print,Ann Other,"3 Lane;York;YO1 1AA",opus-1 \n', encoding="utf-8")
    status, err = run(runner, file, tmp_path / "out")
    assert status == 2
    assert err.splitlines()[:2] == [
        f'error: {file}:line 3: reference: "OPUS-1" is already the reference of line 2, for '
        'another customer ("Jane Smith"); give each customer a reference of their own',
        f'{file}:line 4: reference: "opus-1" is already the reference of line 2, for another '
        'customer ("Jane Smith"); give each customer a reference of their own']
    assert not (tmp_path / "out").exists()


def test_one_customer_may_have_two_copies_under_one_reference(tmp_path: Path) -> None:
    file = tmp_path / "same.csv"
    file.write_text(HEADER + JANE + 'braille,jane  smith,"1 High Street, ;London\nSW1A 1AA",'
                    "OPUS-1\n", encoding="utf-8")
    jobs = batch.prepare(file, project_settings(), out_dir=tmp_path / "out")
    assert [job.request.format for job in jobs] == ["large-print", "braille"]


def test_a_batch_that_is_not_a_regular_file_is_refused(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    status, err = run(runner, pipe, tmp_path / "out")
    assert (status, err.splitlines()[0]) == (
        2, f"error: {pipe}: not a regular file (a device, socket or named pipe); give the "
           "batch as a CSV or JSON file")
