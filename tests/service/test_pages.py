"""The public forms and the staff pages, through HTTP (no browser): CSRF,
the honeypot, error summaries, escaping and the security headers."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from complaints_code.renderers import copy_formats

from .conftest import REQUEST, add_account

FORM = {"name": "Ann Lee", "address-line-1": "1 High Street", "town": "London",
        "postcode": "sw1a 1aa", "format": "large-print", "size-large-print": "24",
        "consent": "yes"}


def csrf(client: TestClient, path: str) -> str:
    """The CSRF token of a form page (the cookie is kept by the client)."""
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def test_request_form_offers_every_registry_format_and_the_emailed_pdf(
        client: TestClient) -> None:
    html = client.get("/request-a-copy").text
    offered = re.findall(r'name="format" type="radio" value="([^"]+)"', html)
    assert offered == [f.name for f in copy_formats()] + ["email-pdf"]
    sizes = re.findall(r'<option value="(\d+)"( selected)?>\d+ point', html.split(
        'id="size-large-print"')[1].split("</select>")[0])
    assert [s for s, _ in sizes] == ["16", "18", "20", "24", "28", "32"]
    assert [s for s, chosen in sizes if chosen] == ["18"]
    assert 'id="grade-braille" name="grade-braille" type="radio" value="2" checked' in html
    for attribute in ('autocomplete="name"', 'autocomplete="address-line1"',
                      'autocomplete="postal-code"', 'autocomplete="email"'):
        assert attribute in html


def test_request_form_sends_and_shows_the_reference(client: TestClient) -> None:
    token = csrf(client, "/request-a-copy")
    done = client.post("/request-a-copy", data={**FORM, "csrf_token": token})
    assert done.status_code == 200
    reference = re.search(r'class="cc-reference">(CR-[0-9A-Z]{8})<', done.text)
    assert reference, done.text
    assert "<title>Request received" in done.text


def test_request_form_errors_are_summarised_and_linked_to_their_fields(
        client: TestClient) -> None:
    token = csrf(client, "/request-a-copy")
    page = client.post("/request-a-copy", data={"csrf_token": token, "postcode": "nowhere",
                                                "format": "large-print"})
    assert page.status_code == 400
    assert "<title>Error: Ask for a copy of the Code" in page.text
    summary = page.text.split('class="cc-error-summary"')[1].split("</ul>")[0]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary) == [
        ("name", "Enter your name"),
        ("address-line-1", "Enter the first line of your address"),
        ("postcode", "Enter a real UK postcode, like SW1A 1AA"),
        ("consent", "Agree that we can use your details to send your copy")]
    assert ('<p id="postcode-error" class="cc-error-message"><span class="cc-visually-hidden">'
            'Error:</span> Enter a real UK postcode, like SW1A 1AA</p>') in page.text
    assert 'value="nowhere"' in page.text


def test_forms_without_a_valid_csrf_token_are_refused(client: TestClient) -> None:
    client.get("/request-a-copy")
    for path in ("/request-a-copy", "/feedback", "/staff/login"):
        refused = client.post(path, data={**FORM, "csrf_token": "forged"})
        assert refused.status_code == 403
        assert "This form has expired" in refused.text


def test_a_filled_honeypot_gets_429_and_stores_nothing(client: TestClient) -> None:
    token = csrf(client, "/request-a-copy")
    caught = client.post("/request-a-copy", data={**FORM, "csrf_token": token,
                                                  "website": "http://spam.example"})
    assert caught.status_code == 429 and caught.headers["retry-after"] == "3600"
    with client.app.state.service.db.reader.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM copy_requests").scalar() == 0


def test_feedback_form_lists_the_sections_and_sends(client: TestClient, code: Any) -> None:
    html = client.get("/feedback").text
    for section in code.sections:
        assert f'<option value="{section.id}">' in html
    token = csrf(client, "/feedback")
    done = client.post("/feedback", data={"csrf_token": token, "comment": "Good.",
                                          "section": code.sections[0].id})
    assert done.status_code == 200 and re.search(r"FB-[0-9A-Z]{8}", done.text)
    empty = client.post("/feedback", data={"csrf_token": token, "comment": " "})
    assert '<a href="#comment">Enter your comment</a>' in empty.text


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/request-a-copy", "/api/v1/stages", "/staff", "/nowhere"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
    html = client.get("/request-a-copy").text
    assert "<script" not in html and "style=" not in html


def test_staff_login_sets_a_secure_httponly_samesite_session(settings_for: Any) -> None:
    from complaints_code.service import create_app

    settings = settings_for(secure_cookies=True)
    token = add_account(settings, "Sam", "staff")
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        form = csrf(client, "/staff/login")
        wrong = client.post("/staff/login", data={"csrf_token": form, "name": "Sam",
                                                  "token": "cc_wrong"})
        assert wrong.status_code == 401
        assert "The name or access token is not right" in wrong.text
        signed = client.post("/staff/login", data={"csrf_token": form, "name": "Sam",
                                                   "token": token}, follow_redirects=False)
        assert signed.status_code == 303 and signed.headers["location"] == "/staff"
        cookie = signed.headers["set-cookie"]
        assert "cc_session=" in cookie and "HttpOnly" in cookie and "Secure" in cookie
        assert "SameSite=strict" in cookie
        assert client.get("/staff").status_code == 200


def test_staff_views_escape_what_the_public_typed(client: TestClient,
                                                  settings_for: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    legal = add_account(settings_for(), "Lee", "legal")
    client.post("/api/v1/copy-requests", json={
        **REQUEST, "name": "<script>alert(1)</script>",
        "access_needs": "<img src=x onerror=alert(1)>"})
    client.post("/api/v1/feedback", json={"comment": "<script>bad()</script>",
                                          "name": "<b>Eve</b>"})
    for name, secret, path in (("Sam", token, "/staff"), ("Lee", legal, "/staff/feedback")):
        form = csrf(client, "/staff/login")
        client.post("/staff/login", data={"csrf_token": form, "name": name, "token": secret})
        html = client.get(path).text
        assert "<script>" not in html and "<img" not in html and "<b>Eve" not in html
    assert "&lt;script&gt;bad()&lt;/script&gt;" in html


def test_legal_reviews_feedback_by_section_and_it_is_audited(client: TestClient,
                                                             settings_for: Any,
                                                             code: Any) -> None:
    legal = add_account(settings_for(), "Lee", "legal")
    section = code.sections[2]
    ref = client.post("/api/v1/feedback", json={"comment": "Unclear.",
                                                "section_id": section.id}).json()["reference"]
    form = csrf(client, "/staff/login")
    client.post("/staff/login", data={"csrf_token": form, "name": "Lee", "token": legal})
    inbox = client.get("/staff/feedback").text
    form = re.findall(r'name="csrf_token" value="([^"]+)"', inbox)[0]  # the session's own
    assert f"{section.title} (1)" in inbox and "Unclear." in inbox
    assert client.get("/staff").status_code == 403
    reviewed = client.post(f"/staff/feedback/{ref}/review", data={"csrf_token": form},
                           follow_redirects=False)
    assert reviewed.status_code == 303
    assert "Reviewed</strong> by Lee" in client.get("/staff/feedback").text
    with client.app.state.service.db.reader.connect() as conn:
        actions = [r[0] for r in conn.exec_driver_sql(
            "SELECT action FROM audit_log WHERE actor = 'Lee' ORDER BY id")]
    assert actions == ["login", "view-feedback", "view-feedback", "review", "view-feedback"]
