"""The HTML redline in a real browser: axe finds no WCAG 2.2 AA violation at
desktop and phone widths, and on paper (print media) the changes still show."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaints_code.legal.redline import Version, redline
from complaints_code.legal.redline.formats import html
from complaints_code.structure.source import loads
from tests.browser import WIDTHS, axe_violations, chromium, describe, serve
from tests.conftest import TEMPLATES
from tests.legal.test_redline import THREE_EDITS, edited

pytestmark = pytest.mark.browser


def test_html_redline_passes_axe_and_prints_its_marks(tmp_path: Path, artifacts: Path,
                                                     source_text: str) -> None:
    new = edited(source_text, [*THREE_EDITS, ("  name: Ofcom", "  name: Communications Ombudsman")])
    page_html = html(redline(Version(loads(source_text), "git:v1.0"),
                             Version(loads(new), "code_source/complaints-code.yaml")),
                     TEMPLATES / "redline")
    (tmp_path / "redline.html").write_text(page_html, encoding="utf-8")
    with serve(tmp_path) as base, chromium() as browser:
        page = browser.new_page()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{base}/redline.html")
            violations = axe_violations(page)
            assert violations == [], describe(violations)
            page.screenshot(path=str(artifacts / f"redline-{width}.png"), full_page=True)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794, "height": 1123})
        page.screenshot(path=str(artifacts / "redline-print.png"), full_page=True)
        styles = page.evaluate("""() => ['ins', 'del'].map(t => {
            const s = getComputedStyle(document.querySelector('.words ' + t));
            return [s.textDecorationLine, s.color, s.backgroundColor]; })""")
        hidden = page.evaluate("() => getComputedStyle(document.querySelector('.sr-only')).width")
    # On paper: black underline and strike-through, no colour or tint needed.
    assert styles == [["underline", "rgb(0, 0, 0)", "rgba(0, 0, 0, 0)"],
                      ["line-through", "rgb(0, 0, 0)", "rgba(0, 0, 0, 0)"]]
    assert hidden == "1px"  # screen-reader words take no room on screen
