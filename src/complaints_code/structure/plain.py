"""The Code as plain text lines, in reading order.

Used to prove the source holds the seed text word for word, by the lint to
search the wording, and by the redline to compare versions. Table rows come
out as their cells joined by tabs, as in the seed.
"""

from __future__ import annotations

from collections.abc import Iterator

from .model import AddressBlock, Code, ContactTable, Paragraph, Section, StageTable


def lines(code: Code) -> list[str]:
    """Every line of the Code's text, title first."""
    out = [code.metadata.title]
    for section in code.sections:
        out.extend(section_lines(code, section))
    return out


def section_lines(code: Code, section: Section) -> Iterator[str]:
    """The heading and then each line of one section."""
    yield section.title
    for block in section.blocks:
        if isinstance(block, Paragraph):
            yield code.plain(block.inlines)
        elif isinstance(block, ContactTable):
            for cid in block.contacts:
                contact = code.contact(cid)
                yield f"{contact.label}\t{code.plain(contact.inlines)}"
        elif isinstance(block, StageTable):
            h = block.stages
            yield f"{h.number}\t{h.stage}\t{h.description}"
            for stage in code.stages:
                yield f"{stage.number}\t{stage.title}\t{code.plain(stage.inlines)}"
        elif isinstance(block, AddressBlock):
            address = code.address(block.address)
            yield from address.lines
            yield address.postcode
