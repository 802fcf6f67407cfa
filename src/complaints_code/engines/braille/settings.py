"""Braille settings, read from ``templates/braille/settings.toml`` (data, not
code) and checked once. Cells, lines and grade may be overridden per copy."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ...errors import UsageError

SETTINGS_FILE = "braille/settings.toml"
PAGE_NUMBER_PLACES = ("top-right", "bottom-right")
CELLS_RANGE = (20, 100)
LINES_RANGE = (10, 50)
_FORBIDDEN_TABLES = ("en-gb-g2", "en_gb", "en-us-g2")
_WORDS = ("version", "effective", "code", "pages", "contents", "date_format")


class BrailleSettingsError(UsageError):
    """A braille setting (in the settings file or an option) is out of range."""


@dataclass(frozen=True)
class BrailleSettings:
    """Page size, grade, page-number place, tables and the added words."""

    cells: int
    """Cells per line."""
    lines: int
    """Lines per page, the page-number line included."""
    grade: int
    """1 (uncontracted) or 2 (contracted)."""
    page_number: str
    """"top-right" or "bottom-right"."""
    centre_margin: int
    """Blank cells kept at each side of a centred heading."""
    tables: dict[int, tuple[str, ...]]
    """liblouis table lists for Braille ASCII output, by grade."""
    words: dict[str, str]
    """The words added around the Code's own (title page, contents)."""
    source: str = SETTINGS_FILE

    @property
    def brf_tables(self) -> tuple[str, ...]:
        """The liblouis tables for this grade."""
        return self.tables[self.grade]

    def with_options(self, *, grade: int | None = None, cells: int | None = None,
                     lines: int | None = None) -> BrailleSettings:
        """A copy with some settings overridden, checked like the file's."""
        changed = replace(self, grade=self.grade if grade is None else grade,
                          cells=self.cells if cells is None else cells,
                          lines=self.lines if lines is None else lines,
                          source="braille copy option")
        changed.check()
        return changed

    def check(self) -> None:
        """Raise BrailleSettingsError naming the first bad setting."""
        if self.grade not in self.tables:
            self._fail("grade", self.grade, f"use one of {sorted(self.tables)}")
        for name, (low, high) in (("cells", CELLS_RANGE), ("lines", LINES_RANGE)):
            value = getattr(self, name)
            if not low <= value <= high:
                self._fail(name, value, f"use a number from {low} to {high}")
        if self.page_number not in PAGE_NUMBER_PLACES:
            self._fail("page_number", self.page_number,
                       f"use {' or '.join(PAGE_NUMBER_PLACES)}")
        if not 0 <= self.centre_margin <= self.cells // 4:
            self._fail("centre_margin", self.centre_margin,
                       f"use a number from 0 to {self.cells // 4}")
        for grade, tables in self.tables.items():
            bad = [t for t in tables if t.lower().startswith(_FORBIDDEN_TABLES)]
            if bad:
                self._fail(f"tables.brf.{grade}", bad[0], "that is not Unified English "
                           "Braille; use en-ueb-g1.ctb or en-ueb-g2.ctb")

    def _fail(self, name: str, value: object, hint: str) -> None:
        raise BrailleSettingsError(f"{self.source}: {name} = {value!r} is not allowed; {hint}")


def load_settings(templates: Path) -> BrailleSettings:
    """Read and check the braille settings under a templates folder."""
    path = templates / SETTINGS_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BrailleSettingsError(f"{path}: not found; restore it from the repository") from None
    except tomllib.TOMLDecodeError as exc:
        raise BrailleSettingsError(f"{path}: {exc}; fix the TOML syntax") from None
    settings = _from_toml(raw, str(path))
    settings.check()
    return settings


def _from_toml(raw: dict[str, Any], source: str) -> BrailleSettings:
    try:
        words = {key: str(raw["words"][key]) for key in _WORDS}
        tables = {int(k): tuple(v) for k, v in raw["tables"]["brf"].items()}
        return BrailleSettings(int(raw["cells"]), int(raw["lines"]), int(raw["grade"]),
                               str(raw["page_number"]), int(raw["centre_margin"]),
                               tables, words, source)
    except KeyError as exc:
        raise BrailleSettingsError(f"{source}: setting {exc} is missing; add it "
                                   "(see the comments in the shipped file)") from None
    except (TypeError, ValueError) as exc:
        raise BrailleSettingsError(f"{source}: a setting has the wrong type ({exc}); "
                                   "numbers must be whole numbers") from None
