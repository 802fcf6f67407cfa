"""The legal team's path in Debian's Chromium, as a new member of the team
walks it, against a real ``complaints-code serve`` with a job worker over a
scratch copy of the project (the shipped Code, with its two errors):

Jane starts a draft, types a telephone number the check finds wrong and
sees the finding beside it without saving (focus stays where she types,
the status region says so), changes the number, gets a number wrong and
puts it right, fixes the two errors the check reports, inserts a reference
with the keyboard, reads the redline, is refused submitting until she
acknowledges the warnings, and cannot approve her own draft. Tom reads it,
is refused returning it without a comment, approves it; the release fails
(the build folder cannot be made) and the site is as it was; he tries again
and it is published. A second draft from the same base is then brought up
to date, with its conflict to resolve.

Every state of every page has no axe-core violation at 320 and 1280 px and
does not scroll sideways, and the W3C Nu checker finds no error in any of
them. The screenshots are in test-artifacts/ (service-legal-*.png). The
markup does not depend on the database, so this runs on SQLite only."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import check_page, chromium
from tests.nu import nu_errors_in

from ..server import environment, serve
from .conftest import NEW_NUMBER, accounts, legal_settings, scratch_project

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("service-browser"),
              pytest.mark.timeout(900)]
WIDTHS = (320, 1280)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("legal-browser")
    source = scratch_project(folder / "repo")
    url = f"sqlite:///{folder / 'var' / 'service.db'}"
    (folder / "out").write_text("not a folder: the first release fails")
    env = environment(url, folder / "var", COMPLAINTS_CODE_SOURCE=str(source),
                      COMPLAINTS_CODE_OUT=str(folder / "out"),
                      COMPLAINTS_CODE_SERVICE__JOB_WORKERS="1")
    people = accounts(legal_settings(url, folder, source))
    with serve(env, folder / "server.log") as server:
        yield {"base": server.url, "folder": folder, "people": people, "source": source}


def _sign_in(page: Any, base: str, name: str, token: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/staff/login")
    page.fill("#name", name)
    page.fill("#token", token)
    with page.expect_navigation():
        page.click("button[type=submit]")


def _click(page: Any, selector: str) -> str:
    """Press a button that posts a form; the HTML of the page it leads to, as sent."""
    with page.expect_navigation() as navigation:
        page.click(selector)
    response = navigation.value
    return str(response.text())


def _visit(page: Any, url: str) -> str:
    return str(page.goto(url).text())


def _links_reach_their_fields(page: Any) -> None:
    """Every link of a findings summary or an error summary to a field on
    this page finds it."""
    targets = page.eval_on_selector_all(
        ".cc-findings a[href^='#'], .cc-error-summary a[href^='#']",
        "links => links.map(a => a.getAttribute('href').slice(1))")
    for target in targets:
        assert page.query_selector(f"[id='{target}']") is not None, target


def _states(page: Any, site: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every state of the legal team's pages, in the order the path meets
    them; yields (name, HTML as sent)."""
    base, people = site["base"], site["people"]
    with httpx.Client(base_url=base, headers=people.jane) as api:
        other = api.post("/api/v1/legal/drafts").json()["id"]  # changed later, in the API
        text = api.get(f"/api/v1/legal/drafts/{other}").json()["source"]
        api.put(f"/api/v1/legal/drafts/{other}/source", headers={"Content-Type":
                "application/yaml"}, content=text.replace("020 8545 8200", "020 8545 8300"))
    _sign_in(page, base, "Jane Smith", people.tokens["Jane Smith"])
    yield "drafts", _visit(page, base + "/legal/drafts")
    html = _click(page, "text=Start a new draft")
    draft = page.url.rsplit("/", 1)[1]
    yield "draft", html
    _visit(page, f"{base}/legal/drafts/{draft}/edit/contacts")
    phone = "field-contacts__telephone__value"
    page.fill(f"#{phone}", "12345")  # checked as typed, after a pause: not saved
    page.wait_for_selector(f"#{phone}-finding-1:has-text('PHONE-UK')")
    assert page.evaluate("document.activeElement.id") == phone
    assert page.text_content("#live-status") == "2 findings on this part"
    assert f"{phone}-finding-1" in page.get_attribute(f"#{phone}", "aria-describedby")
    assert page.url.endswith("/edit/contacts")
    yield "contacts-typed", page.content()
    page.fill(f"#{phone}", NEW_NUMBER)
    yield "contacts-saved", _click(page, "text=Save changes")
    _visit(page, f"{base}/legal/drafts/{draft}/edit/timescales")
    page.fill("#field-timescales__adr-eligible__text", "6 weeks")
    page.fill("#field-timescales__adr-eligible__amount", "six")
    html = _click(page, "text=Save changes")
    assert page.evaluate("document.activeElement.classList.contains('cc-error-summary')")
    yield "timescales-error", html
    page.fill("#field-timescales__adr-eligible__amount", "6")
    _click(page, "text=Save changes")
    _visit(page, f"{base}/legal/drafts/{draft}/edit/adr")
    page.fill("#field-adr__name", "Communications Ombudsman")
    _click(page, "text=Save changes")
    html = _visit(page, f"{base}/legal/drafts/{draft}/edit/section-adr")
    area = "#field-sections__adr__blocks__4__paragraph"
    page.focus(area)
    page.press(area, "Control+End")
    page.keyboard.type(" or ")
    page.focus("button[data-insert='{adr:telephone}']")
    page.keyboard.press("Enter")
    assert page.input_value(area) == "Web site: {adr:website} or {adr:telephone}"
    assert page.evaluate("document.activeElement.id") == area[1:]
    assert "Inserted {adr:telephone}" in page.text_content("#refs-status")
    yield "section", html
    _click(page, "text=Save changes")
    yield "yaml", _visit(page, f"{base}/legal/drafts/{draft}/yaml")
    source = page.input_value("#source")
    page.fill("#source", source.replace('  version: "1.0"', "  version: [1.0"))
    yield "yaml-error", _click(page, "text=Save the YAML")
    yield "redline", _visit(page, f"{base}/legal/drafts/{draft}/redline")
    _visit(page, f"{base}/legal/drafts/{draft}/submit")
    page.fill("#summary", "A new telephone number; disputes after 6 weeks.")
    yield "submit-warnings", _click(page, "text=Submit for approval")
    page.check("#acknowledge")
    yield "submitted", _click(page, "text=Submit for approval")
    yield "approve-own", _visit(page, f"{base}/legal/drafts/{draft}/approve")

    _sign_in(page, base, "Tom Jones", people.tokens["Tom Jones"])
    yield "approve", _visit(page, f"{base}/legal/drafts/{draft}/approve")
    _visit(page, f"{base}/legal/drafts/{draft}/return")
    yield "return-error", _click(page, "text=Return the draft")
    _visit(page, f"{base}/legal/drafts/{draft}/approve")
    yield "approved", _click(page, "button:has-text('Approve and publish')")
    yield "release-failed", _until(page, f"{base}/legal/drafts/{draft}", "was not published")
    (site["folder"] / "out").unlink()
    _click(page, "text=Try publishing again")
    yield "published", _until(page, f"{base}/legal/drafts/{draft}", "Published as version 1.1")

    _sign_in(page, base, "Jane Smith", people.tokens["Jane Smith"])
    yield "out-of-date", _visit(page, f"{base}/legal/drafts/{other}")
    yield "conflicts", _click(page, "text=Bring this draft up to date")
    page.check("#conflict-1-theirs")
    yield "resolved", _click(page, "text=Resolve this conflict")


def _until(page: Any, url: str, words: str) -> str:
    started = time.monotonic()
    while True:
        html = _visit(page, url)
        if words in html:
            return html
        assert time.monotonic() - started < 300, f"never: {words}"
        time.sleep(1)


def test_the_legal_path_passes_axe_and_the_nu_checker_in_every_state(
        site: dict[str, Any], artifacts: Path, tmp_path: Path) -> None:
    html: dict[str, str] = {}
    with chromium() as browser:
        page = browser.new_page()
        page.set_viewport_size({"width": WIDTHS[1], "height": 900})
        for name, source in _states(page, site):  # each state once: they change the data
            html[name] = source
            _links_reach_their_fields(page)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                check_page(page, name, width, artifacts / f"service-legal-{name}-{width}.png")
            page.set_viewport_size({"width": WIDTHS[1], "height": 900})
    assert "TEXT-RELAY" in html["contacts-saved"]  # a finding beside its field
    assert "is not a whole number" in html["timescales-error"]
    assert "you cannot approve it" in html["approve-own"]
    assert "is a file, not a folder" in html["release-failed"]
    assert "Try publishing again" in html["release-failed"]
    assert "0 conflicts" not in html["conflicts"] and "1 conflict to resolve" in html["conflicts"]
    assert "conflict to resolve" not in html["resolved"]
    tags = subprocess.run(["git", "tag", "--list"], cwd=site["source"].parents[1],
                          capture_output=True, text=True, check=True).stdout.split()
    assert tags == ["v1.0", "v1.1"]
    assert nu_errors_in(html, tmp_path / "nu") == {}
