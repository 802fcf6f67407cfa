"""The public JSON API, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from complaints_code.renderers import copy_formats
from complaints_code.service import create_app
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


def test_missing_fields_and_unknown_format_say_what_to_enter(client: TestClient) -> None:
    missing = client.post("/api/v1/copy-requests", json={})
    assert {e["field"]: e["msg"] for e in missing.json()["detail"]} == {
        "name": "Enter your name", "format": "Select the format you want",
        "consent": "Agree that we can use your details to send your copy"}
    unknown = client.post("/api/v1/copy-requests", json={**REQUEST, "format": "vinyl"})
    offered = ", ".join([f.name for f in copy_formats()] + ["email-pdf"])
    assert unknown.json()["detail"][0]["msg"] == (
        f"Select one of the formats offered: {offered}")


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
