"""Settings of ``complaints-code build`` (the ``[build]`` section)."""

from __future__ import annotations

from pydantic import Field

from .print import Section


class BuildSettings(Section):
    """How the build runs."""

    workers: int | None = Field(None, ge=1, le=64)
    """Worker processes that render formats at once (default: one per core)."""
    lock_wait: float = Field(0, ge=0, le=3600)
    """Seconds to wait for another build into the same folder to finish before
    refusing (0: refuse at once)."""
    keep_versions: bool = True
    """Keep each past version's PDFs under downloads/archive/VERSION/."""
