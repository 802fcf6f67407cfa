"""The version published now is the source file as it is now: the drafts,
the service's own pages and the copies its workers make all follow a newly
released source without a restart (a draft published by a worker, or a
version released from the command line)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from complaints_code.output import write_atomic
from complaints_code.service.drafts.published import published
from complaints_code.service.jobs.work import Workshop
from complaints_code.settings import Settings

from .conftest import replaced


@pytest.mark.slow
def test_a_newly_released_source_is_the_published_version_everywhere(
        api: TestClient, settings: Settings, project: Path) -> None:
    shop = Workshop(settings)
    assert published(settings).version == shop.code.metadata.version == "1.0"
    assert "Customer Complaints Code, version 1.0." in api.get("/feedback").text
    # Written as a release writes it: a new file renamed into place.
    write_atomic(project, replaced(project.read_text(encoding="utf-8"),
                                   ('  version: "1.0"', '  version: "1.1"')))
    assert published(settings).version == shop.code.metadata.version == "1.1"
    assert "Customer Complaints Code, version 1.1." in api.get("/feedback").text
    assert api.app.state.service.code.metadata.version == "1.1"
    write_atomic(project, "metadata: [")  # broken: the last good version stays
    assert api.app.state.service.code.metadata.version == "1.1"
