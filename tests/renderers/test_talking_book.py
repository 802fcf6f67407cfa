"""The talking book (EPUB 3 with Media Overlays), as the build publishes it
(one build shared with the audio's tests): EPUBCheck and DAISY Ace find
nothing; every element of the text with an id has exactly one clip, in
reading order; the clips of each audio file follow each other without gaps
and add up to the file's length (measured with sox) and to the
``media:duration`` of the overlay and the book; the reading system is told
which class highlights the element being read; the contents list leads to
headings that have clips (moving by heading); and the section tracks are the
audio format's own files, spoken once."""

from __future__ import annotations

import itertools
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from complaints_code import renderers
from complaints_code.engines.epub import ACTIVE_CLASS, clock
from tests.epub_checks import assert_ace_clean, assert_epubcheck_clean

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("audio")]

NAME = "downloads/complaints-code-talking-book.epub"
NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "s": "http://www.w3.org/ns/SMIL", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def book_file(spoken_build: Path) -> Path:
    return spoken_build / "site" / NAME


@pytest.fixture(scope="module")
def files(book_file: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(book_file) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.fixture(scope="module")
def pars(files: dict[str, bytes]) -> list[tuple[str, str, float, float]]:
    """Every par of the overlay: (text id, audio file, clip begin, clip end)."""
    smil = ET.fromstring(files["EPUB/code.smil"])
    out = []
    for par in smil.iter("{http://www.w3.org/ns/SMIL}par"):
        text, audio = par.find("s:text", NS), par.find("s:audio", NS)
        assert text is not None and audio is not None
        page, _, anchor = (text.get("src") or "").partition("#")
        assert page == "code.xhtml"
        out.append((anchor, audio.get("src") or "", seconds(audio.get("clipBegin") or ""),
                    seconds(audio.get("clipEnd") or "")))
    return out


def seconds(value: str) -> float:
    """A SMIL clock value in seconds (full or partial clock, or "12.5s")."""
    if value.endswith("s") and ":" not in value:
        return float(value[:-1])
    total = 0.0
    for part in value.split(":"):
        total = total * 60 + float(part)
    return total


def soxi_seconds(data: bytes, tmp: Path) -> float:
    path = tmp / "clip.mp3"
    path.write_bytes(data)
    return float(subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True,
                                check=True).stdout)


def metadata(files: dict[str, bytes]) -> list[tuple[str, str | None, str]]:
    opf = ET.fromstring(files["EPUB/package.opf"])
    return [(m.get("property") or "", m.get("refines"), m.text or "")
            for m in opf.iterfind("opf:metadata/opf:meta", NS)]


def test_epubcheck_finds_no_errors_and_no_warnings(book_file: Path) -> None:
    assert_epubcheck_clean(book_file)


@pytest.mark.browser
def test_daisy_ace_finds_no_violations(book_file: Path, tmp_path: Path) -> None:
    assert_ace_clean(book_file, tmp_path / "ace")


def test_every_text_element_with_an_id_has_one_clip_in_reading_order(
        files: dict[str, bytes], pars: list[tuple[str, str, float, float]]) -> None:
    doc = ET.fromstring(files["EPUB/code.xhtml"])
    ids = [el.get("id") for el in doc.iter() if el.get("id")]
    assert [anchor for anchor, *_ in pars] == ids
    kinds = {el.tag.split("}")[1] for el in doc.iter() if el.get("id")}
    assert kinds == {"h1", "h2", "h3", "p", "tr"}  # headings, paragraphs, table rows
    assert len(ids) == len(set(ids))


def test_the_clips_follow_each_other_and_add_up_to_each_file_and_the_whole(
        files: dict[str, bytes], pars: list[tuple[str, str, float, float]],
        tmp_path: Path) -> None:
    by_file: dict[str, list[tuple[float, float]]] = {}
    for _, audio, begin, end in pars:
        assert end > begin
        by_file.setdefault(audio, []).append((begin, end))
    assert list(by_file) == sorted(by_file)  # the files in order, each once
    for audio, spans in by_file.items():
        assert spans[0][0] == 0
        assert all(a[1] == b[0] for a, b in itertools.pairwise(spans)), audio
        length = soxi_seconds(files[f"EPUB/{audio}"], tmp_path)
        assert sum(end - begin for begin, end in spans) == pytest.approx(length, abs=0.05)
    total = sum(end - begin for _, _, begin, end in pars)
    meta = metadata(files)
    durations = {refines: text for prop, refines, text in meta if prop == "media:duration"}
    # One overlay: its duration is the book's; both the sum of the clips.
    assert durations == {"#code-overlay": clock(total), None: clock(total)}


def test_the_reading_system_is_told_how_to_highlight_what_is_read(
        files: dict[str, bytes]) -> None:
    meta = metadata(files)
    assert ("media:active-class", None, ACTIVE_CLASS) in meta
    css = files["EPUB/css/code.css"].decode()
    assert re.search(rf"\.{re.escape(ACTIVE_CLASS)}\s*\{{[^}}]*outline", css)
    opf = ET.fromstring(files["EPUB/package.opf"])
    code = opf.find("opf:manifest/opf:item[@id='code']", NS)
    overlay = opf.find("opf:manifest/opf:item[@id='code-overlay']", NS)
    assert code is not None and overlay is not None
    assert code.get("media-overlay") == "code-overlay"
    assert overlay.get("media-type") == "application/smil+xml"
    props = {p: [t for q, _, t in meta if q == p] for p, _, _ in meta}
    assert "synchronizedAudioText" in props["schema:accessibilityFeature"]
    assert props["schema:accessMode"] == ["textual", "auditory"]
    assert "read aloud by a computer voice" in props["schema:accessibilitySummary"][0]


def test_the_contents_leads_to_headings_that_have_clips(
        files: dict[str, bytes], pars: list[tuple[str, str, float, float]]) -> None:
    nav = ET.fromstring(files["EPUB/nav.xhtml"])
    toc = nav.find(".//x:nav[@role='doc-toc']", NS)
    assert toc is not None
    targets = [a.get("href") or "" for a in toc.iter("{http://www.w3.org/1999/xhtml}a")]
    spoken = {anchor for anchor, *_ in pars}
    heading_links = [t for t in targets if t.startswith("code.xhtml#")]
    assert heading_links and all(t.split("#")[1] in spoken for t in heading_links)
    assert all(t.endswith("-heading") for t in heading_links)


def test_the_section_tracks_are_the_audio_formats_own(
        spoken_build: Path, files: dict[str, bytes]) -> None:
    # Spoken once: the book's section tracks are byte for byte the audio's
    # files, and its header is the one track of its own.
    audio = spoken_build / "site" / "downloads" / "audio"
    inside = sorted(n for n in files if n.startswith("EPUB/audio/"))
    assert inside[0] == "EPUB/audio/01-title.mp3"
    for name in inside[1:]:
        assert files[name] == (audio / Path(name).name).read_bytes(), name


def test_the_website_lists_the_talking_book(spoken_build: Path) -> None:
    page = (spoken_build / "site" / "index.html").read_text(encoding="utf-8")
    other = page[page.index("Other formats"):]
    assert re.search(r'<a href="[^"]*complaints-code-talking-book\.epub"[^>]*>\s*Talking book',
                     other)


def test_the_talking_book_is_a_format_a_customer_can_ask_for() -> None:
    entry = renderers.REGISTRY["talking-book"]
    assert entry.on_request and entry.extension == ".epub"
    assert entry in renderers.copy_formats()
