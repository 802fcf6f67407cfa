"""Settings of the large-print and standard-print PDFs and of the cover letter
(the ``[print]`` section of ``complaints-code.toml``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..errors import quoted
from .strict import check_field

Sides = Literal["single", "double"]
"""How a copy is printed: on one side of each sheet, or on both."""
Envelope = Literal["DL", "C4"]
"""DL: the letter and copy folded in three; C4: flat, unfolded A4."""


class Section(BaseModel):
    """Base of every settings section: frozen, unknown keys refused, and each
    field's docstring kept as its description (shown by ``complaints-code config``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    _strict = field_validator("*", mode="before")(classmethod(check_field))


class FormatSettings(Section):
    """One print format's settings (``[print.formats.NAME]``)."""

    name: str = ""
    """The format's name; filled in from its key."""
    file: str
    """The published file's name under ``downloads/``."""
    size: int = Field(ge=8, le=72)
    """The body size in points of the published copy."""
    sizes: tuple[int, ...] = Field(min_length=1)
    """The sizes a copy may be asked for in, in points."""
    label: str
    """The format's label on the cover; ``{size}`` is filled in."""
    short_label: str
    """The format's name as the cover letter says it."""
    linearise_tables: bool
    """Set tables out as headed blocks (for large sizes)."""
    bold: bool = False
    """Body text in bold as well as headings (some readers with low vision
    ask for it; UKAAF: offer it, do not impose it)."""
    line_spacing: float = 1.5
    """Line spacing as a multiple of the text size (UKAAF and WCAG 1.4.12: 1.5)."""
    line_spacings: tuple[float, ...] = Field((1.25, 1.5, 1.75, 2.0), min_length=1)
    """The line spacings a copy may be asked for in."""
    sides: Sides = "double"
    """Printed on one side of each sheet or on both: page numbers go on the
    outer edge of double-sided pages and in the centre of single-sided ones,
    and a copy's one-page letter is followed by a blank page when double-sided,
    so the Code starts on a sheet of its own."""
    paper_tint: str = "white"
    """The paper to print on, as an instruction to the print room (UKAAF:
    white or off-white unless the reader asks for a tint); one of
    ``paper_tints`` in ``[print]``."""
    fold_max_sheets: int | None = 5
    """The most sheets (the letter's included) that fold in three into a DL
    window envelope: five sheets make fifteen layers, about 2 mm, well within
    a DL envelope and Royal Mail's 5 mm for a letter; more is hard to fold
    neatly and pushes the address out of the window. With the letter's
    envelope "auto" a thicker copy goes flat in a C4 envelope, and a DL
    envelope asked for it is refused. None: no limit."""

    def label_for(self, size: int) -> str:
        """The format label shown on the cover, e.g. "Large print (18 point)"."""
        return self.label.format(size=size)

    def describe(self, size: int, font: str | None = None) -> str:
        """What was chosen, as the cover says it, e.g. "Large print, 24 point,
        bold, line spacing 1.5" (the font is named when it is not the usual one)."""
        words = [self.short_label[:1].upper() + self.short_label[1:], f"{size} point"]
        if self.bold:
            words.append("bold")
        words.append(f"line spacing {self.line_spacing:g}")
        if font:
            words.append(f"{font} font")
        return ", ".join(words)

    @model_validator(mode="after")
    def _size_offered(self) -> FormatSettings:
        if self.size not in self.sizes:
            raise ValueError(f"size {self.size} is not one of sizes {quoted(list(self.sizes))}; "
                             "add it to sizes or choose one of them")
        if self.line_spacing not in self.line_spacings:
            raise ValueError(f"line_spacing {self.line_spacing:g} is not one of line_spacings "
                             f"{quoted(list(self.line_spacings))}; add it or choose one of them")
        return self


class Box(Section):
    """A rectangle on the sheet, in mm from its top-left corner."""

    left_mm: float
    """Distance from the sheet's left edge."""
    top_mm: float
    """Distance from the sheet's top edge."""
    width_mm: float = Field(gt=0)
    """Width."""
    height_mm: float = Field(gt=0)
    """Height."""

    @property
    def bottom_mm(self) -> float:
        """The bottom edge."""
        return self.top_mm + self.height_mm


class LetterSettings(Section):
    """The cover letter (``[print.letter]``)."""

    address_size_pt: float = 11
    """The smallest size of the envelope address: an address that does not
    fit the window at this size is refused. Postal sorting machines and staff
    read 10 to 12 point best (Royal Mail), whatever size the letter uses; the
    letter repeats the address at the reader's own size above the greeting."""
    address_max_size_pt: float = 12
    """The largest size of the envelope address: it is set at the largest
    size, in half points down to address_size_pt, at which it fits the window."""
    address_line_height: float = 1.15
    """Line height of the envelope address, as a multiple of its size."""
    margin_top_mm: float = 12
    """The letter's top margin."""
    margin_left_mm: float = 20
    """The letter's left margin."""
    clear_right_mm: float = 112
    """Nothing but the address is printed left of this line (and above
    clear_bottom_mm): a folded sheet slides up to about 10 mm in a DL envelope,
    and the sender's own address must never show through the window."""
    clear_bottom_mm: float = 92
    """See clear_right_mm."""
    address_block: Box = Box(left_mm=24, top_mm=53, width_mm=74, height_mm=29)
    """Where the recipient's address is printed: inside the window, with a
    margin for folding slack."""
    window: Box = Box(left_mm=20, top_mm=50, width_mm=80, height_mm=34)
    """The part of an A4 sheet, folded in thirds, that always shows through a DL
    window envelope (90 x 45 mm window, 20 mm from the left, 15 mm from the
    bottom). Confirm against the envelope stock actually used."""
    envelope: Literal["auto", "DL", "C4"] = "auto"
    """Which window envelope the letter is laid out for. "auto": DL (folded in
    three) unless the format's fold_max_sheets says the copy is too thick to
    fold, then C4 (flat). A braille copy's letter, sent alone, is DL."""
    c4_address_block: Box = Box(left_mm=24, top_mm=54, width_mm=77, height_mm=31)
    """Where the recipient's address is printed on an unfolded A4 sheet for a
    C4 window envelope."""
    c4_window: Box = Box(left_mm=20, top_mm=50, width_mm=85, height_mm=40)
    """The part of an unfolded A4 sheet that shows through a C4 window envelope.
    Typical UK C4 window stock has a 90 x 45 mm window about 20 mm from the
    left and 50 to 60 mm from the top, but makers differ and a flat sheet
    slides further than a folded one: measure a sheet in the envelope stock
    actually used (pushed to the bottom and to each side) and set this and
    c4_address_block to the part that always shows."""
    c4_clear_right_mm: float = 112
    """As clear_right_mm, for a C4 window envelope."""
    c4_clear_bottom_mm: float = 92
    """As clear_bottom_mm, for a C4 window envelope."""

    @model_validator(mode="after")
    def _address_sizes(self) -> LetterSettings:
        if self.address_max_size_pt < self.address_size_pt:
            raise ValueError(f"address_max_size_pt {self.address_max_size_pt:g} is smaller than "
                             f"address_size_pt {self.address_size_pt:g}; make it at least as large")
        return self

    def geometry(self, envelope: Envelope) -> tuple[Box, Box, float, float]:
        """The address block, window and clear zone (right, bottom) of an envelope."""
        if envelope == "C4":
            return (self.c4_address_block, self.c4_window, self.c4_clear_right_mm,
                    self.c4_clear_bottom_mm)
        return self.address_block, self.window, self.clear_right_mm, self.clear_bottom_mm


def _formats() -> dict[str, FormatSettings]:
    return {
        "large-print": FormatSettings(
            name="large-print", file="complaints-code-large-print.pdf", size=18,
            sizes=(16, 18, 20, 24, 28, 32), label="Large print ({size} point)",
            short_label="large print", linearise_tables=True),
        "print": FormatSettings(
            name="print", file="complaints-code-print.pdf", size=14, sizes=(12, 14),
            label="Standard print ({size} point)", short_label="standard print",
            linearise_tables=False),
    }


class FontFamily(Section):
    """A shipped font family a copy may be set in."""

    label: str
    """Its name, as the cover and the staff see it."""
    files: tuple[str, str]
    """Its regular and bold files in templates/fonts/."""


def _font_choices() -> dict[str, FontFamily]:
    return {
        "atkinson-hyperlegible": FontFamily(
            label="Atkinson Hyperlegible",
            files=("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf")),
        "dejavu-sans": FontFamily(label="DejaVu Sans",
                                  files=("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")),
    }


class PrintSettings(Section):
    """The large-print and standard-print PDFs and the cover letter."""

    body_fonts: tuple[str, ...] = Field(("AtkinsonHyperlegible-Regular.ttf",
                                         "AtkinsonHyperlegible-Bold.ttf"), min_length=1)
    """Body fonts, regular then bold, in templates/fonts/. Atkinson Hyperlegible
    (Braille Institute, SIL Open Font License) was designed for low-vision readers."""
    address_fonts: tuple[str, ...] = Field(("LiberationSans-Regular.ttf",), min_length=1)
    """The envelope address font: Atkinson's zero is slashed, and a slashed
    zero can be misread by postal OCR."""
    fallback_fonts: tuple[str, str] = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
    """Fallback fonts, regular then bold, for a character the body or address
    font lacks (Atkinson Hyperlegible has no ŵ or ŷ, which Welsh needs).
    DejaVu Sans (Bitstream Vera licence) covers every Latin-script language of
    the UK, Ireland and Europe, and Greek and Cyrillic."""
    font_choices: dict[str, FontFamily] = Field(default_factory=_font_choices, min_length=1)
    """The font families a copy may be set in (``copy --font``); body_fonts
    is the usual one."""
    paper_tints: tuple[str, ...] = Field(("white", "cream", "pale yellow", "pale blue",
                                          "pale green", "pink", "lilac", "grey"), min_length=1)
    """The paper tints the print room stocks (a copy's ``--paper``)."""
    paper_stock: str = "A4, matt (uncoated), at least 90 gsm so print does not show through"
    """The print room's paper, as the job instructions say it (RNIB Clear Print)."""
    formats: dict[str, FormatSettings] = Field(default_factory=_formats)
    """The PDF formats: large-print (UKAAF: at least 16 point, ideally 18; tables
    as headed blocks) and print (RNIB Clear Print: at least 12, ideally 14)."""
    letter: LetterSettings = LetterSettings()
    """The cover letter and its envelope window."""

    @model_validator(mode="before")
    @classmethod
    def _name_formats(cls, data: object) -> object:
        # A format's name is its key: [print.formats.large-print] is "large-print".
        if isinstance(data, dict) and isinstance(data.get("formats"), dict):
            defaults = _formats()
            formats = {}
            for key, value in data["formats"].items():
                if isinstance(value, dict):
                    base = defaults[key].model_dump() if key in defaults else {}
                    value = {**base, **value, "name": key}
                formats[key] = value
            data = {**data, "formats": {**defaults, **formats}}
        return data
