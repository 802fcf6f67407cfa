"""Large-print and print PDFs: a warm personalised copy, the cold build against
a bare WeasyPrint render of the same HTML, and a batch of 200 copies."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from complaints_code.copies import batch as copy_batch
from complaints_code.copies import request as copies
from complaints_code.engines.pdf import render as pdf
from complaints_code.resources import resources
from complaints_code.settings import Settings
from complaints_code.structure.source import load

from .harness import CONFIG, Result, median_seconds, project_settings

BATCH = 200
PDF_FORMATS = ("large-print", "print")


def _request(n: int, settings: Settings) -> copies.CopyRequest:
    return copies.CopyRequest.parse({
        "format": "large-print", "size": 18, "name": f"Customer {n}",
        "address": f"{n} High Street; Wimbledon; London; SW19 1AA",
        "reference": f"CC-{n:05d}"}, settings, today=dt.date(2026, 12, 1))


def _cold(args: list[str], reported: bool) -> float:
    """Seconds a fresh process takes, or the seconds it reports itself."""
    started = time.perf_counter()
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1]) if reported else time.perf_counter() - started


# Each cold process prints the seconds from just before WeasyPrint is first
# imported to the last PDF written: the PDF part of a cold build. Both pay the
# import; the pipeline also pays its templates, checks and tag fixes.
# Arguments: the folder of NAME.html and NAME.css, then the format names.
BARE = textwrap.dedent("""
    import sys, time
    started = time.perf_counter()
    from pathlib import Path
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    folder = Path(sys.argv[1])
    fonts = FontConfiguration()
    for name in sys.argv[2:]:
        css = CSS(filename=folder / f"{name}.css", font_config=fonts)
        HTML(filename=folder / f"{name}.html").write_pdf(
            folder / f"{name}.pdf", stylesheets=[css], font_config=fonts,
            pdf_variant="pdf/ua-1")
    print(time.perf_counter() - started)
""")


# Arguments: the config file, then the format names.
_PIPELINE = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from complaints_code import renderers
    from complaints_code.renderers import RenderContext
    from complaints_code.settings import load_settings
    from complaints_code.structure.source import load
    settings = load_settings(Path(sys.argv[1]))
    code = load(settings.source)
    started = time.perf_counter()
    for name in sys.argv[2:]:
        renderers.get(name)(code, settings, RenderContext())
    print(time.perf_counter() - started)
""")


def bare_inputs(settings: Settings, source: Path, tmp: Path) -> Path:
    """The same HTML and CSS the build renders, as files NAME.html and
    NAME.css in ``tmp/print``, beside a link to the templates' fonts (so the
    relative font URLs resolve as they do in the build). Returns the folder."""
    folder = tmp / "print"
    folder.mkdir(parents=True)
    res = resources(settings)
    # "../fonts/..." in the CSS resolves from folder as from templates/print.
    (tmp / "fonts").symlink_to(res.fonts_folder.resolve())
    code = load(source)
    setup = pdf.Setup(res, settings.print)
    fonts = pdf.fonts_css(setup)
    for name, fmt in settings.print.formats.items():
        (folder / f"{name}.html").write_text(pdf.code_html(code, setup, fmt, fmt.size),
                                             encoding="utf-8")
        (folder / f"{name}.css").write_text(fonts + pdf.code_css(setup, fmt, fmt.size),
                                            encoding="utf-8")
    return folder


def run() -> list[Result]:
    settings = project_settings()
    code = load(settings.source)
    checked = _request(1, settings)
    warm = median_seconds(lambda: copies.make_copy(code, checked), repeat=15)
    results = [Result("warm render: one personalised large-print copy (letter + Code)",
                      warm * 1000, "ms", target=300)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = bare_inputs(settings, settings.source, Path(tmp))
        exe = Path(sys.executable).parent / "complaints-code"
        command = [str(exe), "--config", str(CONFIG), "build", "--force", "-q",
                   "--only", ",".join(PDF_FORMATS), "--out", str(folder / "dist")]
        pipeline = [sys.executable, "-c", _PIPELINE, str(CONFIG), *PDF_FORMATS]
        bare = [sys.executable, "-c", BARE, str(folder), *PDF_FORMATS]
        times = {name: sorted(_cold(args, name != "command") for _ in range(3))[1]
                 for name, args in (("bare", bare), ("pipeline", pipeline),
                                    ("command", command))}
        results += [
            Result("cold build, PDF part: both renderers vs bare WeasyPrint, same HTML",
                   times["pipeline"] / times["bare"], "×", target=1.2,
                   detail=f"renderers {times['pipeline']:.2f} s, bare {times['bare']:.2f} s, "
                          "WeasyPrint import included in both (medians of 3 processes)"),
            Result("cold: whole `complaints-code build --force --only large-print,print`",
                   times["command"], "s",
                   detail="adds Python and CLI start-up, loading and checking the source, "
                          "the worker processes and the publish step to the PDF part"),
        ]
        results += _batch(settings, folder, warm)
    return results


def _batch(settings: Settings, folder: Path, single: float) -> list[Result]:
    workers = os.cpu_count() or 1
    jobs = [copy_batch.Job(_request(n, settings), folder / "batch" / f"{n:03d}.pdf")
            for n in range(BATCH)]
    started = time.perf_counter()
    copy_batch.run_batch(settings, jobs, workers=workers)
    took = time.perf_counter() - started
    speedup = BATCH * single / took
    return [
        Result(f"batch of {BATCH} personalised copies, {workers} processes", BATCH / took,
               "copies/s", detail=f"{took:.1f} s in all, pool start-up included"),
        Result("batch: time per copy ÷ (single-copy time ÷ cores)", workers / speedup, "×",
               target=1.25, detail=f"speed-up {speedup:.2f} on {workers} cores "
                                   f"(single copy {single * 1000:.0f} ms warm)"),
    ]
