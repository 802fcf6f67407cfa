"""The web server's process, once its app is made, keeps what start-up made
out of the garbage collector's sight (gc.freeze) and collects the young
generation less often (in a process of its own: this one is left alone)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from complaints_code.service import tuning

CHECK = """
import gc, json
from complaints_code.service import asgi
asgi.app()
print(json.dumps([gc.get_freeze_count(), gc.get_threshold()]))
"""


@pytest.mark.slow
def test_the_served_app_is_made_with_its_start_up_frozen(tmp_path: Path) -> None:
    env = {**os.environ, "COMPLAINTS_CODE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
           "COMPLAINTS_CODE_VAR": str(tmp_path / "var"),
           "COMPLAINTS_CODE_SERVICE__SECRET_KEY": "test-secret"}
    out = subprocess.run([sys.executable, "-c", CHECK], env=env, check=True,
                         capture_output=True, text=True, cwd=tmp_path).stdout
    frozen, thresholds = json.loads(out.splitlines()[-1])
    assert frozen > 100_000  # FastAPI, SQLAlchemy, the Code, the templates...
    assert tuple(thresholds) == tuning.THRESHOLDS
