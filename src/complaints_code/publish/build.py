"""Publishing the site: every format built, checked and swapped in at once.

``OUT/site`` is a symbolic link to one complete build, ``OUT/.site-ID``. A
build renders every format into a staging folder (``OUT/.staging-ID``),
checks it (every file present and non-empty, PDFs whole, HTML ended), writes
``build-info.json``, renames the staging folder to ``OUT/.site-ID`` and then
points ``OUT/site`` at it with one atomic rename of a new link over the old.
A reader (a web server, a member of staff) sees the old site or the new one,
never a mixture; a build killed at any moment leaves the old one whole, and
the next build removes what it left behind.

A lock file (``OUT/.build.lock``, an advisory ``flock`` that the system
releases if the process dies) keeps two builds out of one folder.

Formats render in worker processes, one per core; the website goes last,
because it links to the other formats' files. Each format's output records a
fingerprint of what it was made from (the part of the model it shows, its
settings, its templates and fonts, engine versions); an unchanged format is
reused from the published site instead of rendered again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import renderers
from ..errors import ComplaintsCodeError, InputError, OutputError
from ..renderers import Artifact, RenderContext
from ..resources import read_bytes, resources, tree_digest
from ..settings import Settings
from ..structure.model import Code

INFO_NAME = "build-info.json"
LOCK_NAME = ".build.lock"
CACHE_NAME = ".cache"
"""OUT/.cache/FORMAT: what a renderer keeps from one build to the next
(only ever used under the build lock)."""
ARCHIVE = "downloads/archive"
"""Past versions' PDFs, kept from build to build: ARCHIVE/VERSION/FILE."""
ENGINE_PACKAGES = ("complaints-code", "weasyprint", "pydyf", "mkdocs", "mkdocs-material",
                   "jinja2", "pikepdf", "fonttools", "python-docx")


class BuildError(ComplaintsCodeError):
    """A format failed, or the build did not pass its checks; nothing was published."""


class BuildLockedError(ComplaintsCodeError):
    """Another build is publishing into the same folder."""


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


@dataclass(frozen=True)
class Published:
    """What a build published."""

    site: Path
    formats: tuple[FormatResult, ...]
    seconds: float


Event = Callable[[str, str, "FormatResult | None"], None]
"""Progress: called as event("start" | "done", format name, result or None)."""


@dataclass
class _Build:
    settings: Settings
    code: Code
    out: Path
    staging: Path
    previous: dict[str, Any]
    force: bool
    event: Event
    results: dict[str, FormatResult] = field(default_factory=dict)
    artifacts: dict[str, list[Artifact]] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)


def publish(code: Code, settings: Settings, names: list[str] | None = None, *,
            force: bool = False, event: Event | None = None,
            wait: Callable[[], None] | None = None) -> Published:
    """Build the formats ``names`` (default: all) and publish the whole site
    at ``settings.out / "site"``. Formats not named are carried over from the
    published site. Raises BuildError (nothing published) if any format fails,
    BuildLockedError if another build holds the folder."""
    begun = time.perf_counter()
    out = settings.out
    _prepare(out)
    with _locked(out, settings.build.lock_wait, wait):
        _clean_leftovers(out)
        staging = out / f".staging-{uuid.uuid4().hex[:12]}"
        (staging / "work").mkdir(parents=True)
        try:
            build = _Build(settings, code, out, staging / "site", _published_info(out), force,
                           event or (lambda *_: None))
            _render_all(build, names or renderers.formats())
            _carry_archive(build)
            _write_info(build)
            verify(build.staging)
            site = _swap(out, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    ordered = tuple(build.results[n] for n in renderers.formats() if n in build.results)
    return Published(site, ordered, time.perf_counter() - begun)


# --- the folder, the lock and the swap -------------------------------------

def _prepare(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(out, "is a file, not a folder", "give --out a folder") from None
    except OSError as exc:
        raise OutputError(out, f"cannot be created ({exc.strerror})",
                          "choose a folder you can write to with --out") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(out, "is not writable", "choose a folder you can write to with --out")


@contextmanager
def _locked(out: Path, wait_seconds: float, wait: Callable[[], None] | None) -> Iterator[None]:
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildLockedError(
                        f"another build is publishing into {out}; wait for it to finish, "
                        "or give --wait SECONDS to wait for it") from None
                if wait and not told:
                    wait()
                    told = True
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _clean_leftovers(out: Path) -> None:
    """Remove what a killed build left: staging folders, and site folders
    that the link no longer points at."""
    live = _live_target(out)
    for path in out.iterdir():
        if path.name.startswith((".staging-", ".site-", ".link-", ".trash-")) and path != live:
            if path.is_dir() and not path.is_symlink():
                # Renamed first, in one step: a reader still inside the old
                # build loses it whole rather than watching it empty.
                trash = out / f".trash-{uuid.uuid4().hex[:12]}"
                with contextlib.suppress(OSError):
                    os.replace(path, trash)
                    path = trash
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _live_target(out: Path) -> Path | None:
    site = out / "site"
    if site.is_symlink():
        return (out / os.readlink(site)).resolve()
    return None


def _swap(out: Path, staging: Path) -> Path:
    """Rename the staged site into place and point OUT/site at it in one rename."""
    target = out / f".site-{staging.name.removeprefix('.staging-')}"
    os.replace(staging / "site", target)
    site = out / "site"
    if site.exists() and not site.is_symlink():
        # A site from before links: move the folder aside once (this one time
        # there is an instant with no site), then link as usual.
        os.replace(site, out / f".site-{uuid.uuid4().hex[:12]}")
    link = out / f".link-{uuid.uuid4().hex[:12]}"
    os.symlink(target.name, link)
    os.replace(link, site)
    _fsync_dir(out)
    _clean_leftovers(out)
    return site


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- rendering -------------------------------------------------------------

def _render_all(build: _Build, names: list[str]) -> None:
    first = [n for n in names if not renderers.REGISTRY[n].after_downloads]
    last = [n for n in names if renderers.REGISTRY[n].after_downloads]
    carried = [n for n in renderers.formats() if n not in names]
    for name in carried:
        _carry(build, name)
    # The slowest first, so that the last to finish is not a slow one started late.
    todo = sorted((n for n in first if not _reuse(build, n, ())),
                  key=lambda n: -renderers.REGISTRY[n].cost)
    with _LazyPool(build.settings, len(todo) + len(last)) as pool:
        if todo:
            _run(build, pool.get(), todo, ())
        downloads = tuple(a for n in renderers.formats() for a in build.artifacts.get(n, ()))
        after = [n for n in last if not _reuse(build, n, downloads)]
        if after:
            _run(build, pool.get(), after, downloads)
    for name, made in build.artifacts.items():
        if name not in build.results:  # rendered, not reused: write into staging
            continue
        if not build.results[name].reused:
            for item in made:
                item.write_into(build.staging)


def _cores(settings: Settings) -> int:
    return settings.build.workers or len(os.sched_getaffinity(0)) or 1


class _LazyPool:
    """Worker processes, started only if something needs rendering (a
    rebuild with nothing changed starts none)."""

    def __init__(self, settings: Settings, jobs: int):
        self.settings, self.jobs = settings, jobs
        self.pool: ProcessPoolExecutor | None = None

    def get(self) -> ProcessPoolExecutor:
        if self.pool is None:
            workers = max(1, min(self.jobs, _cores(self.settings)))
            self.pool = ProcessPoolExecutor(workers, mp_context=_context(),
                                            initializer=_worker_init,
                                            initargs=(self.settings.source,))
        return self.pool

    def __enter__(self) -> _LazyPool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _run(build: _Build, pool: ProcessPoolExecutor, names: list[str],
         downloads: tuple[Artifact, ...]) -> None:
    started: dict[str, float] = {}
    futures: dict[str, Future[list[Artifact] | tuple[str, str]]] = {}
    # Every cache folder made ready (emptied by --force) before any worker
    # starts: two formats may share one.
    caches = {name: _cache_dir(build, name) for name in names}
    for name in names:
        build.event("start", name, None)
        started[name] = time.perf_counter()
        work = build.staging.parent / "work"
        futures[name] = pool.submit(_worker_render, name, build.settings,
                                    RenderContext(work_dir=work, downloads=downloads,
                                                  cache_dir=caches[name]))
    failures: list[tuple[str, ComplaintsCodeError]] = []
    for name, future in futures.items():
        try:
            made = _unpack(future.result())
        except ComplaintsCodeError as exc:
            failures.append((name, exc))
            continue
        except BrokenProcessPool as exc:
            failures.append((name, BuildError(f"the worker rendering {name} stopped ({exc})")))
            continue
        build.artifacts[name] = made
        result = FormatResult(name, tuple((a.name, a.size) for a in made),
                              time.perf_counter() - started[name], False)
        build.results[name] = result
        build.event("done", name, result)
    if failures:
        if len(failures) == 1:
            raise failures[0][1]
        message = "\n".join(f"{name}: {exc}" for name, exc in failures)
        if all(isinstance(exc, InputError) for _, exc in failures):
            raise FormatInputError(message)
        raise BuildError(message)


def _context() -> multiprocessing.context.BaseContext:
    """fork when this process has not loaded WeasyPrint (the command line):
    a forked worker starts in milliseconds. spawn otherwise (the service):
    WeasyPrint's fontconfig and cairo state is not fork-safe."""
    import sys

    if "weasyprint" in sys.modules:
        return multiprocessing.get_context("spawn")
    return multiprocessing.get_context("fork")


_worker: dict[str, Code] = {}


def _worker_init(source: Path) -> None:
    from ..structure.source import load

    _worker["code"] = load(source)


def _cache_dir(build: _Build, name: str) -> Path:
    """The format's cache folder; emptied first by ``--force``, which makes
    everything afresh."""
    folder = build.out / CACHE_NAME / (renderers.REGISTRY[name].cache or name)
    if build.force:
        shutil.rmtree(folder, ignore_errors=True)
    return folder


def _worker_render(name: str, settings: Settings,
                   context: RenderContext) -> list[Artifact] | tuple[str, str]:
    # Errors cross the process boundary as plain text: not every exception
    # pickles, and the message (with its file position) is what matters.
    try:
        return renderers.get(name)(_worker["code"], settings, context)
    except InputError as exc:
        return ("input", str(exc))
    except ComplaintsCodeError as exc:
        return ("failed", str(exc))
    except Exception as exc:  # a bug in a renderer: report it, don't hide it
        return ("failed", f"internal error in the {name} format: {type(exc).__name__}: {exc}")


def _unpack(result: list[Artifact] | tuple[str, str]) -> list[Artifact]:
    if isinstance(result, tuple):
        kind, message = result
        raise FormatInputError(message) if kind == "input" else BuildError(message)
    return result


# --- fingerprints and reuse --------------------------------------------------

def fingerprint(name: str, code: Code, settings: Settings,
                downloads: tuple[Artifact, ...] = ()) -> str:
    """What a format's output is made from, as one SHA-256: the part of the
    model it shows, its settings, its templates and fonts, and the engines'
    versions. Equal fingerprints mean equal outputs."""
    import importlib

    entry = renderers.REGISTRY[name]
    if entry.inputs:
        shown = importlib.import_module(entry.module).inputs(code, settings)
    else:
        shown = code.model_dump(mode="json")
    parts = {
        "format": name,
        "model": shown,
        "settings": settings.model_dump(mode="json", exclude={"project", "out", "var"}),
        "templates": tree_digest(settings.templates),
        "mkdocs": _file_digest(settings.mkdocs_config) if name == "web" else "",
        "docs": _docs_digest(settings) if name == "web" else "",
        "engines": engine_versions(),
        "downloads": [(a.name, a.label, hashlib.sha256(a.data()).hexdigest())
                      for a in downloads],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(read_bytes(path)).hexdigest() if path.is_file() else ""


def _docs_digest(settings: Settings) -> str:
    docs = resources(settings).docs
    return tree_digest(docs) if docs.is_dir() else ""


@functools.cache
def engine_versions() -> dict[str, str]:
    """The versions of the engines and libraries that shape the output."""
    versions = {}
    for package in ENGINE_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "absent"
    versions["liblouis"] = _louis_version()
    versions["complaints-code"] += f" (source {_own_source_digest()[:12]})"
    return versions


def _own_source_digest() -> str:
    """One SHA-256 over this package's own files: a checkout that pulls new
    renderer code keeps its version number, and must still rebuild."""
    return tree_digest(Path(__file__).resolve().parent)


def _louis_version() -> str:
    try:
        import louis
    except ImportError:
        return "absent"
    return str(louis.version())


def _reuse(build: _Build, name: str, downloads: tuple[Artifact, ...]) -> bool:
    """Reuse a format's files from the published site if its fingerprint is
    unchanged; record the fingerprint either way."""
    print_ = fingerprint(name, build.code, build.settings, downloads)
    build.fingerprints[name] = print_
    before = build.previous.get("formats", {}).get(name)
    if build.force or not before or before.get("fingerprint") != print_:
        return False
    return _carry(build, name, check=True)


def _carry(build: _Build, name: str, check: bool = False) -> bool:
    """Copy a format's files from the published site into staging (hard
    links where the file system allows). Returns False if any is missing or
    changed."""
    before = build.previous.get("formats", {}).get(name)
    site = build.out / "site"
    if not before:
        return False
    files = build.previous.get("files", {})
    made = []
    for rel in before.get("files", []):
        src, meta = site / rel, files.get(rel, {})
        if not src.is_file() or src.stat().st_size != meta.get("size"):
            return False
        made.append((rel, src))
    for rel, src in made:
        dst = build.staging / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    build.artifacts[name] = [_published_artifact(build, rel) for rel, _ in made]
    build.results[name] = FormatResult(name, tuple((r, s.stat().st_size) for r, s in made),
                                       0.0, True)
    if check:
        build.event("done", name, build.results[name])
    build.fingerprints.setdefault(name, before.get("fingerprint", ""))
    return True


def _published_artifact(build: _Build, rel: str) -> Artifact:
    listed = {e["path"]: e for e in build.previous.get("listed", [])}
    entry = listed.get(rel, {})
    return Artifact(rel, entry.get("mime", "application/octet-stream"),
                    path=build.staging / rel, label=entry.get("label"),
                    kind=entry.get("type", ""))


def _published_info(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / "site" / INFO_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


# --- the archive, build-info.json and the checks ----------------------------

def _carry_archive(build: _Build) -> None:
    """Keep past versions' PDFs: the archive so far, and the published PDFs
    if the version changes."""
    if not build.settings.build.keep_versions:
        return
    site = build.out / "site"
    old = site / ARCHIVE
    if old.is_dir():
        shutil.copytree(old, build.staging / ARCHIVE, dirs_exist_ok=True)
    version = build.previous.get("code_version")
    if not version or version == build.code.metadata.version:
        return
    for fmt in build.settings.print.formats.values():
        src = site / "downloads" / fmt.file
        if src.is_file():
            dst = build.staging / ARCHIVE / version / fmt.file
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def _write_info(build: _Build) -> None:
    files = {}
    for path in sorted(p for p in build.staging.rglob("*") if p.is_file()):
        rel = path.relative_to(build.staging).as_posix()
        files[rel] = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                      "size": path.stat().st_size}
    listed = [{"path": a.name, "label": a.label, "type": a.kind, "mime": a.media_type}
              for n in renderers.formats() for a in build.artifacts.get(n, ()) if a.label]
    info = {
        "code_version": build.code.metadata.version,
        "effective_date": build.code.metadata.effective_date.isoformat(),
        "source_sha256": hashlib.sha256(read_bytes(build.settings.source)).hexdigest(),
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engines": engine_versions(),
        "formats": {n: {"fingerprint": build.fingerprints.get(n, ""),
                        "files": [f for f, _ in r.files],
                        "seconds": round(r.seconds, 3), "reused": r.reused}
                    for n in renderers.formats() if (r := build.results.get(n))},
        "listed": listed,
        "files": files,
    }
    (build.staging / INFO_NAME).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


def verify(site: Path) -> None:
    """Check a staged site before it is published: every file build-info.json
    lists is present, non-empty and unchanged; PDFs are whole; HTML pages end.
    Raises BuildError naming every problem."""
    try:
        info = json.loads((site / INFO_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(f"{site / INFO_NAME}: missing or unreadable ({exc})") from None
    problems = []
    for rel, meta in info["files"].items():
        path = site / rel
        problems += [f"{rel}: {p}" for p in _file_problems(path, meta)]
    for name, entry in info["formats"].items():
        if not entry["files"]:
            problems.append(f"{name}: the format produced no file")
    if "web" in info["formats"] and not (site / "index.html").is_file():
        problems.append("index.html: the website's page is missing")
    if problems:
        raise BuildError("the built site failed its checks, so it was not published:\n"
                         + "\n".join(problems))


def _file_problems(path: Path, meta: dict[str, Any]) -> list[str]:
    if not path.is_file():
        return ["missing"]
    data = path.read_bytes()
    if not data:
        return ["empty"]
    if len(data) != meta["size"] or hashlib.sha256(data).hexdigest() != meta["sha256"]:
        return ["changed after it was recorded"]
    if path.suffix == ".pdf" and not (data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]):
        return ["not a whole PDF"]
    if path.suffix == ".html" and not data.rstrip().lower().endswith(b"</html>"):
        return ["the HTML page does not end with </html>"]
    return []
