"""The Code as tracks of speech text (one a section, after a contents
announcement), and the loading of the lexicon and the audio's words
(``templates/audio/``). Each heading and paragraph of a track carries the id
of the element of the talking book's text it is read from (its anchor), so
that the book's media overlay can point at it."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ...errors import ComplaintsCodeError
from ...structure.inline import Inline, Link, Ref, Strong, Text
from ...structure.model import AddressBlock, Code, ContactTable, Paragraph, Section, StageTable
from .patterns import placeholder, sentence, words_in
from .speech import Speech

LEXICON_FILE = "lexicon.toml"
WORDS_FILE = "words.toml"


class SpeechDataError(ComplaintsCodeError):
    """The lexicon or the audio words file is missing or malformed."""


@dataclass(frozen=True)
class Track:
    """One audio file: its headings and paragraphs as speech text."""

    number: int
    """Its place in the playlist, from 1 (the contents announcement)."""
    slug: str
    """Its file name's stem after the number: a section id, or "contents"."""
    title: str
    """Its title as printed, for the playlist and the file's tags."""
    headings: tuple[str, ...]
    """The headings said first, each followed by a pause."""
    paragraphs: tuple[str, ...]
    """The paragraphs, in order."""
    anchors: tuple[str, ...] = ()
    """The id of the talking book's element each heading, then each
    paragraph, is read from (SECTION-heading; SECTION-N for the section's
    Nth block; contact-ID and stage-ID for table rows; title and version for
    the book's header); empty for tracks not in the book (the contents)."""

    @property
    def name(self) -> str:
        """The file name's stem, e.g. "02-purpose"."""
        return f"{self.number:02d}-{self.slug}"

    @property
    def text(self) -> str:
        """The whole speech text, one line a heading or paragraph."""
        return "\n".join((*self.headings, *self.paragraphs))

    @property
    def words(self) -> int:
        """How many words are spoken."""
        return words_in(self.text)


@dataclass(frozen=True)
class Script:
    """The speech text of the whole Code, with the words the audio adds."""

    speech: Speech
    contents: Mapping[str, str]
    stages: Mapping[str, str]

    def tracks(self, code: Code) -> list[Track]:
        """The contents announcement, then one track a section. A main
        heading with no text of its own is said at the start of the next
        section's track, and both headings name it."""
        body: list[Track] = []
        pending: list[Section] = []
        for section in code.sections:
            if not section.blocks:
                pending.append(section)
                continue
            body.append(self._section_track(code, [*pending, section], len(body) + 2))
            pending = []
        if pending:
            body.append(self._section_track(code, pending, len(body) + 2))
        return [self._contents(code, body), *body]

    def book_tracks(self, code: Code) -> list[Track]:
        """The talking book's tracks: its header (the title, then the
        provider, version and date, as the book prints them), then the
        same section tracks as :meth:`tracks`."""
        s, meta = self.speech, code.metadata
        version = self.contents["version"].format(version=meta.version,
                                                  date=s.date(meta.effective_date))
        header = Track(1, "title", meta.title, (sentence(s.text(meta.title)),),
                       (sentence(s.text(f"{meta.provider}. {version}")),),
                       ("title", "version"))
        return [header, *self.tracks(code)[1:]]

    def _section_track(self, code: Code, sections: list[Section], number: int) -> Track:
        s = self.speech
        parts = [p for section in sections for p in self._blocks(code, section)]
        return Track(number, sections[-1].id,
                     self.contents["heading_join"].join(x.title for x in sections),
                     tuple(sentence(s.text(x.title)) for x in sections),
                     tuple(text for _, text in parts),
                     (*(f"{x.id}-heading" for x in sections), *(a for a, _ in parts)))

    def _contents(self, code: Code, body: list[Track]) -> Track:
        s, words, meta = self.speech, self.contents, code.metadata
        paragraphs = [
            words["version"].format(version=meta.version, date=s.date(meta.effective_date)),
            words["voice"],
            words["count"].format(count=len(body)),
            *(words["track"].format(number=t.number, title=t.title) for t in body),
        ]
        heading = words["title"].format(title=meta.title, provider=meta.provider)
        return Track(1, "contents", words["track_title"], (sentence(s.text(heading)),),
                     tuple(sentence(s.text(p)) for p in paragraphs))

    def _blocks(self, code: Code, section: Section) -> Iterator[tuple[str, str]]:
        """Each paragraph (or table row) of a section: its anchor and its text."""
        s = self.speech
        for n, block in enumerate(section.blocks, start=1):
            if isinstance(block, Paragraph):
                yield f"{section.id}-{n}", sentence(self.inlines(code, block.inlines))
            elif isinstance(block, ContactTable):
                for cid in block.contacts:
                    contact = code.contact(cid)
                    yield f"contact-{cid}", sentence(f"{s.text(contact.label)}: "
                                                     f"{self.inlines(code, contact.inlines)}")
            elif isinstance(block, StageTable):
                for stage in code.stages:
                    row = self.stages["row"].format(heading=block.stages.stage,
                                                    number=stage.number, title=stage.title)
                    yield f"stage-{stage.id}", sentence(
                        f"{s.text(row)} {self.inlines(code, stage.inlines)}")
            elif isinstance(block, AddressBlock):
                address = code.address(block.address)
                yield f"{section.id}-{n}", sentence(s.address(address.lines, address.postcode))

    def inlines(self, code: Code, nodes: tuple[Inline, ...]) -> str:
        """Inline markup as speech text: each referred value said by its
        kind, the words around it prepared as one text (so the brackets
        around a reference still make pauses)."""
        spoken: list[str] = []
        return self.speech.text("".join(self._raw(code, n, spoken) for n in nodes), spoken)

    def _raw(self, code: Code, node: Inline, spoken: list[str]) -> str:
        if isinstance(node, Text):
            return node.text
        if isinstance(node, Strong):
            return "".join(self._raw(code, n, spoken) for n in node.children)
        if isinstance(node, Link):
            return node.text
        spoken.append(self._value(code, node))
        return placeholder(len(spoken) - 1)

    def _value(self, code: Code, node: Ref) -> str:
        s = self.speech
        resolved = code.resolve(node)
        if resolved.kind == "phone":
            return s.phone(resolved.text)
        if resolved.kind == "email":
            return s.email(resolved.text) + ","
        if resolved.kind == "url":
            return s.web_address(resolved.text) + ","
        if resolved.kind == "address":
            address = code.address(f"{node.kind}:{node.id}")
            return s.address(address.lines, address.postcode)
        return s.text(resolved.text)


# --- loading -------------------------------------------------------------------

def load_script(folder: Path) -> Script:
    """The speech preparation configured by ``folder`` (templates/audio):
    its lexicon.toml and words.toml. Raises SpeechDataError."""
    lexicon = _table(folder / LEXICON_FILE, _toml(folder / LEXICON_FILE), "lexicon")
    words = _toml(folder / WORDS_FILE)
    symbols, contents, stages = (_table(folder / WORDS_FILE, words, name)
                                 for name in ("symbols", "contents", "stages"))
    missing = {"at", "dot", "hyphen", "underscore", "slash", "to", "or", "and"} - set(symbols)
    if missing:
        raise SpeechDataError(f"{folder / WORDS_FILE}: [symbols] lacks "
                              f"{', '.join(sorted(missing))}; restore it from the repository")
    return Script(Speech(lexicon, symbols), contents, stages)


def _table(path: Path, data: dict[str, object], name: str) -> dict[str, str]:
    table = data.get(name)
    if not isinstance(table, dict):
        raise SpeechDataError(f"{path}: the table [{name}] is missing; restore it from the "
                              "repository")
    if not all(isinstance(v, str) for v in table.values()):
        raise SpeechDataError(f"{path}: every entry of [{name}] must be a word and its text "
                              'in quotes, e.g. Ofcom = "Off-com"')
    return {str(k): str(v) for k, v in table.items()}


def _toml(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpeechDataError(f"{path}: cannot read it ({exc.strerror}); restore it from "
                              "the repository") from None
    except tomllib.TOMLDecodeError as exc:
        raise SpeechDataError(f"{path}: {exc}; fix the TOML syntax") from None
