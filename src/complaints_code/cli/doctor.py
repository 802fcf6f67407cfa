"""``complaints-code doctor``: is every piece the program needs in place?

Each check says what it found and, when something is missing, the exact
command that fixes it. Required pieces make the program fail without them;
optional ones (Chromium, used only by the tests; the service's database)
are reported but do not fail the check. A service database that does not
exist yet is not a fault: ``serve`` creates it.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ComplaintsCodeError
from ..resources import braille_table, resources
from ..settings import Settings

APT = "sudo apt-get install -y --no-install-recommends"


@dataclass(frozen=True)
class Check:
    """The outcome of one check."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def diagnose(settings: Settings) -> list[Check]:
    """Every check, in order."""
    checks: list[Callable[[Settings], Check]] = [
        _louis_binding, _braille_tables, _fonts, _templates, _pango, _mkdocs_config,
        _speech, _chromium, _database,
    ]
    return [check(settings) for check in checks]


def _louis_binding(settings: Settings) -> Check:
    try:
        louis = importlib.import_module("louis")
        return Check("louis binding", True, f"liblouis {louis.version()}")
    except (ImportError, OSError) as exc:
        link = Path(sys.prefix) / "bin" / "python"
        return Check("louis binding", False, f"cannot import louis ({exc})",
                     f"{APT} liblouis20 python3-louis && {link} scripts/link-louis.py "
                     f"(links Debian's louis into {sysconfig.get_paths()['purelib']})")


def _braille_tables(settings: Settings) -> Check:
    names = sorted({t for tables in settings.braille.tables.values() for t in tables})
    try:
        found = [braille_table(name) for name in names]
    except ComplaintsCodeError as exc:
        return Check("braille tables", False, str(exc), f"{APT} liblouis-data")
    return Check("braille tables", True, ", ".join(p.name for p in found))


def _fonts(settings: Settings) -> Check:
    res = resources(settings)
    cfg = settings.print
    choices = [f for family in cfg.font_choices.values() for f in family.files]
    names = list(dict.fromkeys([*cfg.body_fonts, *cfg.address_fonts, *cfg.fallback_fonts,
                                *choices]))
    try:
        paths = [res.font(name) for name in names]
    except ComplaintsCodeError as exc:
        return Check("fonts", False, str(exc), "git checkout -- templates/fonts")
    return Check("fonts", True, ", ".join(p.name for p in paths))


def _templates(settings: Settings) -> Check:
    folder = settings.templates
    return _there("templates", folder, folder.is_dir(),
                  "set templates in complaints-code.toml to the project's templates folder")


def _there(name: str, path: Path, found: bool, fix: str) -> Check:
    if not found:
        return Check(name, False, f"{path} does not exist", fix)
    return Check(name, True, str(path))


def _pango(settings: Settings) -> Check:
    try:
        importlib.import_module("weasyprint")
    except (ImportError, OSError) as exc:
        return Check("WeasyPrint and Pango", False, f"cannot load WeasyPrint ({exc})",
                     f"{APT} libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig")
    from weasyprint.text.ffi import pango  # lazy: WeasyPrint (0.4 s), just found loadable

    number = int(pango.pango_version())  # e.g. 15012 for 1.50.12
    version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    return Check("WeasyPrint and Pango", True, f"Pango {version}")


def _mkdocs_config(settings: Settings) -> Check:
    path = settings.mkdocs_config
    return _there("website config", path, path.is_file(),
                  "set mkdocs_config in complaints-code.toml, or git checkout -- mkdocs.yml")


def _speech(settings: Settings) -> Check:
    from ..engines.audio import synth  # lazy: the audio engine; only this check needs it

    tools = synth.needed_tools(settings.audio)
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        return Check("speech (audio format)", False, f"{', '.join(missing)} not installed",
                     f"{APT} {' '.join(dict.fromkeys(synth.TOOLS[t] for t in missing))}")
    return Check("speech (audio format)", True,
                 f"{', '.join(tools)} ({settings.audio.format})")


def _chromium(settings: Settings) -> Check:
    found = shutil.which("chromium") or (Path("/usr/bin/chromium").exists() and "/usr/bin/chromium")
    if not found:
        return Check("Chromium (tests only)", False, "not installed", f"{APT} chromium",
                     required=False)
    return Check("Chromium (tests only)", True, str(found), required=False)


def _database(settings: Settings) -> Check:
    try:
        # lazy: SQLAlchemy (0.2 s), which may be missing; only this check needs it
        from sqlalchemy import create_engine, text  # type: ignore[import-not-found,unused-ignore]
        from sqlalchemy.engine import make_url  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return Check("service database", False, "SQLAlchemy is not installed",
                     "make setup", required=False)
    shown = _redact(settings.database)
    try:
        url = make_url(settings.database)
    except Exception as exc:  # any malformed URL: report it, don't crash
        return Check("service database", False, f"{shown}: not a database URL ({exc})",
                     "fix database_url (COMPLAINTS_CODE_DATABASE_URL)", required=False)
    # Never create the file here: a fresh checkout has none until the
    # service first starts, and that is as it should be.
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and not Path(url.database).exists():
        return Check("service database", True, f"{shown}: not created yet — `serve` "
                     "creates it", required=False)
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any driver's error: report it, don't crash
        return Check("service database", False, f"{shown}: {_first_line(exc)}",
                     "check database_url (COMPLAINTS_CODE_DATABASE_URL), or start the "
                     "database", required=False)
    return Check("service database", True, shown, required=False)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _redact(url: str) -> str:
    # Never print a database password.
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
