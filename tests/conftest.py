"""Shared fixtures: the shipped source, its model, and a CLI runner."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.copies.request import CopyRequest, write_copy
from complaints_code.renderers import Artifact, RenderContext, get
from complaints_code.settings import Settings, load_settings
from complaints_code.structure.model import Code
from complaints_code.structure.source import load

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "code_source" / "complaints-code.yaml"
SEED = Path(__file__).resolve().parent / "data" / "opus-complaints-code.txt"
"""A copy of ../shared/seed/opus-complaints-code.txt, the Code as Opus supplied it."""
ARTIFACTS = ROOT / "test-artifacts"
CONFIG = ROOT / "complaints-code.toml"
TEMPLATES = ROOT / "templates"


def digest(data: bytes) -> str:
    """A file's SHA-256 and size, for comparing outputs: a failed ``==`` on
    two large byte strings makes pytest diff them byte by byte, which on CI
    (where pytest does not truncate) runs for many minutes."""
    return f"{hashlib.sha256(data).hexdigest()} ({len(data)} bytes)"


def project_settings(**flags: object) -> Settings:
    """The project's settings (its own config file, wherever the tests run
    from), with flags on top."""
    return load_settings(CONFIG, flags=flags)


def render(name: str, code: Code, settings: Settings | None = None,
           context: RenderContext | None = None) -> list[Artifact]:
    """One format's artifacts, rendered in this process."""
    return get(name)(code, settings or project_settings(), context or RenderContext())


def build_web(code: Code, out: Path, settings: Settings | None = None,
              downloads: tuple[Artifact, ...] = (), past: tuple[Artifact, ...] = ()) -> Path:
    """The website rendered (linking to ``downloads`` and the past versions'
    files ``past``) and written with the downloads into OUT/new-site, as the
    publish step would; returns the site folder."""
    site = out / ("new-site" if past else "site")
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    made = render("web", code, settings, RenderContext(work_dir=work, downloads=downloads,
                                                       past_downloads=past))
    for item in (*downloads, *made):
        item.write_into(site)
    return site


def braille_copy(code: Code, out: Path, settings: Settings | None = None,
                 **options: int) -> list[Path]:
    """An on-request braille copy written at ``out`` (with its companions)."""
    request = CopyRequest.parse({"format": "braille", **options}, settings or project_settings())
    return write_copy(code, request, out)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that drives a browser is slow too (``make quick`` leaves out both)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The project's settings."""
    return project_settings()


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
