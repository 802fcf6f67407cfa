"""What the API and the forms accept and return, and the readable messages
for what is wrong, in the words customers see (after the GOV.UK Design
System: "Enter your name", "Choose a format"), one message per field.

A copy request is read and checked by the copies module
(:class:`~complaints_code.copies.request.CopyRequest`); this module says its
problems in customers' words (:func:`copy_field_errors`) and describes its
JSON body for the OpenAPI document. Comments are checked here (FeedbackIn).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from email_validator import EmailNotValidError
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from ..copies.errors import FieldProblem
from ..copies.fields import (
    LINE_BREAKS,
    MAX_ADDRESS_LINE,
    MAX_TEXT,
    control_chars,
    email_address,
    needs_smtputf8,
)
from ..copies.offers import Offer, names
from ..errors import visible

MAX_ADDRESS_LINES = 5
"""Address lines the API and the form take, besides the postcode."""
MAX_ACCESS_NEEDS = 500
BODY_FIELDS = ("name", "address_lines", "postcode", "email", "format", "size", "grade",
               "access_needs", "consent")
"""The keys of a copy request's JSON body, in the order problems are listed."""


def copy_request_schema() -> dict[str, Any]:
    """The JSON Schema of POST /api/v1/copy-requests' body, for the OpenAPI
    document (the body is read by CopyRequest.parse and :mod:`.intake`)."""
    def text(most: int, about: str, nullable: bool = True) -> dict[str, Any]:
        kind: Any = ["string", "null"] if nullable else "string"
        return {"type": kind, "maxLength": most, "description": about}

    return {"type": "object", "additionalProperties": False, "title": "CopyRequest",
            "required": ["name", "format", "consent"], "properties": {
        "name": text(MAX_TEXT["name"], "The name to address the copy to.", nullable=False),
        "address_lines": {"type": "array", "maxItems": MAX_ADDRESS_LINES,
                          "items": {"type": "string", "maxLength": MAX_ADDRESS_LINE},
                          "description": "The postal address without the postcode, one "
                                         "line each (not needed for email-pdf)."},
        "postcode": text(MAX_TEXT["postcode"], "A UK postcode (not needed for email-pdf)."),
        "email": text(MAX_TEXT["email"], "Where to send an acknowledgement (and, for "
                      "email-pdf, the copy): one address."),
        "format": {"type": "string", "enum": names(), "description": "The format wanted."},
        "size": {"type": ["integer", "null"], "description": "Print size in points "
                 "(large print 16 to 32, default 18; standard print 12 or 14)."},
        "grade": {"type": ["integer", "null"], "enum": [1, 2, None],
                  "description": "Braille grade: 2 (contracted, the default) or 1."},
        "access_needs": text(MAX_ACCESS_NEEDS, "Anything we should know about how to send "
                             "it (line breaks allowed)."),
        "consent": {"const": True, "description": "Agreement to use these details for this "
                    "request: must be true."}}}


def refused_chars(value: str, field: str, allowed: frozenset[str] = frozenset()) -> str:
    """``value``, or ValueError naming the control characters in it (NUL,
    escape and the like: PostgreSQL refuses NUL, and none belongs in text)."""
    bad = control_chars(value, allowed)
    if bad:
        raise ValueError(control_words(field, ", ".join(visible(c) for c in bad)))
    return value


def control_words(field: str, chars: str) -> str:
    """A field's control characters, in customers' words."""
    return f"{_label(field, capital=True)} must not contain control characters; remove {chars}"


def _label(field: str, capital: bool = False) -> str:
    label = LABELS.get(field, field.replace("_", " "))
    return label[:1].upper() + label[1:] if capital else label


def strict_email(value: str | None) -> str | None:
    """One email address, strictly (no display name, no second address); None if blank."""
    if not value:
        return None
    try:
        return email_address(value)
    except EmailNotValidError:
        raise ValueError(WORDS["email_accents" if needs_smtputf8(value) else "email"]) from None


class _In(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid",
                              use_attribute_docstrings=True)


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
    """The comment (line breaks allowed)."""
    section_id: str | None = Field(None, max_length=100)
    """The id of the section it is about, if any."""
    name: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)
    """Only to get a reply: one address."""

    @field_validator("comment")
    @classmethod
    def _comment(cls, value: str) -> str:
        return refused_chars(value, "comment", LINE_BREAKS)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return strict_email(refused_chars(value, "email") if value else None)

    @field_validator("section_id", "name")
    @classmethod
    def _blank(cls, value: str | None, info: ValidationInfo) -> str | None:
        return refused_chars(value, str(info.field_name)) if value else None


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
"""How customers' words name each field."""
MISSING = {
    "name": "Enter your name",
    "address_lines": "Enter the first line of your address",
    "postcode": "Enter your postcode",
    "email": "Enter your email address, so we can send your PDF",
    "format": "Choose a format",
    "consent": "Agree that we can use your details to send your copy",
    "comment": "Enter your comment",
}
"""What to say of an empty field."""
WORDS = {
    "format": "Choose a format",
    "postcode": "Enter a real UK postcode, like SW1A 1AA",
    "email": "Enter an email address in the correct format, like name@example.com",
    "email_accents": "Enter an email address with no accents or other special letters "
                     "before the @, like name@example.com",
    "grade": "Choose braille grade 1 or 2",
    "address_lines": "Enter at most {most} address lines; join some with commas",
    "reference": "We cannot fit your reference on the letter at this size; choose a "
                 "smaller size",
}
"""What to say of a value that is not right, where one sentence suits every case."""


def copy_field_errors(problems: Iterable[FieldProblem], found: Offer | None,
                      sizes: tuple[int, ...]) -> list[FieldError]:
    """A copy request's problems in customers' words, one per field, in the
    order of the form (``found``: the format chosen, ``sizes``: its sizes)."""
    out: dict[str, FieldError] = {}
    for problem in problems:
        field = "size" if problem.field == "reference" else problem.field
        if field not in out:
            out[field] = FieldError(field=field, loc=["body", field], type=problem.kind,
                                    msg=copy_words(problem, found, sizes))
    order = {name: n for n, name in enumerate(BODY_FIELDS)}
    return sorted(out.values(), key=lambda e: order.get(e.field, 99))


def copy_words(problem: FieldProblem, found: Offer | None, sizes: tuple[int, ...]) -> str:
    """One problem of a copy request, in customers' words."""
    field, kind, values = problem.field, problem.kind, problem.values
    label = _label(field)
    if kind == "missing":
        return MISSING.get(field, f"Enter {label}")
    if kind == "control":
        return control_words(field, values.get("chars", ""))
    if kind == "too_long":
        if field == "address_lines":
            return f"Each address line must be {values.get('most')} characters or fewer"
        return f"{_label(field, capital=True)} must be {values.get('most')} characters or fewer"
    if kind == "type":
        if field in ("size", "grade"):
            return f"Choose {label} from the list"
        return f"Give {label} as {'a list of lines' if field == 'address_lines' else 'text'}"
    if kind == "not_applicable" and found is not None:
        what = "braille grade" if field == "grade" else field.replace("_", " ")
        return f"{found.label} has no {what} to choose; leave the {what} out"
    if field == "size" and kind == "choice" and sizes:
        return f"Choose a size from {sizes[0]} to {sizes[-1]} points"
    if kind == "email_accents":
        return WORDS[kind]
    if kind in ("choice", "postcode", "email") or field == "reference":
        return WORDS.get(field, f"Choose {label} from the list")
    words = problem.text(LABELS)
    return words[:1].upper() + words[1:]


def field_errors(exc: ValidationError | list[dict[str, Any]],
                 body_prefix: bool = True) -> list[FieldError]:
    """Pydantic's errors as one readable entry per field."""
    errors = exc.errors() if isinstance(exc, ValidationError) else exc
    out: dict[str, FieldError] = {}
    for error in errors:
        loc: list[str | int] = [p for p in error["loc"] if isinstance(p, str | int)]
        where: list[str | int]
        if loc and loc[0] in ("query", "path", "header", "cookie"):
            field, where = (str(loc[1]) if len(loc) > 1 else str(loc[0])), loc
        else:
            path = [p for p in loc if p != "body"]
            field = str(path[0]) if path else "body"
            where = [*(["body"] if body_prefix else []), *path]
        if field in out:
            continue
        message = readable(field, error["type"], error.get("msg", ""), error.get("ctx") or {})
        out[field] = FieldError(field=field, loc=where, msg=message, type=error["type"])
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
