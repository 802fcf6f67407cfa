"""The copy queue and a job's page, through HTTP as a browser posts them
(no browser: see test_jobs_browser for axe and the Nu checker): the buttons
answer at once with a redirect, the pages show the job's progress and, when
made, the download; marking posted sends the copies."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pdfplumber
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from complaints_code.service.tables import copy_requests

from .conftest import REQUEST, add_account
from .jobs.drain import drain
from .test_pages import csrf


def _signed_in(client: TestClient, settings_for: Any) -> str:
    token = add_account(settings_for(), "Sam", "staff")
    form = csrf(client, "/staff/login")
    client.post("/staff/login", data={"csrf_token": form, "name": "Sam", "token": token})
    return csrf(client, "/staff")  # a new session, a new token


def _section(html: str, heading: str) -> str:
    """The part of a page under one h2 heading."""
    part = html.split(f">{heading}</h2>")[1]
    return part.split("<h2")[0]


@pytest.mark.slow
@pytest.mark.both_databases
def test_the_queue_sorts_due_soonest_marks_overdue_and_queues_a_print_run(
        client: TestClient, settings_for: Any) -> None:
    refs = [client.post("/api/v1/copy-requests", json={**REQUEST, "format": fmt}).json()[
        "reference"] for fmt in ("print", "large-print", "braille")]
    with client.app.state.service.db.writer.begin() as conn:
        conn.execute(update(copy_requests).where(copy_requests.c.reference == refs[1])
                     .values(due_by=copy_requests.c.received_at))
    form = _signed_in(client, settings_for)
    html = client.get("/staff").text
    assert [html.index(r) for r in (refs[1], refs[0], refs[2])] == sorted(
        html.index(r) for r in refs)
    assert "1 overdue" in html and "Overdue</strong>" in html
    boxes = re.findall(r'form="print-run" name="reference" value="([^"]+)"', html)
    assert boxes == [refs[1], refs[0]]  # braille is not printed
    nothing = client.post("/staff/print-run", data={"csrf_token": form})
    assert nothing.status_code == 400 and "Select at least one request to print" in nothing.text
    run = client.post("/staff/print-run", data={"csrf_token": form, "reference": refs[:2]},
                      follow_redirects=False)
    assert run.status_code == 303
    page = run.headers["location"]
    job = int(page.rsplit("/", 1)[1])
    queued = client.get(page).text
    assert f"Print run {job}</h1>" in queued and "Waiting for a worker" in queued
    queue = client.get("/staff").text
    assert f'<a href="/staff/jobs/{job}">Print run {job}</a>: waiting for a worker, 0 of 2 made' \
        in _section(queue, "Being made")
    assert refs[0] not in _section(queue, "Waiting")
    drain(settings_for())
    made = client.get(page).text
    link = f"/staff/jobs/{job}/files/print-run-{job}.pdf"
    assert f'href="{link}"' in made and "Made at" in made and "Mark all 2 posted" in made
    pdf = client.get(link)
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'attachment; filename="print-run-' in pdf.headers["content-disposition"]
    ready = _section(client.get("/staff").text, "Made, not yet sent")
    assert f"Print run {job}" in ready and "2 not yet posted" in ready
    posted = client.post(f"/staff/print-runs/{job}/sent", data={
        "csrf_token": form, "next": page}, follow_redirects=False)
    assert (posted.status_code, posted.headers["location"]) == (303, page)
    after = client.get("/staff").text
    assert "Nothing is waiting to be sent." in after
    assert f"{refs[0]}: print, posted (Sam)" in _section(after, "Recently sent")


@pytest.mark.slow
def test_the_make_copy_button_queues_the_job_and_its_page_gives_the_copy(
        client: TestClient, settings_for: Any) -> None:
    large = client.post("/api/v1/copy-requests", json=REQUEST).json()["reference"]
    braille = client.post("/api/v1/copy-requests",
                          json={**REQUEST, "format": "braille"}).json()["reference"]
    _signed_in(client, settings_for)
    # The buttons as the page draws them: each form's action and hidden token.
    queue = client.get("/staff").text
    forms = re.findall(r'<form method="post" action="(/staff/copy-requests/([^/"]+)/fulfil)">'
                       r'<input type="hidden" name="csrf_token" value="([^"]+)">', queue)
    buttons = {reference: (action, page_token) for action, reference, page_token in forms}
    assert set(buttons) == {large, braille}
    action, page_token = buttons[large]
    pressed = client.post(action, data={"csrf_token": page_token}, follow_redirects=False)
    assert pressed.status_code == 303
    page = pressed.headers["location"]
    again = client.post(action, data={"csrf_token": page_token}, follow_redirects=False)
    assert again.headers["location"] == page + "?already=1"
    assert "This copy already had a job" in client.get(again.headers["location"]).text
    client.post(buttons[braille][0], data={"csrf_token": page_token})
    drain(settings_for())
    html = client.get(page).text
    link = re.search(r'href="(/staff/jobs/\d+/files/[^"]+\.pdf)" download', html)
    assert link, html
    with pdfplumber.open(io.BytesIO(client.get(link.group(1)).content)) as pdf:
        letter = pdf.pages[0].extract_text()
    assert "Ann Lee" in letter and "large print" in letter
    zipped = re.search(r'href="(/staff/jobs/\d+/files/[^"]+\.zip)"', client.get("/staff").text)
    assert zipped
    names = zipfile.ZipFile(io.BytesIO(client.get(zipped.group(1)).content)).namelist()
    assert any(n.endswith(".brf") for n in names) and any(n.endswith(".pdf") for n in names)
    post = re.search(r'<form method="post" action="(/staff/copy-requests/' + large +
                     r'/sent)"><input type="hidden" name="csrf_token" value="([^"]+)">'
                     r'<input type="hidden" name="next" value="([^"]+)">', html)
    assert post, html
    forged = client.post(post.group(1), data={"csrf_token": "forged"})
    assert forged.status_code == 403
    done = client.post(post.group(1), data={"csrf_token": post.group(2),
                                            "next": post.group(3)}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, page)
    assert "<td data-label=\"Now\">Sent</td>" in client.get(page).text


def test_a_button_refused_shows_the_queue_with_the_reason(client: TestClient,
                                                         settings_for: Any) -> None:
    form = _signed_in(client, settings_for)
    ref = client.post("/api/v1/copy-requests", json=REQUEST).json()["reference"]
    early = client.post(f"/staff/copy-requests/{ref}/sent", data={"csrf_token": form})
    assert early.status_code == 409 and f"{ref} is not made yet" in early.text
    missing = client.post("/staff/copy-requests/CR-NOTHERE/fulfil", data={"csrf_token": form})
    assert missing.status_code == 404 and "There is no copy request CR-NOTHERE" in missing.text
    assert client.get("/staff/jobs/999").status_code == 404


def test_the_queue_and_job_pages_send_a_stranger_to_sign_in(client: TestClient) -> None:
    for path in ("/staff", "/staff/jobs/1"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/staff/login")
    assert client.get("/staff/jobs/1/files/x.pdf").status_code == 401
    answer = client.post("/staff/print-run", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"][:12]) == (303, "/staff/login")
