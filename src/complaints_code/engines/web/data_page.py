"""The website's "Data" page: every file of the site that other tools read
(the data export and its descriptions, and the braille as PEF and as
Unicode text), each with what it is for.

Every file in the site's ``data/`` folder must be in :data:`CATALOGUE`, so a
new data file cannot be published without its description
(:func:`data_files` refuses one that is not).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from ...errors import RenderError
from ...output import human_size

PAGE = "data-files.md"
"""The page's source name (its address is ``data-files/``): not ``data.md``,
whose ``data/index.html`` would sit among the data renderer's own files."""


@dataclass(frozen=True)
class Entry:
    """What the page says about the files one pattern matches."""

    pattern: str
    """A glob relative to the site folder, e.g. ``data/*.csv``."""
    title: str
    kind: str
    purpose: str


CATALOGUE: tuple[Entry, ...] = (
    Entry("data/complaints-code.json", "Stages and timescales", "JSON",
          "For programs (a CRM, a ticketing system): the complaint stages and every timescale "
          "with how it is counted, the working-time calendar, and which version of the Code "
          "they come from."),
    Entry("data/complaints-code.export.schema.json",
          "JSON Schema of the stages and timescales", "JSON Schema",
          "Describes the JSON file above, field by field, to check it or to generate code that "
          "reads it."),
    Entry("data/datapackage.json", "Data Package descriptor", "JSON",
          "Describes the CSV files for data tools (Frictionless Data Package): each column's "
          "type and meaning, units, the time zone, and the separator inside a list cell."),
    Entry("data/complaints-code-stages.csv", "Complaint stages", "CSV",
          "One row per stage, for a spreadsheet. A stage's timescales are ids of rows of the "
          "timescales file, separated by semicolons."),
    Entry("data/complaints-code-timescales.csv", "Timescales", "CSV",
          "One row per timescale: the Code's words, the amount and its unit, whether only "
          "working time counts, the time zone, and how it is read."),
    Entry("data/complaints-code-calendar.csv", "Working-time calendar", "CSV",
          "The working days and hours timescales are counted in, their time zone, and whose "
          "bank holidays are not working days."),
    Entry("downloads/*.pef", "Braille pages (PEF)", "PEF",
          "The braille edition as PEF, the XML format braille production houses and DAISY "
          "tools read: the same pages as the embosser file."),
    Entry("downloads/*-braille.txt", "Braille pages (Unicode braille)", "TXT",
          "The same braille pages as Unicode braille characters, for a braille display or "
          "notetaker, or to read the dots on screen."),
)


@dataclass(frozen=True)
class DataFile:
    """A file the page lists."""

    path: str
    """Relative to the site folder, with forward slashes."""
    entry: Entry
    size: int

    @property
    def meta(self) -> str:
        """Type and size, e.g. "CSV, 2 KB"."""
        return f"{self.entry.kind}, {human_size(self.size)}"


def data_files(site_dir: Path) -> list[DataFile]:
    """The files of ``site_dir`` the page lists, in catalogue order. Raises
    RenderError for a file in ``data/`` that the catalogue does not describe."""
    found: list[DataFile] = []
    for entry in CATALOGUE:
        for path in sorted(site_dir.glob(entry.pattern)):
            if path.is_file():
                found.append(DataFile(path.relative_to(site_dir).as_posix(), entry,
                                      path.stat().st_size))
    listed = {f.path for f in found}
    folder = site_dir / "data"
    unknown = sorted(p.relative_to(site_dir).as_posix() for p in folder.rglob("*")
                     if p.is_file()) if folder.is_dir() else []
    unknown = [p for p in unknown if p not in listed
               and not any(fnmatch.fnmatch(p, e.pattern) for e in CATALOGUE)]
    if unknown:
        raise RenderError(f"{unknown[0]} is published but the Data page does not say what it "
                          "is for; add it to CATALOGUE in engines/web/data_page.py")
    return found
