"""Every compliance rule in both directions: silent on a corrected copy of the
Opus Code, and firing on a copy with one thing broken.

``fixed()`` corrects the shipped source the way the legal team would (the
Communications Ombudsman instead of Ofcom, 6 weeks, text relay, and so on); the
corrected copy must produce no finding at all. Each case in ``BREAKS`` then
breaks one thing and names the rule that must fire and the words it points at.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest

from complaints_code.legal.lint import Report, lint_text, rule_ids
from complaints_code.legal.lint.registry import CHECKS
from complaints_code.legal.lint.rules import all_rules

# The scheme's published contact details, used here as test data only.
OMBUDSMAN = """adr:
  name: Communications Ombudsman
  contacts:
    - id: post
      kind: post
      label: Post
      address:
        lines: [Communications Ombudsman, PO Box 730, Warrington]
        postcode: WA4 6WU
    - id: email
      kind: email
      label: Email
      value: osenquiries@os-communications.org
    - id: website
      kind: website
      label: Web site
      value: https://www.ombudsman-services.org/
    - id: telephone
      kind: telephone
      label: Tel
      value: 0330 440 1614

"""

TEXT_RELAY = """  - id: text-relay
    kind: text_relay
    label: Text relay
    value: 18001 020 8545 8200
    hours:
      text: 0830 – 1730 Monday to Friday excluding bank holidays
      days: [Mon, Tue, Wed, Thu, Fri]
      opens: "08:30"
      closes: "17:30"
  - id: fax
"""

FIXES: list[tuple[str, str]] = [
    ("  - id: fax\n", TEXT_RELAY),
    ("contacts: [telephone, fax,", "contacts: [telephone, text-relay, fax,"),
    ("text: 24 working hours\n    clock: working_hours\n    amount: 24",
     "text: 2 working days\n    clock: working_days\n    amount: 2"),
    ("text: 48 hours\n", "text: 48 hours, including weekends and bank holidays\n"),
    ("text: 8 weeks\n    clock: calendar_weeks\n    amount: 8",
     "text: 6 weeks\n    clock: calendar_weeks\n    amount: 6"),
    ("title: Case open over 8 weeks", "title: Case open over 6 weeks"),
    ("the right to contact Ofcom if", "the right to take your complaint to {adr:name} if"),
    ("All disputes are logged and we aim to acknowledge all disputes",
     "All complaints are logged and we aim to acknowledge all complaints"),
    ("{adr:name} is an independent regulator and their details are as\n          follows:",
     "{adr:name} is independent of us and free of charge to you. You have 12 months from\n"
     "          our letter to take your complaint to them. Their details are as follows:"),
    ("Tel: {adr:telephone} or {adr:telephone-2}", "Tel: {adr:telephone}"),
    ("Opus Telecoms will make special arrangements on a case by case basis.\n"
     "          Examples would be the provision of this Code in Braille or in large\n"
     "          print.",
     "We will provide this Code in Braille or in large print, free of charge,\n"
     "          whenever you ask."),
]


def fixed(source_text: str) -> str:
    """The shipped source corrected so that no rule fires."""
    text = re.sub(r"(?ms)^adr:\n.*?(?=^sections:)", OMBUDSMAN, source_text)
    for old, new in FIXES:
        assert old in text, f"the shipped source no longer contains {old!r}"
        text = text.replace(old, new, 1)
    return text


def run(text: str, as_of: dt.date | None = None) -> Report:
    return lint_text(text, "code.yaml", as_of)


def fired(report: Report) -> set[str]:
    return {f.rule for f in report.findings}


def test_the_corrected_copy_breaks_no_rule(source_text: str) -> None:
    report = run(fixed(source_text))
    assert [str(f) for f in report.findings] == []


def test_every_rule_has_a_check_and_every_check_a_rule() -> None:
    assert set(rule_ids()) == set(CHECKS)


def test_every_rule_has_a_lawyer_readable_message_and_a_reference() -> None:
    for rule in all_rules():
        assert rule.message.strip() and rule.reference.strip(), rule.id
        assert rule.severity in ("error", "warning", "note")


def _swap(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"the corrected copy no longer contains {old!r}"
        return text.replace(old, new, 1)
    return edit


def _cut(start: str, end: str) -> Callable[[str], str]:
    """Remove from the line starting ``start`` up to the line starting ``end``."""
    def edit(text: str) -> str:
        return re.sub(rf"(?ms)^{re.escape(start)}.*?(?=^{re.escape(end)})", "", text, count=1)
    return edit


def _then(*edits: Callable[[str], str]) -> Callable[[str], str]:
    def edit(text: str) -> str:
        for one in edits:
            text = one(text)
        return text
    return edit


# (rule, how to break the corrected copy, the words the finding must point at)
BREAKS: list[tuple[str, Callable[[str], str], str]] = [
    ("ADR-BODY", _swap("name: Communications Ombudsman", "name: Ofcom"), "Ofcom"),
    ("ADR-BODY", _swap("name: Communications Ombudsman", "name: Citizens Advice"),
     "Citizens Advice"),
    ("ADR-DETAILS", _then(_cut("    - id: website\n      kind: website", "    - id: telephone\n"),
                          _swap('      - paragraph: "Web site: {adr:website}"\n', "")),
     "- id: post"),
    ("ADR-FREE", _swap("independent of us and free of charge to you", "independent of us"),
     "If we have not resolved"),
    ("ADR-THRESHOLD", _swap("text: 6 weeks\n    clock: calendar_weeks\n    amount: 6",
                            "text: 8 weeks\n    clock: calendar_weeks\n    amount: 8"),
     "8 weeks\n"),
    ("ADR-LETTER", _swap("has reached “deadlock”", "has been closed"), "If we have not"),
    ("ADR-WINDOW", _swap("You have 12 months from\n          our letter",
                         "You may write from\n          our letter"), "If we have not"),
    ("ADR-REGULATOR", _swap("{adr:name} is independent of us",
                            "{adr:name} is an independent regulator, independent of us"),
     "regulator"),
    ("OFCOM-REFERRAL", _swap("the right to take your complaint to {adr:name} if",
                             "the right to complain to Ofcom if"), "complain to Ofcom"),
    ("TIMESCALE-WORDS", _swap("text: 3 working days\n    clock: working_days\n    amount: 3",
                              "text: 3 working days\n    clock: working_days\n    amount: 4"),
     "3 working days"),
    ("TIMESCALE-CLOCK", _swap("title: Case open over 6 weeks", "title: Case open over 7 weeks"),
     "7 weeks"),
    ("BARE-HOURS", _swap("text: 48 hours, including weekends and bank holidays",
                         "text: 48 hours"), "48 hours"),
    ("WORKING-HOURS-LITERAL", _swap("text: 2 working days\n    clock: working_days\n"
                                    "    amount: 2", "text: 24 working hours\n"
                                    "    clock: working_hours\n    amount: 24"),
     "24 working hours"),
    ("ACK-TIMESCALE", _swap("we aim to acknowledge all complaints",
                            "we aim to write about all complaints"), "timescales:"),
    ("STAGE-FITS-ADR", _swap("text: 3 working days\n    clock: working_days\n    amount: 3",
                             "text: 30 working days\n    clock: working_days\n    amount: 30"),
     "30 working days"),
    ("CONTACT-CHANNELS", _swap("kind: telephone\n    label: Telephone",
                               "kind: fax\n    label: Telephone"), "contacts:"),
    ("CONTACT-HOURS", _swap("kind: fax\n    label: Fax", "kind: telephone\n    label: Fax"),
     "telephone\n    label: Fax"),
    ("TEXT-RELAY", _swap("kind: text_relay", "kind: telephone"), "contacts:"),
    ("FREE-COPY", _swap("happily send you one free of charge", "happily send you one"),
     "sections:"),
    ("ACCESSIBLE-FORMATS", _swap("We will provide this Code in Braille",
                                 "Where possible we will provide this Code in Braille"),
     "Where possible"),
    ("ACCESSIBLE-FORMATS", _swap(", free of charge,\n          whenever you ask",
                                 " whenever you ask"), "We will provide"),
    ("COMPENSATION", _cut("  - id: compensation\n", "  - id: disabled-customers\n"),
     "sections:"),
    ("CONSISTENT-TERMS", _swap("we aim to acknowledge all complaints",
                               "we aim to acknowledge all disputes"), "disputes"),
    ("VERSION-DATE", _swap('version: "1.0"\n  # The seed', 'version: "1.1"\n  # The seed'),
     '"1.1"'),
    ("VERSION-DATE", _swap("effective_date: 2026-11-25", "effective_date: 2026-12-01"),
     "2026-12-01"),
    ("PHONE-UK", _swap("value: 020 8545 8215", "value: 020 8545 821"), "020 8545 821"),
    ("PHONE-UK", _swap("value: 0330 440 1614", "value: 0630 440 1614"), "0630 440 1614"),
    ("PHONE-CHARGED", _swap("value: 0330 440 1614", "value: 0845 456 3040"), "0845 456 3040"),
    ("EMAIL-URL", _swap("value: customerservice@opus-telecoms.co.uk",
                        "value: customerservice@opus-telecoms"), "customerservice@"),
    ("EMAIL-URL", _swap("value: https://www.ombudsman-services.org/",
                        "value: https://www_ombudsman/"), "https://www_ombudsman/"),
    ("HTTPS", _swap("value: https://www.ombudsman-services.org/",
                    "value: http://www.ombudsman-services.org/"), "http://www.ombudsman"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("rule", "edit", "points_at"), BREAKS,
                         ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(BREAKS)])
def test_rule_fires_on_a_copy_that_breaks_it(source_text: str, rule: str,
                                             edit: Callable[[str], str], points_at: str) -> None:
    broken = edit(fixed(source_text))
    findings = [f for f in run(broken).findings if f.rule == rule]
    assert findings, f"{rule} did not fire"
    lines = broken.splitlines()
    f = findings[0]
    expected = "\n".join(lines[f.line - 1 :])[f.col - 1 :]
    assert expected.startswith(points_at.split("\n")[0]) or points_at in lines[f.line - 1], \
        f"{rule} points at line {f.line} col {f.col}: {lines[f.line - 1]!r}"


def test_every_rule_is_shown_firing() -> None:
    assert {rule for rule, _, _ in BREAKS} == set(rule_ids())


@pytest.mark.parametrize(("as_of", "weeks"), [
    (dt.date(2026, 4, 7), 8), (dt.date(2026, 4, 8), 6)])
def test_adr_threshold_follows_the_rule_in_force_on_the_date(
        source_text: str, as_of: dt.date, weeks: int) -> None:
    seven = fixed(source_text).replace("text: 6 weeks\n    clock: calendar_weeks\n    amount: 6",
                                       "text: 7 weeks\n    clock: calendar_weeks\n    amount: 7")
    seven = seven.replace("Case open over 6 weeks", "Case open over 7 weeks")
    findings = [f for f in run(seven, as_of).findings if f.rule == "ADR-THRESHOLD"]
    assert bool(findings) == (weeks == 6)
    assert all(f"after {weeks} weeks" in f.message for f in findings)


def test_stage_fits_adr_compares_the_worst_case_in_elapsed_time(source_text: str) -> None:
    # 29 working days is 29 weekdays, inside 6 weeks (30 weekdays) when no bank
    # holiday falls inside. Received Wed 25 Nov 2026 (the effective date) after
    # close, it counts from Thu 26 Nov; Christmas Day, the Boxing Day substitute
    # (Mon 28 Dec) and New Year's Day push the 29th working day to Mon 11 Jan
    # 2027, 17:30: 47 days less a minute, over the 42 allowed.
    text = fixed(source_text).replace(
        "text: 3 working days\n    clock: working_days\n    amount: 3",
        "text: 29 working days\n    clock: working_days\n    amount: 29")
    finding = next(f for f in run(text).findings if f.rule == "STAGE-FITS-ADR")
    assert "up to 47 days (for a complaint received Wednesday 25 November 2026 at 17:31)" \
        in finding.message
    assert "longer than the 6-week period" in finding.message


def test_stage_fits_adr_is_silent_when_even_the_worst_case_fits(source_text: str) -> None:
    text = fixed(source_text).replace(
        "text: 3 working days\n    clock: working_days\n    amount: 3",
        "text: 20 working days\n    clock: working_days\n    amount: 20")
    assert "STAGE-FITS-ADR" not in fired(run(text))


def test_adr_regulator_quotes_the_sentence_as_customers_read_it(source_text: str) -> None:
    text = fixed(source_text).replace(
        "name: Communications Ombudsman", "name: the Communications Ombudsman", 1).replace(
        "{adr:name} is independent of us",
        "{adr:name} is an independent regulator, independent of us")
    finding = next(f for f in run(text).findings if f.rule == "ADR-REGULATOR")
    assert finding.severity == "warning"
    assert finding.message == (
        'This text calls the dispute-resolution body a regulator ("The Communications '
        'Ombudsman is an independent regulator, independent of us and free of charge to '
        'you."). It is not one: it is an independent scheme that settles individual '
        'complaints, while Ofcom, the regulator, does not. Describe it as, for example, '
        '"an independent dispute-resolution service, free of charge to you".')


def test_adr_regulator_is_silent_when_the_regulator_named_is_another_body(
        source_text: str) -> None:
    text = fixed(source_text).replace(
        "{adr:name} is independent of us",
        "Ofcom, the regulator, approves {adr:name}. {adr:name} is independent of us")
    assert "ADR-REGULATOR" not in fired(run(text))


@pytest.mark.parametrize("sentence", [
    "{adr:name}, the independent regulator, is independent of us",
    "The regulator {adr:name} is independent of us",
    "{adr:name} acts as a regulator and is independent of us",
])
def test_adr_regulator_fires_however_the_name_and_regulator_are_joined(
        source_text: str, sentence: str) -> None:
    text = fixed(source_text).replace("{adr:name} is independent of us", sentence)
    assert "ADR-REGULATOR" in fired(run(text))
