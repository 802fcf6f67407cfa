"""The braille proofing preview: every page's dots beside its print words,
and accessible in itself (axe in Debian's Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from complaints_code.model import Code

from .browser import WIDTHS, axe_violations, chromium, describe, serve
from .conftest import braille_copy as write_copy


@pytest.fixture(scope="module")
def copy(code: Code, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_copy(code, tmp_path_factory.mktemp("preview") / "complaints-code.brf")


def test_preview_shows_every_page_with_dots_hidden_and_print_words_readable(
        copy: list[Path], code: Code) -> None:
    _, text, preview = copy
    doc = html.fromstring(preview.read_text(encoding="utf-8"))
    assert doc.get("lang") == code.metadata.language
    pages = text.read_text(encoding="utf-8").split("\f")
    sections = doc.findall(".//main/section")
    assert [s.findtext("h2").split(" (")[0] for s in sections] == [
        f"Braille page {n}" for n in range(1, len(pages) + 1)]
    for section, page in zip(sections, pages, strict=True):
        dots = [span.text_content() for span in section.find_class("dots")]
        assert [d.rstrip("\u2800") for d in dots if d.strip("\u2800")] == [
            row.rstrip("\u2800") for row in page.split("\n") if row.strip("\u2800")]
        for span in section.find_class("dots"):
            hidden = span.get("aria-hidden") or span.getparent().get("aria-hidden")
            assert hidden == "true"
    print_words = " ".join(" ".join(span.text_content() for span in doc.find_class("print"))
                           .split())
    for section in code.sections:
        assert section.title in print_words
    assert code.contact("email").value in print_words


@pytest.mark.browser
def test_preview_has_no_axe_violations_and_is_screenshotted(
        copy: list[Path], artifacts: Path) -> None:
    preview = copy[2]
    with serve(preview.parent) as base, chromium() as browser:
        page = browser.new_page()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{base}/{preview.name}")
            violations = axe_violations(page)
            assert not violations, describe(violations)
            page.screenshot(path=str(artifacts / f"braille-preview-{width}.png"))
            page.locator("#page-4").scroll_into_view_if_needed()
            page.locator("section.page").nth(3).screenshot(
                path=str(artifacts / f"braille-preview-page4-{width}.png"))
            overflow = page.evaluate("document.documentElement.scrollWidth > innerWidth")
            assert not overflow, f"the preview scrolls sideways at {width} px"
