"""What the legal team can do with drafts, the same for the JSON API and the
pages: start a draft, change its source or its fields, bring it up to date
and resolve its conflicts, submit it, return it, approve it (which queues
its release) and try a failed release again.

Each step is the library's (``legal.drafts``), applied to the stored draft
and written back only if nobody changed it meanwhile (its revision), with
its event in the audit log. Each refusal is :class:`Refused`, with the HTTP
status the edges answer with: 404 no such draft, 403 not allowed (not the
author; the author approving; no approval rights), 409 the draft's state
stands in the way (with the reason), 422 bad input (with the problems at
their lines or fields).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ...errors import InputError, SourceError
from ...legal import drafts
from ...legal.drafts import Event, Person, Status, Step
from ..auth import StaffMember
from ..context import Service
from ..db import now
from ..jobs import release as release_job
from . import records
from .published import published, zone

TRIES = 3
"""Times a step is tried afresh when another change got in first."""


class Refused(Exception):
    """A step that cannot be taken: the HTTP status, the message, and for a
    409 the reason (``legal.drafts.REASONS``, or ``changed``/``releasing``)
    and what stands in the way; for a 422, the problems."""

    def __init__(self, status: int, message: str, reason: str | None = None,
                 details: list[Any] | None = None):
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details or []
        super().__init__(message)

    def as_json(self) -> dict[str, Any]:
        """The refusal as the API sends it: for a 422, each problem in the
        service's shape (``field``, ``loc``, ``msg``, ``type``, as the
        OpenAPI document's ValidationProblem says) with its ``line``,
        ``column``, ``message`` and ``hint`` where it has them."""
        body: dict[str, Any] = {"detail": [_problem(d) for d in self.details]
                                if self.status == 422 else self.message}
        if self.status == 422:
            body["message"] = self.message
        if self.reason:
            body["reason"] = self.reason
        if self.details and self.status != 422:
            body["details"] = self.details
        return body


def _problem(item: dict[str, Any]) -> dict[str, Any]:
    """One problem of a 422, in the service's shape."""
    at = "line" in item and item["line"] is not None
    message = str(item.get("message") or item.get("msg") or "")
    hint = f" ({item['hint']})" if item.get("hint") else ""
    where = f"Line {item['line']}, column {item['column']}: " if at else ""
    return {**item, "field": item.get("field") or ("source" if at else "body"),
            "loc": item.get("loc") or (["body", item["line"], item["column"]] if at else
                                       ["body", *filter(None, str(item.get("field") or "")
                                                        .split("."))]),
            "msg": item.get("msg") or where + message[:1].upper() + message[1:] + hint,
            "type": item.get("type") or ("source" if at else "value_error"),
            "message": message}


def person(who: StaffMember) -> Person:
    """A staff member as the drafts' lifecycle knows them."""
    return Person(who.name, who.name, who.approver)


def parse_id(ident: str | int) -> int:
    """A draft's number from a path. Refused 404 for anything else."""
    text = str(ident).strip()
    if not text.isdigit() or len(text) > 9:
        raise Refused(404, f"There is no draft {text[:40]}")
    return int(text)


def load(svc: Service, ident: str | int) -> records.Stored:
    """One draft. Refused 404."""
    number = parse_id(ident)
    with svc.db.reader.connect() as conn:
        stored = records.get(conn, number)
    if stored is None:
        raise Refused(404, f"There is no draft {number}")
    return stored


def refusal(exc: Exception, text: str | None = None) -> Refused:
    """The library's refusal as the edges answer it."""
    if isinstance(exc, drafts.DraftStateError):
        return Refused(409, _sentence(exc.message), exc.reason, exc.as_json()["details"])
    if isinstance(exc, drafts.NotAllowed):
        return Refused(403, _sentence(str(exc)))
    if isinstance(exc, SourceError):
        problems = [p.as_json() for p in drafts.validation_problems(exc, text or "")]
        where = "their lines" if len(problems) > 1 else "its line"
        return Refused(422, f"The draft is not a valid Code: {len(problems)} problem"
                       f"{'s' * (len(problems) != 1)} to fix at {where}.", details=problems)
    if isinstance(exc, drafts.FieldError):
        return Refused(422, _sentence(str(exc)),
                       details=[{"field": exc.field, "message": _sentence(exc.message)}])
    if isinstance(exc, InputError):
        return Refused(422, _sentence(str(exc)), details=[{"field": None,
                                                            "message": _sentence(str(exc))}])
    raise exc


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab and line breaks: never stored."""


def _strings(value: Any) -> list[str]:
    """The strings in a value (a list's and a mapping's too)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _strings(v)]
    if isinstance(value, dict):
        return [t for v in (*value.keys(), *value.values()) for t in _strings(v)]
    return []


def _plain(field: str, text: str) -> None:
    """Refuse (422) a text holding a control character."""
    if CONTROL.search(text):
        message = f"The {field} holds a control character; remove it."
        raise Refused(422, message, details=[{"field": field, "message": message}])


class _Changed(Exception):
    """Another change got in first: the step is tried afresh."""


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def _step(svc: Service, ident: str | int, make: Callable[[records.Stored], Step],
          revision: int | None = None, text: str | None = None,
          extra: Callable[[Connection, records.Stored, Step], dict[str, Any]] | None = None,
          ) -> records.Stored:
    """Apply a step to the stored draft and write it, trying afresh (up to
    TRIES times) if another change got in first. ``revision``: refuse (409)
    unless the draft is still at this one (the page or ETag it was made
    from). ``extra`` gives more columns, in the writing transaction."""
    for _ in range(TRIES):
        stored = load(svc, ident)
        if revision is not None and stored.revision != revision:
            raise Refused(409, "The draft was changed since you opened it (perhaps in "
                          "another window); nothing was saved. Look at it again and make "
                          "your change there.", "changed")
        try:
            step = make(stored)
        except Exception as exc:
            raise refusal(exc, text if text is not None else stored.draft.text) from None

        def write(conn: Connection, stored: records.Stored = stored,
                  step: Step = step) -> None:
            more = extra(conn, stored, step) if extra else {}
            if not records.save(conn, stored, step.draft, step.event, **more):
                raise _Changed  # roll back what ``extra`` wrote, and try afresh

        try:
            svc.writer.run_sync(write)
        except _Changed:
            continue
        return load(svc, ident)
    raise Refused(409, "The draft is being changed by someone else at this moment; try "
                  "again.", "changed")


def start(svc: Service, who: StaffMember) -> records.Stored:
    """A new draft of the version now published."""
    author = person(who)
    at = now()
    step = drafts.start("0", author, published(svc.settings), at)
    ident = svc.writer.run_sync(lambda conn: records.add(conn, step.draft, step.event))
    return load(svc, ident)


def edit_source(svc: Service, who: StaffMember, ident: str | int, text: str,
                revision: int | None = None) -> records.Stored:
    """The draft's whole source replaced (the YAML view, ``PUT .../source``).
    Refused 422 with the problems at their lines if it is not a valid Code."""
    found = CONTROL.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise Refused(422, f"Line {line}, column {column} holds a control character "
                      f"(U+{ord(found[0]):04X}); remove it.",
                      details=[{"line": line, "column": column, "field": None,
                                "message": f"a control character (U+{ord(found[0]):04X})",
                                "hint": "remove it"}])
    if not text.strip():
        raise Refused(422, "The source is empty; send the whole YAML of the Code.",
                      details=[{"line": 1, "column": 1, "field": None,
                                "message": "The source is empty",
                                "hint": "send the whole YAML of the Code"}])
    return _step(svc, ident, lambda s: drafts.edit(s.draft, person(who), text, now()),
                 revision, text)


def _no_control(edits: list[drafts.Edit]) -> None:
    """Refuse (422, naming the field) an edit whose value holds a control character."""
    for e in edits:
        for text in _strings(e.value):
            if CONTROL.search(text):
                message = f"{e.field}: the value holds a control character; remove it."
                raise Refused(422, message, details=[{"field": e.field, "message": message}])


def edit_fields(svc: Service, who: StaffMember, ident: str | int, edits: list[drafts.Edit],
                revision: int | None = None) -> records.Stored:
    """Some fields changed (the form). Refused 422 naming the field."""
    _no_control(edits)
    if not edits:
        return load(svc, ident)
    return _step(svc, ident, lambda s: drafts.edit_fields(s.draft, person(who), edits, now()),
                 revision)


def try_fields(svc: Service, who: StaffMember, stored: records.Stored,
               edits: list[drafts.Edit]) -> str:
    """The source the draft would have with these fields changed, as a save
    makes it (the same refusals: 403 not its author, 409 not editable now,
    422 naming the field or the problems at their lines), written nowhere:
    the check of a form as it is typed."""
    _no_control(edits)
    try:
        return drafts.edit_fields(stored.draft, person(who), edits, now()).draft.text
    except Exception as exc:
        raise refusal(exc, stored.draft.text) from None


def bring_up_to_date(svc: Service, who: StaffMember, ident: str | int) -> records.Stored:
    """The draft merged with the version now published, field by field."""
    def make(stored: records.Stored) -> Step:
        current = published(svc.settings)
        if not stored.draft.out_of_date(current):
            raise drafts.DraftStateError("status", f"the draft is up to date with version "
                                         f"{current.version}; there is nothing to bring in")
        return drafts.update(stored.draft, person(who), current, now())

    return _step(svc, ident, make)


def resolve(svc: Service, who: StaffMember, ident: str | int, field: str, choice: str,
            value: Any = None) -> records.Stored:
    """One conflict resolved: keep ``mine``, take ``theirs``, or a new ``value``."""
    if choice not in ("mine", "theirs", "value"):
        raise Refused(422, "Choose mine, theirs or value.",
                      details=[{"field": "choice", "message": "Choose mine, theirs or value."}])
    if any(CONTROL.search(text) for text in _strings(value)):
        _plain("value", "\x00")
    return _step(svc, ident, lambda s: drafts.resolve_conflict(
        s.draft, person(who), field, choice, now(), value))  # type: ignore[arg-type]


def submit(svc: Service, who: StaffMember, ident: str | int, summary: str,
           acknowledge_warnings: bool) -> records.Stored:
    """The draft submitted for approval."""
    _plain("summary", summary)
    return _step(svc, ident, lambda s: drafts.submit(
        s.draft, person(who), summary, acknowledge_warnings, published(svc.settings),
        _now_on(svc)))


def return_draft(svc: Service, who: StaffMember, ident: str | int,
                 comment: str) -> records.Stored:
    """The submitted draft sent back to its author with a comment."""
    _plain("comment", comment)
    return _step(svc, ident, lambda s: drafts.return_draft(s.draft, person(who), comment,
                                                           now()))


def approve(svc: Service, who: StaffMember, ident: str | int) -> tuple[records.Stored, int]:
    """The submitted draft approved by a second person; its release job is
    queued. Refused 409 while another approved draft is being released."""
    def make(stored: records.Stored) -> Step:
        step = drafts.approve(stored.draft, person(who), published(svc.settings), now())
        with svc.db.reader.connect() as conn:
            other = records.approved(conn)
        if other is not None and other != stored.id:
            raise _releasing(other)
        return step

    try:
        stored = _step(svc, ident, make, extra=_new_job(who))
    except IntegrityError:
        with svc.db.reader.connect() as conn:
            other = records.approved(conn)
        raise _releasing(other) from None
    assert stored.job is not None
    svc.jobs.queue_job(stored.job)
    return stored, stored.job


def retry(svc: Service, who: StaffMember, ident: str | int) -> tuple[records.Stored, int]:
    """Release an approved draft again after its release failed."""
    def make(stored: records.Stored) -> Step:
        draft = stored.draft
        if draft.status != Status.APPROVED:
            raise drafts.DraftStateError("status", f"the draft is {draft.status}; only an "
                                         "approved draft whose release failed is tried again")
        with svc.db.reader.connect() as conn:
            job = records.job_status(conn, stored.job)
        if job is not None and job["status"] in ("queued", "running"):
            raise drafts.DraftStateError("status", f"the draft is being released now (job "
                                         f"{job['id']}); wait for it to finish")
        at = now()
        return Step(replace(draft, release_error=None, updated_at=at),
                    Event("release_retried", draft.id, who.name, at,
                          {"previous_error": draft.release_error}))

    stored = _step(svc, ident, make, extra=_new_job(who))
    assert stored.job is not None
    svc.jobs.queue_job(stored.job)
    return stored, stored.job


def _new_job(who: StaffMember) -> Callable[[Connection, records.Stored, Step], dict[str, Any]]:
    def extra(conn: Connection, stored: records.Stored, step: Step) -> dict[str, Any]:
        job = release_job.new_job(conn, who.name, step.event.at)
        return {"job_id": job, "release_progress": release_job.WAITING}
    return extra


def _releasing(other: int | None) -> Refused:
    which = f"Draft {other}" if other is not None else "Another draft"
    return Refused(409, f"{which} is approved and being published; approve this one once "
                   "it is published (this draft will then need bringing up to date).",
                   "releasing")


def _now_on(svc: Service) -> dt.datetime:
    """The time now in the Code's own time zone, for a step whose date
    matters (the draft is judged on the date there)."""
    return now().astimezone(zone(svc.settings))
