"""The table of check functions, one per rule id in ``rules.yaml``."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .context import Context, Hit
from .rules import Rule

Check = Callable[[Context, Rule], Iterator[Hit]]
CHECKS: dict[str, Check] = {}


def check(rule_id: str) -> Callable[[Check], Check]:
    """Register a function as the check of ``rule_id``."""

    def register(func: Check) -> Check:
        CHECKS[rule_id] = func
        return func

    return register
