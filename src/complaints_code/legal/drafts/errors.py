"""The typed refusals of the draft workflow. The service maps
:class:`DraftStateError` to 409 Conflict and :class:`NotAllowed` to 403
Forbidden; a bad field or an invalid source is an InputError (422)."""

from __future__ import annotations

from typing import Any

from ...errors import ComplaintsCodeError

REASONS = ("status", "invalid", "errors", "warnings", "out_of_date", "conflicts",
           "release_plan")
"""Why a draft cannot move on: its status does not allow the step, its
source is invalid, the check reports errors, warnings are not acknowledged,
the published version moved on, conflicts are unresolved, or the version it
would be released as is wrong."""


class DraftError(ComplaintsCodeError):
    """Base of the draft workflow's refusals."""


class DraftStateError(DraftError):
    """The draft cannot take this step now (409). ``reason`` is one of
    :data:`REASONS`; ``details`` are the findings, problems or conflicts
    that stand in the way, as JSON data."""

    def __init__(self, reason: str, message: str, details: tuple[Any, ...] = ()):
        assert reason in REASONS, reason
        self.reason = reason
        self.message = message
        self.details = details
        super().__init__(message)

    def as_json(self) -> dict[str, Any]:
        """reason, message and details, for the API."""
        return {"reason": self.reason, "message": self.message,
                "details": [d.as_json() if hasattr(d, "as_json") else d for d in self.details]}


class NotAllowed(DraftError):
    """This person may not take this step (403)."""


class NotAuthor(NotAllowed):
    """Only the draft's author edits, updates and submits it."""


class SelfApproval(NotAllowed):
    """The author can never approve (or return) their own draft."""


class NotApprover(NotAllowed):
    """Approving and returning need approval rights."""
