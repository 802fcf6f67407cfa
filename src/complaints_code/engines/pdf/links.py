"""Links in a finished PDF as PDF/UA-1 (7.18.5) wants them: one Link
annotation per link, held by its Link structure element, with a description
(``/Contents``) a screen reader can announce.

WeasyPrint 70 gives a link one annotation per line box it lies on, and one
more of zero width for every ``<wbr>`` inside it (each in a NonStruct element
of its own), so an email address that may break after @ and dots carries a
handful of invisible extra tab stops. Its descriptions are the raw targets
("complaint-handling", "mailto:…", "tel:+44…"). Here the annotations of one
link on one page become one (its rectangle the union, its ``/QuadPoints`` each
line's), the zero-width ones and the emptied NonStruct elements go, and the
description says what the link does: "Email customerservice@…", "Telephone
020 8545 8200", "Website www.example.co.uk", or, for an entry of the
contents, "Complaints, page 3".
"""

from __future__ import annotations

from collections.abc import Mapping
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pikepdf
from pikepdf import Array, Dictionary, Name


class _Anchors(HTMLParser):
    """Each link's target and the words it shows, in an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self._open.append((href.removeprefix("#"), []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            target, words = self._open.pop()
            self.texts.setdefault(target, " ".join("".join(words).split()))

    def handle_data(self, data: str) -> None:
        for _, words in self._open:
            words.append(data)


def link_texts(html: str) -> dict[str, str]:
    """Each link target of an HTML document (an internal one without its #)
    and the text of its first link, as the reader sees it."""
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    return parser.texts


SCHEMES = {"mailto": "Email", "tel": "Telephone"}
"""How a link of each scheme is announced, before the words it shows."""


def describe(target: str, text: str | None, page: str | None = None) -> str:
    """What a link does, in words: "Email a@b.uk", "Telephone 020 8545 8200",
    "Website www.ofcom.org.uk", or for an internal link its words and the
    page it goes to ("Complaints, page 3")."""
    parts = urlsplit(target)
    shown = text or unquote(parts.path) or target
    if parts.scheme in SCHEMES:
        return f"{SCHEMES[parts.scheme]} {shown}"
    if parts.scheme in ("http", "https"):
        return f"Website {text or parts.netloc + parts.path.rstrip('/')}"
    if parts.scheme:
        return shown
    return f"{shown}, page {page}" if page else shown


def fix(pdf: pikepdf.Pdf, texts: Mapping[str, str]) -> None:
    """Give every Link element one annotation per page, with its description;
    drop zero-area annotations and the NonStruct elements left empty."""
    root = pdf.Root.StructTreeRoot
    assert isinstance(root, Dictionary)  # WeasyPrint's pdf/ua-1 always writes one
    dests = _destinations(pdf)
    _join_fragments(pdf, root)
    dropped: set[tuple[int, int]] = set()
    for link in _links(root):
        dropped |= _merge(pdf, link, texts, dests)
    if not dropped:
        return
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, Array):
            page.obj.Annots = Array([a for a in annots if a.objgen not in dropped])
    keys = {int(pdf.get_object(og).StructParent) for og in dropped
            if "/StructParent" in pdf.get_object(og)}
    nums = root.ParentTree.Nums
    root.ParentTree.Nums = Array([x for pair in zip(nums[::2], nums[1::2], strict=True)
                                  if int(pair[0]) not in keys for x in pair])


def _join_fragments(pdf: pikepdf.Pdf, node: Dictionary) -> None:
    """Join the Link elements WeasyPrint makes for each line of a link that
    runs over two lines (side by side, on one page, to one target) into one."""
    joined: list[pikepdf.Object] = []
    for kid in _kids(node):
        previous = joined[-1] if joined else None
        if (isinstance(kid, Dictionary) and isinstance(previous, Dictionary)
                and kid.get("/S") == Name.Link == previous.get("/S")
                and _target(kid) is not None and _target(kid) == _target(previous)
                and kid.get("/Pg") == previous.get("/Pg")):
            _absorb(pdf, previous, kid)
            continue
        joined.append(kid)
        if isinstance(kid, Dictionary) and "/S" in kid:
            _join_fragments(pdf, kid)
    node.K = Array(joined)


def _target(link: Dictionary) -> str | None:
    objrs = _objrs(link)
    if not objrs:
        return None
    annot = objrs[0].Obj
    return str(annot.A.URI) if "/A" in annot else str(annot.get("/Dest", ""))


def _absorb(pdf: pikepdf.Pdf, link: Dictionary, part: Dictionary) -> None:
    """Move a fragment's content into the link, and point the page's marked
    content that named the fragment at the link."""
    kids = _kids(part)
    link.K = Array([*_kids(link), *kids])
    for kid in kids:
        if isinstance(kid, Dictionary) and "/S" in kid:
            kid.P = link
    page = pdf.get_object(part.Pg.objgen) if "/Pg" in part else None
    key = page.get("/StructParents") if page is not None else None
    if key is None:
        return
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    for i in range(0, len(nums), 2):
        if int(nums[i]) == int(key) and isinstance(nums[i + 1], Array):
            marks = nums[i + 1]
            for mcid in (int(k) for k in kids if not isinstance(k, Dictionary)):
                marks[mcid] = link  # a marked-content id on the page


def _links(node: Dictionary) -> list[Dictionary]:
    found: list[Dictionary] = []
    for kid in _kids(node):
        if isinstance(kid, Dictionary) and "/S" in kid:
            found += [kid] if Name.Link == kid.S else _links(kid)
    return found


def _kids(node: Dictionary) -> list[pikepdf.Object]:
    kids = node.get("/K")
    return list(kids) if isinstance(kids, Array) else [] if kids is None else [kids]


def _objrs(node: Dictionary) -> list[Dictionary]:
    """The annotation references under an element, its descendants' too."""
    found: list[Dictionary] = []
    for kid in _kids(node):
        if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
            found.append(kid)
        elif isinstance(kid, Dictionary) and "/S" in kid:
            found += _objrs(kid)
    return found


def _merge(pdf: pikepdf.Pdf, link: Dictionary, texts: Mapping[str, str],
           dests: dict[str, str]) -> set[tuple[int, int]]:
    """Make one annotation per page for ``link``; the annotations dropped."""
    kept: dict[tuple[int, int], Dictionary] = {}
    rects: dict[tuple[int, int], list[list[float]]] = {}
    dropped: set[tuple[int, int]] = set()
    for objr in _objrs(link):
        annot, page = objr.Obj, objr.Pg.objgen
        x0, y0, x1, y1 = sorted_rect(Array(annot.Rect))
        if x1 - x0 < 0.5 or y1 - y0 < 0.5 or page in kept:
            dropped.add(annot.objgen)
            if x1 - x0 >= 0.5 and y1 - y0 >= 0.5:
                rects[page].append([x0, y0, x1, y1])
            continue
        kept[page] = objr
        rects[page] = [[x0, y0, x1, y1]]
    direct = {k.objgen for k in _kids(link) if isinstance(k, Dictionary)}
    moved = [objr for objr in kept.values() if objr.objgen not in direct]
    _prune(link, dropped | {objr.Obj.objgen for objr in moved})
    link.K = Array([*_kids(link), *moved])
    for page, objr in kept.items():
        annot = objr.Obj
        boxes = rects[page]
        annot.Rect = Array([min(b[0] for b in boxes), min(b[1] for b in boxes),
                            max(b[2] for b in boxes), max(b[3] for b in boxes)])
        if len(boxes) > 1:
            annot.QuadPoints = Array([v for x0, y0, x1, y1 in boxes
                                      for v in (x0, y1, x1, y1, x0, y0, x1, y0)])
        target = str(annot.A.URI) if "/A" in annot else str(annot.get("/Dest", ""))
        annot.Contents = pikepdf.String(describe(target, texts.get(target), dests.get(target)))
        _point_parent_tree(pdf, annot, link)
    return dropped


def sorted_rect(rect: Array) -> tuple[float, float, float, float]:
    """A rectangle as (left, bottom, right, top), whichever corners it was given by."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _prune(node: Dictionary, dropped: set[tuple[int, int]]) -> None:
    """Remove the references to these annotations below ``node``, and the
    NonStruct elements left holding nothing."""
    kids: list[pikepdf.Object] = []
    for kid in _kids(node):
        if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
            if kid.Obj.objgen in dropped:
                continue
        elif isinstance(kid, Dictionary) and "/S" in kid:
            _prune(kid, dropped)
            if Name.NonStruct == kid.S and not _kids(kid):
                continue
        kids.append(kid)
    node.K = Array(kids)


def _point_parent_tree(pdf: pikepdf.Pdf, annot: pikepdf.Object, link: Dictionary) -> None:
    """The parent tree entry of an annotation names its Link element."""
    if "/StructParent" not in annot:
        return
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    for i in range(0, len(nums), 2):
        if int(nums[i]) == int(annot.StructParent):
            nums[i + 1] = link
            return


def _destinations(pdf: pikepdf.Pdf) -> dict[str, str]:
    """Each named destination and the label of the page it is on."""
    names = pdf.Root.get("/Names")
    if not isinstance(names, Dictionary) or "/Dests" not in names:
        return {}
    labels = {page.obj.objgen: str(page.label) for page in pdf.pages}
    found: dict[str, str] = {}
    for name, dest in pikepdf.NameTree(names.Dests).items():
        target = dest.D if isinstance(dest, Dictionary) else dest
        if isinstance(target, Array) and len(target) and target[0].objgen in labels:
            found[str(name)] = labels[target[0].objgen]
    return found
