"""The service's pages in Debian's Chromium: axe-core finds no WCAG 2.2 AA
violation on any public or staff page, in its normal and error states, at
1280 and 320 px, and none scrolls sideways; the public pages pass the W3C Nu
checker and Lighthouse (accessibility, best practices, SEO: 100); the
request form works by keyboard alone, moves focus to the error summary
after a failed submit, shows each format's questions under that format only
(all of them without JavaScript), and going Back and sending it again makes
no second request.

The pages' markup does not depend on the database, so these run against a
SQLite server only (the API and staff behaviour is tested on both).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, axe_violations, chromium, describe
from tests.conftest import ROOT, project_settings
from tests.nu import nu_errors_in

from .conftest import REQUEST, add_account
from .server import Server, environment, serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("service-browser")]

WIDTHS = (1280, 320)
"""The widest and the narrowest screens the service is made for."""
LIGHTHOUSE = ROOT / ".tools" / "node_modules" / ".bin" / "lighthouse"
FORM = {"name": "Ann Lee", "address-line-1": "1 High Street", "town": "London",
        "postcode": "SW1A 1AA", "format": "large-print", "consent": "yes"}


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, str]]]:
    """A server with a staff and a legal account, requests (one overdue) and comments."""
    from sqlalchemy import create_engine, text

    folder = tmp_path_factory.mktemp("service-browser")
    url = f"sqlite:///{folder / 'var' / 'service.db'}"
    with serve(environment(url, folder / "var"), folder / "server.log") as server:
        settings = project_settings(database_url=url, var=folder / "var")
        tokens = {"staff": add_account(settings, "Sam Staff", "staff"),
                  "legal": add_account(settings, "Lee Legal", "legal")}
        with httpx.Client(base_url=server.url) as http:
            for fmt in ("large-print", "braille", "print"):
                http.post("/api/v1/copy-requests", json={
                    **REQUEST, "format": fmt, "name": "<script>alert(1)</script>",
                    "email": "a.very.long.address.for.a.narrow.screen@example-customer-domain.org"})
            http.post("/api/v1/feedback", json={"comment": "The timescales are clear.",
                                                "section_id": "stages"})
            http.post("/api/v1/feedback", json={"comment": "Add a text phone number."})
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("UPDATE copy_requests SET due_by = received_at WHERE id = 1"))
        engine.dispose()
        yield server, tokens


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as context:
        yield context


def _sign_in(page: Any, base: str, name: str, token: str) -> None:
    page.goto(base + "/staff/login")
    page.fill("#name", name)
    page.fill("#token", token)
    page.click("button[type=submit]")


def _states(page: Any, base: str, tokens: dict[str, str]) -> Iterator[str]:
    """Visit every page in every state; yields a name for each."""
    page.goto(base + "/")
    yield "home"
    page.goto(base + "/request-a-copy")
    yield "request"
    page.click("button[type=submit]")
    yield "request-errors"
    page.fill("#name", "Ann Lee")
    page.fill("#address-line-1", "1 High Street")
    page.fill("#town", "London")
    page.fill("#postcode", "SW1A 1AA")
    page.check("#format")
    page.check("#consent")
    yield "request-chosen"
    page.click("button[type=submit]")
    yield "request-done"
    page.goto(base + "/request-a-copy")
    yield "request-sent-before"
    page.goto(base + "/feedback")
    yield "feedback"
    page.click("button[type=submit]")
    yield "feedback-errors"
    page.fill("#comment", "Clear and short.")
    page.click("button[type=submit]")
    yield "feedback-done"
    page.goto(base + "/nowhere")
    yield "not-found"
    page.goto(base + "/staff/login")
    yield "login"
    page.click("button[type=submit]")
    yield "login-errors"
    _sign_in(page, base, "Sam Staff", tokens["staff"])
    yield "queue"
    page.goto(base + "/staff/feedback")
    yield "forbidden"
    _sign_in(page, base, "Lee Legal", tokens["legal"])
    yield "feedback-inbox"


@pytest.mark.timeout(300)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_service_page_has_an_axe_violation_or_scrolls_sideways(
        browser: Any, running: Any, width: int, artifacts: Path) -> None:
    server, tokens = running
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    browser.clear_cookies()
    seen = []
    for name in _states(page, server.url, tokens):
        violations = axe_violations(page)
        assert violations == [], f"{name} at {width}px:\n{describe(violations)}"
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} scrolls sideways at {width}px ({scroll}px wide)"
        page.screenshot(path=str(artifacts / f"service-{name}-{width}.png"), full_page=True)
        seen.append(name)
    assert len(seen) == 15
    assert "&lt;script&gt;" in page.content() or "<script>alert" not in page.content()
    page.close()


@pytest.mark.timeout(300)
def test_the_request_form_works_by_keyboard_alone(browser: Any, running: Any) -> None:
    server, _ = running
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server.url + "/request-a-copy/new")
    typed = {"name": "Kim Keys", "address-line-1": "2 Low Road", "town": "Leeds",
             "postcode": "LS1 1AA"}
    visited = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.id, document.activeElement.type, "
                                "getComputedStyle(document.activeElement).outlineStyle, "
                                "getComputedStyle(document.activeElement).boxShadow]")
        ident, kind = focused[0], focused[1]
        visited.append(ident)
        if ident in typed:
            page.keyboard.type(typed[ident])
        elif ident == "format" or ident == "consent":
            page.keyboard.press("Space")
        elif kind == "submit":
            assert focused[3] != "none" or focused[2] != "none"  # focus is visible
            with page.expect_navigation():
                page.keyboard.press("Enter")
            break
    assert visited[:3] == ["", "", "name"]  # the skip link and the header link come first
    # Once large print is chosen, its text size is the next stop.
    assert visited[visited.index("format") + 1] == "size-large-print", visited
    assert "Request received" in page.title(), (visited, page.content()[:2000])
    assert re.search(r"CR-[0-9A-Z]{8}", page.content())
    page.close()


@pytest.mark.timeout(300)
def test_after_a_failed_submit_the_error_summary_has_focus_and_its_links_reach_the_fields(
        browser: Any, running: Any) -> None:
    server, _ = running
    page = browser.new_page()
    page.goto(server.url + "/request-a-copy/new")
    page.check("#format-braille")
    page.click("button[type=submit]")
    assert page.evaluate("document.activeElement.dataset.module") == "error-summary"
    page.click(".cc-error-summary a[href='#postcode']")
    assert page.evaluate("document.activeElement.id") == "postcode"
    page.close()


@pytest.mark.timeout(300)
def test_a_format_s_questions_show_only_under_it_and_all_show_without_javascript(
        browser: Any, running: Any) -> None:
    server, _ = running
    page = browser.new_page()
    page.goto(server.url + "/request-a-copy/new")
    shown = "el => el.offsetParent !== null"
    assert not page.eval_on_selector("#size-large-print", shown)
    assert not page.eval_on_selector("#grade-braille", shown)
    page.check("#format")  # large print
    assert page.eval_on_selector("#size-large-print", shown)
    assert page.get_attribute("#format", "aria-controls") == "conditional-large-print"
    page.check("#format-braille")
    assert page.eval_on_selector("#grade-braille", shown)
    assert not page.eval_on_selector("#size-large-print", shown)
    page.close()
    plain = browser.new_page()  # the same page without its script: every question shows
    plain.route(re.compile(r".*/static/service\.[0-9a-f]+\.js$"), lambda route: route.abort())
    plain.goto(server.url + "/request-a-copy/new")
    assert plain.eval_on_selector("#size-large-print", shown)
    assert plain.eval_on_selector("#grade-braille", shown)
    assert plain.eval_on_selector("#size-docx", shown)
    plain.fill("#name", "Ann Lee")
    plain.fill("#address-line-1", "1 High Street")
    plain.fill("#postcode", "SW1A 1AA")
    plain.check("#format-braille")
    plain.check("#grade-braille-1")
    plain.check("#consent")
    plain.click("button[type=submit]")
    assert "Request received" in plain.title()
    plain.close()


@pytest.mark.timeout(300)
def test_back_and_send_again_leads_to_the_first_request(browser: Any, running: Any) -> None:
    server, _ = running
    page = browser.new_page()
    page.goto(server.url + "/request-a-copy/new")
    page.fill("#name", "Bea Back")
    page.fill("#address-line-1", "3 Return Road")
    page.fill("#postcode", "LS1 1AA")
    page.check("#format-print")
    page.check("#consent")
    page.click("button[type=submit]")
    first = page.url
    reference = re.search(r"CR-[0-9A-Z]{8}", page.content())
    assert reference and "/request-a-copy/received/" in first
    page.reload()
    assert page.url == first
    page.go_back()  # the browser may fetch the form again (this one does)
    assert "You have sent this form" in page.content() or page.input_value("#name")
    page.click("button[type=submit]")
    assert page.url == first and reference.group(0) in page.content()
    page.close()


# --- the W3C Nu checker and Lighthouse on the public pages ----------------------------

def _public_pages(base: str) -> dict[str, str]:
    """Every public page's HTML as the server sends it, in normal and error states."""
    pages: dict[str, str] = {}
    with httpx.Client(base_url=base, follow_redirects=True) as http:
        for name, path in (("home", "/"), ("request", "/request-a-copy"),
                           ("feedback", "/feedback"), ("not-found", "/nowhere")):
            pages[name] = http.get(path).text
        for name, path, data in (("request-errors", "/request-a-copy", {}),
                                 ("request-done", "/request-a-copy", FORM),
                                 ("request-sent-before", "/request-a-copy",
                                  {**FORM, "name": "Bob Roe"}),
                                 ("feedback-errors", "/feedback", {}),
                                 ("feedback-done", "/feedback", {"comment": "Clear."})):
            hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]+)">',
                                     http.get(path).text))
            answer = http.post(path, data={**hidden, **data})
            pages[name] = answer.text
    return pages


@pytest.mark.timeout(300)
def test_every_public_page_has_zero_nu_errors(running: Any, tmp_path: Path) -> None:
    server, _ = running
    pages = _public_pages(server.url)
    assert "There is a problem" in pages["request-errors"]
    assert "Request received" in pages["request-done"]
    assert "You have sent this form" in pages["request-sent-before"]
    assert nu_errors_in(pages, tmp_path) == {}


@pytest.mark.timeout(300)
def test_lighthouse_gives_the_public_pages_100_for_accessibility_practices_and_seo(
        running: Any) -> None:
    if not LIGHTHOUSE.is_file():
        pytest.fail(f"Lighthouse is not installed at {LIGHTHOUSE}; run make setup")
    server, _ = running
    pages = [server.url + path for path in ("/", "/request-a-copy", "/feedback")]
    done = subprocess.run(["node", str(Path(__file__).with_name("lighthouse.mjs")), *pages],
                          env={**os.environ, "CHROME_PATH": CHROMIUM,
                               "CHROME_FLAGS": " ".join(CHROMIUM_ARGS)},
                          capture_output=True, text=True, check=False, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    scores = json.loads(done.stdout)
    assert scores == {page: {"accessibility": 100, "best-practices": 100, "seo": 100,
                             "failed": []} for page in pages}
