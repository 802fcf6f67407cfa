"""The export as tables, for spreadsheets and other tools: one CSV file per
kind of record (stages, timescales, the working-time calendar), each
described by a Frictionless Table Schema, and the Data Package descriptor
(``datapackage.json``) that lists them.

Each table says in its own columns what a reader needs to use a value: the
unit of an amount, whether only working time counts, the time zone of a
time. A cell that holds a list separates its items with
:data:`LIST_DELIMITER`, and the Table Schema says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..structure.model import Clock, Code
from .records import EXPORT_SCHEMA_ID, export

LIST_DELIMITER = ";"
"""Separates the items of a list in one cell (a stage's timescales, the working days)."""
PACKAGE_NAME = "complaints-code"
EXPORT_SCHEMA_NAME = EXPORT_SCHEMA_ID
"""The JSON export's JSON Schema, as published beside it."""

_UNIT = {Clock.WORKING_HOURS: "hours", Clock.CLOCK_HOURS: "hours",
         Clock.WORKING_DAYS: "days", Clock.CALENDAR_WEEKS: "weeks"}
_WORKING_ONLY = {Clock.WORKING_HOURS: True, Clock.CLOCK_HOURS: False,
                 Clock.WORKING_DAYS: True, Clock.CALENDAR_WEEKS: False}


@dataclass(frozen=True)
class Column:
    """One column of a table, as its Table Schema field describes it."""

    name: str
    type: str
    """A Table Schema type: string, integer, boolean, time, list."""
    description: str
    constraints: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    """Other field properties (a time's format, a list's delimiter)."""

    def schema(self) -> dict[str, Any]:
        """The column's Table Schema field descriptor."""
        out: dict[str, Any] = {"name": self.name, "type": self.type,
                               "description": self.description, **self.extra}
        if self.constraints:
            out["constraints"] = self.constraints
        return out


@dataclass(frozen=True)
class Table:
    """One CSV file: its columns and its rows, each cell as text."""

    name: str
    """The Data Package resource name, e.g. ``timescales``."""
    path: str
    """Its file name, beside ``datapackage.json``."""
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    primary_key: str | None = None

    def schema(self) -> dict[str, Any]:
        """The table's Table Schema."""
        out: dict[str, Any] = {"fields": [c.schema() for c in self.columns],
                               "missingValues": [""]}
        if self.primary_key:
            out["primaryKey"] = [self.primary_key]
        return out


def tables(code: Code) -> list[Table]:
    """The stages, the timescales and the calendar, as tables."""
    doc = export(code)
    zone = doc.calendar.timezone
    return [
        Table("stages", "complaints-code-stages.csv", "Complaint stages",
              "The stages of the complaints procedure, in order.", _STAGE_COLUMNS,
              tuple((s.id, str(s.number), s.title, s.description,
                     LIST_DELIMITER.join(s.timescales)) for s in doc.stages),
              primary_key="id"),
        Table("timescales", "complaints-code-timescales.csv", "Timescales",
              "Each timescale the Code promises, with how it is counted.", _TIMESCALE_COLUMNS,
              tuple((t.id, t.text, t.clock.value, str(t.amount), _UNIT[t.clock],
                     _bool(_WORKING_ONLY[t.clock]), zone, t.starts, t.reading, t.note or "")
                    for t in doc.timescales),
              primary_key="id"),
        Table("calendar", "complaints-code-calendar.csv", "Working-time calendar",
              "The working days and hours that working-time timescales are counted in "
              "(one row).", _CALENDAR_COLUMNS,
              ((zone, LIST_DELIMITER.join(doc.calendar.working_days), doc.calendar.opens,
                doc.calendar.closes, doc.calendar.bank_holidays),)),
    ]


def descriptor(code: Code, tables: list[Table]) -> dict[str, Any]:
    """The Data Package descriptor (``datapackage.json``) of ``tables``."""
    meta = code.metadata
    out: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": f"{meta.provider} {meta.title}: stages and timescales",
        "description": "The complaint stages, timescales and working-time calendar of the "
                       f"{meta.provider} {meta.title}, version {meta.version}, effective "
                       f"{meta.effective_date.isoformat()}, as tables. The same data as "
                       f"JSON: complaints-code.json (its JSON Schema: {EXPORT_SCHEMA_NAME}).",
        "version": meta.version,
    }
    if meta.published_url:
        out["id"] = data_url(code, "datapackage.json")
        out["homepage"] = meta.published_url.rstrip("/") + "/"
    out["resources"] = [{
        "name": t.name, "path": t.path, "title": t.title, "description": t.description,
        "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8", "dialect": {"delimiter": ",", "lineTerminator": "\r\n",
                                        "header": True},
        "schema": t.schema(),
    } for t in tables]
    return out


def data_url(code: Code, name: str) -> str | None:
    """Where a file of the data folder is published, if the Code says where it is."""
    base = code.metadata.published_url
    return f"{base.rstrip('/')}/data/{name}" if base else None


def _bool(value: bool) -> str:
    return "true" if value else "false"


_ID = Column("id", "string", "Stable id; never changes between versions of the Code.",
             {"required": True, "unique": True, "pattern": "^[a-z0-9][a-z0-9-]*$"})
_STAGE_COLUMNS = (
    _ID,
    Column("number", "integer", "The stage number: 1, 2, 3 … in order.",
           {"required": True, "minimum": 1}),
    Column("title", "string", "The stage's title.", {"required": True}),
    Column("description", "string", "What happens at this stage, as plain text.",
           {"required": True}),
    Column("timescales", "list",
           f"Ids of the timescales this stage refers to (rows of complaints-code-timescales.csv), "
           f"separated by '{LIST_DELIMITER}'; empty when it refers to none.",
           extra={"delimiter": LIST_DELIMITER, "itemType": "string"}),
)
_TIMESCALE_COLUMNS = (
    _ID,
    Column("text", "string", "The Code's own words, e.g. '24 working hours'.", {"required": True}),
    Column("clock", "string", "How it is counted: working_hours, clock_hours, working_days or "
           "calendar_weeks (see the site's page 'How we count time').",
           {"required": True, "enum": [c.value for c in Clock]}),
    Column("amount", "integer", "How many units (see unit).", {"required": True, "minimum": 0}),
    Column("unit", "string", "The unit of amount.",
           {"required": True, "enum": ["hours", "days", "weeks"]}),
    Column("working_time_only", "boolean", "true: only working time counts (see "
           "complaints-code-calendar.csv); false: all time counts, nights, weekends and bank "
           "holidays included.", {"required": True},
           extra={"trueValues": ["true"], "falseValues": ["false"]}),
    Column("time_zone", "string", "The IANA time zone deadlines are counted in, e.g. "
           "Europe/London (UK time: GMT in winter, BST in summer).", {"required": True}),
    Column("starts", "string", "The event the time is counted from.", {"required": True}),
    Column("reading", "string", "How the tools read it, in words.", {"required": True}),
    Column("note", "string", "Why this clock was chosen, where the words are ambiguous; "
           "empty otherwise."),
)
_CALENDAR_COLUMNS = (
    Column("time_zone", "string", "The IANA time zone of opens and closes, e.g. Europe/London.",
           {"required": True}),
    Column("working_days", "list", f"The working days, as Mon, Tue … Sun, separated by "
           f"'{LIST_DELIMITER}'.", {"required": True},
           extra={"delimiter": LIST_DELIMITER, "itemType": "string"}),
    Column("opens", "time", "Start of working time, local time in time_zone (HH:MM).",
           {"required": True}, extra={"format": "%H:%M"}),
    Column("closes", "time", "End of working time, local time in time_zone (HH:MM).",
           {"required": True}, extra={"format": "%H:%M"}),
    Column("bank_holidays", "string", "Whose bank holidays are not working days, e.g. "
           "england-and-wales.", {"required": True}),
)
