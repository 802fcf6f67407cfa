"""The EPUB, Word and plain-text formats follow the source: a phone number
changed once in a copy of the source reaches each of them, and a real build
publishes them under downloads/ and lists them on the website with their
type and size."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from complaints_code.engines.web.site import human_size
from complaints_code.publish import publish
from complaints_code.structure.model import Code
from complaints_code.structure.source import load
from tests.conftest import project_settings, render

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("web")]

OLD, NEW = "020 8545 8200", "020 8545 9911"
FORMATS = {
    "epub": ("downloads/complaints-code.epub", "EPUB"),
    "docx": ("downloads/complaints-code.docx", "DOCX"),
    "text": ("downloads/complaints-code.txt", "TXT"),
}


def words_of(name: str, data: bytes) -> str:
    """The readable text of a format's file, whitespace collapsed."""
    if name == "epub":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            markup = zf.read("EPUB/code.xhtml").decode("utf-8")
        found = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    elif name == "docx":
        document = docx.Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        found = "\n".join([p.text for p in document.paragraphs] + cells)
    else:
        found = data.decode("utf-8")
    return " ".join(found.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def changed_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import SOURCE

    text = SOURCE.read_text(encoding="utf-8")
    assert text.count(f"value: {OLD}") == 1  # written once, referred to everywhere
    path = tmp_path_factory.mktemp("source") / "complaints-code.yaml"
    path.write_text(text.replace(f"value: {OLD}", f"value: {NEW}"), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", list(FORMATS))
def test_a_phone_number_changed_in_the_source_reaches_the_format(
        name: str, code: Code, changed_source: Path) -> None:
    before = words_of(name, render(name, code)[0].data())
    after = words_of(name, render(name, load(changed_source))[0].data())
    assert OLD in before and NEW not in before
    assert NEW in after and OLD not in after
    if name == "epub":
        assert "tel:+442085459911" in zipfile.ZipFile(io.BytesIO(
            render(name, load(changed_source))[0].data())).read("EPUB/code.xhtml").decode()


def test_a_real_build_publishes_and_lists_the_formats_with_type_and_size(
        changed_source: Path, tmp_path: Path) -> None:
    settings = project_settings(source=changed_source, out=tmp_path / "out")
    publish(load(changed_source), settings, [*FORMATS, "web"])
    site = tmp_path / "out" / "site"
    page = (site / "index.html").read_text(encoding="utf-8")
    listed = page[page.index('class="cc-downloads"'):]
    listed = listed[:listed.index("</ul>")]
    for name, (path, kind) in FORMATS.items():
        data = (site / path).read_bytes()
        assert NEW in words_of(name, data), name
        meta = f"({kind}, {human_size(len(data))})"
        assert re.search(rf'<a href="{re.escape(path)}"[^>]*>[^<]+<span class="cc-filemeta">'
                         rf"{re.escape(meta)}</span></a>", listed), (name, meta)


OFFERED = {"large print": "large-print", "braille": "braille", "EPUB": "epub",
           "Word": "docx", "plain text": "text", "audio": "audio", "talking book": "talking-book",
           "easy read": "easy-read"}
"""Words the accessibility statement may offer a format by, and the format's
name in the registry."""


def test_the_accessibility_statement_offers_exactly_the_formats_we_make() -> None:
    from complaints_code.renderers import REGISTRY
    from tests.conftest import ROOT

    statement = (ROOT / "docs" / "accessibility.md").read_text(encoding="utf-8")
    offer = statement[statement.index("## Feedback and contact information"):]
    offer = offer[:offer.index("To ask for one of them")]
    offered = {words: words in offer for words in OFFERED}
    made = {words: name in REGISTRY for words, name in OFFERED.items()}
    assert offered == made
