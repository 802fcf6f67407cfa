"""A job worker warms its renderers when it starts: a sample copy in each
print format and in braille, thrown away, so that the first real copy finds
the Code laid out and the fonts and tables loaded. Nothing is written."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from complaints_code.engines.pdf import render as pdf
from complaints_code.service.jobs.warm import warm, warmed_formats
from complaints_code.structure.source import load
from tests.conftest import project_settings


def test_the_formats_warmed_are_the_print_formats_and_braille() -> None:
    settings = project_settings()
    assert set(warmed_formats(settings)) == {*settings.print.formats, "braille"}


@pytest.mark.slow
def test_warming_lays_the_code_out_for_the_first_copy_and_writes_nothing(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = project_settings(var=tmp_path / "var")
    code = load(settings.source)
    pdf.code_documents.clear()
    with caplog.at_level(logging.INFO, logger="complaints_code.service.jobs"):
        warm(settings, code)
    assert len(pdf.code_documents) == len(settings.print.formats)  # each laid out once
    assert "renderers warm in" in caplog.text
    assert "large-print, print, braille" in caplog.text
    assert not (tmp_path / "var").exists() or not any((tmp_path / "var").rglob("*"))
