"""Fixtures shared by the renderers' end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main


@pytest.fixture(scope="session")
def spoken_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The audio, the talking book and the website, built and published once
    as ``make build`` does (the talking book takes its section tracks from
    the audio's cache, so the build speaks each once); the build folder.
    Tests that use it are in the xdist group "audio", so one worker builds it."""
    out = tmp_path_factory.mktemp("spoken-build")
    result = CliRunner().invoke(main, ["build", "--only", "audio,talking-book,web",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out
