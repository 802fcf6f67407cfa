"""Copies are made by jobs, not by requests.

"Make copy" and a print run claim their requests (atomically: one request,
at most one job) and put a job on the queue; worker processes make the
copies, keep the files under VAR/copies for staff to download, and send
emailed copies. A request moves ``received`` → ``queued`` → ``made`` →
``sent``: an emailed copy is sent when the SMTP server takes it, a posted one
when staff mark it posted. The database holds the truth about every job, so
a worker that dies loses nothing: another takes its job over.

Modules: ``records`` (the claims, the lease and every outcome, in SQL),
``views`` (what the staff pages and API show), ``files`` (the made files),
``work`` (what a worker does), ``queue`` (Huey, and the sweep that puts
lost work back), ``workers`` (the consumer that runs them), ``actions`` (what
staff can do, for the API and the pages alike).
"""

from __future__ import annotations

from .queue import JobQueue

__all__ = ["JobQueue"]
