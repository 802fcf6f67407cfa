"""One source, every format: an edit made to a copy of the source appears in
every output that carries that kind of value, and the old value is gone from
all of them. Built end to end through the publish step, read back from the
published files: the web page's text, its JSON-LD, the data export, the text
of both PDFs (pdfplumber), the braille back-translated by liblouis, and the
EPUB, Word (python-docx) and plain-text files."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import louis
import pdfplumber
import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("consistency"), pytest.mark.timeout(900)]

SOURCE = ROOT / "code_source" / "complaints-code.yaml"
BRF_G2 = ["en-us-brf.dis", "en-ueb-g2.ctb"]
OUTPUTS = ("web page", "JSON-LD", "data export", "large-print PDF", "print PDF", "braille",
           "EPUB", "Word", "plain text")
DIGITAL = ("EPUB", "Word", "plain text")

NEW_STAGE = '''  - id: ombudsman-review
    number: 7
    title: Independent review by the ombudsman
    description: >-
      Zephyrine quartz lanterns mark an independent review.
'''


@dataclass(frozen=True)
class Edit:
    """An edit of the source: what it changes, the new value and the old one,
    and which outputs carry that kind of value at all."""

    name: str
    change: Callable[[str], str]
    new: str
    old: str
    carried_by: tuple[str, ...]


def _replace(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert text.count(old) == 1, f"{old!r} should appear once in the source"
        return text.replace(old, new)
    return change


def _add_stage(text: str) -> str:
    anchor = "  - id: open-over-8-weeks\n"
    start = text.index(anchor)
    end = text.index("\n\n", start) + 1  # the stage's last line
    return text[:end] + NEW_STAGE + text[end:]


def _remove_section(text: str) -> str:
    start = text.index("  - id: compensation\n")
    end = text.index("  - id: disabled-customers\n")
    return text[:start] + text[end:]


EDITS = (
    Edit("phone number", _replace("value: 020 8545 8200", "value: 0300 123 4567"),
         "0300 123 4567", "020 8545 8200",
         ("web page", "JSON-LD", "large-print PDF", "print PDF", "braille", *DIGITAL)),
    Edit("stage title", _replace("title: Case Investigation", "title: Careful Investigation"),
         "Careful Investigation", "Case Investigation",
         ("web page", "data export", "large-print PDF", "print PDF", "braille", *DIGITAL)),
    Edit("added stage", _add_stage, "Zephyrine quartz lanterns mark an independent review", "",
         ("web page", "data export", "large-print PDF", "print PDF", "braille", *DIGITAL)),
    Edit("removed section", _remove_section, "", "Compensation",
         ("web page", "large-print PDF", "print PDF", "braille", *DIGITAL)),
)


def words(text: str) -> str:
    """Text as lower-case words separated by single spaces, punctuation dropped."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _page_text(site: Path) -> str:
    page = (site / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    return re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", article, flags=re.S))


def _json_ld(site: Path) -> str:
    page = (site / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert m, "no JSON-LD on the page"
    data = json.loads(m.group(1))
    # Phone numbers are E.164 in JSON-LD (+443001234567): read them as dialled
    # digits; the comparison drops the spaces between digit groups.
    return re.sub(r"\+44(\d+)", r"0\1", json.dumps(data, ensure_ascii=False))


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as doc:
        return " ".join((page.extract_text() or "") + " " + _table_columns(page)
                        for page in doc.pages)


def _table_columns(page: pdfplumber.page.Page) -> str:
    """The stage table's text read column by column, so that a title wrapped
    inside its cell reads whole (line by line, the columns interleave)."""
    words = page.extract_words()
    heads = {w["text"]: w for w in words if w["text"] in ("Stage", "Description")}
    if len(heads) < 2 or abs(heads["Stage"]["top"] - heads["Description"]["top"]) > 1:
        return ""
    edges = (heads["Stage"]["x0"] - 2, heads["Description"]["x0"] - 2)
    below = [w for w in words if w["top"] > heads["Stage"]["bottom"]]
    column = [sum(w["x0"] >= edge for edge in edges) for w in below]
    ordered = sorted(zip(column, below, strict=True), key=lambda cw: (cw[0], cw[1]["top"],
                                                                     cw[1]["x0"]))
    return " ".join(w["text"] for _, w in ordered)


def _braille(site: Path) -> str:
    text = (site / "downloads" / "complaints-code.brf").read_bytes().decode("ascii")
    rows = [row.strip() for row in text.replace("\f", "\r\n").split("\r\n") if row.strip()]
    return " ".join(louis.backTranslateString(BRF_G2, row) for row in rows)


def _epub(site: Path) -> str:
    with zipfile.ZipFile(site / "downloads" / "complaints-code.epub") as zf:
        markup = zf.read("EPUB/code.xhtml").decode("utf-8")
    return re.sub(r"<[^>]+>", " ", markup)


def _word(site: Path) -> str:
    document = docx.Document(str(site / "downloads" / "complaints-code.docx"))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return " ".join([p.text for p in document.paragraphs] + cells)


READERS: dict[str, Callable[[Path], str]] = {
    "web page": _page_text,
    "JSON-LD": _json_ld,
    "data export": lambda site: (site / "data" / "complaints-code.json").read_text("utf-8"),
    "large-print PDF": lambda site: _pdf_text(site / "downloads/complaints-code-large-print.pdf"),
    "print PDF": lambda site: _pdf_text(site / "downloads/complaints-code-print.pdf"),
    "braille": _braille,
    "EPUB": _epub,
    "Word": _word,
    "plain text": lambda site: (site / "downloads" / "complaints-code.txt").read_text("utf-8"),
}


def _publish(text: str, folder: Path) -> dict[str, str]:
    # Through the real command, as the legal team runs it.
    folder.mkdir(parents=True)
    source = folder / "code.yaml"
    source.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "from complaints_code.cli import main; main()",
                           "build", "-q", "--only",
                           "data,large-print,print,braille,epub,docx,text,web",
                           "--source", str(source), "--out", str(folder / "out")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    site = folder / "out" / "site"
    return {name: _digits(name, words(read(site))) for name, read in READERS.items()}


def _digits(output: str, text: str) -> str:
    """JSON-LD writes phone numbers without spaces: compare digits run together."""
    return re.sub(r"(?<=\d) (?=\d)", "", text) if output == "JSON-LD" else text


@pytest.fixture(scope="session")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Each output's words, for the shipped source and for the source with
    every edit made at once (two builds, not one per edit: the edits touch
    different parts of the Code, so each can be looked for on its own)."""
    root = tmp_path_factory.mktemp("consistency")
    text = SOURCE.read_text(encoding="utf-8")
    edited = text
    for edit in EDITS:
        edited = edit.change(edited)
    return {"original": _publish(text, root / "original"),
            "edited": _publish(edited, root / "edited")}


@pytest.mark.parametrize("edit", EDITS, ids=[e.name for e in EDITS])
@pytest.mark.parametrize("output", OUTPUTS)
def test_an_edit_reaches_every_output_and_the_old_value_is_gone(
        outputs: dict[str, dict[str, str]], edit: Edit, output: str) -> None:
    before, after = outputs["original"][output], outputs["edited"][output]
    new, old = _digits(output, words(edit.new)), _digits(output, words(edit.old))
    if new:
        assert new not in before, "the new value was there before the edit"
    if output not in edit.carried_by:
        # This output does not carry this kind of value: the edit leaves it as it was.
        assert not new or new not in after
        assert not old or old not in before or old in after
        return
    if new:
        assert new in after
    if old:
        assert old in before, "the old value was not there to begin with"
        assert old not in after
