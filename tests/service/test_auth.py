"""Accounts from the command line: legal approvers (the right is stored and
listed, and only a legal account can have it), names that differ only in
case are one name, and the audit log records who was added and removed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from complaints_code.service.db import open_database
from complaints_code.service.tables import audit_log, staff

from .test_sessions import cli


def test_a_legal_account_can_be_made_an_approver_and_the_list_says_so(
        settings_for: Any) -> None:
    s = settings_for()
    added = cli(s, "staff", "add", "Lee Legal", "--role", "legal", "--approver")
    assert added.exit_code == 0, added.output
    assert "Added Lee Legal (legal, may approve drafts)." in added.output
    assert re.fullmatch(r"cc_[A-Za-z0-9_-]{43}", added.stdout.strip())
    assert cli(s, "staff", "add", "Pat Legal", "--role", "legal").exit_code == 0
    listed = cli(s, "staff", "list").stdout.splitlines()
    assert re.fullmatch(r"Lee Legal +legal +added \d{4}-\d\d-\d\d  approver", listed[0])
    assert re.fullmatch(r"Pat Legal +legal +added \d{4}-\d\d-\d\d", listed[1])
    db = open_database(s.database)
    with db.reader.connect() as conn:
        rights = dict(conn.execute(select(staff.c.name, staff.c.approver)).all())
        logged = conn.execute(select(audit_log.c.action, audit_log.c.subject,
                                     audit_log.c.detail).order_by(audit_log.c.id)).all()
    db.dispose()
    assert rights == {"Lee Legal": True, "Pat Legal": False}
    assert logged[0] == ("staff-add", "Lee Legal", "legal, approver")


def test_only_a_legal_account_can_be_an_approver(settings_for: Any) -> None:
    refused = cli(settings_for(), "staff", "add", "Sam", "--role", "staff", "--approver")
    assert refused.exit_code == 2
    assert "only legal accounts can be approvers" in refused.output
    assert "Traceback" not in refused.output
    assert "no accounts" in cli(settings_for(), "staff", "list").output


@pytest.mark.both_databases
def test_names_that_differ_only_in_case_or_spacing_are_one_account(settings_for: Any) -> None:
    s = settings_for()
    assert cli(s, "staff", "add", "Sam  Jones", "--role", "staff").exit_code == 0
    again = cli(s, "staff", "add", "sam jones", "--role", "legal")
    assert again.exit_code == 2
    assert "there is already an account named 'Sam Jones'" in again.output
    bell = cli(s, "staff", "add", "Sam\x07", "--role", "staff")
    assert bell.exit_code == 2
    assert "'Sam<U+0007 BELL>' holds a control character" in bell.output
    nul = cli(s, "staff", "remove", "Sam\x00")
    assert nul.exit_code == 2 and "no account named 'Sam<U+0000 NULL>'" in nul.output
    removed = cli(s, "staff", "remove", "SAM JONES")
    assert removed.exit_code == 0 and "Removed Sam Jones; 0 sessions ended." in removed.output
    missing = cli(s, "staff", "remove", "Sam Jones")
    assert missing.exit_code == 2
    assert "there is no account named 'Sam Jones'" in missing.output
