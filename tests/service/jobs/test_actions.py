"""Making and sending copies through the staff API, on SQLite and PostgreSQL:
one job per request however many ask at once, print runs that report each
reference, "sent" only when delivered, made files for staff alone."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pikepdf
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from complaints_code.service import create_app
from complaints_code.service.tables import audit_log, copy_requests

from ..conftest import REQUEST, add_account, bearer
from .drain import drain

EMAILED = {"name": "Ann Lee", "email": "ann@example.org", "format": "email-pdf",
           "consent": True}


@pytest.fixture
def staff(client: TestClient, settings_for: Any) -> dict[str, str]:
    """A staff member's Authorization header."""
    return bearer(add_account(settings_for(), "Sam", "staff"))


def _ask(client: TestClient, **changes: Any) -> str:
    answer = client.post("/api/v1/copy-requests", json={**REQUEST, **changes})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["reference"])


def _status(client: TestClient, reference: str) -> dict[str, Any]:
    with client.app.state.service.db.reader.connect() as conn:
        row = conn.execute(select(copy_requests).where(
            copy_requests.c.reference == reference)).mappings().one()
    return dict(row)


@pytest.mark.slow
def test_fulfil_queues_a_job_and_answers_at_once_then_409_with_that_job(
        client: TestClient, staff: dict[str, str], settings_for: Any) -> None:
    ref = _ask(client)
    first = client.post(f"/api/v1/staff/copy-requests/{ref}/fulfil", headers=staff)
    assert first.status_code == 202
    job = first.json()["job"]
    assert first.json() == {"job": job, "status": "queued"}
    assert first.headers["location"] == f"/api/v1/staff/jobs/{job}"
    assert _status(client, ref)["status"] == "queued"
    queued = client.get(first.headers["location"], headers=staff).json()
    assert queued == {"status": "queued", "requests": [{"reference": ref, "outcome": "queued"}],
                      "files": []}
    again = client.post(f"/api/v1/staff/copy-requests/{ref}/fulfil", headers=staff)
    assert (again.status_code, again.json()) == (409, {"job": job})
    drain(settings_for())
    made = client.get(f"/api/v1/staff/jobs/{job}", headers=staff).json()
    assert made == {"status": "made", "requests": [{"reference": ref, "outcome": "made"}],
                    "files": [f"/api/v1/staff/jobs/{job}/files/{ref}.pdf"]}
    assert _status(client, ref)["status"] == "made"
    assert client.post(f"/api/v1/staff/copy-requests/{ref}/fulfil",
                       headers=staff).json() == {"job": job}
    listed = client.get("/api/v1/staff/copy-requests", params={"status": "made"},
                        headers=staff).json()
    assert [(r["reference"], r["status"], r["job"]) for r in listed] == [(ref, "made", job)]
    assert client.post("/api/v1/staff/copy-requests/CR-NOTHERE/fulfil",
                       headers=staff).status_code == 404


@pytest.mark.slow
@pytest.mark.both_databases
def test_three_concurrent_fulfils_make_one_job_and_one_mail(
        settings_for: Any, inbox: Any) -> None:
    # Three web servers (each with its own database writer) at the same moment.
    settings = settings_for()
    token = add_account(settings, "Sam", "staff")
    with ExitStack() as stack:
        clients = [stack.enter_context(TestClient(create_app(settings))) for _ in range(3)]
        ref = _ask(clients[0], **EMAILED)
        inbox.wait(1)  # the acknowledgement
        # FastAPI builds an app's routes at its first request, inside
        # warnings.catch_warnings, which is not thread-safe: three apps doing
        # so at once in one process (never the case in a served process, whose
        # routes are matched on one event-loop thread) can let pydantic's
        # warning through, an error under pytest. Their first request is made
        # here, one at a time.
        for c in clients:
            assert c.post("/api/v1/staff/copy-requests/CR-NOTHERE/fulfil",
                          headers=bearer(token)).status_code == 404
        start = threading.Barrier(3)
        answers: list[Any] = [None] * 3

        def press(n: int) -> None:
            try:
                start.wait()
                answers[n] = clients[n].post(f"/api/v1/staff/copy-requests/{ref}/fulfil",
                                             headers=bearer(token))
            except BaseException as exc:  # reported below, readably
                answers[n] = exc

        threads = [threading.Thread(target=press, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        raised = [repr(a) for a in answers if isinstance(a, BaseException)]
        assert not raised, f"a concurrent fulfil raised: {raised}"
        assert sorted(a.status_code for a in answers) == [202, 409, 409], \
            [(a.status_code, a.text) for a in answers]
        assert len({a.json()["job"] for a in answers}) == 1
        drain(settings)
        assert _status(clients[0], ref)["status"] == "sent"
    copies = [m for m in inbox.wait(2) if m["Subject"] == f"Your copy of the Code: {ref}"]
    assert len(copies) == 1
    assert [a.get_filename() for a in copies[0].iter_attachments()] == [f"{ref}.pdf"]


@pytest.mark.slow
@pytest.mark.both_databases
def test_a_print_run_drops_duplicates_and_reports_each_reference_one_bad_one_failing_alone(
        client: TestClient, staff: dict[str, str], settings_for: Any) -> None:
    good = [_ask(client, format="print"), _ask(client, format="large-print", size=24)]
    braille = _ask(client, format="braille")
    taken = _ask(client, format="print")
    client.post(f"/api/v1/staff/copy-requests/{taken}/fulfil", headers=staff)
    # A request that passed intake but can no longer be made (here: an address
    # too long for the envelope window, written past the intake checks).
    broken = _ask(client, format="print")
    with client.app.state.service.db.writer.begin() as conn:
        conn.execute(update(copy_requests).where(copy_requests.c.reference == broken)
                     .values(address="\n".join(f"Line {n}" for n in range(12))))
    run = client.post("/api/v1/staff/print-runs", headers=staff, json={"references": [
        good[0], good[1], good[0], braille, taken, broken, "cr-nothere", good[1]]})
    assert run.status_code == 202
    job = run.json()["job"]
    assert run.json() == {"job": job}
    drain(settings_for())
    report = client.get(f"/api/v1/staff/jobs/{job}", headers=staff).json()
    outcomes = {r["reference"]: (r["outcome"], r.get("reason", "")) for r in report["requests"]}
    assert [r["reference"] for r in report["requests"]] == [
        good[0], good[1], braille, taken, broken, "CR-NOTHERE"]
    assert outcomes[good[0]] == ("made", "") and outcomes[good[1]] == ("made", "")
    assert outcomes[braille][0] == "failed" and "print run" in outcomes[braille][1]
    assert outcomes[taken][0] == "failed" and "already" in outcomes[taken][1]
    assert outcomes[broken][0] == "failed" and outcomes[broken][1]
    assert outcomes["CR-NOTHERE"] == ("failed", "There is no copy request CR-NOTHERE")
    assert report["status"] == "made" and report["files"] == [
        f"/api/v1/staff/jobs/{job}/files/print-run-{job}.pdf"]
    merged = client.get(report["files"][0], headers=staff)
    assert merged.headers["content-type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(merged.content)) as pdf:
        assert len(pdf.pages) % 2 == 0
    assert [_status(client, r)["status"] for r in good] == ["made", "made"]
    assert _status(client, braille)["status"] == "received"
    assert _status(client, broken)["status"] == "received"
    assert f"Job {job} could not make it" in _status(client, broken)["problem"]


@pytest.mark.slow
@pytest.mark.both_databases
def test_an_abandoned_print_run_leaves_every_request_made_not_sent(
        client: TestClient, staff: dict[str, str], settings_for: Any) -> None:
    refs = [_ask(client, format="print") for _ in range(3)]
    job = client.post("/api/v1/staff/print-runs", headers=staff,
                      json={"references": refs}).json()["job"]
    drain(settings_for())
    # Nobody downloads it, nobody marks it posted.
    assert [_status(client, r)["status"] for r in refs] == ["made"] * 3
    assert all(_status(client, r)["sent_at"] is None for r in refs)
    waiting = client.get("/api/v1/staff/copy-requests", params={"status": "sent"},
                         headers=staff).json()
    assert waiting == []
    posted = client.post(f"/api/v1/staff/print-runs/{job}/sent", headers=staff)
    assert posted.status_code == 200 and posted.json() == {"job": job, "sent": refs}
    assert [_status(client, r)["status"] for r in refs] == ["sent"] * 3
    assert {_status(client, r)["sent_by"] for r in refs} == {"Sam"}


@pytest.mark.slow
def test_marking_one_copy_posted_needs_it_made_and_posted(
        client: TestClient, staff: dict[str, str], settings_for: Any, inbox: Any) -> None:
    ref = _ask(client, format="print")
    emailed = _ask(client, **EMAILED)
    early = client.post(f"/api/v1/staff/copy-requests/{ref}/sent", headers=staff)
    assert early.status_code == 409 and "not made yet" in early.json()["detail"]
    client.post(f"/api/v1/staff/copy-requests/{ref}/fulfil", headers=staff)
    client.post(f"/api/v1/staff/copy-requests/{emailed}/fulfil", headers=staff)
    drain(settings_for())
    by_email = client.post(f"/api/v1/staff/copy-requests/{emailed}/sent", headers=staff)
    assert by_email.status_code == 409 and "email" in by_email.json()["detail"]
    posted = client.post(f"/api/v1/staff/copy-requests/{ref}/sent", headers=staff)
    assert posted.status_code == 200
    assert (posted.json()["status"], posted.json()["sent_by"]) == ("sent", "Sam")
    assert client.post(f"/api/v1/staff/copy-requests/{ref}/sent",
                       headers=staff).status_code == 200
    assert client.post("/api/v1/staff/print-runs/999/sent", headers=staff).status_code == 404
    with client.app.state.service.db.reader.connect() as conn:
        actions = list(conn.execute(select(audit_log.c.actor, audit_log.c.action).where(
            audit_log.c.subject == ref).order_by(audit_log.c.id)))
    assert [tuple(a) for a in actions] == [("Sam", "fulfil"), ("(worker)", "made"),
                                           ("Sam", "posted")]


@pytest.mark.slow
def test_an_email_the_server_refuses_is_sent_after_a_retry(
        client: TestClient, staff: dict[str, str], settings_for: Any, inbox: Any) -> None:
    settings = settings_for(mail_retry_seconds=0.2)
    ref = _ask(client, **EMAILED)
    inbox.wait(1)
    inbox.refuse = 2
    client.post(f"/api/v1/staff/copy-requests/{ref}/fulfil", headers=staff)
    drain(settings, until=lambda: _status(client, ref)["status"] == "sent", timeout=30)
    assert inbox.refused == 2
    row = _status(client, ref)
    assert (row["mail_attempts"], row["problem"], row["sent_by"]) == (3, None, "Sam")
    assert len([m for m in inbox.messages if "Your copy" in m["Subject"]]) == 1


def test_after_the_last_refused_try_the_request_shows_the_failure_until_sent_again(
        client: TestClient, staff: dict[str, str], settings_for: Any, inbox: Any) -> None:
    settings = settings_for(mail_retry_seconds=0.1, mail_attempts=2)
    ref = _ask(client, **EMAILED)
    inbox.wait(1)
    inbox.refuse = 10
    job = client.post(f"/api/v1/staff/copy-requests/{ref}/fulfil", headers=staff).json()["job"]
    drain(settings, until=lambda: _status(client, ref)["mail_next_at"] is None, timeout=30)
    row = _status(client, ref)
    assert row["status"] == "made" and inbox.refused == 2
    assert "try 2 of 2" in row["problem"] and "Send again" in row["problem"]
    listed = client.get("/api/v1/staff/copy-requests", params={"status": "made"},
                        headers=staff).json()
    assert listed[0]["problem"] == row["problem"] and listed[0]["job"] == job
    assert client.get(f"/api/v1/staff/jobs/{job}", headers=staff).json()["status"] == "made"
    inbox.refuse = 0
    again = client.post(f"/api/v1/staff/copy-requests/{ref}/send", headers=staff)
    assert again.status_code == 202
    drain(settings, until=lambda: _status(client, ref)["status"] == "sent", timeout=30)
    assert client.post(f"/api/v1/staff/copy-requests/{ref}/send",
                       headers=staff).status_code == 409


@pytest.mark.slow
def test_made_files_answer_to_staff_alone(client: TestClient, staff: dict[str, str],
                                         settings_for: Any) -> None:
    legal = bearer(add_account(settings_for(), "Lee", "legal"))
    ref = _ask(client, format="braille", grade=1)
    job = client.post(f"/api/v1/staff/copy-requests/{ref}/fulfil", headers=staff).json()["job"]
    drain(settings_for())
    url = client.get(f"/api/v1/staff/jobs/{job}", headers=staff).json()["files"][0]
    assert url.endswith(f"/{ref}.zip")
    assert client.get(url).status_code == 401
    assert client.get(url, headers=legal).status_code == 403
    assert client.get(f"/api/v1/staff/jobs/{job}", headers=legal).status_code == 403
    got = client.get(url, headers=staff)
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    assert got.headers["cache-control"] == "no-store"
    assert client.get(url.replace(ref, "CR-OTHER0"), headers=staff).status_code == 404
    assert client.get(f"/api/v1/staff/jobs/{job}/files/..%2Fjobs.db",
                      headers=staff).status_code == 404
    folder = settings_for().var / "copies" / f"job-{job}"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct((folder / f"{ref}.zip").stat().st_mode & 0o777) == "0o600"


@pytest.fixture
def purge_env(settings_for: Any) -> Iterator[dict[str, str]]:
    s = settings_for()
    yield {"COMPLAINTS_CODE_DATABASE_URL": s.database, "COMPLAINTS_CODE_VAR": str(s.var)}


@pytest.mark.slow
def test_purge_removes_a_sent_copy_s_file_with_its_personal_data(
        client: TestClient, staff: dict[str, str], settings_for: Any,
        purge_env: dict[str, str]) -> None:
    import datetime as dt

    from click.testing import CliRunner

    from complaints_code.cli import main

    sent, unsent = _ask(client, format="print"), _ask(client, format="print")
    jobs = [client.post(f"/api/v1/staff/copy-requests/{r}/fulfil", headers=staff).json()["job"]
            for r in (sent, unsent)]
    drain(settings_for())
    client.post(f"/api/v1/staff/copy-requests/{sent}/sent", headers=staff)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=100)
    with client.app.state.service.db.writer.begin() as conn:
        conn.execute(update(copy_requests).values(sent_at=long_ago).where(
            copy_requests.c.reference == sent))
    done = CliRunner().invoke(main, ["service", "purge"], env=purge_env)
    assert done.exit_code == 0, done.output
    assert "1 copy request(s) sent more than 90 days ago (and the made files of 1 job(s))" \
        in done.output
    folders = [settings_for().var / "copies" / f"job-{j}" for j in jobs]
    assert [f.exists() for f in folders] == [False, True]
    assert _status(client, sent)["name"] is None
    assert client.get(f"/api/v1/staff/jobs/{jobs[0]}", headers=staff).json()["files"] == []


def test_a_print_run_needs_a_list_of_references(client: TestClient,
                                                staff: dict[str, str]) -> None:
    url = "/api/v1/staff/print-runs"
    for body in ({}, {"references": []}, {"references": ["  "]}, {"references": "CR-1"},
                 {"references": ["CR-1"], "extra": 1}, {"references": ["x" * 41]},
                 {"references": ["CR-1"] * 501}):
        answer = client.post(url, json=body, headers=staff)
        assert answer.status_code == 422, body
        assert answer.json()["detail"][0]["field"] in ("references", "extra"), body
    assert client.post(url, json={"references": ["CR-1"]}).status_code == 401


@pytest.mark.both_databases
def test_a_control_character_in_a_staff_reference_is_refused_not_sent_to_the_database(
        client: TestClient, staff: dict[str, str]) -> None:
    # PostgreSQL refuses NUL outright: a reference holding one must not reach it.
    for action in ("fulfil", "sent", "send"):
        answer = client.post(f"/api/v1/staff/copy-requests/CR-%00/{action}", headers=staff)
        assert answer.status_code in (404, 409), (action, answer.text)
        assert "CR-<U+0000 NULL>" in answer.json()["detail"]
    run = client.post("/api/v1/staff/print-runs", headers=staff,
                      json={"references": ["CR-\x00A", "CR-\x1b"]})
    assert run.status_code == 422, run.text
    assert [e["field"] for e in run.json()["detail"]] == ["references"]
