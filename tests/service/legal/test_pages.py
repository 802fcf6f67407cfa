"""The legal team's pages without a browser: only the legal role, signed in,
sees them (and comes back to them after signing in); a part's form writes
only the fields that changed, keeping the rest of the YAML byte for byte; a
save from a page opened before another change is refused with what was
typed kept; the section preview and the redline follow the draft; another
member of the team reads a draft without being able to change it. The
markup does not depend on the database: SQLite alone."""

from __future__ import annotations

import difflib
import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ..test_sessions import form_token, sign_in
from .conftest import NEW_NUMBER, OLD_NUMBER, People


@pytest.fixture
def jane(api: TestClient, people: People) -> TestClient:
    """Jane's browser, signed in, with a draft (number 1) started."""
    sign_in(api, "Jane Smith", people.tokens["Jane Smith"])
    started = api.post("/legal/drafts", data={"csrf_token": form_token(api, "/legal/drafts")},
                       follow_redirects=False)
    assert (started.status_code, started.headers["location"]) == (303, "/legal/drafts/1")
    return api


def _form(page: str) -> dict[str, str]:
    """The hidden fields of a page's form."""
    return dict(re.findall(r'<input type="hidden" name="(csrf_token|revision)" value="([^"]*)"',
                           page))


def test_only_the_legal_role_signed_in_sees_the_drafts(api: TestClient, people: People) -> None:
    away = api.get("/legal/drafts/1/edit/contacts", follow_redirects=False)
    assert away.status_code == 303
    assert away.headers["location"] == "/staff/login?next=/legal/drafts/1/edit/contacts"
    back = api.post("/staff/login", data={
        "csrf_token": form_token(api, "/staff/login"), "name": "Jane Smith",
        "token": people.tokens["Jane Smith"], "next": "/legal/drafts"}, follow_redirects=False)
    assert back.headers["location"] == "/legal/drafts"
    assert "no-store" in api.get("/legal/drafts").headers["cache-control"]
    assert api.post("/legal/drafts", data={"csrf_token": "forged"}).status_code == 403
    sign_in(api, "Stan Staff", people.tokens["Stan Staff"])
    refused = api.get("/legal/drafts")
    assert refused.status_code == 403 and "legal role" in refused.text


@pytest.mark.slow
def test_a_part_saves_only_what_changed_and_keeps_the_yaml_as_it_was(
        jane: TestClient, project: Path) -> None:
    page = jane.get("/legal/drafts/1/edit/contacts").text
    assert 'id="field-contacts__telephone__value"' in page
    assert 'id="field-contacts"' in page  # where the TEXT-RELAY warning links
    assert '<a href="#field-contacts">Contact methods</a>' in page
    fields = dict(re.findall(r'name="(contacts\.[a-z.-]+)" type="text" value="([^"]*)"', page))
    assert fields["contacts.telephone.value"] == OLD_NUMBER
    saved = jane.post("/legal/drafts/1/edit/contacts", data={
        **_form(page), **fields, "contacts.telephone.value": NEW_NUMBER},
        follow_redirects=False)
    assert saved.status_code == 303, saved.text[:2000]
    assert saved.headers["location"] == "/legal/drafts/1/edit/contacts?saved=1"
    found = re.search(r'<textarea[^>]*id="source"[^>]*>(.*?)</textarea>',
                      jane.get("/legal/drafts/1/yaml").text, re.S)
    assert found is not None
    diff = [line for line in difflib.unified_diff(
        project.read_text(encoding="utf-8").splitlines(), html.unescape(found[1]).splitlines(),
        lineterm="", n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert diff == [f"-    value: {OLD_NUMBER}", f"+    value: {NEW_NUMBER}"]
    redline = jane.get("/legal/drafts/1/redline")
    assert NEW_NUMBER in redline.text and "Back to draft 1" in redline.text
    assert "'sha256-" in redline.headers["content-security-policy"]
    preview = jane.get("/legal/drafts/1/edit/section-contact-us").text
    assert 'href="tel:+442085458299"' in preview and "How the website will show" in preview


@pytest.mark.slow
def test_a_save_from_a_page_opened_before_another_change_is_refused_keeping_what_was_typed(
        jane: TestClient) -> None:
    page = jane.get("/legal/drafts/1/edit/details").text
    first = jane.get("/legal/drafts/1/edit/contacts").text
    jane.post("/legal/drafts/1/edit/contacts", data={
        **_form(first), "contacts.telephone.value": NEW_NUMBER})
    stale = jane.post("/legal/drafts/1/edit/details", data={
        **_form(page), "metadata.title": "Complaints Code"})
    assert stale.status_code == 409
    assert "changed since you opened it" in stale.text
    assert 'value="Complaints Code"' in stale.text
    wrong = jane.post("/legal/drafts/1/edit/timescales", data={
        **_form(jane.get("/legal/drafts/1/edit/timescales").text),
        "timescales.adr-eligible.amount": "six"})
    assert wrong.status_code == 400
    assert "<title>Error: Timescales" in wrong.text
    assert ("Timescales: adr-eligible: 8 weeks: Amount: &#39;six&#39; is not a whole number"
            in wrong.text)


@pytest.mark.slow
def test_another_member_of_the_team_reads_the_draft_but_cannot_change_it(
        jane: TestClient, people: People) -> None:
    sign_in(jane, "Sam Patel", people.tokens["Sam Patel"])
    page = jane.get("/legal/drafts/1/edit/contacts").text
    assert "Only its author, Jane Smith, can change this draft" in page
    assert "Save changes" not in page and "data-insert" not in page
    refused = jane.post("/legal/drafts/1/edit/contacts", data={
        **_form(jane.get("/legal/drafts/1/yaml").text),
        "contacts.telephone.value": NEW_NUMBER})
    assert refused.status_code == 403
    approve = jane.get("/legal/drafts/1/approve").text
    assert "Approving drafts needs approval rights" in approve
    assets = re.findall(r'(?:href|src)="(/static/legal\.[0-9a-f]{12}\.(?:css|js))"', page)
    assert len(assets) == 2
    for asset in assets:
        served = jane.get(asset)
        assert served.status_code == 200 and "immutable" in served.headers["cache-control"]
