"""Settings of the large-print and standard-print PDFs and of the cover letter
(the ``[print]`` section of ``complaints-code.toml``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Section(BaseModel):
    """Base of every settings section: frozen, unknown keys refused, and each
    field's docstring kept as its description (shown by ``complaints-code config``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class FormatSettings(Section):
    """One print format's settings (``[print.formats.NAME]``)."""

    name: str = ""
    """The format's name; filled in from its key."""
    file: str
    """The published file's name under ``downloads/``."""
    size: int = Field(ge=8, le=72)
    """The body size in points of the published copy."""
    sizes: tuple[int, ...]
    """The sizes a copy may be asked for in, in points."""
    label: str
    """The format's label on the cover; ``{size}`` is filled in."""
    short_label: str
    """The format's name as the cover letter says it."""
    linearise_tables: bool
    """Set tables out as headed blocks (for large sizes)."""

    def label_for(self, size: int) -> str:
        """The format label shown on the cover, e.g. "Large print (18 point)"."""
        return self.label.format(size=size)

    @model_validator(mode="after")
    def _size_offered(self) -> FormatSettings:
        if self.size not in self.sizes:
            raise ValueError(f"size {self.size} is not one of sizes {list(self.sizes)}; "
                             "add it to sizes or choose one of them")
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
    """The envelope address stays at a size postal sorting machines read well,
    whatever size the letter and the copy use."""
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
    sender_address_max_size: int = 24
    """Above this size the letterhead gives the provider's name without its
    postal address (the copy itself gives it), so the letter stays on one page."""
    address_block: Box = Box(left_mm=24, top_mm=53, width_mm=74, height_mm=29)
    """Where the recipient's address is printed: inside the window, with a
    margin for folding slack."""
    window: Box = Box(left_mm=20, top_mm=50, width_mm=80, height_mm=34)
    """The part of an A4 sheet, folded in thirds, that always shows through a DL
    window envelope (90 x 45 mm window, 20 mm from the left, 15 mm from the
    bottom). Confirm against the envelope stock actually used."""


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


class PrintSettings(Section):
    """The large-print and standard-print PDFs and the cover letter."""

    body_fonts: tuple[str, ...] = ("AtkinsonHyperlegible-Regular.ttf",
                                   "AtkinsonHyperlegible-Bold.ttf")
    """Body fonts, regular then bold, in templates/fonts/. Atkinson Hyperlegible
    (Braille Institute, SIL Open Font License) was designed for low-vision readers."""
    address_fonts: tuple[str, ...] = ("LiberationSans-Regular.ttf",)
    """The envelope address font: Atkinson's zero is slashed, and a slashed
    zero can be misread by postal OCR."""
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
