"""Bringing a draft up to date: a field changed on one side takes that
side's value; a field changed on both sides is a conflict, never overwritten."""

from __future__ import annotations

from complaints_code.legal.drafts import Edit, apply_edits, bring_up_to_date, merge, resolve
from complaints_code.structure.source import loads


def test_changes_to_different_fields_are_all_kept(published_text: str) -> None:
    mine = apply_edits(published_text, [
        Edit("contacts.telephone.value", "020 8545 8299"),
        Edit("sections.complaints.blocks[1]", {"paragraph": "A paragraph the draft adds."})])
    theirs = apply_edits(published_text, [
        Edit("timescales.acknowledge.amount", 2),
        Edit("timescales.acknowledge.text", "2 working days"),
        Edit("sections.complaints.blocks[0].paragraph", "We take every complaint seriously."),
        Edit("contacts.text-relay.label", "Relay UK")])
    merged = bring_up_to_date(mine, published_text, theirs)
    assert merged.conflicts == ()
    code = loads(merged.text)
    assert code.contact("telephone").value == "020 8545 8299"
    assert code.timescale("acknowledge").amount == 2
    assert code.contact("text-relay").label == "Relay UK"
    assert [b.paragraph for b in code.section("complaints").blocks] == [  # type: ignore[union-attr]
        "We take every complaint seriously.", "A paragraph the draft adds."]
    assert merged.text.startswith("# yaml-language-server")  # the published text's comments


def test_an_unchanged_draft_becomes_the_published_text(published_text: str) -> None:
    theirs = published_text.replace("name: Communications Ombudsman", "name: CISAS")
    assert bring_up_to_date(published_text, published_text, theirs).text == theirs


def test_a_field_changed_on_both_sides_is_a_conflict_that_keeps_the_drafts_value(
        published_text: str) -> None:
    mine = published_text.replace("value: 020 8545 8200", "value: 020 8545 8299")
    theirs = published_text.replace("value: 020 8545 8200", "value: 020 8545 8300")
    merged = bring_up_to_date(mine, published_text, theirs)
    [conflict] = merged.conflicts
    assert conflict.as_json() == {"field": "contacts.telephone.value", "base": "020 8545 8200",
                                  "mine": "020 8545 8299", "theirs": "020 8545 8300"}
    assert loads(merged.text).contact("telephone").value == "020 8545 8299"
    assert resolve(merged.text, conflict, "theirs") == theirs
    assert "    value: 020 8545 8301\n" in resolve(merged.text, conflict, "value", "020 8545 8301")
    assert resolve(merged.text, conflict, "mine") == merged.text


def test_removing_what_the_other_side_changed_is_a_conflict(published_text: str) -> None:
    mine = apply_edits(published_text, [Edit("contacts.fax", None),
                                        Edit("sections.contact-us.blocks[1].contacts[2]", None)])
    theirs = published_text.replace("value: 020 8545 8215", "value: 020 8545 8216")
    merged = bring_up_to_date(mine, published_text, theirs)
    assert [(c.field, c.mine, c.theirs["value"]) for c in merged.conflicts] == [
        ("contacts.fax", None, "020 8545 8216")]


def test_lists_merge_item_by_item() -> None:
    base = {"days": ["Mon", "Tue", "Wed"], "lines": ["a", "b", "c"]}
    mine = {"days": ["Mon", "Tue", "Wed", "Thu"], "lines": ["a", "B", "c"]}
    theirs = {"days": ["Sun", "Mon", "Tue", "Wed"], "lines": ["a", "b2", "c"]}
    merged, conflicts = merge(base, mine, theirs)
    assert merged == {"days": ["Sun", "Mon", "Tue", "Wed", "Thu"], "lines": ["a", "B", "c"]}
    assert [(c.field, c.mine, c.theirs) for c in conflicts] == [("lines[1]", "B", "b2")]


def test_a_list_item_deleted_on_one_side_and_changed_on_the_other_is_one_conflict() -> None:
    base = {"blocks": [{"p": "a"}, {"p": "b"}]}
    mine = {"blocks": [{"p": "a"}]}
    theirs = {"blocks": [{"p": "a"}, {"p": "B"}]}
    merged, conflicts = merge(base, mine, theirs)
    assert merged == mine
    assert [(c.field, c.mine, c.theirs) for c in conflicts] == [
        ("blocks", mine["blocks"], theirs["blocks"])]
