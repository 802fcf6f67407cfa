"""The whole path through the JSON API, on SQLite and PostgreSQL, with the
release job run by the real queue's task: a draft changes the telephone
number and a timescale, shows the findings and the redline, is submitted,
refused to its author, approved by a second person; its first release fails
(the build folder cannot be made) and is undone, leaving the source, git
and the site as they were; tried again, it writes the source, commits and
tags it, and builds and publishes every format with the new number. A
second draft from the same base is then out of date, brought up to date,
its conflicting field resolved. One real build per database."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from complaints_code.service.tables import jobs
from complaints_code.settings import Settings
from tests.publish.test_consistency import READERS, _digits, words

from ..jobs.drain import drain
from .conftest import (
    ADR_NAME,
    NEW_NUMBER,
    OLD_NUMBER,
    People,
    audit,
    git,
    legal_settings,
    put,
    scratch_project,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]
DRAFTS = "/api/v1/legal/drafts"
CARRY_THE_NUMBER = ("web page", "JSON-LD", "large-print PDF", "print PDF", "braille", "EPUB",
                    "Word", "plain text")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The scratch project's source, in a git repository tagged v1.0."""
    return scratch_project(tmp_path / "repo")


@pytest.fixture
def settings(database_url: str, tmp_path: Path, project: Path) -> Settings:
    """The service's settings, naming the service as git's committer."""
    return legal_settings(database_url, tmp_path, project,
                          release_committer="Complaints service <legal@example.org>")


def _job(api: TestClient, job: int) -> dict[str, Any]:
    with api.app.state.service.db.reader.connect() as conn:
        return dict(conn.execute(select(jobs).where(jobs.c.id == job)).mappings().one())


def _run(api: TestClient, settings: Settings, job: int) -> dict[str, Any]:
    """Run the queue until the job is done; the job's row."""
    drain(settings, lambda: _job(api, job)["status"] in ("made", "failed"), timeout=300)
    return _job(api, job)


def _state(repo: Path, source: Path) -> tuple[str, str, str]:
    return (source.read_text(encoding="utf-8"), git(repo, "rev-parse", "HEAD"),
            git(repo, "tag", "--list"))


@pytest.mark.both_databases
def test_a_draft_is_approved_by_a_second_person_and_published_in_every_format(
        api: TestClient, people: People, settings: Settings, project: Path) -> None:
    repo = project.parents[1]
    # A second draft from the same base, changing the same number.
    other = api.post(DRAFTS, headers=people.jane).json()["id"]
    base = api.get(f"{DRAFTS}/{other}", headers=people.jane).json()["source"]
    put(api, people.jane, other, base.replace(OLD_NUMBER, "020 8545 8300").replace(
        "customerservice@opus-telecoms.co.uk", "complaints@opus-telecoms.co.uk"))

    draft = api.post(DRAFTS, headers=people.jane).json()["id"]
    changed = api.post(f"{DRAFTS}/{draft}/fields", headers=people.jane, json={"edits": [
        {"field": "contacts.telephone.value", "value": NEW_NUMBER},
        {"field": "timescales.adr-eligible.text", "value": "6 weeks"},
        {"field": "timescales.adr-eligible.amount", "value": 6}]}).json()
    errors = [f for f in changed["findings"] if f["severity"] == "error"]
    assert [(f["rule"], f["line"], f["field"]) for f in errors] == [
        ("ADR-BODY", 157, "adr.name")]
    redline = api.get(changed["redline"], headers=people.tom).text
    assert OLD_NUMBER in redline and NEW_NUMBER in redline and "6 weeks" in redline
    submit = {"summary": "A new telephone number; disputes after 6 weeks.",
              "acknowledge_warnings": True}
    assert api.post(f"{DRAFTS}/{draft}/submit", headers=people.jane, json=submit
                    ).status_code == 409
    text = api.get(f"{DRAFTS}/{draft}", headers=people.jane).json()["source"]
    assert put(api, people.jane, draft, text.replace(*ADR_NAME)).status_code == 200
    assert api.post(f"{DRAFTS}/{draft}/submit", headers=people.jane, json=submit
                    ).status_code == 200
    assert api.post(f"{DRAFTS}/{draft}/approve", headers=people.jane).status_code == 403

    # The first try fails: OUT is a file. The release is undone.
    settings.out.write_text("not a folder")
    before = _state(repo, project)
    approved = api.post(f"{DRAFTS}/{draft}/approve", headers=people.tom)
    assert approved.status_code == 202
    failed = _run(api, settings, approved.json()["job"])
    assert failed["status"] == "failed"
    after_failure = api.get(f"{DRAFTS}/{draft}", headers=people.tom).json()
    assert after_failure["status"] == "approved"
    assert "is a file, not a folder" in after_failure["release_error"]
    assert "The release was undone" in after_failure["release_error"]
    assert _state(repo, project) == before

    settings.out.unlink()
    retried = api.post(f"{DRAFTS}/{draft}/retry", headers=people.tom)
    assert retried.status_code == 202
    assert _run(api, settings, retried.json()["job"])["status"] == "made"
    published = api.get(f"{DRAFTS}/{draft}", headers=people.sam).json()
    assert (published["status"], published["version"], published["release_error"]) == (
        "published", "1.1", None)

    # The source, kept as the legal team wrote it, committed and tagged.
    source = project.read_text(encoding="utf-8")
    assert f"value: {NEW_NUMBER}" in source and "  name: Communications Ombudsman" in source
    assert "  # The seed text states no dates or approver; the legal team sets these." in source
    assert git(repo, "tag", "--list").split() == ["v1.0", "v1.1"]
    log = git(repo, "log", "-1", "--format=%an <%ae>%n%cn <%ce>%n%B", "v1.1")
    assert log.startswith("Jane Smith <legal@example.org>\nComplaints service "
                          "<legal@example.org>\nRelease version 1.1, effective ")
    assert "Drafted by Jane Smith.\nApproved by Tom Jones." in log
    assert git(repo, "status", "--porcelain") == ""

    # Every format rebuilt with the new number, and the changes page names the approver.
    site = settings.out / "site"
    info = json.loads((site / "build-info.json").read_text(encoding="utf-8"))
    assert info["code_version"] == "1.1"
    for output in CARRY_THE_NUMBER:
        seen = _digits(output, words(READERS[output](site)))
        assert _digits(output, words(NEW_NUMBER)) in seen, output
        assert _digits(output, words(OLD_NUMBER)) not in seen, output
    with zipfile.ZipFile(site / "downloads" / "complaints-code-talking-book.epub") as book:
        assert NEW_NUMBER in book.read("EPUB/code.xhtml").decode("utf-8")
    assert "Customer Complaints Code, version 1.1." in api.get("/feedback").text
    changes = (site / "changes" / "index.html").read_text(encoding="utf-8")
    assert "Tom Jones" in changes and "A new telephone number; disputes after 6 weeks." in changes
    assert audit(api, f"draft {draft}") == [
        ("Jane Smith", "drafted"), ("Jane Smith", "edited"), ("Jane Smith", "edited"),
        ("Jane Smith", "submitted"), ("Tom Jones", "approved"), ("Tom Jones", "release_failed"),
        ("Tom Jones", "release_retried"), ("Tom Jones", "published")]

    # The second draft is now out of date: brought up to date, its conflict resolved.
    late = api.post(f"{DRAFTS}/{other}/submit", headers=people.jane, json=submit)
    assert late.status_code == 409 and late.json()["reason"] == "out_of_date"
    merged = api.post(f"{DRAFTS}/{other}/update", headers=people.jane).json()
    assert [(c["field"], c["mine"], c["theirs"]) for c in merged["conflicts"]] == [
        ("contacts.telephone.value", "020 8545 8300", NEW_NUMBER)]
    resolved = api.post(f"{DRAFTS}/{other}/resolve", headers=people.jane,
                        json={"field": "contacts.telephone.value", "choice": "theirs"}).json()
    assert resolved["conflicts"] == [] and resolved["base_version"] == "1.1"
    assert f"value: {NEW_NUMBER}" in resolved["source"]
    assert "complaints@opus-telecoms.co.uk" in resolved["source"]
    assert "  name: Communications Ombudsman" in resolved["source"]
    assert not [f for f in resolved["findings"] if f["severity"] == "error"]
    done = api.post(f"{DRAFTS}/{other}/submit", headers=people.jane,
                    json={**submit, "summary": "A new email address."})
    assert done.status_code == 200 and done.json()["release"]["version"] == "1.2"
