"""Signing in and out in Debian's Chromium against a real server: every
state of the sign-in and sign-out pages (the form, its errors, wrong
details, throttled, signed in already, a session that has ended, signed
out, an expired form) has no axe-core violation at 320 and 1280 px and no
W3C Nu checker error; and a real browser's form posts pass the Origin
check, so signing in and out work.

The markup does not depend on the database, so this runs on SQLite only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from complaints_code.service import auth
from complaints_code.service.db import open_database
from tests.browser import axe_violations, chromium, describe
from tests.conftest import project_settings
from tests.nu import nu_errors_in

from .conftest import add_account
from .server import Server, environment, serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("service-browser")]

WIDTHS = (320, 1280)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Any]]:
    """A server that throttles an account after 2 failures."""
    folder = tmp_path_factory.mktemp("signin-browser")
    url = f"sqlite:///{folder / 'var' / 'service.db'}"
    env = environment(url, folder / "var",
                      COMPLAINTS_CODE_SERVICE__SIGNIN_FAILURES_PER_ACCOUNT="2",
                      COMPLAINTS_CODE_SERVICE__SIGNIN_FAILURES_PER_ADDRESS="1000")
    with serve(env, folder / "server.log") as server:
        yield server, project_settings(database_url=url, var=folder / "var")


def _sign_in(page: Any, base: str, name: str, token: str) -> None:
    page.goto(base + "/staff/login")
    page.fill("#name", name)
    page.fill("#token", token)
    with page.expect_navigation():
        page.click("button[type=submit]")


def _states(page: Any, base: str, settings: Any, width: int) -> Iterator[str]:
    """Visit every state of the sign-in and sign-out pages; yields a name for each."""
    page.context.clear_cookies()
    staff = add_account(settings, f"Sam {width}", "staff")
    throttled = add_account(settings, f"Tess {width}", "staff")
    page.goto(base + "/staff/login")
    yield "sign-in"
    page.click("button[type=submit]")
    yield "sign-in-blank"
    _sign_in(page, base, f"Sam {width}", "cc_wrong")
    yield "sign-in-wrong"
    for _ in range(3):
        _sign_in(page, base, f"Tess {width}", "cc_wrong")
    assert "Too many failed sign-ins" in page.content()
    yield "sign-in-throttled"
    _sign_in(page, base, f"Sam {width}", staff)
    assert page.url == base + "/staff", page.url  # a real browser's post passes the Origin check
    page.goto(base + "/staff/login")
    yield "sign-in-signed-in"
    db = open_database(settings.database)
    with db.writer.begin() as conn:  # the account removed while signed in
        auth.remove_staff(conn, f"Tess {width}")
        _, ended = auth.remove_staff(conn, f"Sam {width}")
    db.dispose()
    assert ended == 1 and throttled
    page.goto(base + "/staff")
    assert page.url.startswith(base + "/staff/login?next="), page.url
    yield "sign-in-session-ended"
    again = add_account(settings, f"Sam {width}", "staff")
    _sign_in(page, base, f"Sam {width}", again)
    page.click("text=Sign out")
    page.wait_for_url(base + "/staff/signed-out")
    yield "signed-out"
    page.goto(base + "/staff")  # signed out for real: sent to sign in
    assert "/staff/login" in page.url
    _sign_in(page, base, f"Sam {width}", again)
    page.eval_on_selector("input[name=csrf_token]", "e => e.value = 'forged'")
    page.click("text=Sign out")
    page.wait_for_load_state()
    assert "This form has expired" in page.content()
    yield "sign-out-expired"


@pytest.mark.timeout(300)
def test_sign_in_and_out_pages_have_no_axe_or_nu_problems_in_any_state(
        running: Any, artifacts: Path, tmp_path: Path) -> None:
    server, settings = running
    sources: dict[str, str] = {}
    with chromium() as browser:
        page = browser.new_page()
        documents: list[Any] = []
        page.on("response", lambda r: documents.append(r)
                if r.request.resource_type == "document" else None)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            seen = []
            for name in _states(page, server.url, settings, width):
                violations = axe_violations(page)
                assert violations == [], f"{name} at {width}px:\n{describe(violations)}"
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= width, f"{name} scrolls sideways at {width}px"
                page.screenshot(path=str(artifacts / f"service-{name}-{width}.png"),
                                full_page=True)
                sources.setdefault(name, documents[-1].text())
                seen.append(name)
            assert len(seen) == 8
    assert nu_errors_in(sources, tmp_path / "nu") == {}
