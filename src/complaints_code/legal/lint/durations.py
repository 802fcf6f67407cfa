"""Comparing timescales counted on different clocks, in one fair unit.

A working-hours or working-days timescale has no fixed length: how long it
runs in elapsed time depends on when the complaint arrives. To compare one with
the ADR period (counted in calendar weeks) the lint takes the worst case: the
longest elapsed time it can run for a complaint received one minute after close
of business on any day of the year from the date the rules are judged on, using
the Code's own calendar and bank holidays. A timescale that fits in that worst
case fits for every complaint.
"""

from __future__ import annotations

import datetime as dt

from ...resources import caches
from ...structure.model import Calendar, Timescale
from ...timescales.calendar import WorkingCalendar

DAYS_TRIED = 366


@caches.memo(256)
def longest(calendar: Calendar, timescale: Timescale, from_day: dt.date) -> \
        tuple[dt.timedelta, dt.datetime]:
    """The longest elapsed time ``timescale`` runs, and the receipt time that
    gives it, over a year of receipts just after close of business."""
    cal = WorkingCalendar(calendar)
    after_close = (dt.datetime.combine(dt.date.min, calendar.closes)
                   + dt.timedelta(minutes=1)).time()
    worst = (dt.timedelta(0), cal.local(dt.datetime.combine(from_day, after_close)))
    for n in range(DAYS_TRIED):
        start = cal.local(dt.datetime.combine(from_day + dt.timedelta(days=n), after_close))
        due = cal.due(timescale, start)
        # Subtract in UTC: aware times in one zone subtract as wall-clock times.
        took = due.astimezone(dt.UTC) - start.astimezone(dt.UTC)
        if took > worst[0]:
            worst = (took, start)
    return worst


def in_words(span: dt.timedelta) -> str:
    """An elapsed time as days and hours, e.g. "9 days and 15 hours"."""
    hours = round(span.total_seconds() / 3600)
    days, rest = divmod(hours, 24)
    parts = [f"{days} day{'s' * (days != 1)}"] if days else []
    if rest or not parts:
        parts.append(f"{rest} hour{'s' * (rest != 1)}")
    return " and ".join(parts)
