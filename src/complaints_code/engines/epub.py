"""The Code as an accessible EPUB 3 book, for e-readers and screen readers
that reflow the text to the reader's own size, font and colours.

What makes it accessible (EPUB Accessibility 1.1, WCAG 2.2 AA):

- a navigation document (contents and landmarks), and the Code's headings
  as a real hierarchy: the title h1, main headings h2, sub-headings h3, each
  in its own section;
- tables named by their section's heading (``aria-labelledby``, not a
  hidden caption, which a reader with the book's styles turned off would
  find in the text) and header cells (``th scope``), the stage table's blank
  number heading given words for screen readers;
- text that reflows at any width and text size (WCAG 1.4.10): email and web
  addresses may break after @ . / and - (a ``<wbr>`` at each), and as a last
  resort anywhere in a table cell, rather than run off the screen;
- the language (``lang`` and ``xml:lang``, from ``metadata.language``) on
  every document and the package;
- the shipped fonts embedded, with their licence as a page of the book;
- a style sheet in relative units with no colours, so reading systems'
  themes and text sizes apply;
- the schema.org accessibility metadata, and an honest account of it: a
  conformance claim (``dcterms:conformsTo``) only when ``[epub]
  certified_by`` names who checked the book by hand; otherwise the summary
  says what was checked, with which tools, and that it is no audit.

With a :class:`Narration` the same book is a talking book (EPUB Media
Overlays): the spoken tracks of the audio version inside it, and a SMIL
document that gives each heading, paragraph and table row of the text (each
with an id) the clip of the audio that reads it, so that a reading system
highlights the text as it is read and a listener can move by heading.

``dcterms:modified`` is the time of the build, or ``SOURCE_DATE_EPOCH`` when
that is set (reproducible builds): then the book is deterministic, since its
identifier comes from the Code's address and version and the zip holds its
entries in a fixed order with fixed timestamps, ``mimetype`` first and
stored. The same Code and the same SOURCE_DATE_EPOCH make the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from jinja2 import Environment
from markupsafe import Markup

from ..errors import InputError, quoted
from ..resources import Resources, caches, content_key, read_bytes
from ..settings import Settings
from ..structure.inline import Inline
from ..structure.model import Code
from .html import contents, inline_html, jinja_env

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The timestamp of every zip entry."""
MIMETYPE = b"application/epub+zip"
NUMBER_HEADING = "Number"
"""Hidden words of the stage-number column's heading where the Code leaves it blank."""
LICENCE_TITLE = "Font licence"
FEATURES = ("structuralNavigation", "tableOfContents", "readingOrder",
            "displayTransformability", "unlocked")
"""schema:accessibilityFeature values that the book has."""
ACTIVE_CLASS = "-epub-media-overlay-active"
"""The class a reading system gives the element being read (media:active-class)."""
TEXT_ONLY = "text only, with no images, audio or video"
WITH_AUDIO = "text with the same text read aloud, with no images or video"
NARRATED = ("The text is read aloud by {narrator}: each heading, "
            "paragraph and table row is highlighted as it is read, and a reading system "
            "that plays media overlays lets you move from heading to heading. ")
"""What the talking book's summary adds."""
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
"""The conformance claim, made only with a certifier (``[epub] certified_by``)."""
SUMMARY = ("It is {content}, and can be read in full by a "
           "screen reader or braille display. Headings are structured (main headings and "
           "sub-headings), the contents list links to every heading, and tables are named "
           "by their headings and have header cells. No fixed text sizes or colours are "
           "set, so the reader's own text size, font and colour theme apply, and the text "
           "reflows: long email and web addresses break after @, dots and slashes.")
CHECKED = ("This book is made to meet EPUB Accessibility 1.1 and WCAG 2.2 Level AA. Every "
           "build is checked by machine: EPUBCheck (the EPUB standard), DAISY Ace (the "
           "accessibility rules it can test automatically) and a browser that lays the "
           "text out 390 pixels wide at 200% text size to find anything cut off. It has "
           "not been audited by hand, so it makes no formal claim of conformance. ")
"""How the summary begins when no one has certified the book."""
CERTIFIED = "This book meets EPUB Accessibility 1.1 and WCAG 2.2 Level AA, as checked by {by}. "
"""How the summary begins when ``[epub] certified_by`` names who checked it."""


@dataclass(frozen=True)
class FontFace:
    """One embedded font: its file, family name and weight (for @font-face)."""

    file: str
    family: str
    weight: int


@dataclass(frozen=True)
class Clip:
    """Where one element of the text is read: its id and its clip of a track,
    from ``begin`` to ``end`` in whole milliseconds."""

    anchor: str
    begin: int
    end: int


@dataclass(frozen=True)
class NarratedSection:
    """One spoken track in the talking book: its file and its clips, in order."""

    audio: str
    """The file's path in the book, under EPUB/ (``audio/02-purpose.mp3``)."""
    data: bytes
    clips: tuple[Clip, ...]


@dataclass(frozen=True)
class Narration:
    """What makes the book a talking book."""

    sections: tuple[NarratedSection, ...]
    narrator: str
    """Who reads it (media:narrator), e.g. "espeak-ng (en-gb), a computer voice"."""

    @property
    def seconds(self) -> float:
        """The whole narration's length: the clips of every track, end to end."""
        return sum(c.end - c.begin for s in self.sections for c in s.clips) / 1000


def clock(seconds: float) -> str:
    """A SMIL full clock value, to the millisecond: 83.5 -> "0:01:23.500"."""
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def clips(anchors: tuple[str, ...], lengths: tuple[float, ...]) -> tuple[Clip, ...]:
    """The clips of one track, each element's clip starting where the one
    before ends (boundaries rounded to the millisecond, so that they still
    meet and add up to the track's length)."""
    out, at = [], 0.0
    for anchor, length in zip(anchors, lengths, strict=True):
        out.append(Clip(anchor, round(at * 1000), round((at + length) * 1000)))
        at += length
    return tuple(out)


@dataclass(frozen=True)
class Licence:
    """An embedded font family's licence, as paragraphs of lines."""

    family: str
    paragraphs: tuple[tuple[str, ...], ...]


def code_epub(code: Code, settings: Settings, res: Resources,
              narration: Narration | None = None) -> bytes:
    """The Code as EPUB 3 bytes; with ``narration``, as a talking book."""
    meta = code.metadata
    env = jinja_env(res.folder("epub"))
    env.filters["inline"] = lambda nodes: _inline(code, nodes)
    env.filters["clock"] = clock
    fonts = [res.font(name) for name in settings.epub.fonts]
    faces = [font_face(path, content_key(path)) for path in fonts]
    families = sorted({f.family for f in faces})
    common = {
        "code": code, "meta": meta, "lang": meta.language, "groups": contents(code),
        "effective": f"{meta.effective_date.day} {meta.effective_date:%B %Y}",
        "number_heading": NUMBER_HEADING, "licence_title": LICENCE_TITLE,
        "talking": narration is not None, "narration": narration,
        "active_class": ACTIVE_CLASS,
    }
    summary_text = summary(settings.epub.certified_by,
                           narration.narrator if narration else None)
    files: list[tuple[str, bytes]] = [
        ("META-INF/container.xml", read_bytes(res.template("epub", "container.xml"))),
        ("EPUB/package.opf", _render(env, "package.opf.j2", common,
                                     identifier=identifier(code, narration is not None),
                                     modified=modified(),
                                     features=(*FEATURES, "synchronizedAudioText")
                                     if narration else FEATURES,
                                     summary=summary_text,
                                     conformance=CONFORMANCE,
                                     certified_by=settings.epub.certified_by,
                                     fonts=[p.name for p in fonts])),
        ("EPUB/nav.xhtml", _render(env, "nav.xhtml.j2", common)),
        ("EPUB/code.xhtml", _render(env, "code.xhtml.j2", common)),
        ("EPUB/font-licence.xhtml", _render(env, "font-licence.xhtml.j2", common,
                                            families=families,
                                            licences=_licences(res, fonts))),
        ("EPUB/css/code.css", _render(env, "code.css.j2", common, faces=faces)),
        *((f"EPUB/fonts/{p.name}", read_bytes(p)) for p in fonts),
    ]
    if narration is not None:
        files.append(("EPUB/code.smil", _render(env, "overlay.smil.j2", common)))
        files += [(f"EPUB/{s.audio}", s.data) for s in narration.sections]
    return package(files)


def summary(certified_by: str | None, narrator: str | None = None) -> str:
    """The accessibility summary: the claim and who made it, or what was
    checked and how; then what the book offers its readers (and, in the
    talking book, who reads it and how it is synchronised)."""
    claim = CERTIFIED.format(by=certified_by) if certified_by else CHECKED
    offers = SUMMARY.format(content=WITH_AUDIO if narrator else TEXT_ONLY)
    return claim + offers + (" " + NARRATED.format(narrator=narrator).strip()
                             if narrator else "")


def modified(environ: Mapping[str, str] = os.environ) -> str:
    """``dcterms:modified``: now, in UTC to the second, or the time in
    ``SOURCE_DATE_EPOCH`` (seconds since 1970) when it is set, so that a
    reproducible build makes the same bytes. Raises InputError for a value
    that is not such a time (the reproducible-builds specification asks a
    build to fail then, rather than quietly use the time now)."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        if not (epoch.isascii() and epoch.isdigit()):
            raise ValueError(epoch)
        when = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise InputError(f"SOURCE_DATE_EPOCH = {quoted(epoch)} is not a time: give whole "
                         "seconds since 1970 (e.g. 1700000000), or unset it") from None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def identifier(code: Code, talking: bool = False) -> str:
    """The book's identifier: a UUID made from the Code's address, title and
    version (and whether it is the talking book, another publication), the
    same in every build of one version."""
    meta = code.metadata
    name = f"{meta.published_url or meta.provider}|{meta.title}|{meta.version}"
    name += "|talking book" if talking else ""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def package(files: list[tuple[str, bytes]]) -> bytes:
    """An EPUB container: ``mimetype`` first and stored, then ``files`` in the
    order given, compressed, every entry with the same fixed timestamp."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(_entry("mimetype", zipfile.ZIP_STORED), MIMETYPE)
        for name, data in files:
            # Audio is compressed already: stored, so a reading system can
            # seek in it without inflating it.
            stored = name.endswith((".mp3", ".opus", ".m4a"))
            zf.writestr(_entry(name, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED),
                        data)
    return out.getvalue()


@caches.memo(16)
def font_face(path: Path, key: str) -> FontFace:
    """A font file's family name and weight, read from its name and OS/2
    tables (cached by content key)."""
    with TTFont(path, lazy=True) as font:
        family = str(font["name"].getBestFamilyName())
        return FontFace(path.name, family, int(font["OS/2"].usWeightClass))


def _licences(res: Resources, fonts: list[Path]) -> list[Licence]:
    seen: dict[str, Licence] = {}
    for path in fonts:
        family = path.stem.split("-")[0]
        if family in seen:
            continue
        text = read_bytes(res.font(f"OFL-{family}.txt")).decode("utf-8")
        paras = tuple(tuple(line.rstrip() for line in block.strip("\n").splitlines())
                      for block in text.split("\n\n") if block.strip())
        seen[family] = Licence(family, paras)
    return list(seen.values())


def _entry(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info


def _render(env: Environment, name: str, common: dict[str, object],
            **extra: object) -> bytes:
    return env.get_template(name).render(**common, **extra).encode("utf-8")


def _inline(code: Code, nodes: tuple[Inline, ...]) -> Markup:
    # breaks: emails and web addresses get a <wbr> after each @ . / -,
    # written as XHTML needs it.
    return Markup(str(inline_html(code, nodes, breaks=True)).replace("<wbr>", "<wbr/>"))
