"""A draft's life as data: editing → submitted → approved → published, or
submitted → returned → editing again.

Each step is a pure function from a draft (and who is acting, and when) to
the next draft and the :class:`Event` for the audit log; a step that is not
allowed raises :class:`~.errors.DraftStateError` (the draft's state stands
in the way: 409) or :class:`~.errors.NotAllowed` (this person may not: 403).
The service stores the draft and appends the event; nothing here touches a
database, a file or the clock.

The rules:

- only the author edits, brings up to date and submits a draft, and only
  while it is being edited or has been returned;
- a draft is submitted with a summary of the change, only when it is a
  valid Code, up to date with the published version, with no conflicts
  left, no errors in the check, and every warning acknowledged (the
  acknowledgement is recorded, finding by finding);
- approving or returning a submitted draft needs approval rights, and
  never by its author; approval also needs the draft still up to date;
- an approved draft is released by a job; it is then published, or stays
  approved with the reason it failed, to be tried again.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, NamedTuple

from ...structure.model import Code
from ...structure.source import loads, loads_document
from .errors import DraftStateError, NotApprover, NotAuthor, SelfApproval
from .findings import DraftCheck, check_draft
from .form import Edit, apply_edits
from .merge import Choice, Conflict, bring_up_to_date, resolve
from .paths import FieldError


class Status(enum.StrEnum):
    """Where a draft is in its life."""

    EDITING = "editing"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    PUBLISHED = "published"


EDITABLE = (Status.EDITING, Status.RETURNED)


@dataclass(frozen=True)
class Person:
    """Someone acting on a draft: a staff account of the legal team."""

    id: str
    """The account's name (the owner of the API token)."""
    name: str
    """The name recorded in the Code and in git, e.g. Jane Smith."""
    approver: bool = False
    """Whether the account has approval rights."""


@dataclass(frozen=True)
class Published:
    """The version now published: its number and its source text."""

    version: str
    text: str

    @classmethod
    def of(cls, text: str) -> Published:
        """The published version from its source text."""
        return cls(loads(text, "published").metadata.version, text)

    @cached_property
    def code(self) -> Code:
        """The published Code (read once)."""
        return loads(self.text, "published")


@dataclass(frozen=True)
class Acknowledgement:
    """A warning the author acknowledged when submitting."""

    rule: str
    field: str | None
    message: str
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class Event:
    """One line of the audit log."""

    kind: str
    """drafted, edited, updated, resolved, submitted, returned, approved,
    published or release_failed."""
    draft: str
    actor: str
    at: dt.datetime
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Draft:
    """A draft of the next version of the Code."""

    id: str
    author: Person
    status: Status
    base_version: str
    """The published version the draft starts from (or was brought up to date with)."""
    base_text: str
    """That version's source text, the base of the three-way merge."""
    text: str
    """The draft's source."""
    created_at: dt.datetime
    updated_at: dt.datetime
    summary: str = ""
    conflicts: tuple[Conflict, ...] = ()
    acknowledged: tuple[Acknowledgement, ...] = ()
    release_version: str | None = None
    """The version it will be released as, fixed when it is submitted."""
    release_date: dt.date | None = None
    """Its effective date; None: the day it is released."""
    approved_by: Person | None = None
    comment: str = ""
    """The approver's comment when they returned it."""
    version: str | None = None
    """The version it was published as."""
    release_error: str | None = None
    """Why its release last failed."""

    def out_of_date(self, published: Published) -> bool:
        """Whether a newer version was published since the draft's base."""
        return published.text != self.base_text

    def as_json(self) -> dict[str, Any]:
        """The draft as JSON data (its source under "source")."""
        return {"id": self.id, "status": str(self.status), "author": self.author.name,
                "base_version": self.base_version, "source": self.text,
                "summary": self.summary, "conflicts": [c.as_json() for c in self.conflicts],
                "release_version": self.release_version,
                "release_date": self.release_date.isoformat() if self.release_date else None,
                "approved_by": self.approved_by.name if self.approved_by else None,
                "comment": self.comment, "version": self.version,
                "release_error": self.release_error, "updated_at": self.updated_at.isoformat()}


class Step(NamedTuple):
    """A step's result: the draft after it, and the event to log."""

    draft: Draft
    event: Event


def _event(draft: Draft, kind: str, actor: Person, now: dt.datetime, **detail: Any) -> Event:
    return Event(kind, draft.id, actor.id, now, detail)


def start(draft_id: str, author: Person, published: Published, now: dt.datetime) -> Step:
    """A new draft, a copy of the published version."""
    draft = Draft(draft_id, author, Status.EDITING, published.version, published.text,
                  published.text, now, now)
    return Step(draft, _event(draft, "drafted", author, now, base_version=published.version))


def edit(draft: Draft, actor: Person, text: str, now: dt.datetime) -> Step:
    """The draft with a new source (the whole YAML). Raises SourceError (with
    each problem at its line) if the text is not a valid Code: the draft
    keeps its last valid source."""
    _editable(draft, actor)
    loads_document(text, "draft")
    changed = replace(draft, text=text, status=Status.EDITING, updated_at=now)
    return Step(changed, _event(draft, "edited", actor, now))


def edit_fields(draft: Draft, actor: Person, edits: list[Edit], now: dt.datetime) -> Step:
    """The draft with some fields changed (the form). Raises FieldError,
    SourceError or LayoutError; the draft is then unchanged."""
    _editable(draft, actor)
    text = apply_edits(draft.text, edits)
    changed = replace(draft, text=text, status=Status.EDITING, updated_at=now)
    return Step(changed, _event(draft, "edited", actor, now, fields=[e.field for e in edits]))


def update(draft: Draft, actor: Person, published: Published, now: dt.datetime) -> Step:
    """The draft brought up to date with the published version, field by
    field; fields both sides changed become its conflicts."""
    _editable(draft, actor)
    merged = bring_up_to_date(draft.text, draft.base_text, published.text)
    changed = replace(draft, text=merged.text, base_text=published.text,
                      base_version=published.version, conflicts=merged.conflicts,
                      status=Status.EDITING, updated_at=now)
    return Step(changed, _event(draft, "updated", actor, now, base_version=published.version,
                                conflicts=[c.field for c in merged.conflicts]))


def resolve_conflict(draft: Draft, actor: Person, field_path: str, choice: Choice,
                     now: dt.datetime, value: Any = None) -> Step:
    """One conflict resolved: keep ``mine``, take ``theirs``, or set a ``value``."""
    _editable(draft, actor)
    conflict = next((c for c in draft.conflicts if c.field == field_path), None)
    if conflict is None:
        raise FieldError(field_path, "has no conflict to resolve")
    text = resolve(draft.text, conflict, choice, value)
    left = tuple(c for c in draft.conflicts if c is not conflict)
    changed = replace(draft, text=text, conflicts=left, updated_at=now)
    return Step(changed, _event(draft, "resolved", actor, now, field=field_path,
                                choice=choice))


def submit(draft: Draft, actor: Person, summary: str, acknowledge_warnings: bool,
           published: Published, now: dt.datetime) -> Step:
    """The draft submitted for approval, with a summary of the change."""
    _editable(draft, actor)
    summary = " ".join(summary.split())
    if not summary:
        raise FieldError("summary", "is empty; say in a sentence or two what changed")
    check = ready(draft, published, now.date())
    warnings = check.of("warning")
    if warnings and not acknowledge_warnings:
        raise DraftStateError("warnings", f"the check reports {_count(warnings, 'warning')}; "
                              "read them, then acknowledge them to submit", warnings)
    assert check.plan is not None
    acks = tuple(Acknowledgement(f.rule, f.field, f.message, actor.id, now) for f in warnings)
    changed = replace(draft, status=Status.SUBMITTED, summary=summary, acknowledged=acks,
                      release_version=check.plan.version,
                      release_date=check.plan.effective_date, comment="", updated_at=now)
    return Step(changed, _event(draft, "submitted", actor, now, summary=summary,
                                release_version=check.plan.version,
                                acknowledged=[_ack(a) for a in acks]))


def ready(draft: Draft, published: Published, today: dt.date) -> DraftCheck:
    """The draft's check, if nothing but warnings stands in the way of
    submitting it. Raises DraftStateError saying what does."""
    if draft.out_of_date(published):
        raise DraftStateError("out_of_date", f"version {published.version} was published "
                              "since this draft began; bring the draft up to date first")
    if draft.conflicts:
        raise DraftStateError("conflicts", f"{_count(draft.conflicts, 'conflict')} with the "
                              "published version to resolve first", draft.conflicts)
    check = check_draft(draft.text, published.code, today)
    if not check.valid:
        raise DraftStateError("invalid", "the draft is not a valid Code; fix the problems "
                              "shown at their lines", check.problems)
    errors = check.of("error")
    if errors:
        raise DraftStateError("errors", f"the check reports {_count(errors, 'error')}; fix "
                              f"{'them' if len(errors) > 1 else 'it'} first", errors)
    assert check.plan is not None
    if check.plan.problem:
        raise DraftStateError("release_plan", check.plan.problem)
    return check


def return_draft(draft: Draft, actor: Person, comment: str, now: dt.datetime) -> Step:
    """The submitted draft sent back to its author with a comment."""
    _reviewable(draft, actor, "return")
    comment = comment.strip()
    if not comment:
        raise FieldError("comment", "is empty; say what the author should change")
    changed = replace(draft, status=Status.RETURNED, comment=comment, updated_at=now)
    return Step(changed, _event(draft, "returned", actor, now, comment=comment))


def approve(draft: Draft, actor: Person, published: Published, now: dt.datetime) -> Step:
    """The submitted draft approved by a second person, to be released."""
    _reviewable(draft, actor, "approve")
    if draft.out_of_date(published):
        raise DraftStateError("out_of_date", f"version {published.version} was published "
                              "since this draft was submitted; return it so its author "
                              "can bring it up to date")
    changed = replace(draft, status=Status.APPROVED, approved_by=actor, release_error=None,
                      updated_at=now)
    return Step(changed, _event(draft, "approved", actor, now,
                                release_version=draft.release_version))


def published_as(draft: Draft, version: str, now: dt.datetime) -> Step:
    """The approved draft, released and published as ``version``."""
    if draft.status != Status.APPROVED or draft.approved_by is None:
        raise DraftStateError("status", f"the draft is {draft.status}, not approved")
    changed = replace(draft, status=Status.PUBLISHED, version=version, release_error=None,
                      updated_at=now)
    return Step(changed, _event(draft, "published", draft.approved_by, now, version=version))


def release_failed(draft: Draft, reason: str, now: dt.datetime) -> Step:
    """The approved draft whose release failed: still approved, with the reason."""
    if draft.status != Status.APPROVED or draft.approved_by is None:
        raise DraftStateError("status", f"the draft is {draft.status}, not approved")
    changed = replace(draft, release_error=reason, updated_at=now)
    return Step(changed, _event(draft, "release_failed", draft.approved_by, now,
                                reason=reason))


def _editable(draft: Draft, actor: Person) -> None:
    if actor.id != draft.author.id:
        raise NotAuthor(f"only the draft's author, {draft.author.name}, can change or "
                        "submit it")
    if draft.status not in EDITABLE:
        raise DraftStateError("status", f"the draft is {draft.status}; it can be changed "
                              "only while it is being edited or after it was returned")


def _reviewable(draft: Draft, actor: Person, what: str) -> None:
    if actor.id == draft.author.id:
        raise SelfApproval(f"you drafted this version, so you cannot {what} it; a second "
                           "person with approval rights must")
    if not actor.approver:
        raise NotApprover(f"you cannot {what} drafts: that needs approval rights")
    if draft.status != Status.SUBMITTED:
        raise DraftStateError("status", f"the draft is {draft.status}; only a submitted "
                              f"draft can be {'approved' if what == 'approve' else 'returned'}")


def _count(items: tuple[Any, ...], word: str) -> str:
    return f"{len(items)} {word}{'s' * (len(items) != 1)}"


def _ack(a: Acknowledgement) -> dict[str, Any]:
    return {"rule": a.rule, "field": a.field, "message": a.message}

