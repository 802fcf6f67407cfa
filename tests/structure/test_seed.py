"""The source holds the seed Code word for word (whitespace aside)."""

from __future__ import annotations

import re

import pytest

from complaints_code.structure.model import Code
from complaints_code.structure.plain import lines
from tests.conftest import SEED


def normalise(line: str) -> str:
    # Whitespace is not part of the words; <https://...> in the seed is an
    # autolink's markup, which the source expresses as a link.
    line = re.sub(r"<(https?://[^>]+)>", r"\1", line)
    return re.sub(r"\s+", " ", line).strip()


def test_source_holds_every_line_of_the_seed_in_order(code: Code) -> None:
    seed = [normalise(x) for x in SEED.read_text(encoding="utf-8").splitlines() if x.strip()]
    ours = [normalise(x) for x in lines(code)]
    assert ours == seed


def test_seed_copy_matches_the_shared_seed_when_present() -> None:
    shared = SEED.parents[3] / "shared" / "seed" / SEED.name
    if not shared.exists():
        pytest.skip(f"the shared seed {SEED.name} is not on this machine; nothing to compare")
    assert shared.read_bytes() == SEED.read_bytes()
