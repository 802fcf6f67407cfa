"""The sign-in page, on SQLite and PostgreSQL: failures audited with the
client's address (and never the name typed unless it is an account),
throttling per account and per address with Retry-After, the window, and
the way back to the page a person asked for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from complaints_code.service import create_app
from complaints_code.service.tables import audit_log, signin_failures

from .conftest import add_account
from .test_sessions import TOKEN, form_token

OFFICE, HOME = ("203.0.113.7", 50000), ("198.51.100.4", 50000)


@pytest.fixture
def app(settings_for: Any) -> Iterator[Any]:
    """A service that allows 3 failures per account and 5 per address in 15 minutes."""
    settings = settings_for(signin_failures_per_account=3, signin_failures_per_address=5,
                            signin_window_minutes=15)
    made = create_app(settings)
    with TestClient(made):
        yield made


def at(app: Any, address: tuple[str, int]) -> TestClient:
    """A browser at a client address."""
    return TestClient(app, base_url="http://testserver", client=address)


def try_sign_in(client: TestClient, name: str, token: str) -> Any:
    return client.post("/staff/login", data={"csrf_token": form_token(client, "/staff/login"),
                                             "name": name, "token": token},
                       follow_redirects=False)


def audit(app: Any) -> list[tuple[str, str, str | None, str | None]]:
    with app.state.service.db.reader.connect() as conn:
        rows = conn.execute(select(audit_log.c.actor, audit_log.c.action, audit_log.c.subject,
                                   audit_log.c.detail).order_by(audit_log.c.id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_each_failure_is_audited_with_the_address_and_never_a_name_that_is_no_account(
        app: Any, settings_for: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    office = at(app, OFFICE)
    wrong = try_sign_in(office, "Sam", "cc_wrong")
    assert wrong.status_code == 401 and "The name or access token is not right" in wrong.text
    pasted = try_sign_in(office, token, token)  # the token in the name field too
    assert pasted.status_code == 401
    assert try_sign_in(office, "Sam\x00", "cc_\x00").status_code == 401  # not a 500
    assert try_sign_in(office, "Sam", token).status_code == 303
    assert audit(app) == [("(unknown)", "login-failed", "Sam", "from 203.0.113.7"),
                          ("(unknown)", "login-failed", None, "from 203.0.113.7"),
                          ("(unknown)", "login-failed", None, "from 203.0.113.7"),
                          ("Sam", "login", None, "from 203.0.113.7")]
    blank = try_sign_in(at(app, HOME), "", "")
    assert blank.status_code == 400  # not an attempt: nothing to count
    assert "Enter your name" in blank.text and "Enter your access token" in blank.text
    assert len(audit(app)) == 4


@pytest.mark.both_databases
def test_an_account_is_throttled_after_its_failures_from_any_address(
        app: Any, settings_for: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    kim = add_account(settings_for(), "Kim", "staff")
    for address in (OFFICE, HOME, OFFICE):
        assert try_sign_in(at(app, address), "Sam", "cc_wrong").status_code == 401
    refused = try_sign_in(at(app, HOME), " sam ", token)  # even with the right token
    assert refused.status_code == 429
    assert 14 * 60 < int(refused.headers["retry-after"]) <= 15 * 60
    assert "Too many failed sign-ins. Wait 15 minutes, then try again" in refused.text
    assert TOKEN.search(refused.text)  # the form is there to try again later
    assert audit(app)[-1][:3] == ("(unknown)", "login-throttled", "Sam")
    assert try_sign_in(at(app, HOME), "Kim", kim).status_code == 303  # others are not
    # Once the failures are older than the window, Sam may try again.
    with app.state.service.db.writer.begin() as conn:
        conn.execute(update(signin_failures).values(
            at=signin_failures.c.at - dt.timedelta(minutes=15)))
    assert try_sign_in(at(app, OFFICE), "Sam", token).status_code == 303


def test_an_address_is_throttled_after_its_failures_on_any_names(
        app: Any, settings_for: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    office = at(app, OFFICE)
    for n in range(5):
        assert try_sign_in(office, f"Guess {n}", "cc_wrong").status_code == 401
    refused = try_sign_in(office, "Sam", token)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert audit(app)[-1] == ("(unknown)", "login-throttled", "Sam",
                              f"from 203.0.113.7; may try again in "
                              f"{refused.headers['retry-after']} s")
    assert try_sign_in(at(app, HOME), "Sam", token).status_code == 303


def test_a_success_clears_the_account_s_failures(app: Any, settings_for: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    office = at(app, OFFICE)
    for _ in range(2):
        try_sign_in(office, "Sam", "cc_wrong")
    assert try_sign_in(office, "Sam", token).status_code == 303
    for _ in range(2):
        assert try_sign_in(at(app, HOME), "Sam", "cc_wrong").status_code == 401
    assert try_sign_in(at(app, HOME), "Sam", token).status_code == 303


def test_sign_in_goes_back_to_the_page_asked_for_and_never_off_the_site(
        client: TestClient, settings_for: Any) -> None:
    token = add_account(settings_for(), "Lee", "legal")
    sent = client.get("/staff/feedback", follow_redirects=False)
    assert sent.headers["location"] == "/staff/login?next=/staff/feedback"
    page = client.get(sent.headers["location"]).text
    assert '<input type="hidden" name="next" value="/staff/feedback">' in page
    for target, lands in (("/staff/feedback", "/staff/feedback"),
                          ("//evil.example/staff", "/staff/feedback"),
                          ("/staff/login", "/staff/feedback"),
                          ("https://evil.example/", "/staff/feedback")):
        client.cookies.clear()
        form = form_token(client, "/staff/login")
        signed = client.post("/staff/login", data={"csrf_token": form, "name": "Lee",
                                                   "token": token, "next": target},
                             follow_redirects=False)
        assert signed.headers["location"] == lands, target
    # Signed in already, the sign-in page says so (someone else may sign in).
    again = client.get("/staff/login?next=/staff/feedback", follow_redirects=False)
    assert again.status_code == 200
    assert 'You are signed in as Lee. <a href="/staff/feedback">' in again.text
