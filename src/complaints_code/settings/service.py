"""Settings of the copy-request and feedback service (the ``[service]`` section)."""

from __future__ import annotations

from pydantic import Field

from .print import Section


class ServiceSettings(Section):
    """The web service: where it listens and how it treats requests."""

    host: str = "127.0.0.1"
    """Address to listen on."""
    port: int = Field(8000, ge=1, le=65535)
    """Port to listen on."""
    workers: int = Field(1, ge=1, le=64)
    """Worker processes (several need PostgreSQL or SQLite in WAL mode)."""
    due_working_days: int = Field(5, ge=1, le=60)
    """Working days within which a requested copy is due."""
    purge_after_days: int = Field(90, ge=1, le=3650)
    """Days after fulfilment (or receipt, for feedback) when personal data is removed."""
