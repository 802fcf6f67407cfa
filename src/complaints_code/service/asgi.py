"""The app factory uvicorn imports in each worker process
(``uvicorn complaints_code.service.asgi:app --factory``): the settings from
the config file ``complaints-code serve`` named, the environment and the
defaults."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from ..settings import load_settings
from . import tuning
from .app import create_app

CONFIG_ENV = "COMPLAINTSCODE_SERVE_CONFIG"


def app() -> FastAPI:
    """The service, for a uvicorn worker, with the garbage collector set for
    a server once it is made (:mod:`.tuning`)."""
    config = os.environ.get(CONFIG_ENV)
    made = create_app(load_settings(Path(config) if config else None))
    tuning.settle()
    return made
