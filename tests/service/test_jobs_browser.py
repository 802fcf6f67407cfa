"""The copy queue and the job pages in Debian's Chromium, in every state a
job goes through (queued, made with its download, failed, a refused email,
posted): axe-core finds no WCAG 2.2 AA violation at 320 and 1280 px, no page
scrolls sideways, and the W3C Nu checker finds no error in any of them.

A real ``complaints-code serve`` (no job workers of its own at first, so the
queued states can be seen) and a ``complaints-code worker`` started later.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import axe_violations, chromium, describe
from tests.conftest import project_settings
from tests.nu import nu_errors_in

from .conftest import REQUEST, add_account, bearer
from .server import Server, environment, serve, workers

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("service-browser")]
WIDTHS = (320, 1280)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("jobs-browser")
    url = f"sqlite:///{folder / 'var' / 'service.db'}"
    env = environment(url, folder / "var", COMPLAINTS_CODE_SERVICE__JOB_WORKERS="0")
    with serve(env, folder / "server.log") as server:
        token = add_account(project_settings(database_url=url, var=folder / "var"),
                            "Sam Staff", "staff")
        yield {"server": server, "env": env, "folder": folder, "token": token}


def _sign_in(page: Any, base: str, token: str) -> None:
    page.goto(base + "/staff/login")
    page.fill("#name", "Sam Staff")
    page.fill("#token", token)
    page.click("button[type=submit]")


def _click(page: Any, selector: str) -> str:
    """Click a button that posts a form; the HTML of the page it leads to, as sent."""
    with page.expect_navigation() as navigation:
        page.click(selector)
    return str(navigation.value.text())


def _visit(page: Any, url: str) -> str:
    """Go to a page; its HTML as sent."""
    return str(page.goto(url).text())


def _made(base: str, token: str) -> None:
    """Wait until nothing is queued (the copies made, the emailed one tried)."""
    with httpx.Client(base_url=base, headers=bearer(token)) as api:
        started = time.monotonic()
        while api.get("/api/v1/staff/copy-requests", params={"status": "queued"}).json():
            assert time.monotonic() - started < 120, "the copies were not made"
            time.sleep(0.3)
        while not api.get("/api/v1/staff/copy-requests", params={"status": "made"}).json()[
                -1]["problem"]:
            assert time.monotonic() - started < 120, "the email was not tried"
            time.sleep(0.3)


def _states(page: Any, site: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every state of the queue and job pages; yields (name, HTML as sent)."""
    server: Server = site["server"]
    base, token = server.url, site["token"]
    with httpx.Client(base_url=base, headers=bearer(token)) as api:
        made = {fmt: api.post("/api/v1/copy-requests", json={**REQUEST, "format": fmt}).json()[
            "reference"] for fmt in ("print", "large-print", "braille")}
        emailed = api.post("/api/v1/copy-requests", json={
            "name": "Ann Lee", "email": "ann.lee.with.a.long.address@example.org",
            "format": "email-pdf", "consent": True}).json()["reference"]
        api.post("/api/v1/staff/print-runs", json={"references": ["CR-NOTHERE"]})
    _sign_in(page, base, token)
    yield "queue-waiting", _visit(page, base + "/staff")
    yield "print-run-nothing-selected", _click(page, "button[form=print-run]")
    _visit(page, base + "/staff")
    page.check(f"#select-{made['print']}")
    page.check(f"#select-{made['large-print']}")
    yield "job-queued", _click(page, "button[form=print-run]")
    run_page = page.url
    for ref in (made["braille"], emailed):
        _visit(page, base + "/staff")
        _click(page, f"form[action='/staff/copy-requests/{ref}/fulfil'] button")
    yield "queue-being-made", _visit(page, base + "/staff")
    with workers(site["env"], site["folder"] / "worker.log"):
        _made(base, token)
    yield "job-made", _visit(page, run_page)
    yield "queue-made", _visit(page, base + "/staff")
    yield "job-failed", _visit(page, base + "/staff/jobs/1")
    _visit(page, run_page)
    _click(page, "form[action$='/sent'] button")
    yield "job-posted", _visit(page, run_page)
    yield "queue-sent", _visit(page, base + "/staff")


@pytest.mark.timeout(400)
def test_every_job_page_state_passes_axe_and_the_nu_checker(site: dict[str, Any],
                                                            artifacts: Path,
                                                            tmp_path: Path) -> None:
    html: dict[str, str] = {}
    with chromium() as browser:
        page = browser.new_page()
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        for name, source in _states(page, site):  # each state once: they change the data
            html[name] = source
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                violations = axe_violations(page)
                assert violations == [], f"{name} at {width}px:\n{describe(violations)}"
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= width, f"{name} scrolls sideways at {width}px"
                page.screenshot(path=str(artifacts / f"service-{name}-{width}.png"),
                                full_page=True)
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    assert len(html) == 9
    assert "There is no copy request CR-NOTHERE" in html["job-failed"]
    assert re.search(r'href="/staff/jobs/\d+/files/print-run-\d+\.pdf" download', html["job-made"])
    assert "Not sent: no SMTP server is set" in html["queue-made"]
    assert "Send again" in html["queue-made"]
    assert "Mark all 2 posted" in html["job-made"] and "Mark all" not in html["job-posted"]
    assert nu_errors_in(html, tmp_path / "nu") == {}
