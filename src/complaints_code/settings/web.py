"""Settings of the website (the ``[web]`` section of ``complaints-code.toml``)."""

from __future__ import annotations

from .print import Section


class WebSettings(Section):
    """The website's links to the copy-request and feedback service."""

    request_copy_path: str = "/request-a-copy"
    """The service's page for asking for a copy, under the service URL."""
    feedback_path: str = "/feedback"
    """The service's feedback page, under the service URL."""
