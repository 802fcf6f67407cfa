"""The service's pages in Debian's Chromium: axe-core finds no WCAG 2.2 AA
violation on any public or staff page, in its normal and error states, at
1280 and 390 px; the request form works by keyboard alone.

The pages' markup does not depend on the database, so these run against a
SQLite server only (the API and staff behaviour is tested on both).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import WIDTHS, axe_violations, chromium, describe
from tests.conftest import project_settings

from .conftest import REQUEST, add_account
from .server import Server, environment, serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("service-browser")]


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, str]]]:
    """A server with a staff and a legal account, requests (one overdue) and comments."""
    import httpx
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
                    **REQUEST, "format": fmt, "name": "<script>alert(1)</script>"})
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
    page.click("button[type=submit]")
    yield "request-done"
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
def test_no_service_page_has_an_axe_violation(browser: Any, running: Any, width: int,
                                              artifacts: Path) -> None:
    server, tokens = running
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    browser.clear_cookies()
    seen = []
    for name in _states(page, server.url, tokens):
        violations = axe_violations(page)
        assert violations == [], f"{name} at {width}px:\n{describe(violations)}"
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} scrolls sideways at {width}px"
        page.screenshot(path=str(artifacts / f"service-{name}-{width}.png"), full_page=True)
        seen.append(name)
    assert len(seen) == 13
    assert "&lt;script&gt;" in page.content() or "<script>alert" not in page.content()
    page.close()


@pytest.mark.timeout(300)
def test_the_request_form_works_by_keyboard_alone(browser: Any, running: Any) -> None:
    server, _ = running
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server.url + "/request-a-copy")
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
    assert "Request received" in page.title(), (visited, page.content()[:2000])
    assert re.search(r"CR-[0-9A-Z]{8}", page.content())
    page.close()
