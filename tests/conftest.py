"""Shared fixtures: the shipped source, its model, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.model import Code
from complaints_code.source import load

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "code_source" / "complaints-code.yaml"
SEED = Path(__file__).resolve().parent / "data" / "opus-complaints-code.txt"
"""A copy of ../shared/seed/opus-complaints-code.txt, the Code as Opus supplied it."""
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def code() -> Code:
    """The shipped Opus Code."""
    return load(SOURCE)


@pytest.fixture
def source_text() -> str:
    """The shipped source's text, to edit in tests."""
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner for the real CLI entry point."""
    return CliRunner()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for test artefacts (screenshots, PNG pages) to look at by eye."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
