"""The source holds the seed Code word for word (whitespace aside)."""

from __future__ import annotations

import hashlib
import re

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


SEED_SHA256 = "f26322c9421c60d0a3bddca81994bef5286e5a6c39451bb29970caa5a749b94d"
"""The seed as Opus Telecoms supplied it, checked by a person against the
original when it was copied into tests/data/: any change to the file is a
change to what the source is compared with, and must be made on purpose."""


def test_the_seed_is_the_file_opus_supplied() -> None:
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256
