"""Complaint stages, timescales and deadlines as plain records, for other
tools (CRM, ticketing, the service), and the UK working-time calendar they
are counted on.

    from complaints_code import timescales
    from complaints_code.structure.source import load

    code = load("code_source/complaints-code.yaml")
    timescales.export(code)                           # the whole export, as a model
    timescales.deadlines(code, "2026-12-24T16:00")    # every deadline for a complaint
"""

from .calendar import WorkingCalendar
from .records import (
    AmbiguousTimeError,
    Deadline,
    Deadlines,
    Export,
    TimeError,
    deadlines,
    export,
    export_schema,
    parse_time,
    stages,
    timescales,
)

__all__ = [
    "AmbiguousTimeError",
    "Deadline",
    "Deadlines",
    "Export",
    "TimeError",
    "WorkingCalendar",
    "deadlines",
    "export",
    "export_schema",
    "parse_time",
    "stages",
    "timescales",
]
