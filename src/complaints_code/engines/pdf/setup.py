"""What every PDF document (the Code, the cover letter) starts from: where
the templates and shipped fonts are, the print settings, the check that the
fonts have every character, and the Jinja2 environment of the print
templates. Light to import: no WeasyPrint here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from ...errors import InputError, RenderError
from ...resources import Resources, caches, tree_digest
from ...settings import FormatSettings, PrintSettings
from ...structure.model import Code
from ...structure.plain import section_lines
from ..fonts import describe_chars, missing_chars
from ..html import jinja_env

PRINT_DIR = "print"
"""The print templates' folder under templates/."""


class FontCoverageError(RenderError, InputError):
    """Text holds a character the shipped font cannot show."""


@dataclass(frozen=True)
class Setup:
    """Where the PDF pipeline finds its templates and fonts, and its settings."""

    res: Resources
    settings: PrintSettings

    @property
    def body_fonts(self) -> list[Path]:
        """The body font files."""
        return [self.res.font(f) for f in self.settings.body_fonts]

    @property
    def address_fonts(self) -> list[Path]:
        """The envelope address font files."""
        return [self.res.font(f) for f in self.settings.address_fonts]

    @property
    def fallback_fonts(self) -> list[Path]:
        """The fallback font files, regular then bold, for characters the body
        or address font lacks."""
        return [self.res.font(f) for f in self.settings.fallback_fonts]

    def missing_body(self, text: str) -> list[str]:
        """Characters of ``text`` that neither the body font nor its fallback has."""
        return missing_chars(text, self.body_fonts, self.fallback_fonts)

    def missing_address(self, text: str) -> list[str]:
        """Characters of ``text`` that neither the address font nor its fallback has."""
        return missing_chars(text, self.address_fonts, self.fallback_fonts)

    def font_label(self) -> str | None:
        """The body font's name when it is not the usual one (the first of
        font_choices), for the cover; None for the usual one."""
        choices = list(self.settings.font_choices.values())
        for n, family in enumerate(choices):
            if family.files == tuple(self.settings.body_fonts[:2]):
                return family.label if n else None
        return None

    def key(self) -> str:
        """What its caches are keyed by: the settings and the templates' and
        fonts' contents, so an edited template is seen at once."""
        return (self.settings.model_dump_json() + tree_digest(self.res.folder(PRINT_DIR))
                + tree_digest(self.res.fonts_folder))

    def env(self) -> Environment:
        """The Jinja2 environment of the print templates."""
        return _env(self.res.folder(PRINT_DIR))

    @property
    def base_url(self) -> str:
        """The URL the documents' relative links (fonts) are resolved against."""
        return str(self.res.folder(PRINT_DIR)) + "/"


@caches.memo(None)
def _env(folder: Path) -> Environment:
    # Jinja2 reloads a template whose file changed on disk (auto_reload).
    return jinja_env(folder, breaks=True)


def check_code_glyphs(code: Code, setup: Setup) -> None:
    """Raise FontCoverageError if any text of the Code is missing from the
    shipped body font: a missing glyph would silently fall back to another."""
    m = code.metadata
    places = [("metadata", f"{m.provider} {m.title} {m.version}")]
    places += [(f"section '{s.id}'", "\n".join(section_lines(code, s))) for s in code.sections]
    for where, text in places:
        bad = setup.missing_body(text)
        if bad:
            raise FontCoverageError(
                f"{where} uses {describe_chars(bad)}, which the print font cannot show; "
                "use a different character in the source, or ship a font that has it")


def long_date(day: dt.date) -> str:
    """A date as British English prints it: 25 November 2026."""
    return f"{day.day} {day:%B %Y}"


def document_title(code: Code, fmt: FormatSettings, size: int) -> str:
    """The title shown in a PDF viewer's title bar."""
    m = code.metadata
    return f"{m.title}, {m.provider}: {fmt.label_for(size)}"


def fonts_css(setup: Setup) -> str:
    """The @font-face rules of every document: the shipped body, address and
    fallback fonts, by URLs relative to the print templates' folder."""
    s = setup.settings
    return setup.env().get_template("fonts.css.j2").render(
        body=s.body_fonts, address=s.address_fonts, fallback=s.fallback_fonts)
