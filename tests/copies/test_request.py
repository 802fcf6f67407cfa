"""One copy request, checked once: every field's problem reported together,
each naming its field and saying what to do in words each edge can name
the field in; what a request to be delivered needs; the request read back
from what it holds."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints_code.cli.edge import COPY_FLAGS
from complaints_code.copies.errors import CopyRequestInvalid, FieldProblem
from complaints_code.copies.request import CopyRequest
from tests.conftest import project_settings

SETTINGS = project_settings()
DAY = dt.date(2026, 12, 1)
LETTER = {"name": "Ann Lee", "address": "1 High Street; London; SW1A 1AA"}


def problems(data: dict[str, object], **options: bool) -> list[FieldProblem]:
    with pytest.raises(CopyRequestInvalid) as info:
        CopyRequest.parse(data, SETTINGS, today=DAY, **options)
    return list(info.value.problems)


def test_every_field_s_problem_is_reported_at_once_in_field_order() -> None:
    found = problems({"format": "large-print", "size": 15, "grade": 1, "bold": "perhaps",
                      "line_spacing": 3, "paper": "tartan", "name": "Ann\x00 Lee",
                      "address": "1 Road\x07; London; SW1A 1AA", "salutation": "Dear ★",
                      "file": "copy.brf"})
    assert [(p.field, p.kind) for p in found] == [
        ("size", "choice"), ("grade", "not_applicable"), ("bold", "type"),
        ("line_spacing", "choice"), ("paper", "choice"), ("name", "control"),
        ("address_lines", "control"), ("file", "file")]


def test_the_letter_s_problems_come_together_too() -> None:
    found = problems({"format": "large-print", "size": 32, "reference": "CC-2026-0012345-ABCDEF",
                      "name": "Mr Rajinder Alexander Montgomery Singh-Thompson",
                      "address": "1 ☎ Road; London; SW1A 1AA", "salutation": "Dear 😀"})
    assert [(p.field, p.kind) for p in found] == [
        ("name", "fit"), ("address_lines", "characters"), ("reference", "fit"),
        ("salutation", "characters")]
    assert str(found[0]).startswith("the name “Mr Rajinder Alexander Montgomery "
                                    "Singh-Thompson” is 92 mm wide")


def test_problems_name_fields_by_placeholder_so_each_edge_says_them_its_way() -> None:
    (found,) = problems({"format": "braille", "size": 24})
    assert found.text() == ("size does not apply to a braille copy; leave it out (braille "
                            "takes grade, cells and lines)")
    assert found.text(COPY_FLAGS) == ("--size does not apply to a braille copy; leave it "
                                      "out (braille takes --grade, --cells and --lines)")
    # What was typed is quoted as it is, never read as a placeholder.
    (typed,) = problems({"format": "print", "paper": "{size} {nothing}"})
    assert typed.text(COPY_FLAGS).startswith("paper {size} {nothing} is not offered")


def test_a_request_to_deliver_needs_who_where_and_which_format() -> None:
    assert [(p.field, p.kind) for p in problems({}, deliver=True)] == [
        ("format", "missing"), ("name", "missing"), ("address_lines", "missing"),
        ("postcode", "missing")]
    # Without a format but with an email address, the emailed PDF may be meant.
    assert [p.field for p in problems({"email": "ann@example.org"}, deliver=True)] == [
        "format", "name"]
    assert [(p.field, p.kind) for p in problems({"format": "email-pdf", "name": "Ann"},
                                                deliver=True)] == [("email", "missing")]
    assert [p.field for p in problems({"format": "print", "name": "Ann Lee",
                                       "address_lines": ["1 Road"]}, deliver=True)] == [
        "postcode"]
    # Otherwise a copy needs no letter, and large print is the usual format.
    plain = CopyRequest.parse({}, SETTINGS)
    assert (plain.format, plain.letter, plain.point_size) == ("large-print", None, 18)


def test_an_emailed_pdf_is_the_large_print_pdf_without_a_letter() -> None:
    emailed = CopyRequest.parse({"format": "email-pdf", "name": "Ann Lee", "size": 24,
                                 "email": "Ann@Example.org", "reference": "CR-7K3M9QXD"},
                                SETTINGS, deliver=True)
    assert (emailed.offer.renderer, emailed.letter, emailed.print_format) == (
        "large-print", None, None)
    assert emailed.point_size == 24 and emailed.email == "Ann@example.org"
    assert [(p.field, p.kind) for p in problems({"format": "email-pdf", **LETTER})] == [
        ("address_lines", "not_applicable"), ("postcode", "not_applicable")]


@pytest.mark.parametrize(("email", "why"), [
    ("ann@example.org, eve@example.org", "invalid characters"),
    ("Ann <ann@example.org>", "display name"),
    ("ann@example", "The part after the @-sign is not valid"),
])
def test_an_email_address_is_one_address_strictly(email: str, why: str) -> None:
    (found,) = problems({"format": "email-pdf", "email": email})
    assert (found.field, found.kind) == ("email", "email")
    assert why.lower() in found.text().lower()


@pytest.mark.parametrize(("field", "value", "kind"), [
    ("size", True, "type"), ("size", 18.5, "type"), ("size", "1e3", "type"),
    ("size", "18", None), ("bold", 1, "type"), ("bold", "yes", None),
    ("line_spacing", float("nan"), "choice"), ("line_spacing", "nan", "type"),
    ("line_spacing", "1.5", None), ("name", ["Ann"], "type"), ("name", "x" * 101, "too_long"),
])
def test_values_are_typed_strictly(field: str, value: object, kind: str | None) -> None:
    data = {"format": "large-print", **LETTER, field: value}
    if kind is None:
        CopyRequest.parse(data, SETTINGS)
    else:
        assert [(p.field, p.kind) for p in problems(data)] == [(field, kind)]


def test_a_request_reads_back_from_what_it_holds() -> None:
    first = CopyRequest.parse({"format": "large-print", "size": "24", "paper": "Cream",
                               "envelope": "c4", **LETTER, "reference": "R1"},
                              SETTINGS, today=DAY)
    assert (first.paper, first.envelope, first.postcode) == ("cream", "C4", "SW1A 1AA")
    assert first.address_lines == ("1 High Street", "London")
    again = CopyRequest.parse(first.values(), SETTINGS, today=DAY)
    assert again == first and again.letter == first.letter


def test_a_request_is_checked_without_touching_a_file_once_its_fonts_are_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import pathlib

    CopyRequest.parse({"format": "large-print", **LETTER}, SETTINGS, today=DAY)  # reads them

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a file was touched: {args}")

    monkeypatch.setattr(os, "stat", refuse)
    monkeypatch.setattr(pathlib.Path, "stat", refuse)
    monkeypatch.setattr(pathlib.Path, "open", refuse)
    other = CopyRequest.parse({"format": "print", "name": "Dr Rhiannon Pryce-Ŵyn",
                               "address": "Flat 2; 10 Ffordd y Môr; Aberystwyth; SY23 2AX",
                               "reference": "CASE-2026/0042"}, SETTINGS, today=DAY,
                              deliver=True)
    assert other.letter is not None and other.letter.address_lines[0] == "Dr Rhiannon Pryce-Ŵyn"
    assert [(p.field, p.kind) for p in problems({**LETTER, "name": "Ann ☎ Lee"})] == [
        ("name", "characters")]
    assert [(p.field, p.kind) for p in problems({**LETTER, "reference": "X" * 39})] == [
        ("reference", "fit")]
