"""The publish step: every format built, checked and swapped in at once.

A build renders every format into a staging folder (see ``site``), carries
over the formats that have not changed (``formats``, ``fingerprints``) and the
past versions' files (``archive``), records what it made in
``build-info.json`` (``buildinfo``), checks the staged site (``checks``) and
only then points ``OUT/site`` at it.

Ctrl-C or SIGTERM at any moment before the swap leaves the published site as
it was: the workers are ended (``workers``), the staging folder removed and
the lock released on the way out, and the command line says so in one line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import renderers
from ..errors import UsageError
from ..processes import workers
from ..processes.interrupts import deferred
from ..resources import read_bytes
from ..settings import Settings
from ..structure.model import Code
from . import archive, buildinfo, site, uptodate
from .buildinfo import BuildInfo, Compliance, FormatRecord, ListedFile
from .checks import verify
from .formats import Build, Event, FormatResult, render_all
from .uptodate import engine_versions


@dataclass(frozen=True)
class Published:
    """What a build published."""

    site: Path
    formats: tuple[FormatResult, ...]
    seconds: float


def publish(code: Code, settings: Settings, names: list[str] | None = None, *,
            force: bool = False, event: Event | None = None,
            wait: Callable[[], None] | None = None, inputs: str | None = None,
            compliance: Compliance | None = None, pool: workers.Pool | None = None) -> Published:
    """Build the formats ``names`` (default: all) and publish the whole site
    at ``settings.out / "site"``. Formats not named are carried over from the
    published site. Raises BuildError or FormatInputError (nothing
    published) if any format fails, BuildLockedError if another build holds
    the folder.

    A build of every format records ``inputs``, the digest of what it was
    made from (default: computed now; a caller that checked the fast path
    passes the digest it computed before reading anything), so that the next
    build with the same inputs has nothing to do (``uptodate``); and
    ``compliance``, what the compliance check said, for ``--strict``.
    ``pool``: workers the caller started early (``formats.pool_for``), warm
    by the time the formats are handed out; else they start when needed."""
    if names is not None and not names:
        raise UsageError("no format was asked for; name at least one, or none for all of "
                         f"them ({', '.join(renderers.formats())})")
    begun = time.perf_counter()
    whole = names is None or set(names) >= set(renderers.formats())
    if whole and inputs is None:
        inputs = uptodate.digest(settings)
    out = settings.out
    site.prepare(out)
    with site.locked(out, settings.build.lock_wait, wait):
        site.clean_leftovers(out)
        staging = site.new_staging(out)
        try:
            previous = buildinfo.read(out / "site")
            past = archive.past_downloads(out / "site", previous, code.metadata.version,
                                          settings.build.keep_versions)
            build = Build(settings, code, out, staging / "site", previous, force,
                          event or (lambda *_: None), tuple(past))
            render_all(build, renderers.formats() if names is None else names, pool)
            archive.write(past, build.staging)
            buildinfo.write(build.staging, _record(build, inputs if whole else None,
                                                   compliance))
            verify(build.staging)
            # The swap is one step: Ctrl-C during it waits for its end, then
            # says the new site is published (it is) rather than that nothing is.
            with deferred(f"the new site was published at {out / 'site'}"):
                published = site.swap(out, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    ordered = tuple(build.results[n] for n in renderers.formats() if n in build.results)
    return Published(published, ordered, time.perf_counter() - begun)


def _record(build: Build, inputs: str | None, compliance: Compliance | None) -> BuildInfo:
    listed = tuple(ListedFile(path=a.name, label=a.label, type=a.kind, mime=a.media_type)
                   for n in renderers.formats() for a in build.artifacts.get(n, ()) if a.label)
    formats = {n: FormatRecord(fingerprint=build.fingerprints.get(n, ""),
                               files=tuple(f for f, _ in r.files),
                               seconds=round(r.seconds, 3), reused=r.reused,
                               phases={k: round(v, 3) for k, v in r.phases})
               for n in renderers.formats() if (r := build.results.get(n))}
    return BuildInfo(
        code_version=build.code.metadata.version,
        effective_date=build.code.metadata.effective_date,
        source_sha256=hashlib.sha256(read_bytes(build.settings.source)).hexdigest(),
        built_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        engines=engine_versions(),
        formats=formats,
        listed=listed,
        files=buildinfo.file_records(build.staging),
        inputs=inputs or "",
        compliance=compliance,
    )
