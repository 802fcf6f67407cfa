"""Every HTML page we publish passes the W3C Nu HTML Checker (vnu-jar, run on
the system's Java) with zero errors: the site's pages, the redline and the
braille proofing preview. vnu starts slowly, so it runs once over all files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from complaints_code.legal.redline import Version, redline
from complaints_code.legal.redline.formats import html
from complaints_code.renderers import artifact
from complaints_code.structure.model import Code
from complaints_code.structure.source import loads
from tests.conftest import ROOT, TEMPLATES, braille_copy, build_web, project_settings
from tests.nu import nu_errors

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("web")]

OTHER_FORMATS = {"downloads/complaints-code-large-print.pdf": ("Large print", "PDF"),
                 "downloads/complaints-code-print.pdf": ("Standard print", "PDF"),
                 "downloads/complaints-code.brf": ("Braille", "BRF"),
                 "data/complaints-code.json": ("Stages and timescales as data", "JSON")}


def _site(code: Code, out: Path) -> list[Path]:
    """The website's pages, built with every other format present, as published."""
    downloads = tuple(artifact(name, os.urandom(500), label=label, kind=kind)
                      for name, (label, kind) in OTHER_FORMATS.items())
    site = build_web(code, out, project_settings(out=str(out)), downloads=downloads)
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def _redline(source_text: str, out: Path) -> Path:
    """A redline with every kind of change: values, words, sections."""
    new = source_text.replace("  name: Ofcom\n", "  name: the Communications Ombudsman\n", 1) \
        .replace("All disputes are logged", "All complaints are logged", 1) \
        .replace("value: 020 8545 8200", "value: 020 8545 8300", 1)
    page = out / "redline.html"
    page.write_text(html(redline(Version(loads(source_text), "git:v1.0"),
                                 Version(loads(new), "code.yaml")), TEMPLATES / "redline"),
                    encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def errors(code: Code, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Nu's errors for each page we publish, keyed by the page's name."""
    out = tmp_path_factory.mktemp("vnu")
    pages = {p.relative_to(out / "site").as_posix(): p for p in _site(code, out)}
    pages["redline.html"] = _redline((ROOT / "code_source" / "complaints-code.yaml")
                                     .read_text(encoding="utf-8"), out)
    braille_copy(code, out / "copy.brf")
    pages["copy-braille-preview.html"] = out / "copy-braille-preview.html"
    assert [name for name, p in pages.items() if not p.is_file()] == []
    return nu_errors(pages)


def test_every_site_page_has_zero_nu_errors(errors: dict[str, list[str]]) -> None:
    site = {name: e for name, e in errors.items()
            if name not in ("redline.html", "copy-braille-preview.html")}
    assert {"index.html", "changes/index.html", "counting-time/index.html",
            "accessibility/index.html", "404.html"} <= set(site)
    assert {name: e for name, e in site.items() if e} == {}


def test_the_redline_has_zero_nu_errors(errors: dict[str, list[str]]) -> None:
    assert errors["redline.html"] == []


def test_the_braille_preview_has_zero_nu_errors(errors: dict[str, list[str]]) -> None:
    assert errors["copy-braille-preview.html"] == []
