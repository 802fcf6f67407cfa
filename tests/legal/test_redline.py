"""The redline: section-aware changes between two versions, stated in words,
with word-level insertions and deletions; as text, Markdown and HTML; from
files or git revisions."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.legal.redline import Version, redline
from complaints_code.legal.redline.formats import html, markdown, text
from complaints_code.structure.source import loads
from tests.conftest import SOURCE, TEMPLATES

REDLINE = TEMPLATES / "redline"

THREE_EDITS = [
    ("value: 020 8545 8200", "value: 020 8545 8300"),
    ("text: 24 working hours\n    clock: working_hours\n    amount: 24",
     "text: 2 working days\n    clock: working_days\n    amount: 2"),
    ("All disputes are logged and we aim to acknowledge all disputes",
     "All complaints are logged and we aim to acknowledge all complaints"),
]


def edited(source_text: str, edits: list[tuple[str, str]]) -> str:
    for old, new in edits:
        assert old in source_text, old
        source_text = source_text.replace(old, new, 1)
    return source_text


def compare(old_text: str, new_text: str) -> list[str]:
    result = redline(Version(loads(old_text), "old"), Version(loads(new_text), "new"))
    return [c.summary for c in result.changes]


def test_three_edits_are_reported_as_exactly_those_three(source_text: str) -> None:
    new = edited(source_text, THREE_EDITS)
    result = redline(Version(loads(source_text), "old"), Version(loads(new), "new"))
    assert [(c.area, c.summary) for c in result.changes] == [
        ("Contact methods", "Telephone number changed: 020 8545 8200 → 020 8545 8300"),
        ("Timescales", "Timescale acknowledge: 24 working hours → 2 working days (now counted "
         "in working days, not working hours; amount 24 → 2)"),
        ("Sections", "“Response Times”, paragraph 1 changed"),
    ]
    words = result.changes[2].words
    assert [(p.op, p.text) for p in words if p.op != "equal"] == [
        ("delete", "disputes"), ("insert", "complaints"),
        ("delete", "disputes"), ("insert", "complaints")]


def test_a_new_value_is_reported_once_not_in_every_paragraph_showing_it(
        source_text: str) -> None:
    # The telephone number appears in the contact table and is referred to
    # elsewhere; the change is one structured change.
    assert compare(source_text, edited(source_text, THREE_EDITS[:1])) == [
        "Telephone number changed: 020 8545 8200 → 020 8545 8300"]


def test_identical_versions_have_no_changes(source_text: str) -> None:
    assert compare(source_text, source_text) == []


def test_text_form_marks_words_as_wdiff_does_and_keeps_punctuation_attached(
        source_text: str) -> None:
    new = edited(source_text, THREE_EDITS)
    result = redline(Version(loads(source_text), "a.yaml"), Version(loads(new), "b.yaml"))
    out = text(result)
    assert "All [-disputes-]{+complaints+} are logged" in out
    assert "within 2 working days. Your complaint" in out
    assert out.splitlines()[3] == "3 changes."


def _section_block(text: str, sid: str) -> str:
    m = re.search(rf"(?ms)^  - id: {sid}\n.*?(?=^  - id: |^changes:)", text)
    assert m, sid
    return m.group(0)


def test_a_moved_section_is_reported_as_moved_not_removed_and_added(source_text: str) -> None:
    block = _section_block(source_text, "review")
    moved = source_text.replace(block, "").replace("  - id: compensation\n",
                                                   block + "  - id: compensation\n", 1)
    assert compare(source_text, moved) == [
        "Section moved: “Review of this Code” now comes after “Alternative Dispute Resolution”"]


def test_added_and_removed_sections_are_named_with_their_words(source_text: str) -> None:
    block = _section_block(source_text, "review")
    removed = source_text.replace(block, "")
    result = redline(Version(loads(source_text), "a"), Version(loads(removed), "b"))
    (change,) = result.changes
    assert (change.kind, change.summary) == ("removed", "Section removed: “Review of this Code”")
    assert change.words[0].op == "delete"
    assert change.words[0].text.startswith("Review of this Code If you have any specific")
    assert compare(removed, source_text) == ["Section added: “Review of this Code”"]


@pytest.mark.parametrize(("edit", "summary"), [
    (("  name: Ofcom", "  name: Communications Ombudsman"),
     "ADR body changed: Ofcom → Communications Ombudsman"),
    (("      value: 0845 456 3040", "      value: 0330 440 1614"),
     "ADR: Tel number changed: 0845 456 3040 → 0330 440 1614"),
    (("  version: \"1.0\"", "  version: \"1.1\""), "Version changed: 1.0 → 1.1"),
    (("  effective_date: 2026-11-25", "  effective_date: 2026-12-01"),
     "Effective date changed: 2026-11-25 → 2026-12-01"),
    (("title: Case open over 8 weeks", "title: Case open over 6 weeks"),
     "Stage 6 title changed"),
    (("    text: 8 weeks\n    clock: calendar_weeks\n    amount: 8",
      "    text: 6 weeks\n    clock: calendar_weeks\n    amount: 6"),
     "Timescale adr-eligible: 8 weeks → 6 weeks (amount 8 → 6)"),
    (("  closes: \"17:30\"\n  bank_holidays", "  closes: \"17:00\"\n  bank_holidays"),
     "Closes changed: 17:30:00 → 17:00:00"),
    (("    title: Compensation\n", "    title: Compensation\n    level: 2\n"),
     "Section “Compensation” is now a sub-heading"),
    (("contacts: [telephone, fax, email,", "contacts: [telephone, email, fax,"),
     "“Contact Us”, contact table 2 changed: telephone, fax, email, escalation, web-chat, "
     "post → telephone, email, fax, escalation, web-chat, post"),
])
@pytest.mark.slow
def test_structured_changes_are_stated_in_words(source_text: str, edit: tuple[str, str],
                                                summary: str) -> None:
    assert compare(source_text, edited(source_text, [edit])) == [summary]


def test_a_release_adds_a_version_history_entry(source_text: str) -> None:
    new = source_text + ("  - version: \"1.1\"\n    date: 2026-12-01\n"
                         "    summary: Six weeks.\n    approved_by: Legal\n")
    assert compare(source_text, new) == [
        "Version 1.1 added: 2026-12-01, “Six weeks.”, approved by Legal"]


def test_markdown_suits_a_pull_request_comment(source_text: str) -> None:
    new = edited(source_text, THREE_EDITS)
    md = markdown(redline(Version(loads(source_text), "git:HEAD"),
                          Version(loads(new), "code_source/complaints-code.yaml")))
    assert md.startswith("### Redline: Customer Complaints Code\n")
    assert "#### Timescales\n\n- Timescale acknowledge: 24 working hours → 2 working days" in md
    assert "  > All <del>disputes</del><ins>complaints</ins> are logged" in md
    assert "code\\_source/complaints-code.yaml" in md  # Markdown specials escaped


def test_html_is_standalone_and_marks_changes_in_words_not_colour_alone(
        source_text: str) -> None:
    new = edited(source_text, THREE_EDITS)
    page = html(redline(Version(loads(source_text), "old.yaml"), Version(loads(new), "new.yaml")),
                REDLINE)
    assert '<html lang="en-GB">' in page
    assert not re.search(r"<link|<script|src=|@import", page)  # nothing to fetch
    assert ('<del><span class="sr-only">deleted: </span>disputes<span class="sr-only"> '
            '(end of deletion)</span></del><ins><span class="sr-only">inserted: </span>'
            'complaints') in page
    assert "text-decoration: underline" in page and "text-decoration: line-through" in page
    assert "@media print" in page


def test_diff_command_writes_the_chosen_format(runner: CliRunner, tmp_path: Path,
                                              source_text: str) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(edited(source_text, THREE_EDITS), encoding="utf-8")
    out = tmp_path / "redline.html"
    result = runner.invoke(main, ["diff", str(SOURCE), str(new), "--format", "html",
                                  "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "<ins>" in out.read_text(encoding="utf-8")
    assert f"wrote {out} (3 changes)" in result.stderr


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=t@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                   capture_output=True)


def test_versions_can_be_git_revisions(runner: CliRunner, tmp_path: Path,
                                       source_text: str) -> None:
    folder = tmp_path / "code_source"
    folder.mkdir()
    source = folder / "complaints-code.yaml"
    source.write_text(source_text, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "v1.0")
    _git(tmp_path, "tag", "v1.0")
    source.write_text(edited(source_text, THREE_EDITS[:1]), encoding="utf-8")
    _git(tmp_path, "commit", "-qam", "new number")
    result = runner.invoke(main, ["diff", "git:v1.0", "git:HEAD", "--source", str(source)])
    assert result.exit_code == 0, result.output
    assert "Telephone number changed: 020 8545 8200 → 020 8545 8300" in result.output
    assert "(git:v1.0)" in result.output
    alone = runner.invoke(main, ["diff", "git:HEAD~1", "--source", str(source)])
    assert "1 change." in alone.output


@pytest.mark.parametrize(("spec", "message"), [
    ("git:", "error: the revision is empty; write one, e.g. git:HEAD~1 or git:v1.2"),
    ("", "error: a version is empty; give a source file or a git revision, e.g. git:HEAD~1"),
    ("git:--output=/tmp/x", 'error: "--output=/tmp/x" is not a revision (a revision never '
     "begins with '-'); write a tag, a branch or a commit, e.g. git:v1.2"),
    ("git:HEAD:README.md", 'error: "HEAD:README.md" names a path as well as a revision; write '
     "the revision alone (git:v1.2): the source's own path is used"),
    ("git:a b", 'error: "a b" is not a revision: it has a space or a control character in it; '
     "write a tag, a branch or a commit, e.g. git:v1.2"),
])
def test_a_bad_revision_is_a_clear_error(runner: CliRunner, spec: str, message: str) -> None:
    result = runner.invoke(main, ["diff", spec, str(SOURCE)])
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_a_version_that_is_no_file_is_named_without_blaming_a_flag(runner: CliRunner,
                                                                  tmp_path: Path) -> None:
    result = runner.invoke(main, ["diff", "--", "-x", str(SOURCE)])
    assert result.exit_code == 2
    assert result.stderr.startswith("-x:1:1: cannot read the file (No such file or directory)")
    assert "--source" not in result.stderr and "Traceback" not in result.stderr


def test_an_invalid_version_is_refused_with_its_problems(runner: CliRunner, tmp_path: Path,
                                                         source_text: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(source_text.replace('version: "1.0"', "version: one", 1), encoding="utf-8")
    result = runner.invoke(main, ["diff", str(SOURCE), str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:16:12: metadata.version:" in result.stderr
