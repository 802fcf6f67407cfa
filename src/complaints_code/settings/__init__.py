"""One typed settings object for every command, renderer and the service.

Settings are read, lowest priority first, from the defaults below, the
config file (``complaints-code.toml`` in the project folder, found from the
working folder upwards, or ``--config PATH``), ``COMPLAINTS_CODE_*``
environment variables (``COMPLAINTS_CODE_BRAILLE__CELLS=32`` for a section's
key), then command-line flags.

A relative path in the config file is resolved against the file's folder; in
the environment or on the command line, against the working folder; a
default, against the project folder. Nothing else depends on the working
folder.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
)

from ..errors import InputError, quoted, visible
from .audio import AudioSettings
from .batch import BatchSettings
from .braille import BrailleSettings, BrailleSettingsError
from .build import BuildSettings
from .env import read_env, setting_paths
from .formats import DocxSettings, EpubSettings, TextSettings
from .print import Box, FontFamily, FormatSettings, LetterSettings, PrintSettings
from .service import ServiceSettings
from .strict import MESSAGE_LIMIT, check_field, describe
from .web import WebSettings

__all__ = [
    "CONFIG_NAME",
    "AudioSettings",
    "BatchSettings",
    "Box",
    "BrailleSettings",
    "BrailleSettingsError",
    "BuildSettings",
    "DocxSettings",
    "EpubSettings",
    "FontFamily",
    "FormatSettings",
    "LetterSettings",
    "PrintSettings",
    "ServiceSettings",
    "Settings",
    "SettingsError",
    "TextSettings",
    "WebSettings",
    "find_config",
    "load_settings",
]

CONFIG_NAME = "complaints-code.toml"
ENV_PREFIX = "COMPLAINTS_CODE_"
BUNDLED = Path(__file__).resolve().parents[1] / "project"
"""The project files an installed package carries (templates, the website's
pages and MkDocs config, a sample source); see pyproject.toml."""


def _checkout() -> Path:
    """The project folder when no config file is found: the checkout this
    package runs from, or, installed from a wheel, the files it carries."""
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "pyproject.toml").is_file() and (checkout / "templates").is_dir():
        return checkout
    return BUNDLED


CHECKOUT = _checkout()
PATH_KEYS = ("source", "out", "templates", "mkdocs_config", "var")


class SettingsError(InputError):
    """A setting is missing, of the wrong type or out of range. Carries one
    line per problem, each naming the key, the value, where it came from and
    the fix."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class Settings(BaseModel):
    """Everything the program can be told. ``complaints-code config`` prints
    the effective values and where each came from.

    A plain pydantic model: :func:`load_settings` merges the file, the
    environment (``env``) and the flags itself, so that it can say where each
    value came from; the class validates only what it is given. (It was a
    pydantic-settings class, whose sources were all turned off: importing
    that package cost every command a tenth of a second.)"""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True,
                              validate_default=True)

    project: Path = CHECKOUT
    """The project folder: where the config file is (else the checkout the
    program was installed from). Default paths are relative to it."""
    source: Path = Path("code_source/complaints-code.yaml")
    """The Code source YAML."""
    out: Path = Path("dist")
    """The build folder; the published site is OUT/site."""
    templates: Path = Path("templates")
    """Templates, CSS, fonts and the website's theme overrides."""
    mkdocs_config: Path = Path("mkdocs.yml")
    """The website's MkDocs configuration (its docs_dir holds the hand-written pages)."""
    var: Path = Path("var")
    """Run-time files of the service: its SQLite database, by default."""
    service_url: str | None = None
    """Base URL of the copy-request and feedback service, for the website's links."""
    database_url: str | None = None
    """The service's database (SQLAlchemy URL); default SQLite in VAR."""
    rate_limit: str = "10/minute"
    """Public POSTs allowed per client, as N/second, N/minute or N/hour; 0 turns it off."""
    build: BuildSettings = Field(default_factory=BuildSettings)
    """How ``complaints-code build`` runs."""
    print: PrintSettings = Field(default_factory=PrintSettings)
    """The large-print and standard-print PDFs and the cover letter."""
    braille: BrailleSettings = Field(default_factory=BrailleSettings)
    """The braille files (BRF, PEF, Unicode text, proof preview)."""
    web: WebSettings = Field(default_factory=WebSettings)
    """The website."""
    epub: EpubSettings = Field(default_factory=EpubSettings)
    """The accessible EPUB 3 book."""
    docx: DocxSettings = Field(default_factory=DocxSettings)
    """The Word document."""
    text: TextSettings = Field(default_factory=TextSettings)
    """The plain text (also the body of emailed copies)."""
    audio: AudioSettings = Field(default_factory=AudioSettings)
    """The spoken Code (audio files, playlist and zip)."""
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    """The copy-request and feedback service."""
    batch: BatchSettings = Field(default_factory=BatchSettings)
    """Batch print runs of copies (``copy --batch``)."""

    _origins: dict[str, str] = PrivateAttr(default_factory=dict)
    _config_file: Path | None = PrivateAttr(default=None)
    _warnings: tuple[str, ...] = PrivateAttr(default=())

    _strict = field_validator("*", mode="before")(classmethod(check_field))

    @property
    def config_file(self) -> Path | None:
        """The config file read, if any."""
        return self._config_file

    @property
    def warnings(self) -> tuple[str, ...]:
        """What was ignored while reading the settings (a ``COMPLAINTS_CODE_*``
        variable that names no setting), one sentence each."""
        return self._warnings

    def origin(self, key: str) -> str:
        """Where a dotted key's value came from: default, file, environment or flag."""
        parts = key.split(".")
        for n in range(len(parts), 0, -1):
            found = self._origins.get(".".join(parts[:n]))
            if found:
                return found
        return "default"

    @property
    def database(self) -> str:
        """The database URL to use."""
        return self.database_url or f"sqlite:///{self.var / 'complaints-code.db'}"


def find_config(start: Path) -> Path | None:
    """The nearest complaints-code.toml in ``start`` or a folder above it;
    else the checkout's own, so that a command run from any other folder
    (a member of staff's home, say) reads the project's settings rather than
    the defaults."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    own = CHECKOUT / CONFIG_NAME
    return own if CHECKOUT != BUNDLED and own.is_file() else None


def load_settings(config: Path | None = None, *, flags: Mapping[str, Any] | None = None,
                  cwd: Path | None = None, environ: Mapping[str, str] | None = None,
                  search: bool = True, flag_names: Mapping[str, str] | None = None) -> Settings:
    """The effective settings. ``config`` names the file (else it is searched
    for from ``cwd`` upwards, unless ``search`` is false); ``flags`` are
    command-line values (nested dicts for sections; None values are ignored),
    and ``flag_names`` says how a flag is written where it is not the key's
    own name (``{"service.purge_after_days": "--days"}``). Raises
    SettingsError naming every bad key, its value, where it came from and
    the fix."""
    cwd = (cwd or Path.cwd()).resolve()
    environ = os.environ if environ is None else environ
    if config is not None:
        config = (cwd / config).resolve()
        if not config.is_file():
            raise SettingsError([f"{visible(str(config))}: the config file does not exist; "
                                 "check the path given"])
    elif search:
        config = find_config(cwd)
    env = read_env(environ, Settings, ENV_PREFIX)
    if env.problems:
        raise SettingsError(env.problems)
    flagged = _drop_none(dict(flags or {}))
    origins: dict[str, str] = {}
    data: dict[str, Any] = {"project": config.parent} if config else {}
    for origin, layer in (("file " + str(config), _read_file(config) if config else {}),
                          ("environment", _absolute(env.data, cwd)),
                          ("flag", _absolute(flagged, cwd))):
        for key in _flat(layer):
            named = next((env.origins[k] for k in _prefixes(key) if k in env.origins), None)
            origins[key] = (named if origin == "environment" and named
                            else _describe(origin, key, flag_names))
        data = _deep_merge(data, layer)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(_problems(exc, origins)) from None
    settings = _resolve_defaults(settings, cwd)
    settings._origins, settings._config_file = origins, config
    settings._warnings = tuple(env.warnings)
    return settings


def _describe(origin: str, key: str, flag_names: Mapping[str, str] | None = None) -> str:
    if origin == "environment":
        return f"environment {ENV_PREFIX}{key.replace('.', '__').upper()}"
    if origin == "flag":
        named = (flag_names or {}).get(key)
        return f"flag {named or '--' + key.split('.')[-1].replace('_', '-')}"
    return origin


def _read_file(path: Path) -> dict[str, Any]:
    try:
        # utf-8-sig: Windows editors save UTF-8 with a byte-order mark.
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise SettingsError([f"{path}: cannot read the config file ({exc.strerror})"]) from None
    except UnicodeDecodeError as exc:
        raise SettingsError([f"{path}: not UTF-8 text (byte {exc.start + 1}); save it as "
                             "UTF-8"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError([f"{path}: {exc}; fix the TOML syntax"]) from None
    except RecursionError:
        raise SettingsError([f"{path}: values are nested too deeply; fix the TOML"]) from None
    for key in PATH_KEYS:
        if isinstance(data.get(key), str) and data[key].strip():
            data[key] = str(path.parent / Path(data[key]).expanduser())
    return data


def _absolute(data: dict[str, Any], cwd: Path) -> dict[str, Any]:
    for key in PATH_KEYS:
        value = data.get(key)
        if isinstance(value, Path) or (isinstance(value, str) and value.strip()):
            data[key] = str(cwd / Path(value).expanduser())
    return data


def _resolve_defaults(settings: Settings, cwd: Path) -> Settings:
    project = settings.project.resolve()
    paths = {key: (_base(project, key, cwd) / getattr(settings, key)) for key in PATH_KEYS
             if not getattr(settings, key).is_absolute()}
    return settings.model_copy(update={"project": project, **paths})


def _base(project: Path, key: str, cwd: Path) -> Path:
    """What a relative default path is relative to: the project, except that
    an installed package without a config file writes its build and its
    run-time files in the working folder, not among its own files."""
    if project == BUNDLED and key in ("out", "var"):
        return cwd
    return project


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _drop_none(value)
            if not value:
                continue
        if value is not None:
            out[key] = value
    return out


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _flat(data: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            yield from _flat(value, dotted + ".")
        else:
            yield dotted


def _problems(exc: ValidationError, origins: Mapping[str, str]) -> list[str]:
    problems = []
    for error in exc.errors():
        key = ".".join(str(p) for p in error["loc"])
        # The key's own origin, else that of the nearest table it is in that
        # was given (a key missing from it has none of its own).
        where = next((origins[k] for k in _prefixes(key) if k in origins), None) or next(
            (o for p in _prefixes(key) for k, o in origins.items() if k.startswith(p + ".")),
            "default")
        value = error.get("input")
        message = error["msg"].removeprefix("Value error, ")
        shown = quoted(key, MESSAGE_LIMIT).strip('"')
        if error["type"] == "missing":
            table = key.rsplit(".", 1)[0]
            problems.append(f"{shown} (from {where}): missing; every {table} table needs it "
                            "(complaints-code config shows the defaults)")
        elif error["type"] == "extra_forbidden":
            problems.append(f"{shown} (from {where}): unknown setting; {_spelling(key)}")
        elif error["type"] == "too_short" and not (error.get("ctx") or {}).get("actual_length"):
            problems.append(f"{shown} (from {where}): the list of choices is empty; give at "
                            "least one (complaints-code config shows the default)")
        elif isinstance(value, dict):
            problems.append(f"{shown} (from {where}): {_short(message)}")
        else:
            problems.append(f"{shown} = {describe(value)} (from {where}): {_short(message)}; "
                            f"fix the value (complaints-code config shows the default)")
    return problems


def _short(message: str) -> str:
    # A validator's message may quote a long value (a list of sizes, say).
    return message if len(message) <= 4 * MESSAGE_LIMIT else message[:4 * MESSAGE_LIMIT] + "…"


def _spelling(key: str) -> str:
    known = [".".join(path) for path in setting_paths(Settings())]
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]}? (complaints-code config lists every setting)"
    return "remove it or check its spelling (complaints-code config lists every setting)"


def _prefixes(key: str) -> list[str]:
    parts = key.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]
