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
from complaints_code.engines import pdf
from complaints_code.source import load

from .harness import Result, median_seconds

SOURCE = Path("code_source/complaints-code.yaml")
TEMPLATES = Path("templates")
BATCH = 200


def _request(n: int) -> copies.Request:
    return copies.Request("large-print", 18, f"Customer {n}",
                          f"{n} High Street; Wimbledon; London; SW19 1AA", f"CC-{n:05d}")


def _cold(args: list[str], reported: bool) -> float:
    """Seconds a fresh process takes, or the seconds it reports itself."""
    started = time.perf_counter()
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1]) if reported else time.perf_counter() - started


# Each cold process prints the seconds from just before WeasyPrint is first
# imported to the last PDF written: the PDF part of a cold build. Both pay the
# import; the pipeline also pays its templates, checks and tag fixes.
_BARE = textwrap.dedent("""
    import sys, time
    started = time.perf_counter()
    from pathlib import Path
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    folder = Path(sys.argv[1])
    fonts = FontConfiguration()
    for name in ("large-print", "print"):
        css = CSS(filename=folder / f"{name}.css", font_config=fonts)
        HTML(filename=folder / f"{name}.html").write_pdf(
            folder / f"{name}.pdf", stylesheets=[css], font_config=fonts,
            pdf_variant="pdf/ua-1")
    print(time.perf_counter() - started)
""")


_PIPELINE = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from complaints_code import renderers
    from complaints_code.source import load
    code = load(Path("code_source/complaints-code.yaml"))
    started = time.perf_counter()
    for name in ("large-print", "print"):
        renderers.get(name)(code, renderers.RenderOptions(), Path(sys.argv[1]))
    print(time.perf_counter() - started)
""")


def _bare_inputs(folder: Path) -> None:
    """The same HTML and CSS the build renders, as files beside the templates'
    fonts (so relative font URLs resolve as they do in the build)."""
    code = load(SOURCE)
    s = pdf.settings(TEMPLATES)
    fonts = pdf._env(TEMPLATES).get_template("fonts.css.j2").render(
        body=s.body_fonts, address=s.address_fonts)
    for name, fmt in s.formats.items():
        (folder / f"{name}.html").write_text(pdf.code_html(code, TEMPLATES, fmt, fmt.size))
        (folder / f"{name}.css").write_text(fonts + pdf.code_css(TEMPLATES, fmt.size))


def run() -> list[Result]:
    code = load(SOURCE)
    checked = copies.check(_request(1), TEMPLATES, dt.date(2026, 12, 1))
    warm = median_seconds(lambda: copies.render_pdf(code, checked, TEMPLATES), repeat=15)
    results = [Result("warm render: one personalised large-print copy (letter + Code)",
                      warm * 1000, "ms", target=300)]
    with tempfile.TemporaryDirectory() as tmp:
        # "../fonts/..." in the CSS resolves from folder as from templates/print.
        folder = Path(tmp) / "print"
        folder.mkdir()
        (Path(tmp) / "fonts").symlink_to((TEMPLATES / "fonts").resolve())
        _bare_inputs(folder)
        exe = Path(sys.executable).parent / "complaints-code"
        command = [str(exe), "build", "--only", "large-print,print", "--out",
                   str(folder / "dist")]
        pipeline = [sys.executable, "-c", _PIPELINE, str(folder / "dist")]
        bare = [sys.executable, "-c", _BARE, str(folder)]
        times = {name: sorted(_cold(args, name != "command") for _ in range(3))[1]
                 for name, args in (("bare", bare), ("pipeline", pipeline),
                                    ("command", command))}
        results += [
            Result("cold build, PDF part: both renderers vs bare WeasyPrint, same HTML",
                   times["pipeline"] / times["bare"], "×", target=1.2,
                   detail=f"renderers {times['pipeline']:.2f} s, bare {times['bare']:.2f} s, "
                          "WeasyPrint import included in both (medians of 3 processes)"),
            Result("cold: whole `complaints-code build --only large-print,print`",
                   times["command"], "s",
                   detail="adds Python and CLI start-up, and loading and checking the "
                          "source, to the PDF part"),
        ]
        results += _batch(folder, warm)
    return results


def _batch(folder: Path, single: float) -> list[Result]:
    workers = os.cpu_count() or 1
    jobs = copy_batch.plan([_request(n) for n in range(BATCH)], TEMPLATES,
                           out_dir=folder / "batch", today=dt.date(2026, 12, 1))
    started = time.perf_counter()
    copy_batch.run_batch(SOURCE, jobs, templates=TEMPLATES, workers=workers)
    took = time.perf_counter() - started
    speedup = BATCH * single / took
    return [
        Result(f"batch of {BATCH} personalised copies, {workers} processes", BATCH / took,
               "copies/s", detail=f"{took:.1f} s in all, pool start-up included"),
        Result("batch: time per copy ÷ (single-copy time ÷ cores)", workers / speedup, "×",
               target=1.25, detail=f"speed-up {speedup:.2f} on {workers} cores "
                                   f"(single copy {single * 1000:.0f} ms warm)"),
    ]
