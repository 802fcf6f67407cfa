"""The structured-data module: complaint stages, timescales and deadlines
as plain records for other tools (CRM, ticketing, the service).

The public API is re-exported by the package (see ``complaints_code.timescales``).

The export's form is versioned by ``EXPORT_SCHEMA_VERSION``; its JSON Schema
comes from :func:`export_schema`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import UsageError
from ..structure.model import Clock, Code
from .calendar import WorkingCalendar

EXPORT_SCHEMA_VERSION = "1.0"
"""Bumped in its major part when a field is removed or changes meaning."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)


class TimescaleRecord(_Record):
    """A timescale the Code promises."""

    id: str
    """Stable id, e.g. acknowledge."""
    text: str
    """The Code's own words, e.g. "24 working hours"."""
    clock: Clock
    """How it is counted: working_hours, clock_hours, working_days or calendar_weeks."""
    amount: int
    """How many hours, days or weeks."""
    starts: str
    """The event the time is counted from."""
    reading: str
    """How the tools read it, in words."""
    note: str | None
    """Why this clock was chosen, where the words are ambiguous."""


class StageRecord(_Record):
    """A stage of the complaints procedure."""

    id: str
    """Stable id."""
    number: int
    """The stage number."""
    title: str
    """The stage title."""
    description: str
    """What happens, as plain text."""
    timescales: list[str]
    """Ids of the timescales the stage refers to."""


class CalendarRecord(_Record):
    """The working-time calendar."""

    timezone: str
    working_days: list[str]
    opens: str = Field(description="HH:MM")
    closes: str = Field(description="HH:MM")
    bank_holidays: str


class CodeRecord(_Record):
    """Which Code the data comes from."""

    provider: str
    title: str
    version: str
    effective_date: dt.date


class Export(_Record):
    """The stages and timescales of a Complaints Code."""

    schema_version: str
    """The version of this export's form."""
    code: CodeRecord
    calendar: CalendarRecord
    stages: list[StageRecord]
    timescales: list[TimescaleRecord]


class Deadline(_Record):
    """When one timescale runs out for one complaint."""

    id: str
    due: dt.datetime
    """ISO 8601 with the UTC offset in force at the time."""
    clock: Clock
    text: str


class Deadlines(_Record):
    """Every deadline for a complaint raised at ``raised_at``."""

    raised_at: dt.datetime
    deadlines: list[Deadline]


def timescales(code: Code) -> list[TimescaleRecord]:
    """The timescales, each with its reading."""
    cal = WorkingCalendar(code.calendar)
    return [TimescaleRecord(id=t.id, text=t.text, clock=t.clock, amount=t.amount,
                            starts=t.starts, reading=cal.reading(t), note=t.note)
            for t in code.timescales]


def stages(code: Code) -> list[StageRecord]:
    """The stages in order, descriptions as plain text."""
    return [StageRecord(id=s.id, number=s.number, title=s.title,
                        description=code.plain(s.inlines), timescales=list(s.timescales))
            for s in code.stages]


def export(code: Code) -> Export:
    """The whole export."""
    cal = code.calendar
    return Export(
        schema_version=EXPORT_SCHEMA_VERSION,
        code=CodeRecord(provider=code.metadata.provider, title=code.metadata.title,
                        version=code.metadata.version,
                        effective_date=code.metadata.effective_date),
        calendar=CalendarRecord(timezone=cal.timezone,
                                working_days=[d.value for d in cal.working_days],
                                opens=f"{cal.opens:%H:%M}", closes=f"{cal.closes:%H:%M}",
                                bank_holidays=cal.bank_holidays),
        stages=stages(code),
        timescales=timescales(code),
    )


EXPORT_SCHEMA_ID = "complaints-code.export.schema.json"
"""The export schema's name, as published beside the export (``data/``)."""


def export_schema(url: str | None = None) -> dict[str, Any]:
    """The JSON Schema of :func:`export`'s JSON form. Its ``$id`` is ``url``,
    where it is published (the Code's ``published_url``/data/…), else its
    file name."""
    schema = Export.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": url or EXPORT_SCHEMA_ID, **schema}


FIRST_YEAR, LAST_YEAR = 1900, 2999
"""The years a complaint can be received in: well inside what the calendar
and the time-zone data can count (deadlines run weeks past receipt)."""


class TimeError(UsageError):
    """A time ``sla`` cannot count from. ``field`` names the input."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


class AmbiguousTimeError(TimeError):
    """A local time that does not exist (the spring gap) or happens twice (the
    autumn fold); ``readings`` are the two times it could mean, for fold 0
    and fold 1."""

    def __init__(self, field: str, message: str, readings: tuple[dt.datetime, dt.datetime]):
        self.readings = readings
        super().__init__(field, message)


def parse_time(value: str | dt.datetime, cal: WorkingCalendar,
               fold: int | None = None) -> dt.datetime:
    """An ISO 8601 time; naive means local to the calendar. A local time in
    the spring gap or the autumn fold needs ``fold`` (0: the reading with the
    offset in force before the change, 1: after it), as in
    :attr:`datetime.datetime.fold`. Raises TimeError or AmbiguousTimeError."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise TimeError("raised", f"'{value}' is not a date and time; write it as "
                            "YYYY-MM-DDTHH:MM, e.g. 2026-12-24T16:00") from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise _out_of_range(value)
    if value.tzinfo is not None:
        return cal.local(value)
    return _local(value, cal, fold)


def _out_of_range(value: dt.datetime) -> TimeError:
    return TimeError("raised", f"{value.date().isoformat()} is outside the years deadlines can be "
                     f"counted in ({FIRST_YEAR} to {LAST_YEAR}); give the date the "
                     "complaint was received")


def _local(naive: dt.datetime, cal: WorkingCalendar, fold: int | None) -> dt.datetime:
    readings = tuple(naive.replace(tzinfo=cal.zone, fold=f) for f in (0, 1))
    first, second = readings
    if first.utcoffset() == second.utcoffset():
        return first  # an ordinary local time: one reading
    if fold is not None:
        # Through UTC, so a time in the gap comes out as the wall time it means.
        return readings[fold].astimezone(dt.UTC).astimezone(cal.zone)
    both = tuple(r.astimezone(dt.UTC).astimezone(cal.zone) for r in readings)
    exists = all(r.replace(tzinfo=None) == naive for r in both)
    what = "happens twice in" if exists else "does not exist in"
    why = "the clocks go back" if exists else "the clocks go forward"
    shown = [f"{r.isoformat(timespec='minutes')} ({r.tzname()}, --fold {f})"
             for f, r in enumerate(both)]
    raise AmbiguousTimeError("raised", f"{naive:%Y-%m-%dT%H:%M} {what} {cal.calendar.timezone} "
                             f"({why}); it could mean {shown[0]} or {shown[1]}; give the "
                             "time with its UTC offset, or choose with --fold 0 or --fold 1",
                             (both[0], both[1]))


def deadlines(code: Code, raised_at: str | dt.datetime, fold: int | None = None) -> Deadlines:
    """Every timescale's deadline for a complaint raised at ``raised_at``
    (see :func:`parse_time` for ``fold``). Raises TimeError."""
    cal = WorkingCalendar(code.calendar)
    start = parse_time(raised_at, cal, fold)
    try:
        return Deadlines(raised_at=start, deadlines=[
            Deadline(id=t.id, due=cal.due(t, start), clock=t.clock, text=t.text)
            for t in code.timescales])
    except OverflowError:  # a calendar that never reaches a working day, say
        raise _out_of_range(start) from None
