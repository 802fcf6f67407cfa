"""A section of the Code and the blocks it is made of: paragraphs, the
contact table, the stage table and address blocks."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from .inline import Inline, parse_inline
from .values import Frozen, Id, Markup, Words


class Paragraph(Frozen):
    """A paragraph of text."""

    paragraph: Markup
    """The paragraph, word for word."""

    @cached_property
    def inlines(self) -> tuple[Inline, ...]:
        """The paragraph, parsed."""
        return parse_inline(self.paragraph)


class ContactTable(Frozen):
    """The table of contact methods, in the order given."""

    contacts: tuple[Id, ...] = Field(min_length=1)
    """Ids of the contact methods to list, in order."""


class StageTableHeadings(Frozen):
    """The column headings of the stage table, as printed."""

    number: str = ""
    """Heading of the stage-number column (the Opus Code leaves it blank)."""
    stage: Words = "Stage"
    """Heading of the stage-title column."""
    description: Words = "Description"
    """Heading of the description column."""


class StageTable(Frozen):
    """The table of complaint stages."""

    stages: StageTableHeadings
    """The table's column headings. The rows come from the top-level stages."""


class AddressBlock(Frozen):
    """A postal address set out line by line."""

    address: Annotated[str, Field(pattern=r"^(contact|adr):[a-z0-9][a-z0-9-]*$")]
    """Which address: contact:ID or adr:ID, naming a contact method of kind post."""


def _block_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        keys = set(value) & set(BLOCK_KINDS)
        return next(iter(keys)) if len(keys) == 1 else None
    return next((k for k, v in BLOCK_KINDS.items() if isinstance(value, v)), None)


BLOCK_KINDS: dict[str, type[Frozen]] = {
    "paragraph": Paragraph,
    "contacts": ContactTable,
    "stages": StageTable,
    "address": AddressBlock,
}

Block = Annotated[
    Annotated[Paragraph, Tag("paragraph")]
    | Annotated[ContactTable, Tag("contacts")]
    | Annotated[StageTable, Tag("stages")]
    | Annotated[AddressBlock, Tag("address")],
    Discriminator(_block_tag, custom_error_type="block_kind",
                  custom_error_message="each block must have exactly one of the keys "
                  "paragraph, contacts, stages or address"),
]


class Section(Frozen):
    """A section of the Code: a heading and its blocks."""

    id: Id
    """Stable id; becomes the web anchor (#id). Never change it once published."""
    title: Words
    """The heading as printed."""
    level: Literal[1, 2] = 1
    """1 for a main heading, 2 for a sub-heading."""
    blocks: tuple[Block, ...] = ()
    """The section's content, in order."""
