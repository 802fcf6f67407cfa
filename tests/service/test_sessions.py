"""Server-side sessions, on SQLite and PostgreSQL: a session cookie names a
session; signing out ends it on the server; removing an account ends all of
its sessions and adding the name again never brings one back; the CSRF
token belongs to the session and the form post must come from this site;
the API's 401 challenge; HSTS and __Host- cookies when cookies are Secure."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from complaints_code.cli import main
from complaints_code.service import create_app
from complaints_code.service.tables import audit_log, staff, staff_sessions

from .conftest import add_account, bearer
from .test_pages import hidden

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
def form_token(client: TestClient, path: str) -> str:
    """The CSRF token in the forms of a page."""
    found = TOKEN.search(client.get(path).text)
    assert found, path
    return found[1]


def sign_in(client: TestClient, name: str, token: str) -> str:
    """Sign in through the form; the session cookie's value."""
    answer = client.post("/staff/login", data={"csrf_token": form_token(client, "/staff/login"),
                                               "name": name, "token": token},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text[:500]
    return str(client.cookies["cc_session"])


def browser(client: TestClient, session: str | None = None) -> TestClient:
    """Another browser on the same app (its own cookies; optionally an old
    session cookie replayed)."""
    other = TestClient(client.app, base_url=str(client.base_url))
    if session is not None:
        other.cookies.set("cc_session", session)
    return other


def to_sign_in(client: TestClient, path: str) -> bool:
    """Whether a staff page sends this browser to the sign-in page."""
    answer = client.get(path, follow_redirects=False)
    return answer.status_code == 303 and answer.headers["location"].startswith("/staff/login")


def cli(settings: Any, *args: str) -> Any:
    """Run a complaints-code command on these settings' database."""
    env = {"COMPLAINTS_CODE_DATABASE_URL": settings.database,
           "COMPLAINTS_CODE_VAR": str(settings.var)}
    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.slow
@pytest.mark.both_databases
def test_a_removed_and_re_added_account_s_old_session_and_token_are_refused(
        client: TestClient, settings_for: Any) -> None:
    s = settings_for()
    token = add_account(s, "Sam", "staff")
    old = sign_in(client, "Sam", token)
    assert client.get("/staff").status_code == 200
    with client.app.state.service.db.reader.connect() as conn:
        first_id = conn.execute(select(staff.c.id)).scalar_one()
    assert cli(s, "staff", "remove", "Sam").exit_code == 0
    new_token = cli(s, "staff", "add", "Sam", "--role", "legal").stdout.strip()
    with client.app.state.service.db.reader.connect() as conn:
        second_id = conn.execute(select(staff.c.id)).scalar_one()
    # SQLite gives the new row the old one's id: a session that named the
    # account (by name or by id) would come back to life here.
    assert second_id == first_id or client.app.state.service.db.dialect == "postgresql"
    for path in ("/staff", "/staff/feedback"):  # neither the old role nor the new one
        assert to_sign_in(client, path), path
    assert "Your session has ended" in client.get("/staff/login").text
    api = "/api/v1/staff/copy-requests"
    assert client.get(api, headers=bearer(token)).status_code == 401
    replayed = browser(client, old).get(api)
    assert replayed.status_code == 401 and replayed.headers["www-authenticate"] == "Bearer"
    sign_in(client, "Sam", new_token)
    assert client.get("/staff/feedback").status_code == 200


@pytest.mark.slow
@pytest.mark.both_databases
def test_signing_out_ends_the_session_on_the_server(client: TestClient,
                                                     settings_for: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    session = sign_in(client, "Sam", token)
    out = client.post("/staff/logout", data={"csrf_token": form_token(client, "/staff")},
                      follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/staff/signed-out"
    assert "cc_session" not in client.cookies
    assert "You have signed out" in client.get("/staff/signed-out").text
    # The cookie, kept and replayed (a copied cookie, a shared computer's
    # browser that did not delete it), no longer signs anyone in.
    assert to_sign_in(browser(client, session), "/staff")
    with client.app.state.service.db.reader.connect() as conn:
        actions = [tuple(r) for r in conn.execute(select(audit_log.c.actor, audit_log.c.action))]
    assert ("Sam", "logout") in actions


@pytest.mark.slow
def test_a_session_cookie_names_a_session_not_a_person(client: TestClient,
                                                       settings_for: Any) -> None:
    s = settings_for()
    token = add_account(s, "Sam Jones", "staff")
    laptop, phone = browser(client), browser(client)
    one, two = sign_in(laptop, "Sam Jones", token), sign_in(phone, "Sam Jones", token)
    assert one != two
    for value in (one, two):
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", value)  # 256 random bits, nothing else
        assert "Sam" not in value and "staff" not in value
    assert re.search(r"^Sam Jones +staff +added \S+  2 sessions signed in$",
                     cli(s, "staff", "list").stdout, re.M)
    laptop.post("/staff/logout", data={"csrf_token": form_token(laptop, "/staff")})
    assert to_sign_in(laptop, "/staff")
    assert phone.get("/staff").status_code == 200  # the other session goes on


def test_staff_remove_ends_all_of_that_person_s_sessions_at_once(
        client: TestClient, settings_for: Any) -> None:
    s = settings_for()
    sam, kim = add_account(s, "Sam", "staff"), add_account(s, "Kim", "staff")
    browsers = [browser(client) for _ in range(3)]
    sign_in(browsers[0], "Sam", sam)
    sign_in(browsers[1], "Sam", sam)
    sign_in(browsers[2], "Kim", kim)
    removed = cli(s, "staff", "remove", "Sam")
    assert removed.exit_code == 0 and "Removed Sam; 2 sessions ended." in removed.output
    assert to_sign_in(browsers[0], "/staff") and to_sign_in(browsers[1], "/staff")
    assert browsers[2].get("/staff").status_code == 200


def test_the_csrf_token_is_the_session_s_and_is_renewed_at_sign_in(
        client: TestClient, settings_for: Any) -> None:
    s = settings_for()
    token, other = add_account(s, "Sam", "staff"), add_account(s, "Kim", "staff")
    before = form_token(client, "/staff/login")
    sign_in(client, "Sam", token)
    during = form_token(client, "/staff")
    assert during != before
    refs = ["CR-00000000"]
    run = "/staff/print-run"
    assert client.post(run, data={"csrf_token": before, "reference": refs}).status_code == 403
    # Kim's token, from Kim's session, does not work in Sam's.
    kim = browser(client)
    sign_in(kim, "Kim", other)
    assert client.post(run, data={"csrf_token": form_token(kim, "/staff"),
                                  "reference": refs}).status_code == 403
    accepted = client.post(run, data={"csrf_token": during}, follow_redirects=False)
    assert accepted.status_code == 400 and "Select at least one" in accepted.text  # past CSRF
    # Signing in again (same browser) makes a new session, and a new token.
    sign_in(client, "Sam", token)
    assert form_token(client, "/staff") != during
    assert client.post(run, data={"csrf_token": during, "reference": refs}).status_code == 403


def test_a_form_post_from_another_site_is_refused_whatever_its_token(
        client: TestClient, settings_for: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    form = form_token(client, "/staff/login")
    data = {"csrf_token": form, "name": "Sam", "token": token}
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                    {"Referer": "https://evil.example/page"},
                    {"Origin": "http://testserver.evil.example"}):
        refused = client.post("/staff/login", data=data, headers=headers,
                              follow_redirects=False)
        assert refused.status_code == 403, headers
        assert "This form has expired" in refused.text
        assert "cc_session" not in client.cookies
    public = client.post("/feedback", data={"csrf_token": form, "comment": "Hello."},
                         headers={"Origin": "https://evil.example"})
    assert public.status_code == 403
    same = client.post("/staff/login", data=data, headers={"Origin": "http://testserver"},
                       follow_redirects=False)
    assert same.status_code == 303


def test_the_service_url_is_an_allowed_origin_behind_a_proxy(settings_for: Any) -> None:
    settings = settings_for().model_copy(update={"service_url": "https://copies.example.org/"})
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
        fields = hidden(client, "/feedback")
        sent = client.post("/feedback", data={**fields, "comment": "Clear."},
                           headers={"Origin": "https://copies.example.org"})
        assert sent.status_code == 200 and "FB-" in sent.text


def test_the_api_challenges_for_a_bearer_token_and_ignores_cookies(
        client: TestClient, settings_for: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    sign_in(client, "Sam", token)
    url = "/api/v1/staff/copy-requests"
    cookie_only = client.get(url)  # a signed-in browser's cookie is not an API credential
    assert cookie_only.status_code == 401
    assert cookie_only.headers["www-authenticate"] == "Bearer"
    wrong = client.get(url, headers=bearer("cc_not-a-token"))
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert client.get(url, headers=bearer(token)).status_code == 200


def test_secure_cookies_bring_hsts_and_host_only_cookie_names(settings_for: Any) -> None:
    settings = settings_for(secure_cookies=True)
    token = add_account(settings, "Sam", "staff")
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        first = client.get("/staff/login")
        assert first.headers["strict-transport-security"] == "max-age=31536000"
        assert first.headers["set-cookie"].startswith("__Host-cc_csrf=")
        form = TOKEN.search(first.text)[1]  # type: ignore[index]
        signed = client.post("/staff/login", data={"csrf_token": form, "name": "Sam",
                                                   "token": token}, follow_redirects=False)
        cookies = signed.headers.get_list("set-cookie")
        session = next(c for c in cookies if c.startswith("__Host-cc_session="))
        assert "Secure" in session and "HttpOnly" in session and "Path=/" in session
        assert "Domain" not in session
        assert client.get("/api/v1/stages").headers["strict-transport-security"]
        assert client.get("/staff").status_code == 200
    with TestClient(create_app(settings_for()), base_url="http://testserver") as plain:
        assert "strict-transport-security" not in plain.get("/staff/login").headers


def test_a_session_past_its_hours_signs_nobody_in(client: TestClient,
                                                  settings_for: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    sign_in(client, "Sam", token)
    with client.app.state.service.db.writer.begin() as conn:  # as if 8 hours had passed
        conn.execute(update(staff_sessions).values(
            expires_at=staff_sessions.c.created_at - dt.timedelta(seconds=1)))
    assert to_sign_in(client, "/staff")
    assert "Your session has ended" in client.get("/staff/login").text
