"""The form of a draft and the whole YAML are one draft: the form is read
from the YAML, and a form edit is written into it."""

from __future__ import annotations

import difflib
from typing import Any

import pytest

from complaints_code.errors import SourceError
from complaints_code.legal.drafts import (
    Edit,
    FieldError,
    apply_edits,
    form,
    html_id,
    value_from_form,
)
from complaints_code.legal.drafts.paths import get, loc_of
from complaints_code.structure.source import loads, parse_yaml
from complaints_code.timescales import timescales


def test_every_field_of_the_form_shows_the_value_the_yaml_has(source_text: str) -> None:
    data = parse_yaml(source_text, "test")[0]
    fields = list(form(source_text).fields())
    assert len(fields) > 150
    for f in fields:
        assert f.value == get(data, loc_of(f.path, data)), f.path
    paths = {f.path for f in fields}
    assert {"metadata.version", "metadata.effective_date", "contacts.telephone.value",
            "contacts.telephone.hours.opens", "timescales.acknowledge.amount",
            "timescales.acknowledge.clock", "stages.receipt.description",
            "sections.contact-us.blocks[0].paragraph", "adr.contacts.email.value"} <= paths


def test_a_form_edit_shows_in_the_yaml_and_a_yaml_edit_in_the_form(source_text: str) -> None:
    text = apply_edits(source_text, [Edit("contacts.telephone.value", "020 8545 8299")])
    assert "    value: 020 8545 8299\n" in text
    assert form(text).field("contacts.telephone.value").value == "020 8545 8299"
    by_hand = text.replace("amount: 24", "amount: 16")
    assert form(by_hand).field("timescales.acknowledge.amount").value == 16


def test_the_form_gives_each_field_its_kind_help_and_choices(source_text: str) -> None:
    f = form(source_text)
    clock = f.field("timescales.acknowledge.clock")
    assert (clock.kind, clock.choices) == ("choice", ("working_hours", "clock_hours",
                                                      "working_days", "calendar_weeks"))
    assert f.field("metadata.effective_date").kind == "date"
    assert f.field("contacts.telephone.hours.opens").kind == "time"
    assert f.field("stages.receipt.description").kind == "markup"
    assert f.field("sections.purpose.blocks[0].paragraph").help == "The paragraph, word for word."
    assert not f.field("contacts.telephone.id").editable
    assert not f.field("metadata.approved_by").editable


def test_each_timescale_shows_the_reading_the_tools_apply(source_text: str) -> None:
    parts = {p.path: p for p in form(source_text).parts[3].parts}
    readings = {t.id: t.reading for t in timescales(loads(source_text))}
    assert {path.split(".")[1]: p.reading for path, p in parts.items()} == readings
    assert "literally 2 working days and 6 hours" in (parts["timescales.acknowledge"].reading or "")


def test_the_help_panel_lists_every_reference_with_what_it_shows(source_text: str) -> None:
    refs = {r.markup: r.shows for r in form(source_text).references}
    assert refs["{contact:telephone}"] == "020 8545 8200"
    assert refs["{contact:telephone.hours}"].startswith("0830 – 1730")
    assert refs["{timescale:adr-eligible}"] == "8 weeks"
    assert refs["{adr:name}"] == "Ofcom"
    paragraph = " ".join(refs)  # every one of them is accepted in a paragraph
    text = apply_edits(source_text, [Edit("sections.review.blocks[0].paragraph", paragraph)])
    assert loads(text).section("review").blocks[0].paragraph == paragraph  # type: ignore[union-attr]


def test_blocks_and_items_are_inserted_appended_and_removed(source_text: str) -> None:
    text = apply_edits(source_text, [
        Edit("sections.complaints.blocks[0]", {"paragraph": "First."}, insert=True),
        Edit("contacts.text-relay", {"kind": "text_relay", "label": "Text relay",
                                     "value": "18001 020 8545 8200"}),
        Edit("contacts.web-chat.url", None)])
    code = loads(text)
    assert [b.paragraph for b in code.section("complaints").blocks][:1] == ["First."]  # type: ignore[union-attr]
    assert code.contacts[-1].id == "text-relay"
    assert code.contact("web-chat").url is None
    removed = [line for line in difflib.ndiff(source_text.splitlines(), text.splitlines())
               if line.startswith("- ")]
    assert removed == ["-     url: https://www.opus-telecoms.co.uk/"]


@pytest.mark.parametrize(("edit", "message"), [
    (Edit("contacts.phone.value", "1"), "contacts.phone.value: there is no contact with the id "
     "'phone'"),
    (Edit("metadata.colour", "red"), "metadata.colour: the Code has no such field"),
    (Edit("metadata.approved_by", "Me"), "metadata.approved_by: is not edited in a draft: set "
     "to the approver's name when the draft is released"),
    (Edit("sections.purpose.id", "aim"), "sections.purpose.id: is not edited in a draft: the id "
     "never changes once published: web links and references use it"),
    (Edit("changes[0].summary", "x"), "changes[0].summary: is not edited in a draft: the "
     "release adds this version's entry"),
    (Edit("sections.purpose.blocks[5].paragraph", "x"), "sections.purpose.blocks[5].paragraph: "
     "there is no item [5] here"),
    (Edit("contacts..value", "x"), "contacts..value: is not a field path"),
])
def test_an_edit_to_a_field_that_cannot_be_edited_is_refused(source_text: str, edit: Edit,
                                                             message: str) -> None:
    with pytest.raises(FieldError) as caught:
        apply_edits(source_text, [edit])
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(("field", "value", "line", "message"), [
    ("timescales.acknowledge.amount", "two", 86, "expected a whole number, got 'two'"),
    ("metadata.effective_date", "2026-13-01", 18, "expected a date, got '2026-13-01'"),
    ("contacts.telephone.hours.opens", "18:00", 37, "'opens' must be before 'closes'"),
])
def test_an_edit_that_makes_the_code_invalid_is_refused_at_its_line(
        source_text: str, field: str, value: Any, line: int, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        apply_edits(source_text, [Edit(field, value)])
    assert [(p.line, p.message) for p in caught.value.problems][:1] == [(line, message)]


@pytest.mark.parametrize(("path", "raw", "value"), [
    ("timescales.acknowledge.amount", " 16 ", 16),
    ("contacts.telephone.hours.closed_on_bank_holidays", "no", False),
    ("contacts.telephone.hours.days", "Mon, Tue\nWed", ["Mon", "Tue", "Wed"]),
    ("sections.complaints.level", "2", 2),
    ("contacts.web-chat.url", "", None),
    ("sections.purpose.blocks[0].paragraph", "Two\n  lines.", "Two lines."),
])
def test_what_is_typed_in_a_form_becomes_the_fields_value(source_text: str, path: str,
                                                          raw: str, value: Any) -> None:
    f = form(source_text).field(path)
    assert value_from_form(f, raw) == value
    assert html_id(path).startswith("field-") and "." not in html_id(path)


def test_a_number_that_is_not_one_is_refused_by_the_form(source_text: str) -> None:
    with pytest.raises(FieldError, match=r"^timescales\.acknowledge\.amount: 'two' is not a "
                       r"whole number; write digits only, e\.g\. 3$"):
        value_from_form(form(source_text).field("timescales.acknowledge.amount"), "two")
