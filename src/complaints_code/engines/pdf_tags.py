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
heads become artifacts, so a screen reader meets one table with one head.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name


def finish(raw: bytes) -> bytes:
    """The PDF with header scopes and artifacts fixed, saved deterministically."""
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        root = pdf.Root.StructTreeRoot
        assert isinstance(root, Dictionary)  # WeasyPrint's pdf/ua-1 always writes one
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        _join_split(root, pages)
        reachable: set[tuple[int, int]] = set()
        _walk(root, None, reachable)
        _mark_artifacts(pdf, reachable)
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
    """Move a part's children into the element; drop a repeated table head."""
    has_head = any(isinstance(k, Dictionary) and k.get("/S") == Name.THead
                   for k in element.K)
    for kid in part.K if isinstance(part.K, Array) else [part.K]:
        if isinstance(kid, Dictionary) and kid.get("/S") == Name.THead and has_head:
            continue  # left out of the tree: its marked content becomes an artifact
        if isinstance(kid, Dictionary):
            kid.P = element
        element.K.append(kid)


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
