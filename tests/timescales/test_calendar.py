"""The working-time calculator against deadlines worked out by hand.

Calendar facts used (England and Wales, gov.uk): 2026 bank holidays Fri 3 Apr
(Good Friday), Mon 6 Apr (Easter Monday), Fri 25 Dec, Mon 28 Dec (substitute for
Boxing Day, a Saturday); 2027: Fri 1 Jan, Fri 26 Mar, Mon 29 Mar, Mon 27 and Tue 28
Dec (substitutes: Christmas Day and Boxing Day fall on a weekend). Scotland adds
2 January (2027: a Saturday, substitute Mon 4 Jan). British Summer Time 2026:
29 Mar to 25 Oct; 2027: from 28 Mar. Working hours 08:30-17:30, Mon-Fri.
"""

from __future__ import annotations

import datetime as dt

import pytest

from complaints_code.structure.model import Calendar, Clock, Timescale
from complaints_code.timescales.calendar import WorkingCalendar

ENGLAND = WorkingCalendar(Calendar())
SCOTLAND = WorkingCalendar(Calendar(bank_holidays="scotland"))


def due(clock: str, amount: int, raised: str, cal: WorkingCalendar = ENGLAND) -> str:
    timescale = Timescale(id="t", text="t", clock=Clock(clock), amount=amount)
    return cal.due(timescale, dt.datetime.fromisoformat(raised)).isoformat()


@pytest.mark.parametrize(("clock", "amount", "raised", "expected"), [
    # Received in hours: Mon 16:00 leaves 1.5 h, then 9 + 9, then 4.5 h on Thu.
    ("working_hours", 24, "2026-11-23T16:00", "2026-11-26T13:00:00+00:00"),
    # Received after close: counting starts Tue 08:30; 9 + 9 + 6 h.
    ("working_hours", 24, "2026-11-23T19:00", "2026-11-26T14:30:00+00:00"),
    # Received before opening: counting starts at 08:30 the same day.
    ("working_hours", 2, "2026-11-24T07:00", "2026-11-24T10:30:00+00:00"),
    # Received on Saturday: counting starts Monday 08:30.
    ("working_hours", 3, "2026-11-28T10:00", "2026-11-30T11:30:00+00:00"),
    # Ends exactly at close of business: that day's close, not next morning.
    ("working_hours", 9, "2026-11-23T08:30", "2026-11-23T17:30:00+00:00"),
    ("working_hours", 1, "2026-11-23T16:30", "2026-11-23T17:30:00+00:00"),
    # Christmas: Thu 24 Dec 16:00 leaves 1.5 h; 25 Dec, weekend and the
    # substitute Mon 28 Dec are skipped; Tue 9, Wed 9, Thu 31 Dec 4.5 h.
    ("working_hours", 24, "2026-12-24T16:00", "2026-12-31T13:00:00+00:00"),
    # Easter 2026: Thu 2 Apr 16:30 leaves 1 h; Good Friday to Easter Monday off.
    ("working_hours", 3, "2026-04-02T16:30", "2026-04-07T10:30:00+01:00"),
    # Zero: the moment counting starts.
    ("working_hours", 0, "2026-11-23T10:00", "2026-11-23T10:00:00+00:00"),
    ("working_hours", 0, "2026-11-28T10:00", "2026-11-30T08:30:00+00:00"),
], ids=["in-hours", "after-close", "before-opening", "weekend", "ends-at-close",
        "ends-at-close-short", "christmas", "easter", "zero-in-hours", "zero-weekend"])
def test_working_hours(clock: str, amount: int, raised: str, expected: str) -> None:
    assert due(clock, amount, raised) == expected


@pytest.mark.parametrize(("clock", "amount", "raised", "expected"), [
    ("working_days", 3, "2026-11-23T10:00", "2026-11-26T17:30:00+00:00"),
    # After close on Monday counts as received Tuesday.
    ("working_days", 3, "2026-11-23T17:30", "2026-11-27T17:30:00+00:00"),
    # Saturday counts as received Monday; the 3rd working day after is Thursday.
    ("working_days", 3, "2026-11-28T10:00", "2026-12-03T17:30:00+00:00"),
    # Christmas: 29, 30, 31 Dec are the 3 working days after Thu 24 Dec.
    ("working_days", 3, "2026-12-24T16:00", "2026-12-31T17:30:00+00:00"),
    # Substitute day: Mon 28 Dec 2026 is not a working day.
    ("working_days", 1, "2026-12-24T10:00", "2026-12-29T17:30:00+00:00"),
    # 2027: Christmas and Boxing Day on a weekend; substitutes Mon 27 and Tue 28.
    ("working_days", 1, "2027-12-24T12:00", "2027-12-29T17:30:00+00:00"),
    # New Year: 1 Jan 2027 is a Friday; 4, 5, 6 Jan are the 3 working days.
    ("working_days", 3, "2026-12-31T10:00", "2027-01-06T17:30:00+00:00"),
    # Easter 2027 and the start of BST together: Good Friday 26 Mar, Easter
    # Monday 29 Mar; clocks go forward on Sun 28 Mar, so close is 17:30 BST.
    ("working_days", 1, "2027-03-25T12:00", "2027-03-30T17:30:00+01:00"),
    # Zero: close of business on the day of receipt (or the next working day).
    ("working_days", 0, "2026-11-23T10:00", "2026-11-23T17:30:00+00:00"),
    ("working_days", 0, "2026-11-28T10:00", "2026-11-30T17:30:00+00:00"),
], ids=["plain", "after-close", "weekend", "christmas", "substitute-2026",
        "substitutes-2027", "new-year", "easter-and-bst", "zero", "zero-weekend"])
def test_working_days(clock: str, amount: int, raised: str, expected: str) -> None:
    assert due(clock, amount, raised) == expected


def test_scotland_also_keeps_2_january_with_its_substitute() -> None:
    # 1 Jan Fri; 2 Jan Sat, substitute Mon 4 Jan in Scotland only.
    assert due("working_days", 1, "2026-12-31T10:00", SCOTLAND) == "2027-01-05T17:30:00+00:00"
    assert due("working_days", 1, "2026-12-31T10:00") == "2027-01-04T17:30:00+00:00"


@pytest.mark.parametrize(("clock", "amount", "raised", "expected"), [
    ("clock_hours", 48, "2026-12-24T16:00", "2026-12-26T16:00:00+00:00"),
    # Spring forward: 48 elapsed hours from Fri 12:00 GMT is Sun 13:00 BST.
    ("clock_hours", 48, "2026-03-27T12:00", "2026-03-29T13:00:00+01:00"),
    # Fall back: 48 elapsed hours from Fri 12:00 BST is Sun 11:00 GMT.
    ("clock_hours", 48, "2026-10-23T12:00", "2026-10-25T11:00:00+00:00"),
    ("clock_hours", 0, "2026-10-23T12:00", "2026-10-23T12:00:00+01:00"),
], ids=["christmas", "spring-forward", "fall-back", "zero"])
def test_clock_hours_are_elapsed_time_across_dst(clock: str, amount: int, raised: str,
                                                  expected: str) -> None:
    assert due(clock, amount, raised) == expected


@pytest.mark.parametrize(("clock", "amount", "raised", "expected"), [
    ("calendar_weeks", 8, "2026-12-24T16:00", "2027-02-18T16:00:00+00:00"),
    # Same wall-clock time across the spring change: 10:00 GMT -> 10:00 BST.
    ("calendar_weeks", 2, "2026-03-20T10:00", "2026-04-03T10:00:00+01:00"),
    # And across the autumn change.
    ("calendar_weeks", 1, "2026-10-20T10:00", "2026-10-27T10:00:00+00:00"),
    # No holiday adjustment: lands on Christmas Day.
    ("calendar_weeks", 1, "2026-12-18T09:00", "2026-12-25T09:00:00+00:00"),
    ("calendar_weeks", 0, "2026-12-18T09:00", "2026-12-18T09:00:00+00:00"),
], ids=["christmas", "spring", "autumn", "no-holiday-adjustment", "zero"])
def test_calendar_weeks_keep_local_wall_time(clock: str, amount: int, raised: str,
                                             expected: str) -> None:
    assert due(clock, amount, raised) == expected


def test_input_with_offset_is_converted_to_london_time() -> None:
    # 16:30 UTC on 1 June is 17:30 BST: exactly close, so it counts as next day.
    assert due("working_days", 0, "2026-06-01T16:30+00:00") == "2026-06-02T17:30:00+01:00"
    assert due("working_hours", 1, "2026-06-01T09:00+00:00") == "2026-06-01T11:00:00+01:00"


def test_working_hours_reading_states_the_literal_interpretation() -> None:
    timescale = Timescale(id="t", text="24 working hours", clock=Clock.WORKING_HOURS, amount=24)
    reading = ENGLAND.reading(timescale)
    assert "literally 2 working days and 6 hours under a 9-hour working day" in reading
