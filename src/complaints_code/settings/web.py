"""Settings of the website (the ``[web]`` section of ``complaints-code.toml``)."""

from __future__ import annotations

from pydantic import Field

from .print import Section


class WebSettings(Section):
    """The website's links to the copy-request and feedback service, and its preview."""

    request_copy_path: str = "/request-a-copy"
    """The service's page for asking for a copy, under the service URL."""
    feedback_path: str = "/feedback"
    """The service's feedback page, under the service URL."""
    preview_host: str = "127.0.0.1"
    """Address ``complaints-code preview`` listens on."""
    preview_port: int = Field(8001, ge=1, le=65535)
    """Port of ``complaints-code preview`` (the service takes [service] port, 8000)."""
