"""Finishing WeasyPrint's tagged PDF where WeasyPrint 70 leaves gaps (see
ENGINES.md): table header cells get a ``/Scope``, and the content of page
margin boxes ("Page N of M") is marked as a pagination artifact, so a screen
reader does not read it in the middle of a sentence that runs over a page.

WeasyPrint tags margin-box content as a ``/Span`` whose parent is never linked
into the structure tree. Those orphans are exactly the page furniture; this
module turns their marked content into ``/Artifact`` and drops them from the
parent tree.
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
        reachable: set[tuple[int, int]] = set()
        _walk(root, None, reachable)
        _mark_artifacts(pdf, reachable)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
        return out.getvalue()


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
            operands = [Name.Artifact,
                        Dictionary(Type=Name.Pagination, Subtype=Name.Footer)]
        ops.append(pikepdf.ContentStreamInstruction(operands, operator))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
