"""The website: the full site build against a bare ``mkdocs build`` of the same
generated Markdown (in the same run), and the preview's reload after a YAML
edit, measured from the save to ``complaints-code preview`` serving the new HTML."""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml  # type: ignore[import-untyped]

from complaints_code import renderers
from complaints_code.engines.web import site as web
from complaints_code.renderers import RenderContext
from complaints_code.settings import CONFIG_NAME, Settings
from complaints_code.structure.model import Code
from complaints_code.structure.source import load

from .harness import Result, median_seconds, project_settings

PHONE = "020 8545 8200"


def run() -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        work = Path(tmp)
        build_s, bare_s = _builds(work)
        reload_s = _preview_reload(work / "preview")
    return [
        Result("web: site build (render: generate + mkdocs --strict + swap)", build_s * 1000, "ms"),
        Result("web: bare mkdocs build of the same Markdown", bare_s * 1000, "ms"),
        Result("web: site build / bare mkdocs build", build_s / bare_s, "x", target=1.2),
        Result("web: preview reload, YAML save to new HTML served", reload_s, "s", target=1.5,
               detail="median of 5 edits"),
    ]


def _builds(work: Path) -> tuple[float, float]:
    settings = project_settings()
    code = load(settings.source)
    render = renderers.get("web")
    out = work / "out"
    out.mkdir()
    context = RenderContext(work_dir=out)
    render(code, settings, context)
    bare_config = bare_project(work / "bare", code, settings)

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def bare() -> None:
        build(load_config(config_file=str(bare_config), site_dir=str(work / "bare-site")))

    # Interleave the two so drift on a shared machine hits both alike.
    builds, bares = [], []
    for _ in range(5):
        builds.append(median_seconds(lambda: render(code, settings, context), repeat=3,
                                     warmup=1))
        bares.append(median_seconds(bare, repeat=3, warmup=1))
    return statistics.median(builds), statistics.median(bares)


def bare_project(folder: Path, code: Code, settings: Settings,
                 downloads: list[web.Download] | None = None) -> Path:
    """A copy of the site without the hooks: docs/ plus the generated pages
    written out, and mkdocs.yml with absolute paths and the name the hooks set.
    Returns the path of its mkdocs.yml."""
    mkdocs_yml = settings.mkdocs_config
    config = yaml.safe_load(mkdocs_yml.read_text(encoding="utf-8"))
    docs = folder / "docs"
    shutil.copytree(mkdocs_yml.parent / config.get("docs_dir", "docs"), docs)
    for name, text in web.generated_pages(code, settings, downloads or []).items():
        (docs / name).write_text(text, encoding="utf-8")
    config.pop("hooks", None)  # the build passes its hooks itself; older configs named them
    config.pop("watch", None)
    config["docs_dir"] = str(docs)
    config["theme"]["custom_dir"] = str(mkdocs_yml.parent / config["theme"]["custom_dir"])
    config["site_name"] = f"{code.metadata.provider} {code.metadata.title}"
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _preview_reload(project: Path, edits: int = 5) -> float:
    """Serve a copy of the project (with its own complaints-code.toml, so the
    hooks read the copied source) and time save -> new page, edit by edit."""
    settings = project_settings()
    root = settings.project
    for name in ("docs", "templates"):
        shutil.copytree(root / name, project / name, symlinks=True)
    shutil.copy(settings.mkdocs_config, project / "mkdocs.yml")
    if settings.config_file is not None:
        shutil.copy(settings.config_file, project / CONFIG_NAME)
    (project / "src").symlink_to(root / "src")
    source = project / "code_source" / "complaints-code.yaml"
    source.parent.mkdir()
    text = settings.source.read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # The preview as the web team runs it: the build's hooks make the Code's
    # pages (a bare `mkdocs serve` of mkdocs.yml has none since the build
    # passes its hooks itself).
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "complaints-code"), "--config",
         str(project / CONFIG_NAME), "preview", "--port", str(port)],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(url, PHONE, timeout=30)
        times = []
        for i in range(edits):
            number = f"020 7946 00{i:02d}"
            time.sleep(0.5)  # let the watcher settle after the previous rebuild
            started = time.perf_counter()
            source.write_text(text.replace(PHONE, number), encoding="utf-8")
            _wait_for(url, number, timeout=15)
            times.append(time.perf_counter() - started)
        return statistics.median(times)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for(url: str, needle: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if needle in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not show {needle!r} within {timeout} s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
