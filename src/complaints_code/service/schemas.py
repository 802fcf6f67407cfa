"""What the API and the forms accept and return, with a maximum length on
every field, and the readable messages for what is wrong.

The forms and the JSON API validate through the same models, so a field gets
the same message in both: the GOV.UK Design System's wording ("Enter your
name", "Enter a real postcode"), one message per field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..copies.letter import POSTCODE

EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]{2,}$")
MAX_ADDRESS_LINES = 5


class _In(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid",
                              use_attribute_docstrings=True)


def postcode(value: str) -> str:
    """A UK postcode in capitals with one space; raises ValueError."""
    m = POSTCODE.match(" ".join(value.upper().split()))
    if m is None:
        raise ValueError("Enter a real UK postcode, like SW1A 1AA")
    outward, inward = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return f"{outward} {inward}"


def _email(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not EMAIL.match(value):
        raise ValueError("Enter an email address in the correct format, like name@example.com")
    return value


class CopyRequestIn(_In):
    """A request for a copy of the Code."""

    name: str = Field(min_length=1, max_length=100)
    """The name to address the copy to."""
    address_lines: list[str] = Field(default_factory=list, max_length=MAX_ADDRESS_LINES)
    """The postal address without the postcode, one line each (not needed for email-pdf)."""
    postcode: str | None = Field(None, max_length=10)
    """A UK postcode (not needed for email-pdf)."""
    email: str | None = Field(None, max_length=254)
    """Where to send an acknowledgement (and, for email-pdf, the copy)."""
    format: str = Field(max_length=40)
    """print, large-print, braille or email-pdf (and any format added to the registry)."""
    size: int | None = Field(None, ge=8, le=72)
    """Print size in points (large print 16 to 32, default 18)."""
    grade: int | None = Field(None, ge=1, le=2)
    """Braille grade: 2 (contracted, the default) or 1."""
    access_needs: str | None = Field(None, max_length=500)
    """Anything we should know about how to send it."""
    consent: bool
    """Agreement to use these details for this request; must be true."""

    @field_validator("address_lines")
    @classmethod
    def _lines(cls, value: list[str]) -> list[str]:
        lines = [" ".join(line.split()) for line in value]
        if any(len(line) > 100 for line in lines):
            raise ValueError("Each address line must be 100 characters or fewer")
        return [line for line in lines if line]

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str | None) -> str | None:
        return postcode(value) if value else None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return _email(value)

    @field_validator("access_needs")
    @classmethod
    def _needs(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("consent")
    @classmethod
    def _consent(cls, value: bool) -> bool:
        if value is not True:
            raise ValueError("Agree that we can use your details to send your copy")
        return value


class CopyRequestOut(BaseModel):
    """A request as received."""

    reference: str
    """Quote it when asking about the copy."""
    status: str
    """received, queued (a job is making it), made, then sent (emailed: the mail
    server took it; posted: staff marked it posted)."""
    format: str
    due_by: dt.date
    """The copy is sent by the end of this working day."""


class StaffCopyRequest(CopyRequestOut):
    """A request as staff see it."""

    name: str | None
    address_lines: list[str]
    postcode: str | None
    email: str | None
    size: int | None
    grade: int | None
    access_needs: str | None
    received_at: dt.datetime
    overdue: bool
    job: int | None
    """The job making it or that made it (None: in none)."""
    made_at: dt.datetime | None
    sent_at: dt.datetime | None
    sent_by: str | None
    problem: str | None
    """Why the last job could not make it, or why the email has not gone."""


class FeedbackIn(_In):
    """A comment on the Code."""

    comment: str = Field(min_length=1, max_length=5000)
    """The comment."""
    section_id: str | None = Field(None, max_length=100)
    """The id of the section it is about, if any."""
    name: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return _email(value)

    @field_validator("section_id", "name")
    @classmethod
    def _blank(cls, value: str | None) -> str | None:
        return value or None


class FeedbackOut(BaseModel):
    """A comment as received."""

    reference: str


class FieldError(BaseModel):
    """One field's problem."""

    field: str
    """The field's name (``address_lines`` for any of its lines)."""
    loc: list[str | int]
    msg: str
    """What is wrong and how to put it right."""
    type: str


class ValidationProblem(BaseModel):
    """A 422: one entry per field."""

    detail: list[FieldError]


LABELS = {
    "name": "your name", "address_lines": "your address", "postcode": "your postcode",
    "email": "your email address", "format": "a format", "size": "a print size",
    "grade": "a braille grade", "access_needs": "your access needs",
    "consent": "consent", "comment": "your comment", "section_id": "a section",
}
MISSING = {
    "name": "Enter your name",
    "address_lines": "Enter the first line of your address",
    "postcode": "Enter your postcode",
    "email": "Enter your email address, so we can send your PDF",
    "format": "Select the format you want",
    "consent": "Agree that we can use your details to send your copy",
    "comment": "Enter your comment",
}


def field_errors(exc: ValidationError | list[dict[str, Any]],
                 body_prefix: bool = True) -> list[FieldError]:
    """Pydantic's errors as one readable entry per field."""
    errors = exc.errors() if isinstance(exc, ValidationError) else exc
    out: dict[str, FieldError] = {}
    for error in errors:
        loc = [p for p in error["loc"] if isinstance(p, str | int)]
        path = [p for p in loc if p != "body"]
        field = str(path[0]) if path else "body"
        if field in out:
            continue
        message = readable(field, error["type"], error.get("msg", ""), error.get("ctx") or {})
        out[field] = FieldError(field=field, loc=(["body"] if body_prefix else []) + path,
                                msg=message, type=error["type"])
    return list(out.values())


def readable(field: str, kind: str, msg: str, ctx: dict[str, Any]) -> str:
    """A message a member of the public can act on."""
    label = LABELS.get(field, field.replace("_", " "))
    if kind == "missing" or (kind in ("string_too_short", "too_short") and field in MISSING):
        return MISSING.get(field, f"Enter {label}")
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind == "string_too_long":
        return f"{label[0].upper()}{label[1:]} must be {ctx.get('max_length')} characters or fewer"
    if kind == "too_long":
        return f"Enter at most {ctx.get('max_length')} address lines; join some with commas"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"Choose {label} from the list"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"Choose {label} from the list"
    if kind in ("bool_parsing", "bool_type") and field == "consent":
        return MISSING["consent"]
    if kind == "extra_forbidden":
        return f"Remove the field “{field}”: it is not part of the request"
    if kind in ("string_type", "list_type", "bool_type", "bool_parsing", "model_type",
                "dict_type", "json_invalid"):
        return f"Give {label} as {_kind_words(kind)}"
    return f"Check {label}: {msg}"


def _kind_words(kind: str) -> str:
    return {"string_type": "text", "list_type": "a list of lines", "bool_type": "true or false",
            "bool_parsing": "true or false", "model_type": "a JSON object",
            "dict_type": "a JSON object", "json_invalid": "valid JSON"}[kind]
