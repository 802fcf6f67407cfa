"""For every changed value, the redline shows each sentence that refers to it
as customers will read it, before and after, in text, Markdown and HTML."""

from __future__ import annotations

from complaints_code.legal.redline import Redline, Version, redline
from complaints_code.legal.redline.formats import html, markdown, text
from complaints_code.legal.redline.readings import Reading, sentences
from complaints_code.structure.source import loads
from tests.conftest import TEMPLATES

ADR_WHERE = "“Alternative Dispute Resolution”, paragraph 2"
BEFORE = "Ofcom is an independent regulator and their details are as follows:"
AFTER = ("The Communications Ombudsman is an independent regulator and their details "
         "are as follows:")


def _renamed(source_text: str) -> str:
    return source_text.replace("  name: Ofcom\n", "  name: the Communications Ombudsman\n", 1)


def _result(old: str, new: str) -> Redline:
    return redline(Version(loads(old), "old"), Version(loads(new), "new"))


def test_a_changed_adr_name_shows_each_sentence_that_names_it(source_text: str) -> None:
    change = _result(source_text, _renamed(source_text)).changes[0]
    assert change.summary == "ADR body changed: Ofcom → the Communications Ombudsman"
    assert change.readings[1] == Reading(ADR_WHERE, BEFORE, AFTER)
    assert change.readings[0].after.endswith(
        "you may make a complaint through the Communications Ombudsman.")
    assert len(change.readings) == 2


def test_text_shows_the_sentences_before_and_after(source_text: str) -> None:
    out = text(_result(source_text, _renamed(source_text)))
    assert (f"      As customers will read it, {ADR_WHERE}:\n"
            f"        before: {BEFORE}\n"
            f"        after:  {AFTER}\n") in out


def test_markdown_shows_the_sentences_before_and_after(source_text: str) -> None:
    out = markdown(_result(source_text, _renamed(source_text)))
    assert (f"  As customers will read it, {ADR_WHERE}:\n\n"
            f"  > **Before:** {BEFORE}  \n  > **After:** {AFTER}\n") in out


def test_html_shows_the_sentences_before_and_after(source_text: str) -> None:
    out = html(_result(source_text, _renamed(source_text)), TEMPLATES / "redline")
    assert f"<dt>{ADR_WHERE}</dt>" in out
    assert f'<p><span class="reading-label">Before:</span> {BEFORE}</p>' in out
    assert f'<p><span class="reading-label">After:</span> {AFTER}</p>' in out


def test_a_changed_timescale_shows_the_sentences_that_state_it(source_text: str) -> None:
    new = source_text.replace("text: 24 working hours\n    clock: working_hours\n    amount: 24",
                              "text: 2 working days\n    clock: working_days\n    amount: 2")
    change = _result(source_text, new).changes[0]
    assert [r.where for r in change.readings] == ["“Response Times”, paragraph 1"]
    assert "within 24 working hours." in change.readings[0].before
    assert "within 2 working days." in change.readings[0].after


def test_changed_opening_hours_show_the_contact_text_that_gives_them(source_text: str) -> None:
    new = source_text.replace("      text: 0830 – 1730 Monday to Friday excluding bank holidays",
                              "      text: 0800 – 1800 Monday to Friday excluding bank holidays",
                              1)
    readings = [r for c in _result(source_text, new).changes for r in c.readings]
    assert readings[0] == Reading(
        "Contact method “Telephone”",
        "020 8545 8200 (0830 – 1730 Monday to Friday excluding bank holidays)",
        "020 8545 8200 (0800 – 1800 Monday to Friday excluding bank holidays)")


def test_a_value_nobody_refers_to_has_no_readings(source_text: str) -> None:
    new = source_text.replace("value: 020 8545 8215", "value: 020 8545 8216")
    assert [c.readings for c in _result(source_text, new).changes] == [()]


def test_sentences_split_at_full_stops_but_not_after_abbreviations() -> None:
    assert sentences("One, e.g. {adr:name}. Two! **Three.** Four") == [
        "One, e.g. {adr:name}.", "Two!", "**Three.**", "Four"]
    assert sentences("**One. Two**") == ["**One. Two**"]
