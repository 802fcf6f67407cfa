"""Fixtures for the draft workflow: a published Code that passes the check,
the people of the legal team, and a clock."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints_code.legal.drafts import Person, Published
from tests.conftest import SOURCE
from tests.legal.test_lint_rules import fixed

NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
JANE = Person("jane", "Jane Smith", approver=True)
"""The author (who has approval rights, but never for her own drafts)."""
TOM = Person("tom", "Tom Jones", approver=True)
SAM = Person("sam", "Sam Patel", approver=False)


@pytest.fixture(scope="session")
def published_text() -> str:
    """The published source: the shipped Code, corrected to pass the check."""
    return fixed(SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def published(published_text: str) -> Published:
    return Published.of(published_text)
