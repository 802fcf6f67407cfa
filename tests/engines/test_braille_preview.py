"""The braille proofing preview: every page's dots beside its print words,
and accessible in itself (axe in Debian's Chromium)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import louis
import pytest
from lxml import html

from complaints_code.engines.braille import formats
from complaints_code.engines.braille.document import compose
from complaints_code.resources import resources
from complaints_code.settings import Settings
from complaints_code.structure.model import Code
from tests.browser import WIDTHS, axe_violations, chromium, describe, serve
from tests.conftest import braille_copy as write_copy


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
            assert any(el.get("aria-hidden") == "true" for el in span.iterancestors())
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


def test_preview_shows_brf_characters_with_visible_blank_cells_under_a_cell_ruler(
        copy: list[Path], code: Code) -> None:
    brf, _, preview = copy
    doc = html.fromstring(preview.read_text(encoding="utf-8"))
    brf_pages = [page.split("\r\n")[:-1] for page in
                 brf.read_bytes().decode("ascii").split("\f")]
    for section, rows in zip(doc.findall(".//main/section"), brf_pages, strict=True):
        ruler = [span.text_content() for span in section.find_class("ruler")[0]
                 .find_class("brf")]
        assert ruler[1] == "1234567890" * 4
        assert ruler[0][9::10] == "1234"
        shown = [li.find_class("brf")[0].text_content() for li in section.findall(".//ol/li")]
        assert [row.rstrip("\u00b7") for row in shown[:len(rows)]] == [
            row.rstrip(" ").replace(" ", "\u00b7") for row in rows]
    # A paragraph's indent of two blank cells is visible: "··" then a character.
    assert any(re.match("\u00b7\u00b7[^\u00b7]", li.text_content())
               for li in doc.find_class("brf"))


def test_preview_back_translates_every_line_and_the_shipped_code_has_none_to_check(
        copy: list[Path], code: Code) -> None:
    brf, _, preview = copy
    doc = html.fromstring(preview.read_text(encoding="utf-8"))
    backs = [p.text_content().removeprefix("Back:").strip() for p in doc.find_class("back")]
    tables = ["en-us-brf.dis", "en-ueb-g2.ctb"]
    assert f"Transcribed by {code.metadata.provider}" in " ".join(backs)
    assert any("SW19 2TJ" in back for back in backs)
    assert any("SE1 9HA" in back for back in backs)
    rows = [row.strip() for page in brf.read_bytes().decode("ascii").split("\f")
            for row in page.split("\r\n") if row.strip() and '""' not in row]
    expected = {louis.backTranslateString(tables, row) for row in rows}
    assert expected <= set(backs)
    assert not doc.find_class("check")
    assert "None: on every line" in doc.get_element_by_id("to-check").getnext().text_content()


def test_a_line_whose_back_translation_differs_is_marked_in_words_and_listed(
        code: Code, settings: Settings) -> None:
    doc = compose(code, settings.braille)
    page = doc.pages[2]
    rows = list(page.rows)
    at = next(i for i, line in enumerate(rows) if line.role == "paragraph")
    rows[at] = replace(rows[at], cells="  ,WR;G ,BRL")  # "Wrong Braille"
    broken = replace(doc, pages=(*doc.pages[:2], replace(page, rows=tuple(rows)),
                                 *doc.pages[3:]))
    page_html = html.fromstring(formats.preview(broken, code, resources(settings)))
    checks = page_html.find_class("check")
    assert len(checks) == 1 and checks[0].text_content().startswith("Check:")
    row = checks[0].getparent().getparent()
    assert row.get("id") == f"p3-l{at + 1}"
    links = page_html.find_class("to-check")[0].findall(".//a")
    assert [(a.get("href"), a.text_content()) for a in links] == [
        (f"#p3-l{at + 1}", f"Page 3, line {at + 1}")]

