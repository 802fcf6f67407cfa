"""Findings as the legal team types: the check's own findings (rule, words,
severity, line and column), each named by the field it concerns; or the
validation problems at their lines; and the version it will be released as."""

from __future__ import annotations

import datetime as dt

from complaints_code.legal.drafts import (
    Edit,
    apply_edits,
    check_draft,
    field_at,
    plan_release,
)
from complaints_code.legal.lint import lint_file, lint_text
from complaints_code.structure.source import loads
from tests.conftest import SOURCE

EFFECTIVE = dt.date(2026, 11, 25)


def test_a_drafts_findings_are_the_checks_own(source_text: str) -> None:
    """The shipped Code, as a draft released on its own effective date, has
    exactly the findings `complaints-code check` prints for it."""
    check = check_draft(source_text, loads(source_text), EFFECTIVE)
    expected = lint_file(SOURCE).findings
    assert [(f.line, f.column, f.rule, f.severity, f.message, f.reference)
            for f in check.findings] == \
        [(f.line, f.col, f.rule, str(f.severity), f.message, f.reference) for f in expected]
    assert {"ADR-BODY", "ADR-THRESHOLD"} <= {f.rule for f in check.of("error")}


def test_each_finding_names_the_field_it_concerns(published_text: str) -> None:
    text = apply_edits(published_text, [
        Edit("contacts.telephone.value", "020 8545 82"),
        Edit("sections.complaints.blocks[0].paragraph",
             "We take all disputes seriously and resolve them speedily.")])
    check = check_draft(text, loads(published_text), EFFECTIVE)
    lines = text.splitlines()
    found = {(f.rule, f.field) for f in check.findings}
    assert found == {("PHONE-UK", "contacts.telephone.value"),
                     ("CONSISTENT-TERMS", "sections.complaints.blocks[0].paragraph")}
    phone = next(f for f in check.findings if f.rule == "PHONE-UK")
    assert lines[phone.line - 1][phone.column - 1:] == "020 8545 82"
    assert phone.as_json().keys() >= {"line", "column", "rule", "severity", "message", "field"}


def test_an_invalid_draft_gives_its_problems_at_their_lines_and_fields(
        source_text: str, published_text: str) -> None:
    text = source_text.replace("amount: 24", "amount: two", 1)
    check = check_draft(text, loads(published_text), EFFECTIVE)
    assert not check.valid and check.findings == ()
    assert [(p.line, p.field, p.message) for p in check.problems] == [
        (86, "timescales.acknowledge.amount", "expected a whole number, got 'two'")]
    broken = check_draft(published_text.replace("metadata:", "metadata", 1),
                         loads(published_text), EFFECTIVE)
    assert [(p.line, p.field) for p in broken.problems] == [(13, None)]


def test_a_new_version_is_not_warned_about_the_history_entry_the_release_adds(
        published_text: str) -> None:
    text = apply_edits(published_text, [Edit("metadata.version", "2.0"),
                                        Edit("metadata.effective_date", "2026-12-10")])
    assert "VERSION-DATE" in {f.rule for f in lint_text(text, "draft").findings}
    check = check_draft(text, loads(published_text), EFFECTIVE)
    assert check.findings == ()
    assert check.plan is not None and check.plan.version == "2.0"
    assert check.as_of == dt.date(2026, 12, 10)  # the rules in force when it takes effect


def test_the_release_plan_takes_the_drafts_version_or_the_next_one(published_text: str) -> None:
    published = loads(published_text)
    def plan(**metadata: object) -> tuple[str, dt.date | None, str | None]:
        draft = published.model_copy(update={
            "metadata": published.metadata.model_copy(update=metadata)})
        p = plan_release(draft, published)
        return p.version, p.effective_date, p.problem
    assert plan() == ("1.1", None, None)
    assert plan(version="1.0.1", effective_date=dt.date(2027, 1, 4)) == (
        "1.0.1", dt.date(2027, 1, 4), None)
    assert plan(version="0.9")[2] == (
        "the version 0.9 is not newer than the published version 1.0; set a higher number, "
        "or 1.0 to release as 1.1")
    assert plan(effective_date=dt.date(2026, 1, 1))[2] == (
        "the effective date 2026-01-01 is before the published version's, 2026-11-25; set a "
        "later date")


def test_a_line_and_column_of_the_yaml_name_their_field(source_text: str) -> None:
    lines = source_text.splitlines()
    def at(needle: str, offset: int = 0) -> tuple[int, int]:
        n = next(i for i, line in enumerate(lines) if needle in line)
        return n + 1, lines[n].index(needle) + 1 + offset
    assert field_at(source_text, *at("value: 020 8545 8200", 9)) == "contacts.telephone.value"
    assert field_at(source_text, *at("value: 020 8545 8200")) == "contacts.telephone.value"
    assert field_at(source_text, *at("to resolve the issue speedily")) == \
        "sections.complaints.blocks[0].paragraph"
    assert field_at(source_text, 1, 1) is None  # the header comment
