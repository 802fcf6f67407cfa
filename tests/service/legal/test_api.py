"""The legal team's drafts API, on SQLite and PostgreSQL: who may call it,
a draft's findings and redline, the source replaced whole (422 at the line
of a mistake), submitting (409 for errors, unacknowledged warnings, an out
of date draft), approval by a second person with approval rights (403 for
the author), returning with a comment, bringing a draft up to date field by
field, and the audit log of every step. No build here: approval queues the
release job, which ``test_release_path`` runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from complaints_code.service.tables import jobs

from .conftest import (
    ADR_NAME,
    ADR_TIMESCALE,
    NEW_NUMBER,
    OLD_NUMBER,
    People,
    audit,
    put,
    replaced,
)

DRAFTS = "/api/v1/legal/drafts"


def _start(api: TestClient, who: dict[str, str]) -> int:
    made = api.post(DRAFTS, headers=who)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _source(api: TestClient, who: dict[str, str], draft: int) -> str:
    return str(api.get(f"{DRAFTS}/{draft}", headers=who).json()["source"])


def _submittable(api: TestClient, people: People) -> int:
    """A draft with the new number and the two errors of the shipped Code fixed."""
    draft = _start(api, people.jane)
    text = replaced(_source(api, people.jane, draft), (OLD_NUMBER, NEW_NUMBER), ADR_TIMESCALE,
                    ADR_NAME)
    assert put(api, people.jane, draft, text).status_code == 200
    return draft


def test_no_credentials_get_401_with_a_bearer_challenge_and_other_roles_403(
        api: TestClient, people: People) -> None:
    draft = _start(api, people.jane)
    for method, url in (("get", DRAFTS), ("post", DRAFTS), ("get", f"{DRAFTS}/{draft}"),
                        ("put", f"{DRAFTS}/{draft}/source"), ("post", f"{DRAFTS}/{draft}/submit"),
                        ("post", f"{DRAFTS}/{draft}/approve"),
                        ("post", f"{DRAFTS}/{draft}/return")):
        bare = api.request(method, url)
        assert (bare.status_code, bare.headers.get("www-authenticate")) == (401, "Bearer"), url
        wrong = api.request(method, url, headers={"Authorization": "Bearer cc_not-a-token"})
        assert wrong.status_code == 401, url
        staff = api.request(method, url, headers=people.stan)
        assert staff.status_code == 403, url
        assert "legal role" in staff.json()["detail"]
    for unknown in ("999999", "draft-1", "0x1"):
        missing = api.get(f"{DRAFTS}/{unknown}", headers=people.jane)
        assert missing.status_code == 404 and unknown in missing.json()["detail"]
        assert api.post(f"{DRAFTS}/{unknown}/approve", headers=people.tom).status_code == 404


@pytest.mark.slow
def test_a_draft_starts_from_the_published_version_with_the_check_and_the_redline(
        api: TestClient, people: People, project: Path) -> None:
    made = api.post(DRAFTS, headers=people.jane)
    assert made.status_code == 201
    body = made.json()
    assert body == {"id": body["id"], "base_version": "1.0", "status": "editing"}
    assert made.headers["location"] == f"{DRAFTS}/{body['id']}"
    got = api.get(made.headers["location"], headers=people.sam)
    draft = got.json()
    assert draft["source"] == project.read_text(encoding="utf-8")
    assert (draft["status"], draft["base_version"], draft["author"]) == (
        "editing", "1.0", "Jane Smith")
    # The findings are complaints-code check's own, at its lines.
    adr = next(f for f in draft["findings"] if f["rule"] == "ADR-THRESHOLD")
    assert {k: adr[k] for k in ("line", "column", "severity", "field")} == {
        "line": 102, "column": 11, "severity": "error", "field": "timescales.adr-eligible.text"}
    assert adr["message"].startswith("From 8 April 2026 customers may take")
    assert {f["severity"] for f in draft["findings"]} == {"error", "warning", "note"}
    redline = api.get(draft["redline"], headers=people.sam)
    assert redline.status_code == 200
    assert redline.headers["content-type"].startswith("text/html")
    assert "style-src 'self' 'sha256-" in redline.headers["content-security-policy"]
    assert "Changes from version 1.0 to version 1.1, for approval." in redline.text


@pytest.mark.slow
@pytest.mark.both_databases
def test_the_source_is_replaced_whole_and_a_mistake_gets_422_at_its_line(
        api: TestClient, people: People) -> None:
    draft = _start(api, people.jane)
    text = _source(api, people.jane, draft)
    changed = put(api, people.jane, draft, replaced(text, (OLD_NUMBER, NEW_NUMBER),
                                                     ADR_TIMESCALE))
    assert changed.status_code == 200, changed.text
    rules = {f["rule"] for f in changed.json()["findings"]}
    assert "ADR-THRESHOLD" not in rules and "ADR-BODY" in rules
    assert NEW_NUMBER in changed.json()["source"]
    redline = api.get(f"{DRAFTS}/{draft}/redline", params={"format": "text"},
                      headers=people.jane).text
    assert OLD_NUMBER in redline and NEW_NUMBER in redline and "8 weeks" in redline
    broken = put(api, people.jane, draft, text.replace('  version: "1.0"', "  version: [1.0"))
    assert broken.status_code == 422
    problem = broken.json()["detail"][0]
    assert 16 <= problem["line"] <= 18 and "YAML reader" in problem["message"]
    assert problem["msg"].startswith(f"Line {problem['line']}, column ")  # as every 422 says
    assert problem["loc"] == ["body", problem["line"], problem["column"]]
    wrong = put(api, people.jane, draft, replaced(text, ("amount: 8\n", "amount: eight\n")))
    assert wrong.status_code == 422
    assert [(p["line"], p["field"]) for p in wrong.json()["detail"]] == [
        (104, "timescales.adr-eligible.amount")]
    nameless = put(api, people.jane, draft, replaced(text, ("  provider: Opus Telecoms\n", "")))
    assert nameless.status_code == 422
    assert [(p["line"], p["field"]) for p in nameless.json()["detail"]] == [
        (13, "metadata.provider")]
    assert put(api, people.jane, draft, b"").status_code == 422
    nul = put(api, people.jane, draft, text.replace("Opus Telecoms\n", "Opus\x00Telecoms\n", 1))
    assert nul.status_code == 422 and nul.json()["detail"][0]["line"] == 14
    assert put(api, people.jane, draft, b"\xff\xfe").status_code == 422
    as_text = api.put(f"{DRAFTS}/{draft}/source", content=text,
                      headers={**people.jane, "Content-Type": "text/plain"})
    assert as_text.status_code == 415
    assert put(api, people.tom, draft, text).status_code == 403  # not the author
    long = text + "# A note for the approver. " + "Background. " * 2000 + "\n"
    assert len(long) > 32 * 1024 and put(api, people.jane, draft, long).status_code == 200
    assert put(api, people.jane, draft, long * 40).status_code == 413
    stale = put(api, people.jane, draft, text, **{"If-Match": '"1"'})
    assert stale.status_code == 412
    assert _source(api, people.jane, draft) == long  # nothing refused was written


@pytest.mark.slow
def test_field_edits_are_written_into_the_yaml_and_a_wrong_field_is_named(
        api: TestClient, people: People) -> None:
    draft = _start(api, people.jane)
    url = f"{DRAFTS}/{draft}/fields"
    edited = api.post(url, headers=people.jane, json={"edits": [
        {"field": "contacts.telephone.value", "value": NEW_NUMBER},
        {"field": "timescales.adr-eligible.amount", "value": 6},
        {"field": "timescales.adr-eligible.text", "value": "6 weeks"}]})
    assert edited.status_code == 200, edited.text
    assert "    text: 6 weeks\n    clock: calendar_weeks\n    amount: 6\n" in \
        edited.json()["source"]
    unknown = api.post(url, headers=people.jane,
                       json={"edits": [{"field": "contacts.pigeon.value", "value": "x"}]})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["field"] == "contacts.pigeon.value"
    wrong_type = api.post(url, headers={**people.jane, "Content-Type": "text/plain"},
                          content='{"edits": []}')
    assert wrong_type.status_code == 415


@pytest.mark.slow
def test_submitting_needs_no_errors_every_warning_acknowledged_and_a_summary(
        api: TestClient, people: People) -> None:
    draft = _start(api, people.jane)
    url = f"{DRAFTS}/{draft}/submit"
    body = {"summary": "A new telephone number.", "acknowledge_warnings": True}
    errors = api.post(url, headers=people.jane, json=body)
    assert errors.status_code == 409 and errors.json()["reason"] == "errors"
    assert {d["rule"] for d in errors.json()["details"]} == {"ADR-THRESHOLD", "ADR-BODY"}
    text = replaced(_source(api, people.jane, draft), ADR_TIMESCALE, ADR_NAME)
    assert put(api, people.jane, draft, text).status_code == 200
    unacknowledged = api.post(url, headers=people.jane, json={**body,
                                                               "acknowledge_warnings": False})
    assert unacknowledged.status_code == 409
    assert unacknowledged.json()["reason"] == "warnings"
    assert api.post(url, headers=people.jane, json={**body, "summary": " "}).status_code == 422
    assert api.post(url, headers=people.jane, json={**body, "summary": "A\x00B"}
                    ).status_code == 422
    assert api.post(url, headers=people.jane, json={**body, "acknowledge_warnings": "yes"}
                    ).status_code == 422
    assert api.post(url, headers=people.jane, json={"acknowledge_warnings": True}
                    ).status_code == 422
    assert api.post(url, headers={**people.jane, "Content-Type": "text/plain"},
                    content='{"summary": "x"}').status_code == 415
    assert api.post(url, headers=people.tom, json=body).status_code == 403
    done = api.post(url, headers=people.jane, json=body)
    assert done.status_code == 200, done.text
    submitted = done.json()
    assert (submitted["status"], submitted["summary"]) == ("submitted", "A new telephone number.")
    assert submitted["release"]["version"] == "1.1"
    assert {a["rule"] for a in submitted["acknowledged"]} >= {"TEXT-RELAY", "ADR-FREE"}
    assert api.post(url, headers=people.jane, json=body).status_code == 409
    assert put(api, people.jane, draft, text).status_code == 409


@pytest.mark.slow
def test_approval_needs_a_second_person_with_approval_rights_and_queues_the_release(
        api: TestClient, people: People) -> None:
    draft = _submittable(api, people)
    assert api.post(f"{DRAFTS}/{draft}/approve", headers=people.tom).status_code == 409
    api.post(f"{DRAFTS}/{draft}/submit", headers=people.jane,
             json={"summary": "A new number.", "acknowledge_warnings": True})
    approve = f"{DRAFTS}/{draft}/approve"
    own = api.post(approve, headers=people.jane)
    assert own.status_code == 403 and "you cannot approve it" in own.json()["detail"]
    assert api.post(approve, headers=people.sam).status_code == 403  # no approval rights
    approved = api.post(approve, headers=people.tom)
    assert approved.status_code == 202, approved.text
    job = approved.json()["job"]
    assert api.get(f"{DRAFTS}/{draft}", headers=people.jane).json()["status"] == "approved"
    with api.app.state.service.db.reader.connect() as conn:
        row = conn.execute(select(jobs).where(jobs.c.id == job)).mappings().one()
    assert (row["kind"], row["status"], row["created_by"]) == ("release", "queued", "Tom Jones")
    again = api.post(approve, headers=people.tom)
    assert again.status_code == 409 and again.json()["reason"] == "status"
    # One approved draft at a time: its release writes the published source.
    other = _submittable(api, people)
    api.post(f"{DRAFTS}/{other}/submit", headers=people.jane,
             json={"summary": "Another.", "acknowledge_warnings": True})
    waits = api.post(f"{DRAFTS}/{other}/approve", headers=people.tom)
    assert waits.status_code == 409 and waits.json()["reason"] == "releasing"


@pytest.mark.slow
def test_return_sends_the_draft_back_to_its_author_with_the_comment(
        api: TestClient, people: People) -> None:
    draft = _submittable(api, people)
    url = f"{DRAFTS}/{draft}/return"
    assert api.post(url, headers=people.tom, json={"comment": "x"}).status_code == 409
    api.post(f"{DRAFTS}/{draft}/submit", headers=people.jane,
             json={"summary": "A new number.", "acknowledge_warnings": True})
    assert api.post(url, headers=people.jane, json={"comment": "x"}).status_code == 403
    assert api.post(url, headers=people.tom, json={"comment": "  "}).status_code == 422
    assert api.post(url, headers=people.tom, json={}).status_code == 422
    back = api.post(url, headers=people.tom, json={"comment": "Say when the new number starts."})
    assert back.status_code == 200
    assert (back.json()["status"], back.json()["comment"]) == (
        "returned", "Say when the new number starts.")
    assert api.post(f"{DRAFTS}/{draft}/approve", headers=people.tom).status_code == 409
    text = _source(api, people.jane, draft)
    assert put(api, people.jane, draft, text + "# from 1 January\n").json()["status"] == "editing"
    assert audit(api, f"draft {draft}") == [
        ("Jane Smith", "drafted"), ("Jane Smith", "edited"), ("Jane Smith", "submitted"),
        ("Tom Jones", "returned"), ("Jane Smith", "edited")]


@pytest.mark.slow
@pytest.mark.both_databases
def test_a_draft_out_of_date_is_brought_up_to_date_field_by_field(
        api: TestClient, people: People, project: Path) -> None:
    draft = _start(api, people.jane)
    mine = replaced(_source(api, people.jane, draft), (OLD_NUMBER, "020 8545 8300"),
                    ("customerservice@opus-telecoms.co.uk", "complaints@opus-telecoms.co.uk"),
                    ADR_TIMESCALE, ADR_NAME)
    put(api, people.jane, draft, mine)
    # Meanwhile a newer version is published (by the command line, say).
    theirs = replaced(project.read_text(encoding="utf-8"), (OLD_NUMBER, NEW_NUMBER),
                      ('  version: "1.0"', '  version: "1.1"'))
    project.write_text(theirs, encoding="utf-8")
    submit = {"summary": "A new email address.", "acknowledge_warnings": True}
    late = api.post(f"{DRAFTS}/{draft}/submit", headers=people.jane, json=submit)
    assert late.status_code == 409 and late.json()["reason"] == "out_of_date"
    assert api.get(f"{DRAFTS}/{draft}", headers=people.jane).json()["out_of_date"] is True
    updated = api.post(f"{DRAFTS}/{draft}/update", headers=people.jane)
    assert updated.status_code == 200, updated.text
    merged = updated.json()
    assert merged["base_version"] == "1.1" and merged["out_of_date"] is False
    assert merged["conflicts"] == [{"field": "contacts.telephone.value", "base": OLD_NUMBER,
                                    "mine": "020 8545 8300", "theirs": NEW_NUMBER}]
    assert "complaints@opus-telecoms.co.uk" in merged["source"]  # mine, kept
    blocked = api.post(f"{DRAFTS}/{draft}/submit", headers=people.jane, json=submit)
    assert blocked.status_code == 409 and blocked.json()["reason"] == "conflicts"
    resolved = api.post(f"{DRAFTS}/{draft}/resolve", headers=people.jane, json={
        "field": "contacts.telephone.value", "choice": "value", "value": "020 8545 8301"})
    assert resolved.status_code == 200 and resolved.json()["conflicts"] == []
    assert "value: 020 8545 8301" in resolved.json()["source"]
    done = api.post(f"{DRAFTS}/{draft}/submit", headers=people.jane, json=submit)
    assert done.status_code == 200 and done.json()["release"]["version"] == "1.2"
