"""Staff accounts, the staff API and the copies made, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pdfplumber
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from complaints_code.cli import main
from complaints_code.service import create_app
from complaints_code.service.tables import audit_log, staff

from .conftest import REQUEST, add_account, bearer
from .jobs.drain import drain


def _audit(client: TestClient) -> list[tuple[str, str, str | None]]:
    with client.app.state.service.db.reader.connect() as conn:
        rows = conn.execute(select(audit_log.c.actor, audit_log.c.action, audit_log.c.subject)
                            .order_by(audit_log.c.id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_staff_add_prints_a_token_once_and_stores_only_its_hash(settings_for: Any) -> None:
    s = settings_for()
    env = {"COMPLAINTS_CODE_DATABASE_URL": s.database, "COMPLAINTS_CODE_VAR": str(s.var)}
    runner = CliRunner()
    added = runner.invoke(main, ["staff", "add", "Sam Jones", "--role", "staff"], env=env)
    assert added.exit_code == 0, added.output
    token = added.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"cc_[A-Za-z0-9_-]{43}", token)
    listed = runner.invoke(main, ["staff", "list"], env=env)
    assert re.search(r"^Sam Jones +staff +added 20", listed.stdout, re.M)
    assert token not in listed.output
    app = create_app(s)
    with app.state.service.db.reader.connect() as conn:
        stored = conn.execute(select(staff.c.token_hash)).scalar_one()
    assert token not in stored and len(stored) == 64
    twice = runner.invoke(main, ["staff", "add", "Sam Jones", "--role", "legal"], env=env)
    assert twice.exit_code == 2
    assert "there is already an account named 'Sam Jones'" in twice.output
    with TestClient(app) as client:
        assert client.get("/api/v1/staff/copy-requests", headers=bearer(token)).status_code == 200
        removed = runner.invoke(main, ["staff", "remove", "Sam Jones"], env=env)
        assert removed.exit_code == 0
        assert client.get("/api/v1/staff/copy-requests", headers=bearer(token)).status_code == 401


def test_staff_api_gives_401_without_credentials_and_403_for_the_wrong_role(
        client: TestClient, settings_for: Any) -> None:
    legal = add_account(settings_for(), "Lee Legal", "legal")
    url = "/api/v1/staff/copy-requests"
    missing = client.get(url)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert client.get(url, headers=bearer("cc_wrong")).status_code == 401
    wrong = client.get(url, headers=bearer(legal))
    assert wrong.status_code == 403
    assert wrong.json()["detail"] == "This needs the staff role; your account has the legal role"
    assert client.post(url + "/CR-00000000/fulfil").status_code == 401
    for path in ("/staff", "/staff/feedback"):  # the pages send a person to sign in
        sent = client.get(path, follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"] == f"/staff/login?next={path}"
    sent = client.post("/staff/print-run", follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == "/staff/login"


def test_every_staff_and_legal_api_call_without_credentials_gets_401_whatever_its_body(
        client: TestClient) -> None:
    # Credentials are checked before the body or the path is read.
    values = {"reference": "CR-00000000", "job": "1", "id": "1", "ident": "1", "name": "x.pdf"}
    checked = 0
    for path, operations in client.get("/openapi.json").json()["paths"].items():
        if not path.startswith(("/api/v1/staff/", "/api/v1/legal/")):
            continue
        url = re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path)
        for method in operations:
            for body in ({}, {"content": b"{", "headers": {"Content-Type": "text/plain"}}):
                answer = client.request(method, url, **body)  # type: ignore[arg-type]
                assert answer.status_code == 401, (method, path, body, answer.text)
                assert answer.headers["www-authenticate"] == "Bearer", (method, path)
            checked += 1
    assert checked >= 15


@pytest.mark.both_databases
def test_staff_list_copy_requests_by_status_due_soonest_first(client: TestClient,
                                                              settings_for: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    refs = [client.post("/api/v1/copy-requests", json=REQUEST).json()["reference"]
            for _ in range(3)]
    listed = client.get("/api/v1/staff/copy-requests", params={"status": "received"},
                        headers=bearer(token)).json()
    assert [r["reference"] for r in listed] == refs
    assert listed[0]["name"] == "Ann Lee" and listed[0]["postcode"] == "SW1A 1AA"
    assert listed[0]["address_lines"] == ["1 High Street", "London"]
    assert [r["job"] for r in listed] == [None, None, None]
    assert client.get("/api/v1/staff/copy-requests", params={"status": "sent"},
                      headers=bearer(token)).json() == []
    for wrong in ("lost", "fulfilled"):
        bad = client.get("/api/v1/staff/copy-requests", params={"status": wrong},
                         headers=bearer(token))
        assert bad.status_code == 422
        assert [(e["field"], e["loc"]) for e in bad.json()["detail"]] == [
            ("status", ["query", "status"])]
        assert bad.json()["detail"][0]["msg"].startswith("Check status: ")


def _made(client: TestClient, settings_for: Any, token: str, ref: str) -> Any:
    """Fulfil a request, let a worker make it, and download the made file."""
    job = client.post(f"/api/v1/staff/copy-requests/{ref}/fulfil",
                      headers=bearer(token)).json()["job"]
    drain(settings_for())
    files = client.get(f"/api/v1/staff/jobs/{job}", headers=bearer(token)).json()["files"]
    assert len(files) == 1
    return client.get(files[0], headers=bearer(token))


@pytest.mark.slow
def test_a_made_copy_is_the_pdf_with_its_letter_and_the_request_is_made(
        client: TestClient, settings_for: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    ref = client.post("/api/v1/copy-requests", json={**REQUEST, "size": 24}).json()["reference"]
    made = _made(client, settings_for, token, ref)
    assert made.status_code == 200
    assert made.headers["content-type"] == "application/pdf"
    assert made.headers["content-disposition"] == f'attachment; filename="{ref}.pdf"'
    with pdfplumber.open(io.BytesIO(made.content)) as pdf:
        letter = pdf.pages[0].extract_text()
    assert "Ann Lee" in letter and "SW1A 1AA" in letter and ref in letter
    row = client.get("/api/v1/staff/copy-requests", params={"status": "made"},
                     headers=bearer(token)).json()[0]
    assert row["reference"] == ref and row["made_at"] is not None and row["sent_at"] is None
    assert ("Sam", "fulfil", ref) in _audit(client)
    assert ("Sam", "download", f"{ref}.pdf") in _audit(client)


@pytest.mark.slow
def test_a_made_braille_copy_is_a_zip_of_the_brf_and_its_letter(client: TestClient,
                                                                settings_for: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    ref = client.post("/api/v1/copy-requests",
                      json={**REQUEST, "format": "braille", "grade": 1}).json()["reference"]
    made = _made(client, settings_for, token, ref)
    assert made.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(made.content)).namelist()
    assert f"{ref}.brf" in names and f"{ref}-letter.pdf" in names


@pytest.mark.slow
def test_email_pdf_is_sent_with_the_pdf_and_an_acknowledgement_first(
        client: TestClient, settings_for: Any, inbox: Any) -> None:
    token = add_account(settings_for(), "Sam", "staff")
    ref = client.post("/api/v1/copy-requests", json={
        "name": "Ann Lee", "email": "ann@example.org", "format": "email-pdf",
        "consent": True}).json()["reference"]
    acknowledgement = inbox.wait(1)[0]
    assert acknowledgement["To"] == "ann@example.org"
    assert acknowledgement["Subject"] == f"Your request for a copy: {ref}"
    assert f"Your reference is {ref}." in acknowledgement.get_content()
    made = client.post(f"/api/v1/staff/copy-requests/{ref}/fulfil", headers=bearer(token))
    assert made.status_code == 202
    assert inbox.wait(2, timeout=0.5) == [acknowledgement]  # nothing sent by the request
    drain(settings_for())
    sent = inbox.wait(2)[1]
    assert sent["Subject"] == f"Your copy of the Code: {ref}"
    assert "Dear Ann Lee," in sent.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    attachments = list(sent.iter_attachments())
    assert [a.get_filename() for a in attachments] == [f"{ref}.pdf"]
    assert attachments[0].get_content().startswith(b"%PDF")
    row = client.get("/api/v1/staff/copy-requests", params={"status": "sent"},
                     headers=bearer(token)).json()[0]
    assert (row["reference"], row["sent_by"]) == (ref, "Sam")


@pytest.mark.slow
def test_no_acknowledgement_without_an_email(client: TestClient, inbox: Any) -> None:
    client.post("/api/v1/copy-requests", json=REQUEST)
    assert inbox.wait(1, timeout=1) == []
