"""The public JSON API, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from complaints_code.copies.offers import offers
from complaints_code.service import create_app, store
from complaints_code.service.tables import copy_requests
from complaints_code.timescales import records as data
from complaints_code.timescales.calendar import WorkingCalendar

from .conftest import REQUEST, service_settings
from .pgcluster import Cluster


def test_copy_request_returns_reference_status_format_and_due_by(client: TestClient,
                                                                 code) -> None:
    before = dt.datetime.now(dt.UTC)
    response = client.post("/api/v1/copy-requests", json=REQUEST)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"reference", "status", "format", "due_by"}
    assert body["status"] == "received" and body["format"] == "large-print"
    assert body["reference"].startswith("CR-") and len(body["reference"]) == 11
    cal = WorkingCalendar(code.calendar)
    expected = cal.add_working_days(before, 5).date()
    assert body["due_by"] == expected.isoformat()


def test_every_format_of_the_registry_and_email_pdf_is_accepted(client: TestClient) -> None:
    for fmt, extra in (("print", {"size": 12}), ("large-print", {"size": 32}),
                       ("braille", {"grade": 1}), ("email-pdf", {"email": "a@example.org"})):
        response = client.post("/api/v1/copy-requests", json={**REQUEST, "format": fmt, **extra})
        assert response.status_code == 201, response.json()


def test_idempotency_key_retry_returns_the_same_request(client: TestClient) -> None:
    headers = {"Idempotency-Key": "retry-1"}
    first = client.post("/api/v1/copy-requests", json=REQUEST, headers=headers)
    again = client.post("/api/v1/copy-requests", json=REQUEST, headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    other = client.post("/api/v1/copy-requests", json={**REQUEST, "name": "Bob Roe"},
                        headers=headers)
    assert other.status_code == 409
    assert other.json()["detail"] == ("This Idempotency-Key was already used for a different "
                                      "request; use a new key for a new request")


@pytest.mark.both_databases
def test_idempotency_key_holds_under_concurrency(client: TestClient) -> None:
    headers = {"Idempotency-Key": "concurrent-1"}
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: client.post("/api/v1/copy-requests", json=REQUEST,
                                                      headers=headers), range(32)))
    assert sorted({a.status_code for a in answers}) in ([200, 201], [201])
    assert [a.status_code for a in answers].count(201) == 1
    assert len({a.json()["reference"] for a in answers}) == 1
    staff_rows = client.app.state.service  # the database itself:
    with staff_rows.db.reader.connect() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM copy_requests").scalar()
    assert count == 1


def test_validation_errors_are_one_readable_entry_per_field(client: TestClient) -> None:
    response = client.post("/api/v1/copy-requests", json={
        "name": "", "address_lines": ["x" * 101], "postcode": "NOT A CODE",
        "email": "nope", "format": "large-print", "size": "big", "consent": False})
    assert response.status_code == 422
    errors = {e["field"]: e["msg"] for e in response.json()["detail"]}
    assert errors == {
        "name": "Enter your name",
        "address_lines": "Each address line must be 100 characters or fewer",
        "postcode": "Enter a real UK postcode, like SW1A 1AA",
        "email": "Enter an email address in the correct format, like name@example.com",
        "size": "Choose a print size from the list",
        "consent": "Agree that we can use your details to send your copy",
    }
    assert len(response.json()["detail"]) == len(errors)


def test_an_empty_request_lists_every_missing_field_in_customers_words(
        client: TestClient) -> None:
    missing = client.post("/api/v1/copy-requests", json={})
    assert [(e["field"], e["msg"]) for e in missing.json()["detail"]] == [
        ("name", "Enter your name"),
        ("address_lines", "Enter the first line of your address"),
        ("postcode", "Enter your postcode"),
        ("format", "Choose a format"),
        ("consent", "Agree that we can use your details to send your copy")]
    # With an email address and no format, the emailed PDF may be meant: no address asked.
    emailed = client.post("/api/v1/copy-requests", json={"email": "ann@example.org"})
    assert [e["field"] for e in emailed.json()["detail"]] == ["name", "format", "consent"]
    unknown = client.post("/api/v1/copy-requests", json={**REQUEST, "format": "vinyl"})
    assert [(e["field"], e["msg"]) for e in unknown.json()["detail"]] == [
        ("format", "Choose a format")]


def test_copy_checks_apply_size_address_and_email(client: TestClient) -> None:
    def errors(**changes: object) -> dict[str, str]:
        response = client.post("/api/v1/copy-requests", json={**REQUEST, **changes})
        assert response.status_code == 422
        return {e["field"]: e["msg"] for e in response.json()["detail"]}

    assert errors(size=17) == {"size": "Choose a size from 16 to 32 points"}
    assert errors(format="email-pdf") == {
        "email": "Enter your email address, so we can send your PDF"}
    assert errors(address_lines=[]) == {"address_lines": "Enter the first line of your address"}
    assert errors(postcode=None) == {"postcode": "Enter your postcode"}
    assert errors(format="braille", size=18) == {
        "size": "Braille has no size to choose; leave the size out"}
    long_line = "Flat 12, The Very Long Named Building Of Many Words"
    assert "envelope window" in errors(address_lines=[long_line, "London"])["address_lines"]
    assert "print font cannot show" in errors(name="Ann 🙂 Lee")["name"]


@pytest.mark.both_databases
def test_every_field_has_a_maximum_length(client: TestClient) -> None:
    response = client.post("/api/v1/copy-requests", json={
        **REQUEST, "name": "n" * 101, "access_needs": "a" * 501, "email": "e" * 250 + "@x.org",
        "address_lines": ["l"] * 6})
    errors = {e["field"]: e["msg"] for e in response.json()["detail"]}
    assert errors == {"name": "Your name must be 100 characters or fewer",
                      "access_needs": "Your access needs must be 500 characters or fewer",
                      "email": "Your email address must be 254 characters or fewer",
                      "address_lines": "Enter at most 5 address lines; join some with commas"}


def test_body_over_16_kb_gets_413(client: TestClient) -> None:
    response = client.post("/api/v1/copy-requests", content=b"{" + b" " * 17000 + b"}",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large: at most 16384 bytes are "
                                         "accepted"}


def test_feedback_returns_a_reference_and_checks_the_section(client: TestClient,
                                                             code) -> None:
    section = code.sections[1].id
    response = client.post("/api/v1/feedback", json={"comment": "Clear.", "section_id": section})
    assert response.status_code == 201
    assert response.json()["reference"].startswith("FB-")
    bad = client.post("/api/v1/feedback", json={"comment": "x", "section_id": "nowhere"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["msg"] == "Select a section of the Code from the list, or none"
    empty = client.post("/api/v1/feedback", json={"comment": ""})
    assert empty.json()["detail"][0]["msg"] == "Enter your comment"


def test_stages_timescales_and_deadlines_match_the_data_module(client: TestClient,
                                                               code) -> None:
    assert client.get("/api/v1/stages").json() == [
        s.model_dump(mode="json") for s in data.stages(code)]
    assert client.get("/api/v1/timescales").json() == [
        t.model_dump(mode="json") for t in data.timescales(code)]
    answer = client.get("/api/v1/deadlines", params={"raised": "2026-12-24T16:00"})
    assert answer.json() == data.deadlines(code, "2026-12-24T16:00").model_dump(mode="json")
    bad = client.get("/api/v1/deadlines", params={"raised": "yesterday"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["msg"] == (
        "'yesterday' is not a date and time; write it as YYYY-MM-DDTHH:MM, e.g. 2026-12-24T16:00")


def test_healthz_answers_when_the_database_does(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    client.app.state.service.db.reader.dispose()
    assert client.get("/healthz").status_code == 200


@pytest.mark.slow
def test_healthz_says_503_while_the_database_is_gone_and_200_once_it_is_back(
        postgres: Cluster, tmp_path: Path) -> None:
    # A real PostgreSQL database, dropped under the running service (its
    # connections are ended too), then created again: a load balancer must
    # stop sending customers to an instance that cannot store their requests.
    import psycopg

    url = postgres.new_database()
    name = url.rsplit("/", 1)[1]
    admin = f"host=127.0.0.1 port={postgres.port} user=postgres dbname=postgres"
    with TestClient(create_app(service_settings(url, tmp_path / "var"))) as client:
        assert client.get("/healthz").status_code == 200
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        gone = client.get("/healthz")
        assert (gone.status_code, gone.json()) == (503, {"status": "database unavailable"})
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        assert client.get("/healthz").status_code == 200


# --- every field, every store ---------------------------------------------------

COPY_TEXT_FIELDS = {"name": "Ann\x00Lee", "address_lines": ["1 High\x00Street", "London"],
                    "postcode": "SW1A\x001AA", "email": "ann\x00@example.org",
                    "format": "large\x00print", "access_needs": "Large\x00print"}
FEEDBACK_TEXT_FIELDS = {"comment": "Clear\x00.", "section_id": "stages\x00",
                        "name": "Ann\x00Lee", "email": "ann\x00@example.org"}


@pytest.mark.both_databases
def test_a_nul_in_any_field_gets_422_naming_the_field(client: TestClient) -> None:
    # On PostgreSQL a NUL reaching the database would be a 500; each field
    # refuses it (and every other control character) first.
    for field, value in COPY_TEXT_FIELDS.items():
        answer = client.post("/api/v1/copy-requests", json={**REQUEST, field: value})
        assert answer.status_code == 422, (field, answer.text)
        assert [e["field"] for e in answer.json()["detail"]] == [field]
    for field, value in FEEDBACK_TEXT_FIELDS.items():
        answer = client.post("/api/v1/feedback", json={"comment": "Clear.", field: value})
        assert answer.status_code == 422, (field, answer.text)
        assert [e["field"] for e in answer.json()["detail"]] == [field]
    every = client.post("/api/v1/copy-requests", json={**REQUEST, **COPY_TEXT_FIELDS,
                                                       "format": "large-print"})
    assert {e["field"] for e in every.json()["detail"]} == set(COPY_TEXT_FIELDS) - {"format"}
    with client.app.state.service.db.reader.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM copy_requests").scalar() == 0


@pytest.mark.both_databases
def test_control_characters_are_refused_but_a_multi_line_field_keeps_its_line_breaks(
        client: TestClient) -> None:
    for name in ("Ann\tLee", "Ann\x1bLee", "Ann\u2028Lee", "Ann\nLee", "Ann\x7fLee"):
        answer = client.post("/api/v1/copy-requests", json={**REQUEST, "name": name})
        assert answer.json()["detail"][0]["msg"].startswith(
            "Your name must not contain control characters; remove <U+"), name
    needs = "Please use large print.\r\nRing the bell twice."
    assert client.post("/api/v1/copy-requests", json={
        **REQUEST, "access_needs": needs}).status_code == 201
    assert client.post("/api/v1/feedback", json={"comment": "One.\nTwo."}).status_code == 201
    tabbed = client.post("/api/v1/feedback", json={"comment": "One.\tTwo."})
    assert tabbed.json()["detail"][0]["msg"] == (
        "Your comment must not contain control characters; remove <U+0009 CHARACTER "
        "TABULATION>")


def test_email_addresses_are_one_address_strictly_parsed(client: TestClient) -> None:
    wrong = "Enter an email address in the correct format, like name@example.com"
    for email in ("ann@example.org, eve@example.org", "Eve <eve@example.org>",
                  "ann@example.org\r\nBcc: eve@example.org", "ann@", "ann@example",
                  "ann@@example.org", "ann@example.org;eve@example.org"):
        for path, body in (("/api/v1/copy-requests", REQUEST), ("/api/v1/feedback",
                                                                {"comment": "Hi."})):
            answer = client.post(path, json={**body, "email": email})
            assert answer.status_code == 422, (email, path)
            assert answer.json()["detail"][0]["field"] == "email"
            if "\r" not in email:
                assert answer.json()["detail"][0]["msg"] == wrong, email
    ok = client.post("/api/v1/copy-requests", json={**REQUEST, "email": "Ann.Lee@Example.ORG"})
    assert ok.status_code == 201


def test_an_email_address_is_one_any_mail_server_takes(client: TestClient, inbox: Any) -> None:
    # An accented domain goes in its ASCII form (any server takes it); accents
    # before the @ need a server with SMTPUTF8, which many relays lack: refused.
    for path, body in (("/api/v1/copy-requests", REQUEST), ("/api/v1/feedback",
                                                            {"comment": "Hi."})):
        accented = client.post(path, json={**body, "email": "ännä@example.org"})
        assert accented.status_code == 422, path
        assert [(e["field"], e["msg"]) for e in accented.json()["detail"]] == [
            ("email", "Enter an email address with no accents or other special letters "
                      "before the @, like name@example.com")]
    ok = client.post("/api/v1/copy-requests", json={**REQUEST, "email": "ann@exämple.org"})
    assert ok.status_code == 201
    (mail,) = inbox.wait(1)
    assert mail["To"] == "ann@xn--exmple-cua.org"


def test_consent_must_be_json_true_and_booleans_are_not_numbers(client: TestClient) -> None:
    for consent in ("true", 1, "yes", None, False, [True]):
        answer = client.post("/api/v1/copy-requests", json={**REQUEST, "consent": consent})
        assert [(e["field"], e["msg"]) for e in answer.json()["detail"]] == [
            ("consent", "Agree that we can use your details to send your copy")], consent
    for field, value in (("size", True), ("size", "24"), ("size", 24.5), ("grade", False)):
        body = {**REQUEST, field: value, "format": "braille" if field == "grade" else
                "large-print"}
        answer = client.post("/api/v1/copy-requests", json=body)
        assert [e["field"] for e in answer.json()["detail"]] == [field], (field, value)


def test_a_body_that_is_not_json_gets_415(client: TestClient) -> None:
    for path in ("/api/v1/copy-requests", "/api/v1/feedback"):
        for kind, body in (("text/plain", b'{"comment": "x"}'),
                           ("application/x-www-form-urlencoded", b"comment=x"),
                           (None, b'{"comment": "x"}')):
            headers = {"content-type": kind} if kind else {}
            answer = client.post(path, content=body, headers=headers)
            assert answer.status_code == 415, (path, kind)
            assert answer.json() == {"detail": "Send the body as JSON, with the header "
                                               "Content-Type: application/json"}
    broken = client.post("/api/v1/copy-requests", content=b"{", headers={
        "content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["detail"][0]["field"] == "body"


def test_a_blank_or_unprintable_idempotency_key_is_refused(client: TestClient) -> None:
    for key in ("", "   ", "k" * 201):
        answer = client.post("/api/v1/copy-requests", json=REQUEST,
                             headers={"Idempotency-Key": key})
        assert answer.status_code == 422, repr(key)
        assert answer.json()["detail"][0]["field"] == "Idempotency-Key"
    with client.app.state.service.db.reader.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM copy_requests").scalar() == 0


def test_the_acknowledgement_carries_no_free_text_but_the_name_and_reference(
        client: TestClient, inbox: object) -> None:
    answer = client.post("/api/v1/copy-requests", json={
        **REQUEST, "email": "ann@example.org", "access_needs": "Ring twice: SECRET-NEEDS"})
    reference = answer.json()["reference"]
    (mail,) = inbox.wait(1)  # type: ignore[attr-defined]
    body = mail.get_content()
    assert "Dear Ann Lee," in body and reference in body and "SECRET" not in body
    assert mail["To"] == "ann@example.org" and mail.get_all("To") == ["ann@example.org"]


# --- what is accepted can always be made -------------------------------------------

WIDEST = tuple("CR-" + "".join(letters) for letters in itertools.product("WM", repeat=8))
"""The widest references the service can draw: W and M are the widest
letters of Crockford's alphabet in the letter's font."""


@pytest.mark.both_databases
def test_every_format_at_every_size_is_accepted_with_the_longest_references_and_can_be_made(
        client: TestClient, monkeypatch: object) -> None:
    # The reference drawn first is always one of the widest; intake checks
    # the request with it, exactly as fulfilment will, and draws another
    # where it would not fit the letter (at 32 point). Every accepted
    # request then passes fulfilment's check with the reference it carries.
    svc = client.app.state.service
    first: list[str] = []
    real = store.new_reference
    monkeypatch.setattr(store, "new_reference",  # type: ignore[attr-defined]
                        lambda prefix: first.pop() if first else real(prefix))
    asked = []
    for found in offers():
        extra = {"email": "ann@example.org"} if found.by_email else {}
        for size in found.sizes(svc.settings) or (None,):
            for grade in ((1, 2) if "grade" in found.options else (None,)):
                body = {**REQUEST, **extra, "format": found.name, "size": size, "grade": grade}
                first[:] = [WIDEST[len(asked)]]
                answer = client.post("/api/v1/copy-requests", json=body)
                assert answer.status_code == 201, (body, answer.text)
                asked.append((found.name, size, answer.json()["reference"]))
    assert len(asked) >= 20
    with svc.db.reader.connect() as conn:
        rows = conn.execute(copy_requests.select()).mappings().all()
    for row in rows:
        made = store.stored_request(svc.settings, row)  # fulfilment's own check
        assert made.reference == row["reference"]
    by_size = {(fmt, size): ref for fmt, size, ref in asked}
    # The letter takes a reference on two lines at every size, so even the
    # widest fits as drawn at 32 point.
    assert by_size[("large-print", 28)] in WIDEST
    assert by_size[("large-print", 32)] in WIDEST
