"""Working-time arithmetic for complaint timescales.

The conventions (explained for customers in docs/counting-time.md, the
website's "How we count time"):

``working_hours`` N
    N hours of working time, counted only inside working hours, from receipt
    (or from the next start of working time, if received outside it). A
    deadline that ends exactly at close of business is that day's close.
``clock_hours`` N
    N elapsed hours, computed in UTC so that a DST change is counted right.
``working_days`` N
    Close of business on the Nth working day after the day of receipt. Receipt
    on a non-working day or after close counts as receipt on the next working
    day (the FCA's convention in DISP 1.5). N = 0 is close of business on the
    day of receipt.
``calendar_weeks`` N
    The same local wall-clock time N x 7 days later, with no holiday
    adjustment (how the ADR period is counted).

Naive input times are local to the calendar's zone; aware ones are converted.
Working days and hours never straddle a DST change (those happen at 01:00 UTC
on a Sunday), so arithmetic inside a working day is done on local wall time.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import holidays

from ..resources import caches
from ..structure.model import Calendar, Clock, Timescale

_SUBDIVISIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


class WorkingCalendar:
    """A calendar of working time, built from the source's ``calendar``."""

    def __init__(self, calendar: Calendar):
        self.calendar = calendar
        self.zone = calendar.zone
        self.days = {d.number for d in calendar.working_days}

    @cached_property
    def _holidays(self) -> holidays.HolidayBase | None:
        return _bank_holidays(self.calendar.bank_holidays)

    def holiday_name(self, day: dt.date) -> str | None:
        """The bank holiday on ``day``, if any."""
        if self._holidays is None:
            return None
        return self._holidays.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day: a working weekday, not a bank holiday."""
        return day.weekday() in self.days and self.holiday_name(day) is None

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def local(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` as an aware local time (naive input is taken as local)."""
        if moment.tzinfo is None:
            return _normalise(moment.replace(tzinfo=self.zone))
        return moment.astimezone(self.zone)

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.zone)

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """``hours`` of working time after ``start``."""
        now = self.local(start)
        day, opens, closes = now.date(), self.calendar.opens, self.calendar.closes
        if self.is_working_day(day) and now.time() < closes:
            cursor = max(now, self._at(day, opens))
        else:  # out of hours: counting starts when working time next starts
            cursor = self._at(self.next_working_day(day), opens)
        remaining = dt.timedelta(hours=hours)
        while True:
            available = self._at(cursor.date(), closes) - cursor
            if remaining <= available:
                return cursor + remaining
            remaining -= available
            cursor = self._at(self.next_working_day(cursor.date()), opens)

    def add_clock_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """``hours`` elapsed after ``start``, counted in UTC."""
        utc = self.local(start).astimezone(dt.UTC)
        return (utc + dt.timedelta(hours=hours)).astimezone(self.zone)

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Close of business on the ``days``-th working day after receipt."""
        now = self.local(start)
        day = now.date()
        if not self.is_working_day(day) or now.time() >= self.calendar.closes:
            day = self.next_working_day(day)
        for _ in range(days):
            day = self.next_working_day(day)
        return self._at(day, self.calendar.closes)

    def add_calendar_weeks(self, start: dt.datetime, weeks: int) -> dt.datetime:
        """The same local wall-clock time ``weeks`` weeks later."""
        now = self.local(start)
        later = now.replace(tzinfo=None) + dt.timedelta(weeks=weeks)
        return _normalise(later.replace(tzinfo=self.zone))

    def due(self, timescale: Timescale, start: dt.datetime) -> dt.datetime:
        """When ``timescale`` runs out, counted from ``start``."""
        adders = {
            Clock.WORKING_HOURS: self.add_working_hours,
            Clock.CLOCK_HOURS: self.add_clock_hours,
            Clock.WORKING_DAYS: self.add_working_days,
            Clock.CALENDAR_WEEKS: self.add_calendar_weeks,
        }
        return adders[timescale.clock](start, timescale.amount)

    def describe(self) -> str:
        """The calendar in words, e.g. for the reading of a timescale."""
        days = ", ".join(d.value for d in self.calendar.working_days)
        region = self.calendar.bank_holidays.replace("-", " ").title().replace(" And ", " and ")
        hol = "no bank holidays excluded" if self.calendar.bank_holidays == "none" \
            else f"excluding {region} bank holidays"
        return (f"{self.calendar.opens:%H:%M}–{self.calendar.closes:%H:%M} {days}, "
                f"{hol}, {self.calendar.timezone} time")

    def reading(self, timescale: Timescale) -> str:
        """How the tools read a timescale, in words, so nobody has to guess."""
        n, clock = timescale.amount, timescale.clock
        if clock == Clock.WORKING_HOURS:
            day = _hours_between(self.calendar.opens, self.calendar.closes)
            whole, rest = divmod(n, day) if day else (0, n)
            whole = int(whole)
            literal = f" (literally {whole} working day{'s' * (whole != 1)} and {rest:g} hours " \
                f"under a {day:g}-hour working day)" if n >= day else ""
            return f"{n} hours of working time ({self.describe()}){literal}, from receipt"
        if clock == Clock.CLOCK_HOURS:
            return f"{n} elapsed hours, including nights, weekends and bank holidays"
        if clock == Clock.WORKING_DAYS:
            return (f"close of business on the {_ordinal(n)} working day after the day of "
                    f"receipt ({self.describe()}); receipt after close or on a non-working "
                    f"day counts as the next working day")
        return f"the same time of day {n} weeks ({n * 7} days) later, bank holidays included"


@caches.memo(8)
def _bank_holidays(region: str) -> holidays.HolidayBase | None:
    """One holiday table per region for the process: each year's holidays are
    worked out once, not once per deadline (sla, the service)."""
    subdiv = _SUBDIVISIONS.get(region)
    return holidays.country_holidays("GB", subdiv=subdiv) if subdiv else None


def _normalise(moment: dt.datetime) -> dt.datetime:
    """Resolve a local time in a DST gap or fold by a round trip through UTC."""
    zone = moment.tzinfo
    assert zone is not None
    return moment.astimezone(dt.UTC).astimezone(zone)


def _hours_between(a: dt.time, b: dt.time) -> float:
    return (dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)) \
        .total_seconds() / 3600


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
