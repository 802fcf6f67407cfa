"""Page breaks that waste paper, found in a laid-out Code and undone.

The Code's template marks what is best read on one page: the contact list, a
short table, an address with the contact lines after it, each entry of the
contact list (class ``keep``, named by ``data-keep``); and the contents end
with a page break (``data-keep="contents"``). A kept block that does not fit
the rest of a page moves whole to the next one, leaving the page before it
part empty. That is the right trade while the page keeps most of its text;
it is not when the page is left holding a few lines, nor when the block is
taller than a page and would have to break anyway. Those keeps (and the
contents' page break, when it leaves a page with an entry or two) are
relaxed, and the Code is laid out again with them relaxed: the rule holds at
every size, spacing, font and weight, and for any text the Code may hold,
with no figures tuned to one of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

SHORT_PAGE = 0.3
"""A page whose text fills less than this share of its height, before a page
break that a relaxed keep would undo, holds "only a few lines"."""
CONTENTS_TAIL = 0.5
"""The contents' page break goes when it would leave the last entries of a
contents longer than a page on a page less than this full: the text after
them costs no reader anything by starting there."""
TALLEST_KEPT = 0.95
"""A kept block taller than this share of a page cannot usefully be kept..."""
ROOM = 0.15
"""...when the page before it has this share of its height left to fill."""
LEAVES = frozenset(("LineBox", "InlineReplacedBox", "BlockReplacedBox"))
"""The boxes whose bottom is where a page's text or pictures end."""
CONTENTS = "contents"
"""The data-keep name of the contents, whose page break can be relaxed."""


@dataclass
class Kept:
    """Where one kept block lies in a laid-out document."""

    first_page: int
    top: float
    """Its top on its first page, from the top of the page's text area."""
    last_page: int = 0
    height: float = 0.0
    """Its height, summed over the pages it lies on."""


@dataclass
class Measure:
    """The fill of each page and where each kept block lies."""

    body_height: float
    used: list[float] = field(default_factory=list)
    """How far down each page its text reaches, as a share of its text area."""
    kept: dict[str, Kept] = field(default_factory=dict)
    leads: dict[str, Kept] = field(default_factory=dict)
    """The sentences kept with what follows them (data-keep-next)."""


def measure(document: Any) -> Measure:
    """Measure a laid-out WeasyPrint Document."""
    boxes = [page._page_box for page in document.pages]
    result = Measure(body_height=boxes[0].height)
    for number, page in enumerate(boxes):
        top = page.content_box_y()
        spans: dict[tuple[str, str], tuple[float, float]] = {}
        bottom = top
        for box in _boxes(page.children[0]):
            end = box.position_y + box.margin_height()
            if type(box).__name__ in LEAVES:
                bottom = max(bottom, end)
            for kind in ("data-keep", "data-keep-next"):
                name = box.element.get(kind) if box.element is not None else None
                if name:
                    low, high = spans.get((kind, name), (box.position_y, end))
                    spans[kind, name] = (min(low, box.position_y), max(high, end))
        result.used.append((bottom - top) / page.height)
        for (kind, name), (low, high) in spans.items():
            found = result.kept if kind == "data-keep" else result.leads
            kept = found.setdefault(name, Kept(number, low - top))
            kept.last_page, kept.height = number, kept.height + high - low
    return result


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def relaxations(m: Measure, relaxed: frozenset[str] = frozenset()) -> set[str]:
    """The keeps to relax: those taller than a page that left room on the page
    before them; the contents' page break after a page holding their last few
    entries; and for a page left holding a few lines, the sentence at its foot
    kept with a block that went to the next page anyway, else the first kept
    block on the next page. (The cover and the last page are not counted: one
    ends where the Code's title does, the other where the Code does; nor is a
    contents page of its own.)"""
    found = {name for name, k in m.kept.items()
             if k.height > TALLEST_KEPT * m.body_height and name != CONTENTS
             and k.first_page and m.used[k.first_page - 1] <= 1 - ROOM}
    contents = m.kept.get(CONTENTS)
    if (contents is not None and contents.first_page < contents.last_page < len(m.used) - 1
            and m.used[contents.last_page] < CONTENTS_TAIL):
        found.add(CONTENTS)  # the last entries of the contents alone on a page
    for number in range(1, len(m.used) - 1):
        if m.used[number] >= SHORT_PAGE or number == getattr(contents, "last_page", -1):
            continue
        lead = [name for name, k in m.leads.items()
                if k.last_page == number and name not in relaxed | found]
        if lead:  # a sentence that moved with a block that could not follow it
            found.add(lead[-1])
            continue
        starting = sorted((k.top, -k.height, name) for name, k in m.kept.items()
                          if k.first_page == number + 1 and name not in relaxed | found)
        if starting:
            found.add(starting[0][2])
    return found - relaxed
