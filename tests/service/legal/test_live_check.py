"""The check of a part's form as it is typed (``POST
/legal/drafts/{id}/edit/{part}/check``, which the page's script posts):
the findings of the values as typed, beside their fields, with the words,
rules and severities of ``complaints-code check``; a section's preview as
typed; a value that makes the Code invalid refused at its field, as a save
refuses it; the same sign-in, role, authorship and CSRF checks as a save;
and nothing written to the draft. The markup does not depend on the
database: SQLite alone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from complaints_code.service.drafts import actions

from ..test_sessions import browser, form_token, sign_in
from .conftest import People

PHONE = "field-contacts__telephone__value"


@pytest.fixture
def jane(api: TestClient, people: People) -> TestClient:
    """Jane's browser, signed in, with a draft (number 1) started."""
    sign_in(api, "Jane Smith", people.tokens["Jane Smith"])
    api.post("/legal/drafts", data={"csrf_token": form_token(api, "/legal/drafts")})
    return api


def _notes(fragment: str, target: str) -> str:
    """What the check says beside one field (the box the script refills)."""
    found = re.search(rf'<div class="cc-legal-notes" data-live-notes="{target}"[^>]*>(.*?)</div>',
                      fragment, re.S)
    assert found is not None, target
    return found[1]


def _stored(client: TestClient) -> tuple[str, int]:
    """Draft 1's source and revision, as stored."""
    stored = actions.load(client.app.state.service, 1)  # type: ignore[attr-defined]
    return stored.draft.text, stored.revision


def _check(client: TestClient, part: str, **typed: Any) -> Any:
    token = form_token(client, "/legal/drafts")  # the session's token, as on every page
    return client.post(f"/legal/drafts/1/edit/{part}/check",
                       data={"csrf_token": token, "revision": "1", **typed})


@pytest.mark.slow
def test_values_as_typed_get_their_findings_beside_their_fields_and_nothing_is_saved(
        jane: TestClient) -> None:
    before = _stored(jane)
    answer = _check(jane, "contacts", **{"contacts.telephone.value": "12345"})
    assert answer.status_code == 200
    beside = _notes(answer.text, PHONE)
    assert f'id="{PHONE}-finding-1"' in beside
    assert '<span class="cc-finding__severity">Error</span>' in beside
    assert ('<span class="cc-finding__rule">PHONE-UK</span>: &#34;12345&#34; is not a valid UK '
            'telephone number') in beside
    assert '<p data-live="status">2 findings on this part</p>' in answer.text
    assert f'<a href="#{PHONE}">' in answer.text  # the summary links to the field
    assert _stored(jane) == before  # not saved: the same source, the same revision
    previewed = _check(jane, "section-contact-us", **{
        "sections.contact-us.blocks[0].paragraph": "Ring us on {contact:telephone}."})
    assert "As you have typed it, not yet saved." in previewed.text
    assert re.search(r'<p>Ring us on <a [^>]*href="tel:\+442085458200"', previewed.text)
    assert _stored(jane) == before


@pytest.mark.slow
def test_a_value_the_code_cannot_hold_is_a_problem_at_its_field_as_a_save_says(
        jane: TestClient) -> None:
    before = _stored(jane)
    version = _check(jane, "details", **{"metadata.version": "one"})
    assert version.status_code == 200
    assert '<p data-live="status">1 problem to fix on this part</p>' in version.text
    beside = _notes(version.text, "field-metadata__version")
    assert 'id="field-metadata__version-error"' in beside
    assert "&#39;one&#39; is not in the expected form" in beside
    assert '<a href="#field-metadata__version">Details: Version: ' in version.text
    assert 'role="alert"' not in version.text  # the status region says it, once
    amount = _check(jane, "timescales", **{"timescales.adr-eligible.amount": "six"})
    assert "&#39;six&#39; is not a whole number" in _notes(
        amount.text, "field-timescales__adr-eligible__amount")
    assert _stored(jane) == before


def test_the_check_as_typed_is_refused_as_a_save_is(api: TestClient, people: People) -> None:
    path = "/legal/drafts/1/edit/contacts/check"
    away = api.post(path, data={"contacts.telephone.value": "12345"}, follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"].startswith("/staff/login")
    sign_in(api, "Jane Smith", people.tokens["Jane Smith"])
    api.post("/legal/drafts", data={"csrf_token": form_token(api, "/legal/drafts")})
    forged = api.post(path, data={"csrf_token": "forged", "contacts.telephone.value": "1"})
    assert forged.status_code == 403 and "PHONE-UK" not in forged.text
    sam = browser(api)
    sign_in(sam, "Sam Patel", people.tokens["Sam Patel"])  # legal, not the author
    assert _check(sam, "contacts", **{"contacts.telephone.value": "1"}).status_code == 403
    stan = browser(api)
    sign_in(stan, "Stan Staff", people.tokens["Stan Staff"])
    refused = stan.post(path, data={"csrf_token": form_token(stan, "/staff/login"),
                                    "contacts.telephone.value": "1"})
    assert refused.status_code == 403 and "legal role" in refused.text
