"""Settings of batch print runs (``copy --batch``; the ``[batch]`` section)."""

from __future__ import annotations

from pydantic import Field

from .print import Section


class BatchSettings(Section):
    """How large a batch file may be."""

    max_bytes: int = Field(10 * 1024 * 1024, ge=1024, le=1024 ** 3)
    """The largest batch file read, in bytes (10 MB, 10,485,760 bytes: some
    50,000 rows of names and addresses). A larger file is refused before it is read, rather
    than filling the memory; split it into several batches."""
    max_rows: int = Field(10_000, ge=1, le=1_000_000)
    """The most requests one batch file may hold. More are refused before
    any is checked; split the file into several batches."""
