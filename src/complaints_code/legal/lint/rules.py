"""The rules of the compliance lint, read from ``rules.yaml`` beside this file.

Rules are data so that the legal team's reviewer can read every message and
reference in one place, and so that a change of regulation (a new threshold,
a renamed scheme) is an edit to the data rather than to the checks.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

from ...resources import caches


class Severity(enum.StrEnum):
    """How much a finding matters. Notes never fail a check."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Rule:
    """One rule: what it says, where it comes from and when it applies."""

    id: str
    severity: Severity
    message: str
    """Written for a lawyer; ``{name}`` fields are filled by the check."""
    reference: str
    applies_from: dt.date | None = None
    applies_until: dt.date | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def applies(self, on: dt.date) -> bool:
        """Whether the rule is in force on ``on``."""
        if self.applies_from and on < self.applies_from:
            return False
        return not (self.applies_until and on > self.applies_until)

    def text(self, fields: dict[str, Any]) -> str:
        """The message with the check's findings filled in."""
        return " ".join(self.message.format(**fields).split())


@caches.memo(None)
def all_rules() -> tuple[Rule, ...]:
    """Every rule in ``rules.yaml``, in file order."""
    raw = resources.files(__package__).joinpath("rules.yaml").read_text(encoding="utf-8")
    entries = YAML(typ="safe", pure=True).load(raw)
    return tuple(_rule(e) for e in entries)


def _rule(entry: dict[str, Any]) -> Rule:
    return Rule(id=entry["id"], severity=Severity(entry["severity"]),
                message=entry["message"], reference=entry["reference"],
                applies_from=entry.get("from"), applies_until=entry.get("until"),
                params=dict(entry.get("params") or {}))


def rules_in_force(on: dt.date) -> list[Rule]:
    """The rules that apply on ``on``."""
    return [r for r in all_rules() if r.applies(on)]
