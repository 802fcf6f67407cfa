"""The kinds of value a Code's source holds, each with its constraints:
ids, words, whole numbers and flags (strict), dates and times as written,
weekdays, clocks and kinds of contact; and ``Frozen``, the base of every
part of the model."""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, WithJsonSchema

SOURCE_SCHEMA_VERSION = 1

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
VERSION_PATTERN = r"^\d+(\.\d+){0,2}$"
POSTCODE_PATTERN = r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$"
CLOCK_TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
# Field docs come from the attribute docstrings below; these types add only
# constraints (a description here would hide the field's own docstring).
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
Words = Annotated[str, Field(min_length=1)]
# Text in the inline markup of complaints_code.structure.inline.
Markup = Annotated[str, Field(min_length=1)]


def _date_as_written(value: Any) -> Any:
    """Only a date written as a date: pydantic would otherwise read a number
    (``effective_date: 0``) as seconds since 1970."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError(f"expected a date, got {value!r}; write the date as YYYY-MM-DD")


def _time_as_written(value: Any) -> Any:
    """Only a time written HH:MM: pydantic would read ``830`` as seconds."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value):
        return value
    raise ValueError(f"expected a time, got {value!r}; write a 24-hour time in quotes, "
                     'e.g. "08:30"')


# Strict: a whole number is an int, never true, 2.0 or "3" (pydantic's lax
# mode would turn `amount: true` into 1).
WholeNumber = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]
Date = Annotated[dt.date, BeforeValidator(_date_as_written)]
Time = Annotated[dt.time, BeforeValidator(_time_as_written)]
ClockTime = Annotated[Time, WithJsonSchema({
    "type": "string", "pattern": CLOCK_TIME_PATTERN,
    "description": 'A 24-hour time as HH:MM, in quotes, e.g. "08:30".'})]
"""A time of day as the source writes it ("08:30"). Its JSON Schema is a
pattern, not ``format: time``, which RFC 3339 defines with seconds and an
offset, so editors would reject the correct "08:30"."""


class Frozen(BaseModel):
    """Base: immutable, and unknown keys are errors (a typo must not vanish)."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class Weekday(enum.StrEnum):
    """A day of the week, as its three-letter English abbreviation."""

    MON = "Mon"
    TUE = "Tue"
    WED = "Wed"
    THU = "Thu"
    FRI = "Fri"
    SAT = "Sat"
    SUN = "Sun"

    @property
    def number(self) -> int:
        """Monday is 0, as in :meth:`datetime.date.weekday`."""
        return list(Weekday).index(self)


class Clock(enum.StrEnum):
    """How a timescale is counted: working_hours (hours of working time),
    clock_hours (elapsed hours), working_days (close of business on the Nth
    working day after receipt) or calendar_weeks (the same local time N weeks
    later). The published page "How we count time" explains each."""

    WORKING_HOURS = "working_hours"
    CLOCK_HOURS = "clock_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_WEEKS = "calendar_weeks"


class ContactKind(enum.StrEnum):
    """What sort of contact method a record is."""

    TELEPHONE = "telephone"
    TEXT_RELAY = "text_relay"
    FAX = "fax"
    EMAIL = "email"
    WEB_CHAT = "web_chat"
    WEBSITE = "website"
    ESCALATION = "escalation"
    POST = "post"


BankHolidayRegion = Literal["england-and-wales", "scotland", "northern-ireland", "none"]
