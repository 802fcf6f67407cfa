"""Rendering a build's formats: each in a worker process, the costliest
first, the website last (it links the others' files); a format whose
fingerprint is unchanged is carried over from the published site instead."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from .. import renderers
from ..errors import ComplaintsCodeError, InputError
from ..processes import timing, workers
from ..renderers import Artifact, RenderContext
from ..settings import Settings
from ..structure.model import Code
from .buildinfo import BuildInfo
from .checks import BuildError
from .fingerprints import fingerprint

CACHE_NAME = ".cache"
"""OUT/.cache/FORMAT: what a renderer keeps from one build to the next
(only ever used under the build lock)."""


class FormatInputError(InputError):
    """A format refused its input (a character it cannot show, say); the
    message is the renderer's own, with its file position."""


@dataclass(frozen=True)
class FormatResult:
    """One format's part of a build."""

    name: str
    files: tuple[tuple[str, int], ...]
    """Each file's name under the site and its size."""
    seconds: float
    reused: bool
    phases: tuple[tuple[str, float], ...] = ()
    """Seconds of the worker's own render (under "render") and of the
    costly parts its engines named (``timing``), for the record."""


Event = Callable[[str, str, "FormatResult | None"], None]
"""Progress: called as event("start" | "done", format name, result or None)."""


@dataclass
class Build:
    """One build's state while its formats render."""

    settings: Settings
    code: Code
    out: Path
    staging: Path
    """The staged site (OUT/.staging-ID/site)."""
    previous: BuildInfo | None
    force: bool
    event: Event
    past: tuple[Artifact, ...] = ()
    """Past versions' files the website links (see ``archive``)."""
    results: dict[str, FormatResult] = field(default_factory=dict)
    artifacts: dict[str, list[Artifact]] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)


def pool_for(settings: Settings, names: list[str]) -> workers.Pool:
    """The workers for a build of ``names``: as many as there are formats
    (up to one per core), each importing, as it starts, the slow engines of
    those formats (see ``renderers.Format.warm``)."""
    warm = tuple(dict.fromkeys(m for n in names for m in renderers.REGISTRY[n].warm))
    return workers.Pool(len(names), settings.build.workers, warm=warm)


def render_all(build: Build, names: list[str], pool: workers.Pool | None = None) -> None:
    """Render (or carry over) the formats ``names``; carry over the others.
    ``pool``: workers already started (by the caller, who ends them); else
    they are started here when there is something to render."""
    first = [n for n in names if not renderers.REGISTRY[n].after_downloads]
    last = [n for n in names if renderers.REGISTRY[n].after_downloads]
    for name in (n for n in renderers.formats() if n not in names):
        carry(build, name)
    todo = sorted((n for n in first if not reuse(build, n, ())),
                  key=lambda n: -renderers.REGISTRY[n].cost)
    with (pool_for(build.settings, todo + last) if pool is None
          else contextlib.nullcontext(pool)) as running:
        if todo:
            _run(build, running, todo, ())
        downloads = tuple(a for n in renderers.formats() for a in build.artifacts.get(n, ()))
        after = [n for n in last if not reuse(build, n, downloads + build.past)]
        if after:
            _run(build, running, after, downloads)
    for name, made in build.artifacts.items():
        if name in build.results and not build.results[name].reused:
            for item in made:
                item.write_into(build.staging)


def _run(build: Build, pool: workers.Pool, names: list[str],
         downloads: tuple[Artifact, ...]) -> None:
    started: dict[str, float] = {}
    futures: dict[str, Future[tuple[list[Artifact], dict[str, float]] | tuple[str, str]]] = {}
    # Every cache folder made ready (emptied by --force) before any worker
    # starts: two formats may share one (the audio and the talking book).
    caches = {name: _cache_dir(build, name) for name in names}
    for name in names:
        build.event("start", name, None)
        started[name] = time.perf_counter()
        context = RenderContext(work_dir=build.staging.parent / "work", downloads=downloads,
                                past_downloads=build.past, cache_dir=caches[name])
        futures[name] = pool.submit(_render, name, build.code, build.settings, context)
    failures: list[tuple[str, ComplaintsCodeError]] = []
    for name, future in futures.items():
        try:
            made, phases = workers.unpack(future.result())
        except workers.WorkerFailed as exc:
            failures.append((name, FormatInputError(str(exc)) if exc.kind == "input"
                             else BuildError(str(exc))))
            continue
        except workers.BrokenProcessPool as exc:
            failures.append((name, BuildError(f"the worker rendering {name} stopped ({exc})")))
            continue
        build.artifacts[name] = made
        result = FormatResult(name, tuple((a.name, a.size) for a in made),
                              time.perf_counter() - started[name], False,
                              tuple(phases.items()))
        build.results[name] = result
        build.event("done", name, result)
    _raise(failures)


def _raise(failures: list[tuple[str, ComplaintsCodeError]]) -> None:
    if not failures:
        return
    if len(failures) == 1:
        raise failures[0][1]
    message = "\n".join(f"{name}: {exc}" for name, exc in failures)
    if all(isinstance(exc, InputError) for _, exc in failures):
        raise FormatInputError(message)
    raise BuildError(message)


def _render(name: str, code: Code, settings: Settings,
            context: RenderContext) -> tuple[list[Artifact], dict[str, float]]:
    """In a worker: one format rendered from the Code the build loaded, and
    where its time went (the render as a whole, and its engines' phases)."""
    timing.collect()  # what an earlier task on this worker left
    started = time.perf_counter()
    made = renderers.get(name)(code, settings, context)
    return made, {"render": time.perf_counter() - started, **timing.collect()}


def _cache_dir(build: Build, name: str) -> Path:
    """The format's cache folder (or the one it shares: its registry entry's
    ``cache``); emptied first by ``--force``, which makes everything afresh."""
    folder = build.out / CACHE_NAME / (renderers.REGISTRY[name].cache or name)
    if build.force:
        shutil.rmtree(folder, ignore_errors=True)
    return folder


def reuse(build: Build, name: str, downloads: tuple[Artifact, ...]) -> bool:
    """Carry a format over from the published site if its fingerprint is
    unchanged; record the fingerprint either way."""
    print_ = fingerprint(name, build.code, build.settings, downloads)
    build.fingerprints[name] = print_
    before = build.previous.formats.get(name) if build.previous else None
    if build.force or before is None or before.fingerprint != print_:
        return False
    return carry(build, name, check=True)


def carry(build: Build, name: str, check: bool = False) -> bool:
    """Link (or copy) a format's files from the published site into staging.
    Returns False if any is missing or changed."""
    info = build.previous
    before = info.formats.get(name) if info else None
    if info is None or before is None:
        return False
    site = build.out / "site"
    made = []
    for rel in before.files:
        src, meta = site / rel, info.files.get(rel)
        if meta is None or not src.is_file() or src.stat().st_size != meta.size:
            return False
        made.append((rel, src))
    for rel, src in made:
        dst = build.staging / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    listed = {e.path: e for e in info.listed}
    build.artifacts[name] = [
        Artifact(rel, listed[rel].mime if rel in listed else "application/octet-stream",
                 path=build.staging / rel, label=listed[rel].label if rel in listed else None,
                 kind=listed[rel].type if rel in listed else "")
        for rel, _ in made]
    build.results[name] = FormatResult(name, tuple((r, s.stat().st_size) for r, s in made),
                                       0.0, True)
    if check:
        build.event("done", name, build.results[name])
    build.fingerprints.setdefault(name, before.fingerprint)
    return True
