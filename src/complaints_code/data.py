"""The structured-data module: complaint stages, timescales and deadlines
as plain records for other tools (CRM, ticketing, the service).

Public API::

    from complaints_code import data
    from complaints_code.source import load

    code = load("code_source/complaints-code.yaml")
    data.export(code)                       # the whole export, as a model
    data.deadlines(code, "2026-12-24T16:00")  # every deadline for a complaint

The export's form is versioned by ``EXPORT_SCHEMA_VERSION``; its JSON Schema
comes from :func:`export_schema`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .errors import UsageError
from .model import Clock, Code
from .worktime import WorkingCalendar

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


def export_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`export`'s JSON form."""
    schema = Export.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "complaints-code.export.schema.json", **schema}


def parse_time(value: str | dt.datetime, cal: WorkingCalendar) -> dt.datetime:
    """An ISO 8601 time; naive means local to the calendar. Raises UsageError."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise UsageError(f"'{value}' is not a date and time; write it as "
                             "YYYY-MM-DDTHH:MM, e.g. 2026-12-24T16:00") from None
    return cal.local(value)


def deadlines(code: Code, raised_at: str | dt.datetime) -> Deadlines:
    """Every timescale's deadline for a complaint raised at ``raised_at``."""
    cal = WorkingCalendar(code.calendar)
    start = parse_time(raised_at, cal)
    return Deadlines(raised_at=start, deadlines=[
        Deadline(id=t.id, due=cal.due(t, start), clock=t.clock, text=t.text)
        for t in code.timescales])
