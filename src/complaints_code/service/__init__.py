"""The copy-request and feedback service: ``create_app(settings)`` gives the
ASGI app (FastAPI on uvicorn; ``complaints-code serve`` runs it).

Modules: ``app`` (the app and its error pages), ``api`` (public JSON API),
``pages`` (public forms), ``staff_api`` and ``staff_pages`` (the queue, the
feedback inbox), ``intake`` (taking in a request or comment), ``offers`` (the
formats offered, from the renderer registry), ``fulfil`` (making the copy),
``store`` and ``tables`` (the records), ``db`` (engines, migrations),
``writer`` (batched writes), ``auth`` (accounts, sessions, CSRF), ``mail``,
``security`` (headers, body limit), ``context`` (what every route shares).
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
