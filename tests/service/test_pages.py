"""The public forms and the staff pages, through HTTP (no browser): CSRF,
the honeypot, Post/Redirect/Get with a one-time key, error summaries listing
every mistake, escaping, static files and the security headers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from complaints_code.renderers import copy_formats
from complaints_code.service.forms import field_id
from complaints_code.service.pages import choices

from .conftest import REQUEST, add_account

FORM = {"name": "Ann Lee", "address-line-1": "1 High Street", "town": "London",
        "postcode": "sw1a 1aa", "format": "large-print", "size-large-print": "24",
        "consent": "yes"}


def csrf(client: TestClient, path: str) -> str:
    """The CSRF token of a form page (the cookie is kept by the client)."""
    return hidden(client, path)["csrf_token"]


def hidden(client: TestClient, path: str) -> dict[str, str]:
    """A form page's hidden fields: its CSRF token and its one-time key."""
    page = client.get(path)
    found = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]+)">',
                            page.text))
    assert "csrf_token" in found, page.text
    return found


def count(client: TestClient, table: str) -> int:
    with client.app.state.service.db.reader.connect() as conn:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


def test_request_form_offers_every_registry_format_and_the_emailed_pdf(
        client: TestClient) -> None:
    html = client.get("/request-a-copy").text
    offered = re.findall(r'name="format" type="radio" value="([^"]+)"', html)
    assert offered == [f.name for f in copy_formats()] + ["email-pdf"]
    labels = re.findall(r'<label class="cc-label cc-radios__label" for="format[^"]*">([^<]+)<',
                        html)
    assert labels == [f.label for f in copy_formats()] + ["Accessible PDF by email"]
    sizes = re.findall(r'<option value="(\d+)"( selected)?>\d+ point', html.split(
        'id="size-large-print"')[1].split("</select>")[0])
    assert [s for s, _ in sizes] == ["16", "18", "20", "24", "28", "32"]
    assert [s for s, chosen in sizes if chosen] == ["18"]
    assert 'id="grade-braille" name="grade-braille" type="radio" value="2" checked' in html
    for attribute in ('autocomplete="name"', 'autocomplete="address-line1"',
                      'autocomplete="postal-code"', 'autocomplete="email"'):
        assert attribute in html


def test_an_accepted_form_answers_303_to_its_confirmation(client: TestClient) -> None:
    sent = client.post("/request-a-copy", data={**FORM, **hidden(client, "/request-a-copy")},
                       follow_redirects=False)
    assert sent.status_code == 303
    assert re.fullmatch(r"/request-a-copy/received/[A-Za-z0-9_-]{32}", sent.headers["location"])
    done = client.get(sent.headers["location"])
    reference = re.search(r'class="cc-reference">(CR-[0-9A-Z]{8})<', done.text)
    assert reference, done.text
    assert "<title>Request received" in done.text and "Large print" in done.text
    assert done.headers["cache-control"] == "no-store"
    assert client.get("/request-a-copy/received/" + "x" * 32).status_code == 404


@pytest.mark.slow
@pytest.mark.both_databases
def test_refreshing_or_sending_a_form_again_never_makes_a_second_request(
        client: TestClient) -> None:
    fields = hidden(client, "/request-a-copy")
    first = client.post("/request-a-copy", data={**FORM, **fields}, follow_redirects=False)
    # Refresh (the same post again): the first request's confirmation.
    again = client.post("/request-a-copy", data={**FORM, **fields}, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == first.headers["location"]
    # Back to the form, fetched again: it keeps its used key and says it was sent.
    back = client.get("/request-a-copy")
    assert "You have sent this form" in back.text
    assert hidden(client, "/request-a-copy")["form_key"] == fields["form_key"]
    # Changed and sent again: it comes back, saying so, under a new key.
    changed = client.post("/request-a-copy", data={**FORM, **fields, "name": "Bob Roe"})
    assert changed.status_code == 409 and "You have sent this form" in changed.text
    assert 'value="Bob Roe"' in changed.text
    assert hidden(client, "/request-a-copy")["form_key"] != fields["form_key"]
    assert count(client, "copy_requests") == 1
    # A new request is a new key.
    client.get("/request-a-copy/new")
    other = client.post("/request-a-copy", data={**FORM, **hidden(client, "/request-a-copy")},
                        follow_redirects=False)
    assert other.headers["location"] != first.headers["location"]
    assert count(client, "copy_requests") == 2
    comment = {**hidden(client, "/feedback"), "comment": "Clear."}
    assert "You have sent this form" not in client.get("/feedback").text
    answers = [client.post("/feedback", data=comment, follow_redirects=False) for _ in "ab"]
    assert [a.status_code for a in answers] == [303, 303]
    assert answers[0].headers["location"] == answers[1].headers["location"]
    assert count(client, "feedback") == 1
    stale = client.post("/request-a-copy", data={**FORM, "csrf_token": fields["csrf_token"]})
    assert stale.status_code == 400 and "This form has expired" in stale.text


@pytest.mark.slow
@pytest.mark.both_databases
def test_a_blank_form_lists_all_five_mistakes_in_customers_words(client: TestClient) -> None:
    page = client.post("/request-a-copy", data=hidden(client, "/request-a-copy"))
    assert page.status_code == 422
    summary = page.text.split('class="cc-error-summary"')[1].split("</ul>")[0]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary) == [
        ("name", "Enter your name"),
        ("address-line-1", "Enter the first line of your address"),
        ("postcode", "Enter your postcode"),
        ("format", "Choose a format"),
        ("consent", "Agree that we can use your details to send your copy")]
    wrong = client.post("/request-a-copy", data={
        **FORM, **hidden(client, "/request-a-copy"), "size-large-print": "17",
        "name": "Ann\x00Lee", "email": "ann@example.org, eve@example.org"})
    summary = wrong.text.split('class="cc-error-summary"')[1].split("</ul>")[0]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary) == [
        ("name", "Your name must not contain control characters; remove &lt;U+0000 NULL&gt;"),
        ("email", "Enter an email address in the correct format, like name@example.com"),
        ("size-large-print", "Choose a size from 16 to 32 points")]
    assert "large-print" not in re.sub(r'(id|for|name|value|href|aria-[a-z]+)="[^"]*"', "",
                                       summary)


@pytest.mark.both_databases
def test_a_nul_in_any_field_of_either_form_gets_422_naming_the_field(
        client: TestClient) -> None:
    fields = {**FORM, "address-line-2": "Flat 2", "county": "Kent",
              "email": "ann@example.org", "access-needs": "Large print"}
    for field, value in fields.items():
        page = client.post("/request-a-copy", data={
            **fields, **hidden(client, "/request-a-copy"), field: value[:1] + "\x00"})
        assert page.status_code == 422, (field, page.status_code)
        summary = page.text.split('class="cc-error-summary"')[1].split("</ul>")[0]
        if field not in ("size-large-print", "consent"):  # choices, said as such
            assert "&lt;U+0000 NULL&gt;" in summary, field
    comment = {"comment": "Clear.", "name": "Ann", "email": "ann@example.org",
               "section": "stages"}
    for field in comment:
        page = client.post("/feedback", data={**comment, **hidden(client, "/feedback"),
                                              field: "a\x00"})
        assert page.status_code == 422, (field, page.status_code)


def test_request_form_errors_are_summarised_and_linked_to_their_fields(
        client: TestClient) -> None:
    page = client.post("/request-a-copy", data={**hidden(client, "/request-a-copy"),
                                                "postcode": "nowhere", "format": "large-print"})
    assert page.status_code == 422
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
    fields = hidden(client, "/feedback")
    done = client.post("/feedback", data={**fields, "comment": "Good.",
                                          "section": code.sections[0].id})
    assert done.status_code == 200 and re.search(r"FB-[0-9A-Z]{8}", done.text)
    client.get("/feedback/new")
    empty = client.post("/feedback", data={**hidden(client, "/feedback"), "comment": " "})
    assert '<a href="#comment">Enter your comment</a>' in empty.text


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/request-a-copy", "/api/v1/stages", "/staff", "/nowhere"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
    html = client.get("/request-a-copy").text
    scripts = re.findall(r"<script[^>]*>", html)
    assert len(scripts) == 1 and 'integrity="sha384-' in scripts[0]  # no inline script
    assert "style=" not in html and "<style" not in html


def test_static_files_have_hashed_names_long_lifetimes_and_are_compressed(
        client: TestClient) -> None:
    import base64
    import hashlib

    page = client.get("/request-a-copy")
    assert page.headers["content-encoding"] == "gzip"
    links = dict(re.findall(r'(?:href|src)="(/static/[^"]+)" integrity="([^"]+)"', page.text))
    links |= {u: "" for u in re.findall(r'<link rel="icon" href="([^"]+)"', page.text)}
    assert len(links) == 3
    css = ""
    for url, integrity in links.items():
        answer = client.get(url)
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        _name, digest, ending = url.rsplit("/", 1)[1].rsplit(".", 2)
        assert digest == hashlib.sha256(answer.content).hexdigest()[:12]
        if integrity:
            assert integrity == "sha384-" + base64.b64encode(
                hashlib.sha384(answer.content).digest()).decode()
        if ending == "css":
            css = answer.text
    fonts = re.findall(r'url\("(/static/[^"]+)"\)', css)
    assert len(fonts) == 2 and all(f.endswith(".woff2") for f in fonts)
    for font in fonts:
        answer = client.get(font)
        assert answer.content[:4] == b"wOF2" and answer.headers["content-type"] == "font/woff2"
    assert client.get("/static/service.css").status_code == 404  # only by its hashed name
    assert client.get("/favicon.ico").headers["content-type"] == "image/svg+xml"


def test_each_public_page_has_a_description_an_icon_and_a_link_to_the_code(
        client: TestClient, code: Any) -> None:
    for path in ("/", "/request-a-copy", "/feedback", "/nowhere"):
        html = client.get(path).text
        description = re.search(r'<meta name="description" content="([^"]{50,})">', html)
        assert description, path
        assert '<link rel="icon"' in html
        assert f'<a href="{code.metadata.published_url}">' in html


def test_a_form_sent_as_anything_but_a_form_gets_415(client: TestClient) -> None:
    for path in ("/request-a-copy", "/feedback"):
        answer = client.post(path, content=b'{"comment": "x"}',
                             headers={"content-type": "application/json"})
        assert answer.status_code == 415


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


def test_a_first_visit_gets_the_form_as_a_full_render_gives_it_with_its_own_tokens(
        client: TestClient) -> None:
    svc = client.app.state.service
    for path, template, extra in (("/request-a-copy", "request.html", {"choices": choices(svc)}),
                                  ("/feedback", "feedback.html", {})):
        pages = []
        for _ in range(2):
            client.cookies.clear()
            page = client.get(path)
            tokens = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]+)">',
                                     page.text))
            full = svc.render(template, csrf_token=tokens["csrf_token"],
                              form_key=tokens["form_key"], field_id=field_id, values={},
                              errors=[], error_for={}, sent=None, **extra)
            assert page.text == full
            pages.append(tokens)
        assert pages[0]["csrf_token"] != pages[1]["csrf_token"]
        assert pages[0]["form_key"] != pages[1]["form_key"]


def test_a_form_whose_key_was_used_still_says_it_was_sent(client: TestClient) -> None:
    sent = client.post("/request-a-copy", data={**FORM, **hidden(client, "/request-a-copy")},
                       follow_redirects=False)
    assert sent.status_code == 303
    again = client.get("/request-a-copy")  # the key comes back in its cookie
    assert re.search(r"CR-[0-9A-Z]{8}", again.text)
    assert client.get("/request-a-copy/new", follow_redirects=True).status_code == 200
