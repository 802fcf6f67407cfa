"""Reading a copy request's fields from what people send: a command line's
options, a batch file's cells (text) or JSON values, the service's form and
API. Each reader gives the typed value, or records a :class:`FieldProblem`
and gives None, so that every field is read, and every problem found, in one
pass.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping

from email_validator import EmailNotValidError, validate_email

from ..errors import visible
from .errors import FieldProblem

MAX_TEXT = {"format": 40, "name": 100, "postcode": 10, "email": 254,
            "salutation": 100, "font": 40, "sides": 10, "paper": 40, "envelope": 10,
            "file": 120}
"""The most characters each text field takes."""
MAX_ADDRESS_LINE = 100
MAX_ADDRESS_LINES = 10
"""Address lines read at most (far more than an envelope window takes; the
letter's check says how many fit)."""
YES_NO = {"yes": True, "y": True, "true": True, "1": True,
          "no": False, "n": False, "false": False, "0": False}
ADDRESS_SEPARATORS = re.compile(r"\s*(?:\r\n|\r|\n|;)\s*")
LINE_BREAKS = frozenset("\r\n")
_REFUSED = frozenset(("Cc", "Cs", "Zl", "Zp"))
"""Control characters, lone surrogates and the Unicode line and paragraph
separators: none belongs in a field (PostgreSQL refuses NUL outright)."""


def control_chars(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The control characters in ``text`` (besides ``allowed``), in order, once each."""
    found = [ch for ch in text if ch not in allowed and unicodedata.category(ch) in _REFUSED]
    return list(dict.fromkeys(found))


def control_problem(field: str, chars: list[str]) -> FieldProblem:
    """The problem of a field with control characters in it."""
    shown = ", ".join(visible(ch) for ch in chars)
    return FieldProblem(field, "control", "{" + field + "} contains the control character"
                        "{s} {chars}; remove {them}",
                        {"chars": shown, "s": "s" if len(chars) > 1 else "",
                         "them": "them" if len(chars) > 1 else "it"})


def email_address(value: str) -> str:
    """One email address, strictly (email-validator, without looking the
    domain up): no display name ("Ann <ann@example.org>"), no second address,
    nothing after a line break, no accents before the @ (only a mail server
    with SMTPUTF8 takes those, and many relays lack it). Returns it with its
    domain normalised, in its ASCII form (an accented domain punycoded, as
    every server takes it); raises EmailNotValidError."""
    found = validate_email(value, check_deliverability=False, allow_display_name=False,
                           allow_empty_local=False, allow_smtputf8=False)
    return str(found.ascii_email or found.normalized)


def needs_smtputf8(value: str) -> bool:
    """Whether an address would be one but for letters beyond ASCII before its @."""
    local, at, _domain = value.rpartition("@")
    return bool(at) and not local.isascii() and local.isprintable()


def shown(value: object, limit: int = 40) -> str:
    """A value for a message: JSON-like, shortened, invisible characters named."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           default=str)
    return visible(text if len(text) <= limit else text[: limit - 1] + "…")


def blank(raw: object) -> bool:
    """Whether a value means "not given": None, or text of spaces only."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


class Reader:
    """Reads fields from one request's raw values, collecting problems."""

    def __init__(self, data: Mapping[str, object]):
        self.data = data
        self.problems: list[FieldProblem] = []

    def problem(self, field: str, kind: str, template: str, **values: str) -> None:
        """Record one problem."""
        self.problems.append(FieldProblem(field, kind, template, values))

    def text(self, field: str, *, collapse: bool = True) -> str | None:
        """A line of text, with runs of spaces made single (unless not
        ``collapse``: a file name is kept as typed); None if not given."""
        raw = self.data.get(field)
        if blank(raw):
            return None
        if not isinstance(raw, str):
            self.problem(field, "type", "expected text, got {value}; put the value in quotes",
                         value=shown(raw))
            return None
        bad = control_chars(raw)
        if bad:
            self.problems.append(control_problem(field, bad))
            return None
        value = " ".join(raw.split()) if collapse else raw.strip()
        most = MAX_TEXT.get(field)
        if most is not None and len(value) > most:
            self.problem(field, "too_long", "{" + field + "} is {count} characters long; "
                         "at most {most} are taken; shorten it", count=str(len(value)),
                         most=str(most))
            return None
        return value

    def number(self, field: str) -> int | None:
        """A whole number: an integer (never true or false) or its digits as text."""
        raw = self.data.get(field)
        if blank(raw):
            return None
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        text = raw.strip() if isinstance(raw, str) else None
        if text is None or not text.isascii() or not text.isdigit() or len(text) > 6:
            value = f"'{shown(raw)}'" if isinstance(raw, str) else shown(raw)
            self.problem(field, "type", "{value} is not a whole number; write digits only, "
                         "e.g. 18", value=value)
            return None
        return int(text)

    def decimal(self, field: str) -> float | None:
        """A number such as 1.5 (never true or false)."""
        raw = self.data.get(field)
        if blank(raw):
            return None
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        try:
            if not isinstance(raw, str):
                raise ValueError
            value = float(raw.strip())
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError
            return value
        except ValueError:
            self.problem(field, "type", "{" + field + "} '{value}' is not a number, e.g. 1.5",
                         value=shown(raw))
            return None

    def yes_no(self, field: str) -> bool | None:
        """True or false, or yes or no as text."""
        raw = self.data.get(field)
        if blank(raw):
            return None
        flag = raw if isinstance(raw, bool) else (
            YES_NO.get(raw.strip().lower()) if isinstance(raw, str) else None)
        if flag is None:
            self.problem(field, "type", "{" + field + "} '{value}' is not yes or no",
                         value=shown(raw))
        return flag

    def lines(self, field: str, raw: object) -> list[str] | None:
        """Address lines: one text with new lines or semicolons between them,
        or a list of texts; blank lines dropped."""
        if blank(raw) or raw == []:
            return []
        if isinstance(raw, str):
            bad = control_chars(raw, LINE_BREAKS)
            if bad:
                self.problems.append(control_problem(field, bad))
                return None
            parts = ADDRESS_SEPARATORS.split(raw.strip())
        elif isinstance(raw, list | tuple) and all(isinstance(x, str) for x in raw):
            bad = [ch for x in raw for ch in control_chars(x)]
            if bad:
                self.problems.append(control_problem(field, list(dict.fromkeys(bad))))
                return None
            parts = list(raw)
        else:
            self.problem(field, "type", "expected address lines as text, got {value}; write "
                         '["1 Road", "London", "SW1A 1AA"]', value=shown(raw))
            return None
        lines = [" ".join(p.split()) for p in parts if p.strip()]
        if any(len(line) > MAX_ADDRESS_LINE for line in lines):
            self.problem(field, "too_long", "each address line must be {most} characters or "
                         "fewer; split the long one", most=str(MAX_ADDRESS_LINE))
            return None
        if len(lines) > MAX_ADDRESS_LINES:
            self.problem(field, "fit", "the address has {count} lines; at most {most} fit in "
                         "the envelope window; join some lines with commas",
                         count=str(len(lines)), most=str(MAX_ADDRESS_LINES))
            return None
        return lines

    def email(self, field: str = "email") -> str | None:
        """One email address, strictly: no display name, no second address."""
        value = self.text(field)
        if value is None:
            return None
        try:
            return email_address(value)
        except EmailNotValidError as exc:
            if needs_smtputf8(value):
                self.problem(field, "email_accents", "“{value}” has accents or other special "
                             "letters before the @, which not every mail server takes; write "
                             "the address without them", value=value)
                return None
            self.problem(field, "email", "“{value}” is not one email address ({why}); write "
                         "it as name@example.com", value=value, why=str(exc).rstrip("."))
            return None
