"""The copy-request and feedback service: ``create_app(settings)`` gives the
ASGI app (FastAPI on uvicorn; ``complaints-code serve`` runs it).

Modules: ``app`` (the app and its error pages), ``api`` (public JSON API),
``pages`` (public forms), ``staff_api`` and ``staff_pages`` (accounts, the
list of requests, the feedback inbox), ``jobs_api`` and ``jobs_pages`` (the
copy queue: making and sending copies), ``jobs`` (the jobs, their queue and
the workers that make copies; the web server never renders), ``intake``
(taking in a request or comment), ``store`` and ``tables`` (the records),
``db`` (engines, migrations),
``writer`` (batched writes), ``auth`` (accounts, sessions, CSRF), ``mail``,
``security`` (headers, body limit), ``context`` (what every route shares).
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
