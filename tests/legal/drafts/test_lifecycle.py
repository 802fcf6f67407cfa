"""The draft's life: who may take each step, and what stands in its way."""

from __future__ import annotations

import dataclasses

import pytest

from complaints_code.errors import SourceError
from complaints_code.legal.drafts import (
    Draft,
    DraftStateError,
    Edit,
    FieldError,
    NotApprover,
    NotAuthor,
    Published,
    SelfApproval,
    Status,
    apply_edits,
    approve,
    edit,
    edit_fields,
    resolve_conflict,
    return_draft,
    start,
    submit,
    update,
)
from tests.legal.drafts.conftest import JANE, NOW, SAM, TOM

NEW_NUMBER = [Edit("contacts.telephone.value", "020 8545 8299")]


def drafted(published: Published, edits: list[Edit] = NEW_NUMBER) -> Draft:
    return edit_fields(start("1", JANE, published, NOW).draft, JANE, edits, NOW).draft


@pytest.fixture(scope="module")
def submitted(published: Published) -> Draft:
    """A draft with a new telephone number, submitted by its author (drafts
    are immutable, so the tests share it)."""
    return submit(drafted(published), JANE, "New number.", False, published, NOW).draft


def test_a_draft_goes_from_editing_to_approved_with_each_step_logged(
        published: Published) -> None:
    first = start("1", JANE, published, NOW)
    steps = [first, edit_fields(first.draft, JANE, NEW_NUMBER, NOW)]
    steps.append(submit(steps[-1].draft, JANE, "New telephone number.", False, published, NOW))
    steps.append(approve(steps[-1].draft, TOM, published, NOW))
    draft = steps[-1].draft
    assert [s.event.kind for s in steps] == ["drafted", "edited", "submitted", "approved"]
    assert [s.event.actor for s in steps] == ["jane", "jane", "jane", "tom"]
    assert (draft.status, draft.release_version, draft.approved_by) == (Status.APPROVED, "1.1",
                                                                         TOM)
    assert draft.as_json()["source"] == draft.text and "020 8545 8299" in draft.text


def test_the_author_can_never_approve_their_own_draft(published: Published,
                                                     submitted: Draft) -> None:
    draft = submitted
    with pytest.raises(SelfApproval, match="you drafted this version, so you cannot approve "
                       "it; a second person with approval rights must"):
        approve(draft, JANE, published, NOW)
    with pytest.raises(NotApprover, match="you cannot approve drafts: that needs approval "
                       "rights"):
        approve(draft, SAM, published, NOW)
    assert approve(draft, TOM, published, NOW).draft.status == Status.APPROVED


def test_a_draft_with_errors_cannot_be_submitted(published: Published) -> None:
    draft = drafted(published, [Edit("adr.name", "Ofcom")])
    with pytest.raises(DraftStateError) as caught:
        submit(draft, JANE, "Back to Ofcom.", True, published, NOW)
    assert caught.value.reason == "errors"
    assert str(caught.value) == "the check reports 1 error; fix it first"
    assert [d.rule for d in caught.value.details] == ["ADR-BODY"]


def test_warnings_need_an_acknowledgement_which_is_recorded(published: Published) -> None:
    draft = drafted(published, [Edit("sections.complaints.blocks[0].paragraph",
                                     "We resolve every dispute quickly.")])
    with pytest.raises(DraftStateError) as caught:
        submit(draft, JANE, "Shorter.", False, published, NOW)
    assert (caught.value.reason, str(caught.value)) == (
        "warnings", "the check reports 1 warning; read them, then acknowledge them to submit")
    step = submit(draft, JANE, "Shorter.", True, published, NOW)
    assert [(a.rule, a.field, a.by) for a in step.draft.acknowledged] == [
        ("CONSISTENT-TERMS", "sections.complaints.blocks[0].paragraph", "jane")]
    assert step.event.detail["acknowledged"][0]["rule"] == "CONSISTENT-TERMS"


@pytest.mark.slow
def test_a_draft_out_of_date_is_brought_up_to_date_before_it_is_submitted(
        published: Published) -> None:
    """Two drafts from one base: the first is published, the second must be
    brought up to date, resolving the field both changed."""
    first = drafted(published, [Edit("contacts.email.value", "complaints@opus-telecoms.co.uk")])
    second = drafted(published, [Edit("contacts.email.value", "help@opus-telecoms.co.uk"),
                                 *NEW_NUMBER])
    newer = Published("1.1", first.text)
    with pytest.raises(DraftStateError) as caught:
        submit(second, JANE, "New number.", False, newer, NOW)
    assert caught.value.reason == "out_of_date"
    updated = update(second, JANE, newer, NOW).draft
    assert updated.base_version == "1.1"
    assert [c.field for c in updated.conflicts] == ["contacts.email.value"]
    with pytest.raises(DraftStateError) as caught:
        submit(updated, JANE, "New number.", False, newer, NOW)
    assert caught.value.reason == "conflicts"
    resolved = resolve_conflict(updated, JANE, "contacts.email.value", "theirs", NOW).draft
    step = submit(resolved, JANE, "New number.", False, newer, NOW)
    assert step.draft.status == Status.SUBMITTED
    assert "complaints@opus-telecoms.co.uk" in resolved.text and "020 8545 8299" in resolved.text


def test_only_the_author_edits_and_only_while_editing(published: Published,
                                                     submitted: Draft) -> None:
    draft = start("1", JANE, published, NOW).draft
    with pytest.raises(NotAuthor, match="only the draft's author, Jane Smith, can change"):
        edit_fields(draft, TOM, NEW_NUMBER, NOW)
    with pytest.raises(DraftStateError, match="the draft is submitted; it can be changed only "
                       "while it is being edited or after it was returned"):
        edit(submitted, JANE, draft.text, NOW)


def test_a_returned_draft_is_edited_and_submitted_again(published: Published,
                                                       submitted: Draft) -> None:
    returned = return_draft(submitted, TOM, "Check the number with the switchboard.", NOW)
    assert (returned.draft.status, returned.draft.comment, returned.event.kind) == (
        Status.RETURNED, "Check the number with the switchboard.", "returned")
    again = edit(returned.draft, JANE, apply_edits(returned.draft.text, [
        Edit("contacts.telephone.value", "020 8545 8298")]), NOW).draft
    assert again.status == Status.EDITING
    assert submit(again, JANE, "New number.", False, published, NOW).draft.status == \
        Status.SUBMITTED


def test_an_invalid_source_or_an_empty_summary_is_refused(published: Published) -> None:
    draft = start("1", JANE, published, NOW).draft
    with pytest.raises(SourceError) as caught:
        edit(draft, JANE, draft.text.replace("metadata:", "metadata"), NOW)
    assert caught.value.problems[0].line == 13
    with pytest.raises(FieldError, match="summary: is empty; say in a sentence or two what "
                       "changed"):
        submit(draft, JANE, "  ", False, published, NOW)


def test_approval_needs_the_published_version_unchanged(published: Published,
                                                       submitted: Draft) -> None:
    draft = submitted
    moved = dataclasses.replace(published, version="1.1", text=published.text + "\n")
    with pytest.raises(DraftStateError) as caught:
        approve(draft, TOM, moved, NOW)
    assert caught.value.reason == "out_of_date"
