"""Finishing WeasyPrint's tagged PDF where WeasyPrint 70 leaves gaps (see
ENGINES.md): table header cells get a ``/Scope``, and the content of page
margin boxes ("Page N of M") is marked as a pagination artifact, so a screen
reader does not read it in the middle of a sentence that runs over a page.

WeasyPrint tags margin-box content as a ``/Span`` whose parent is never linked
into the structure tree. Those orphans are exactly the page furniture; this
module turns their marked content into ``/Artifact`` and drops them from the
parent tree.

WeasyPrint also builds the tree page by page: a section or table that runs
over a page break becomes one element per page, and a table's repeated head
is tagged again. The parts are joined back into one element, and repeated
heads become artifacts, so a screen reader meets one table with one head;
the cells of rows continued on a later page are pointed (``/Headers``) at the
head that stays, not at the repeated one left out of the tree.

The pages get labels (``/PageLabels``) matching their printed numbers, so a
viewer's page 3 is the page printed "Page 3 of 11"; a cover letter's pages
are labelled "Letter", and a blank back can be added after a letter of an odd
number of pages so the Code starts on a sheet of its own when printed
double-sided. Last, each link gets one annotation with a description
(:mod:`.links`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pikepdf
from pikepdf import Array, Dictionary, Name

from . import links as pdf_links

LETTER_LABEL = "Letter"
"""The page label of a cover letter's pages (and its blank back)."""


def finish(raw: bytes, *, letter_pages: int = 0, blank_back: bool = False,
           links: Mapping[str, str] | None = None) -> bytes:
    """The PDF with header scopes and artifacts fixed, page labels (the first
    ``letter_pages`` pages are the letter, then with ``blank_back`` a blank
    page, then the Code numbered from 1), and one described annotation per
    link (``links``: each target's words, from :func:`.links.link_texts`).
    Saved deterministically."""
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        root = pdf.Root.StructTreeRoot
        assert isinstance(root, Dictionary)  # WeasyPrint's pdf/ua-1 always writes one
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        _join_split(root, pages)
        reachable: set[tuple[int, int]] = set()
        _walk(root, None, reachable)
        _mark_artifacts(pdf, reachable)
        if blank_back and letter_pages:
            _insert_blank(pdf, letter_pages)
        _label_pages(pdf, letter_pages + (1 if blank_back and letter_pages else 0),
                     letter_pages > 0)
        pdf_links.fix(pdf, links or {})
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
        return out.getvalue()


# Containers WeasyPrint splits at a page break. A paragraph split over a page
# is left as two (nothing in the tree tells a continued paragraph from a new
# one); widows and orphans settings keep such splits rare.
_CONTAINERS = frozenset(Name(n) for n in ("/Part", "/Sect", "/Div", "/NonStruct", "/Table",
                                          "/THead", "/TBody", "/L"))
_HEADINGS = frozenset(Name(f"/H{n}") for n in range(1, 7))


def _join_split(node: Dictionary, pages: dict[tuple[int, int], int]) -> None:
    """Join each container's parts on consecutive pages into one element,
    depth first. A section part that starts with a heading is a new section."""
    kids = node.get("/K")
    joined: list[pikepdf.Object] = []
    last_page: dict[tuple[int, int], int] = {}
    for kid in kids if isinstance(kids, Array) else [kids]:
        if kid is None:
            continue
        previous = joined[-1] if joined else None
        page = _page(kid, pages)
        if (isinstance(previous, Dictionary) and isinstance(kid, Dictionary)
                and _continues(previous, kid, page, last_page)):
            _absorb(previous, kid)
            last_page[previous.objgen] = page
            continue
        joined.append(kid)
        if isinstance(kid, Dictionary) and kid.is_indirect:
            last_page[kid.objgen] = page
    node.K = Array(joined)
    for kid in joined:
        if isinstance(kid, Dictionary) and "/S" in kid:
            _join_split(kid, pages)


def _page(kid: pikepdf.Object, pages: dict[tuple[int, int], int]) -> int:
    if isinstance(kid, Dictionary) and "/Pg" in kid:
        return pages.get(kid.Pg.objgen, -1)
    return -1


def _continues(previous: Dictionary, kid: Dictionary, page: int,
               last_page: dict[tuple[int, int], int]) -> bool:
    if kid.get("/S") not in _CONTAINERS:
        return False
    if previous.get("/S") != kid.S or last_page.get(previous.objgen) != page - 1:
        return False
    first = kid.K[0] if isinstance(kid.K, Array) and len(kid.K) else None
    return not (isinstance(first, Dictionary) and first.get("/S") in _HEADINGS)


def _absorb(element: Dictionary, part: Dictionary) -> None:
    """Move a part's children into the element; drop a repeated table head,
    pointing the cells that named its header cells at the head that stays."""
    head = next((k for k in element.K if isinstance(k, Dictionary)
                 and k.get("/S") == Name.THead), None)
    renamed: dict[str, str] = {}
    moved: list[Dictionary] = []
    for kid in part.K if isinstance(part.K, Array) else [part.K]:
        if isinstance(kid, Dictionary) and kid.get("/S") == Name.THead and head is not None:
            # Left out of the tree: its marked content becomes an artifact.
            renamed.update(zip(_cell_ids(kid), _cell_ids(head), strict=False))
            continue
        if isinstance(kid, Dictionary):
            kid.P = element
            moved.append(kid)
        element.K.append(kid)
    if renamed:
        for kid in moved:
            _rename_headers(kid, renamed)


def _cell_ids(head: Dictionary) -> list[str]:
    """The IDs of a table head's cells, row by row, in order (empty for a cell
    without one, so positions stay matched)."""
    ids: list[str] = []
    for row in _children(head):
        ids += [str(cell.get("/ID", "")) for cell in _children(row)]
    return ids


def _children(node: Dictionary) -> list[Dictionary]:
    kids = node.get("/K")
    return [k for k in (kids if isinstance(kids, Array) else [kids])
            if isinstance(k, Dictionary) and "/S" in k]


def _rename_headers(node: Dictionary, renamed: dict[str, str]) -> None:
    attributes = node.get("/A")
    if isinstance(attributes, Dictionary) and isinstance(attributes.get("/Headers"), Array):
        attributes.Headers = Array([pikepdf.String(renamed.get(str(h), str(h)))
                                    for h in attributes.Headers])
    for kid in _children(node):
        _rename_headers(kid, renamed)


def _walk(node: Dictionary, section: Name | None, reachable: set[tuple[int, int]]) -> None:
    """Visit the tree from the root, noting every element reached and giving
    each TH a scope: Column in a table head, Row in a table body."""
    if node.is_indirect:
        reachable.add(node.objgen)
    kind = node.get("/S")
    if isinstance(kind, Name) and kind in (Name.THead, Name.TBody, Name.TFoot):
        section = kind
    if kind == Name.TH:
        _set_scope(node, Name.Column if section == Name.THead else Name.Row)
    kids = node.get("/K")
    for kid in kids if isinstance(kids, Array) else [kids]:
        if isinstance(kid, Dictionary) and "/S" in kid:
            _walk(kid, section, reachable)


def _set_scope(th: Dictionary, scope: Name) -> None:
    attributes = th.get("/A")
    if isinstance(attributes, Dictionary):
        attributes.Scope = scope
    else:
        th.A = Dictionary(O=Name.Table, Scope=scope)


def _mark_artifacts(pdf: pikepdf.Pdf, reachable: set[tuple[int, int]]) -> None:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        elements = parents.get(int(key)) if key is not None else None
        if not isinstance(elements, Array):
            continue
        orphans = {mcid for mcid, element in enumerate(elements)
                   if isinstance(element, Dictionary) and element.objgen not in reachable}
        if orphans:
            _rewrite(pdf, page, orphans)
            for mcid in orphans:
                elements[mcid] = pikepdf.Object.parse(b"null")


def _rewrite(pdf: pikepdf.Pdf, page: pikepdf.Page, orphans: set[int]) -> None:
    """Turn the page's marked content with these MCIDs into artifacts."""
    ops: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            ops.append(instruction)
            continue
        operands, operator = list(instruction.operands), instruction.operator
        if (str(operator) == "BDC" and len(operands) == 2
                and isinstance(operands[1], Dictionary)
                and int(operands[1].get("/MCID", -1)) in orphans):
            operands = [Name.Artifact, Dictionary(Type=Name.Pagination)]
        ops.append(pikepdf.ContentStreamInstruction(operands, operator))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))


def _insert_blank(pdf: pikepdf.Pdf, at: int) -> None:
    """A blank page of the same size as the page before it, at index ``at``."""
    size = pdf.pages[at - 1].mediabox
    blank = pdf.make_indirect(Dictionary(Type=Name.Page, MediaBox=Array(list(size)),
                                         Resources=Dictionary(),
                                         Contents=pdf.make_stream(b"")))
    pdf.pages.insert(at, pikepdf.Page(blank))


def _label_pages(pdf: pikepdf.Pdf, code_starts: int, letter: bool) -> None:
    """Page labels: "Letter" before ``code_starts``, then 1, 2, 3 … as printed."""
    nums: list[object] = []
    if letter and code_starts:
        nums += [0, Dictionary(P=pikepdf.String(LETTER_LABEL))]
    nums += [code_starts, Dictionary(S=Name.D, St=1)]
    pdf.Root.PageLabels = Dictionary(Nums=Array(nums))
