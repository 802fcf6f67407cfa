"""Links in the PDFs as PDF/UA-1 (7.18.5) wants them, read back with pikepdf:
each link one annotation (per page) held by its Link structure element, no
stray zero-width ones in NonStruct elements, and a description (/Contents)
that says what the link does."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from complaints_code.engines.pdf import links
from complaints_code.structure.model import ContactKind
from tests.engines.pdf.renders import code_pdf, copy_pdf, the_code

RENDERS = {
    "large print, 18 point": lambda: code_pdf("large-print", 18),
    "standard print, 14 point": lambda: code_pdf("print", 14),
    "32 point copy with its letter": lambda: copy_pdf(size=32),
    "24 point bold copy with its letter": lambda: copy_pdf(size=24, bold=True),
}


@dataclass
class Found:
    """One link annotation as a reader meets it."""

    page: int
    label: str
    element: str
    """The structure type of the element holding it (/Link, we hope)."""
    parents: list[str]
    """The structure types from its element up to the root."""
    contents: str
    target: str
    rect: tuple[float, float, float, float]
    quads: int


def _kids(node: Dictionary) -> list[pikepdf.Object]:
    kids = node.get("/K")
    return list(kids) if isinstance(kids, Array) else [] if kids is None else [kids]


def _walk(node: Dictionary, path: list[str]) -> Iterator[tuple[Dictionary, list[str]]]:
    for kid in _kids(node):
        if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
            yield kid, path
        elif isinstance(kid, Dictionary) and "/S" in kid:
            yield from _walk(kid, [str(kid.S), *path])


def annotations(data: bytes) -> tuple[list[Found], int]:
    """Every annotation reached from the structure tree, and how many the
    pages hold in all."""
    with pikepdf.open(io.BytesIO(data)) as doc:
        pages = {p.obj.objgen: (n, str(p.label)) for n, p in enumerate(doc.pages)}
        found = []
        for objr, path in _walk(doc.Root.StructTreeRoot, []):
            annot = objr.Obj
            page, label = pages[objr.Pg.objgen]
            x0, y0, x1, y1 = (float(v) for v in annot.Rect)
            target = str(annot.A.URI) if "/A" in annot else str(annot.Dest)
            found.append(Found(page, label, path[0], path, str(annot.get("/Contents", "")),
                               target, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)),
                               len(annot.get("/QuadPoints", [])) // 8))
        total = sum(len(p.obj.get("/Annots", [])) for p in doc.pages)
    return found, total


@pytest.mark.slow
@pytest.mark.parametrize("what", RENDERS)
def test_each_link_is_one_annotation_in_its_link_element(what: str) -> None:
    found, total = annotations(RENDERS[what]())
    assert found and len(found) == total  # every annotation is in the tree, once
    assert {f.element for f in found} == {"/Link"}
    assert all("/NonStruct" not in f.parents[:1] for f in found)
    assert all(f.rect[2] - f.rect[0] >= 0.5 and f.rect[3] - f.rect[1] >= 0.5 for f in found)
    # One annotation per link: no target has two annotations on one page
    # unless it is linked twice there (the contents link each section once).
    per_page = [(f.page, f.target, f.rect) for f in found]
    assert len(per_page) == len(set(per_page))


@pytest.mark.slow
@pytest.mark.parametrize("what", RENDERS)
def test_every_link_says_what_it_does(what: str) -> None:
    code = the_code()
    titles = {s.id: s.title for s in code.sections}
    contacts = [*code.contacts, *code.adr.contacts]
    phones = {c.href: c.display for c in contacts if c.href and c.href.startswith("tel:")}
    found, _ = annotations(RENDERS[what]())
    for link in found:
        if link.target.startswith("mailto:"):
            assert link.contents == f"Email {link.target.removeprefix('mailto:')}"
        elif link.target.startswith("tel:"):
            assert link.contents == f"Telephone {phones[link.target]}"
        elif link.target.startswith("http"):
            web = next(c.display for c in contacts if c.href == link.target)
            assert link.contents == f"Website {web}"
        else:  # an entry of the contents: its title and the page it goes to
            assert link.contents.startswith(f"{titles[link.target]}, page ")
            assert link.contents.removeprefix(f"{titles[link.target]}, page ").isdigit()
    kinds = {link.contents.split()[0] for link in found}
    assert {"Email", "Telephone", "Website"} <= kinds


def test_a_contents_entry_names_the_page_its_section_starts_on() -> None:
    import pdfplumber

    data = code_pdf("large-print", 18)
    found, _ = annotations(data)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        contents = doc.pages[1].extract_text()
    entries = [f for f in found if f.page == 1]
    assert len(entries) == len(the_code().sections)
    for entry in entries:  # as printed: "Complaints, page 3"
        assert entry.contents in " ".join(contents.split())


def test_a_link_over_two_lines_is_one_annotation_with_a_quad_per_line() -> None:
    data = copy_pdf(size=32)
    found, _ = annotations(data)
    wrapped = [f for f in found if f.quads == 2]
    assert wrapped, "at 32 point some contents entries run over two lines"
    assert all(f.rect[3] - f.rect[1] > 2 * 32 for f in wrapped)
    # The text of both lines is marked as the one Link element's content.
    with pikepdf.open(io.BytesIO(data)) as doc:
        nums = doc.Root.StructTreeRoot.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for objr, _path in _walk(doc.Root.StructTreeRoot, []):
            if len(objr.Obj.get("/QuadPoints", [])) == 16:
                link = next(el for el in _elements(doc.Root.StructTreeRoot)
                            if any(k.objgen == objr.objgen for k in _kids(el)
                                   if isinstance(k, Dictionary)))
                marks = tree[int(objr.Pg.StructParents)]
                mcids = [k for k in _kids(link) if isinstance(k, int)]
                assert len(mcids) >= 2 and all(marks[m].objgen == link.objgen for m in mcids)


def _elements(node: Dictionary) -> Iterator[Dictionary]:
    for kid in _kids(node):
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def test_the_telephone_number_links_as_it_is_printed() -> None:
    (phone,) = [c for c in the_code().contacts if c.kind == ContactKind.TELEPHONE]
    assert links.describe(phone.href or "", phone.display) == f"Telephone {phone.display}"


@pytest.mark.parametrize(("target", "text", "page", "words"), [
    ("mailto:a.b@example.co.uk", "a.b@example.co.uk", None, "Email a.b@example.co.uk"),
    ("tel:+442079813040", "020 7981 3040", None, "Telephone 020 7981 3040"),
    ("tel:+442079813040", None, None, "Telephone +442079813040"),
    ("https://www.example.org/help/", "www.example.org/help", None,
     "Website www.example.org/help"),
    ("http://www.ofcom.org.uk/", None, None, "Website www.ofcom.org.uk"),
    ("stages", "Stages to resolve your complaint", "7", "Stages to resolve your complaint, page 7"),
])
def test_link_descriptions_in_words(target: str, text: str | None, page: str | None,
                                    words: str) -> None:
    assert links.describe(target, text, page) == words


def test_link_texts_are_read_from_the_html() -> None:
    html = ('<a href="#purpose">The <b>Purpose</b></a> <a href="tel:+44">020\n 8545</a>'
            '<a href="#purpose">again</a>')
    assert links.link_texts(html) == {"purpose": "The Purpose", "tel:+44": "020 8545"}
