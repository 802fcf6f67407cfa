"""The built website in Debian's Chromium: axe-core finds no WCAG 2.2 AA
violation on any page at 1280 and 390 px in either palette; the keyboard
reaches the skip link, the content and every "Other formats" link with a
visible focus; a phone never scrolls sideways; print hides navigation."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageChops

from complaints_code.engines.web import site as web
from complaints_code.renderers import artifact
from complaints_code.structure.model import Code
from tests.browser import WIDTHS, axe_violations, chromium, describe, serve
from tests.conftest import build_web

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("web-browser")]

# Stand-ins for the files the other formats write before the website is built;
# the web format only measures and links them.
DOWNLOADS = {
    "downloads/complaints-code-large-print.pdf": (240_000, "Large print", "PDF"),
    "downloads/complaints-code-print.pdf": (120_000, "Standard print", "PDF"),
    "downloads/complaints-code.brf": (21_000, "Braille, for embossers and braille displays",
                                      "BRF"),
    "data/complaints-code.json": (4_000, "Stages and timescales as data", "JSON"),
}


@pytest.fixture(scope="module")
def site(code: Code, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once, with every other format present."""
    out = tmp_path_factory.mktemp("web-browser")
    downloads = tuple(artifact(name, os.urandom(size), label=label, kind=kind)
                      for name, (size, label, kind) in DOWNLOADS.items())
    return build_web(code, out, downloads=downloads)


@pytest.fixture(scope="module")
def base_url(code: Code, site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site served on 127.0.0.1 under the path it is published at (404.html
    refers to its assets by that absolute path)."""
    prefix = urlsplit(code.metadata.published_url or "/").path.strip("/")
    root = tmp_path_factory.mktemp("served")
    mount = root / prefix if prefix else root
    mount.parent.mkdir(parents=True, exist_ok=True)
    if prefix:
        mount.symlink_to(site, target_is_directory=True)
    with serve(root if prefix else site) as url:
        yield f"{url}/{prefix}/" if prefix else f"{url}/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as context:
        yield context


def _open(browser: Any, width: int, height: int = 900, scheme: str = "light") -> Any:
    page = browser.new_page()
    # Material keeps the palette chosen on a first visit in localStorage, which
    # the shared profile would carry from test to test: start each page afresh.
    page.add_init_script("window.localStorage.clear()")
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(color_scheme=scheme)
    return page


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html")
                  for p in site.rglob("*.html") if p.parts[len(site.parts)] not in web.CARRIED)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_has_an_axe_violation(browser: Any, site: Path, base_url: str, width: int,
                                      scheme: str, artifacts: Path) -> None:
    page = _open(browser, width, scheme=scheme)
    pages = _pages(site)
    assert {"", "changes/", "accessibility/", "404.html"} <= set(pages)
    found = {}
    for path in pages:
        page.goto(base_url + path)
        if violations := axe_violations(page):
            found[path] = describe(violations)
    page.goto(base_url)
    page.screenshot(path=artifacts / f"web-{width}-{scheme}.png", full_page=True)
    page.close()
    assert not found


def _focused(page: Any) -> dict[str, Any]:
    info: dict[str, Any] = page.evaluate("""() => {
        const el = document.activeElement;
        return {cls: el.className || '', href: el.getAttribute('href') || '',
                inMain: !!el.closest('.md-content'),
                inFormats: !!el.closest('.cc-formats'),
                visible: el.getBoundingClientRect().width > 0};
    }""")
    return info


def _shot(page: Any, selector: str) -> Image.Image:
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    clip = {"x": box["x"] - 6, "y": box["y"] - 6,
            "width": box["width"] + 12, "height": box["height"] + 12}
    return Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")


@pytest.mark.parametrize("width", WIDTHS)
def test_keyboard_reaches_skip_link_content_and_every_other_format_link_visibly(
        browser: Any, base_url: str, width: int, artifacts: Path) -> None:
    page = _open(browser, width)
    page.goto(base_url)
    links = page.eval_on_selector_all(".cc-formats a",
                                      "els => els.map(e => e.getAttribute('href'))")
    assert set(DOWNLOADS) < set(links)  # and the email route to ask for a copy
    unfocused = {href: _shot(page, f'.cc-formats a[href="{href}"]') for href in links}
    page.keyboard.press("Tab")
    first = _focused(page)
    assert "md-skip" in first["cls"] and first["visible"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focused(page)["inMain"], "Tab after the skip link did not land in the content"
    reached = []
    for _ in range(40):
        now = _focused(page)
        if now["inFormats"] and now["href"] not in reached:
            reached.append(now["href"])
            focused = _shot(page, f'.cc-formats a[href="{now["href"]}"]')
            focused.save(artifacts / f"web-focus-{width}-{len(reached)}.png")
            diff = ImageChops.difference(focused, unfocused[now["href"]]).convert("L")
            changed = sum(diff.histogram()[97:])
            assert changed > diff.width * 4, f"focus on {now['href']} is hard to see"
        if reached == links:
            break
        page.keyboard.press("Tab")
    page.close()
    assert reached == links


def test_a_phone_never_scrolls_sideways(browser: Any, site: Path, base_url: str) -> None:
    page = _open(browser, 390)
    for path in _pages(site):
        page.goto(base_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 390, f"{path or 'the Code'} is {overflow} px wide at 390 px"
    page.goto(base_url)
    table = page.locator("table.cc-stages").bounding_box()
    assert table["width"] <= 390
    page.close()


def test_print_hides_navigation_and_keeps_headings_with_their_text(
        browser: Any, base_url: str, artifacts: Path) -> None:
    page = _open(browser, 1280)
    page.goto(base_url)
    page.emulate_media(media="print")
    shown = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer',
        '.md-search'].map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert shown == ["none"] * 4
    assert page.evaluate("getComputedStyle(document.querySelector('h2')).breakAfter") == "avoid"
    (artifacts / "web-print.pdf").write_bytes(page.pdf(format="A4"))
    page.close()


@pytest.mark.parametrize("width", [390, 320])
def test_the_full_stop_after_the_email_address_never_wraps_alone(
        browser: Any, base_url: str, width: int, artifacts: Path) -> None:
    page = _open(browser, width)
    page.goto(base_url)
    tops = page.evaluate("""() => {
        const p = [...document.querySelectorAll('.cc-formats p')].pop();
        const email = p.querySelector('a[href^="mailto:"]');
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        let last = null;
        while (walker.nextNode()) { if (walker.currentNode.data.trim()) last = walker.currentNode; }
        const range = document.createRange();
        const end = last.data.trimEnd().length;
        range.setStart(last, end - 1);
        range.setEnd(last, end);
        const rects = email.getClientRects();
        return {stop: range.toString(), stopTop: range.getBoundingClientRect().top,
                emailTop: rects[rects.length - 1].top};
    }""")
    _shot(page, ".cc-formats").save(artifacts / f"web-other-formats-{width}.png")
    page.close()
    assert tops["stop"] == "."
    assert abs(tops["stopTop"] - tops["emailTop"]) < 2, tops


@pytest.mark.parametrize("width", WIDTHS)
def test_the_code_page_shows_one_unnumbered_contents_list(browser: Any, base_url: str,
                                                         width: int) -> None:
    page = _open(browser, width)
    page.goto(base_url)
    found = page.evaluate("""() => {
        const visible = el => !!el && el.getClientRects().length > 0
            && getComputedStyle(el).visibility !== 'hidden';
        const material = [...document.querySelectorAll('.md-sidebar--secondary .md-nav__link')];
        const ours = document.querySelector('.cc-contents');
        return {ours: visible(ours),
                material: material.filter(visible).length,
                numbered: ours.querySelectorAll('ol').length,
                markers: [...ours.querySelectorAll('li')].map(
                    li => getComputedStyle(li).listStyleType).filter(t => t !== 'none').length};
    }""")
    page.close()
    assert found == {"ours": True, "material": 0, "numbered": 0, "markers": 0}
