"""The Code as words to be spoken: the speech text of the audio version.

A computer voice reads what it is given, so the text is prepared first, the
way a person reading the Code aloud would say it:

- phone numbers in their digit groups: ``020 8545 8200`` is said
  "0 2 0, 8 5 4 5, 8 2 0 0";
- email and web addresses with "at", "dot" and "hyphen":
  ``complaints@opus-telecoms.co.uk`` is said
  "complaints at opus hyphen telecoms dot co dot uk";
- postcodes letter by letter: ``SW19 2TJ`` is said "S W 1 9, 2 T J";
- times of day with am and pm, and ranges with "to": ``0830 – 1730`` and
  ``08:30–17:30`` are both said "8:30 am to 5:30 pm";
- dashes between words as a pause, ranges (``2–3``, ``Monday–Friday``) with
  "to", a slash between words as "or", and bullets, quotation marks and
  ordinal indicators dropped;
- the pronunciation lexicon (``templates/audio/lexicon.toml``): "Ofcom" is
  said "Off-com", "ADR" "A D R".

Letters and digits to be said one by one are written with a space between
them ("S W 1 9"); the synthesis step (:mod:`.synth`) says such runs
character by character. Values the Code refers to (``{contact:telephone}``)
are prepared by their kind; the same kinds written straight into the text are
found by pattern, so a phone number typed into a paragraph is said the same
way.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ...errors import ComplaintsCodeError
from ...structure.inline import Inline, Link, Ref, Strong, Text
from ...structure.model import AddressBlock, Code, ContactTable, Paragraph, Section, StageTable

LEXICON_FILE = "lexicon.toml"
WORDS_FILE = "words.toml"


class SpeechDataError(ComplaintsCodeError):
    """The lexicon or the audio words file is missing or malformed."""


# --- patterns ----------------------------------------------------------------

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_TLD = r"(?:co\.uk|org\.uk|gov\.uk|ac\.uk|nhs\.uk|net\.uk|uk|com|org|net|info|eu)"
WEB = re.compile(
    r"(?:https?://[^\s<>()\"]*[^\s<>()\".,;:!?’”]"
    r"|(?<![\w@.-])(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\." + _TLD + r"(?![\w-])"
    r"(?:/[^\s<>()\"]*[^\s<>()\".,;:!?’”])?/?)")
PHONE = re.compile(r"(?<![\w+])(?:\+44[ ]?(?:\(0\)[ ]?)?\d{2,4}|0\d{2,4})(?:[ -]?\d{3,4}){1,2}"
                   r"(?![\w])")
SERVICE_NUMBER = re.compile(r"(?<![\w.,])(?:999|112|111|101|105|18001|18000|116 ?\d{3})"
                            r"(?![\w.,])")
"""Short numbers said digit by digit: emergency and non-emergency numbers,
and the Relay UK prefixes (18001, 18000)."""
POSTCODE = re.compile(r"(?<![\w-])(?:([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})|(GIR) ?(0AA))"
                      r"(?![\w-])")
_CLOCK = r"(?:[01]?\d|2[0-3])[:.][0-5]\d(?!\d)"
_AMPM = r"(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?\s?(?:[ap]\.m\.|[ap]m\b)"
_HHMM = r"(?:[01]\d|2[0-3])[0-5]\d"
_TIME = rf"(?:{_AMPM}|{_CLOCK}|noon|midday|midnight)"
TIME_RANGE = re.compile(
    rf"(?<![\w:.])({_TIME}|{_HHMM})\s*(?:[–—-]|\bto\b|\buntil\b|\btill\b)\s*({_TIME}|{_HHMM})"
    r"(?![\w:])", re.I)
TIME = re.compile(rf"(?<![\w:.]){_TIME.replace('|noon|midday|midnight', '')}(?![\w:])", re.I)
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAYS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
         "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}
DAY_RANGE = re.compile(r"\b(Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?"
                       r"\s*[–—-]\s*(Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)"
                       r"(?:day|sday|nesday|rsday|urday)?\b")
NUMBER_RANGE = re.compile(r"(?<![\w.])(£?\d+(?:\.\d+)?%?)\s*[–—]\s*(£?\d+(?:\.\d+)?%?)(?![\w.])"
                          r"|(?<![\w.-])(£?\d+)-(£?\d+)(?![\w.-])")
WORD_RANGE = re.compile(r"(?<=\w)–(?=\w)")
"""An en dash between two words with no spaces: a range (January–March)."""
SPACED_DASH = re.compile(r"\s+[–—‒―-]+\s+|\s*[—―]\s*|\s+[–‒]|[–‒]\s+")
SLASH = re.compile(r"(?<=[A-Za-z])\s?/\s?(?=[A-Za-z])")
DROPPED = re.compile(r"[•◦▪▫‣⁃∙●○■□►▸–—‒―“”«»\"ºª†‡*]")
"""Bullets, quotation marks, ordinal indicators and dashes left over: not said."""
SPELLED_RUN = re.compile(r"(?<![\w])(?:[A-Z0-9] )+[A-Z0-9](?![\w])")
"""Letters and digits to be said one by one, as the speech text writes them."""
_KEEP = re.compile("\x00([\ue000-\uf8ff])\x00")


def placeholder(index: int) -> str:
    """Where the ``index``-th prepared value goes in a text given to :meth:`Speech.text`."""
    return f"\x00{chr(0xE000 + index)}\x00"  # a private-use character: no pattern matches it


def words_in(text: str) -> int:
    """How many spoken words a speech text has (each spelt letter or digit is one)."""
    return len(re.findall(r"[\w']+", text))


# --- the speech text of values ----------------------------------------------

@dataclass(frozen=True)
class Speech:
    """Prepares text for speaking, with a pronunciation lexicon and the words
    the audio version uses for symbols."""

    lexicon: Mapping[str, str]
    """Word -> what the voice is given instead."""
    symbols: Mapping[str, str]
    """The words for @ . - _ / and ranges: at, dot, hyphen, underscore, slash, to, or, and."""

    def phone(self, number: str) -> str:
        """A phone number in its digit groups: "020 8545 8200" -> "0 2 0, 8 5 4 5, 8 2 0 0"."""
        number = number.replace("(0)", " ")
        groups = [g for g in re.split(r"[\s-]+", number.strip()) if g]
        spoken = []
        for group in groups:
            digits = " ".join(ch for ch in group if ch.isdigit())
            spoken.append(("plus " if group.startswith("+") else "") + digits)
        return ", ".join(s for s in spoken if s)

    def email(self, address: str) -> str:
        """An email address with "at" and "dot":
        "complaints@opus-telecoms.co.uk" -> "complaints at opus hyphen telecoms dot co dot uk"."""
        local, _, domain = address.partition("@")
        return f"{self._address_words(local)} {self.symbols['at']} {self._address_words(domain)}"

    def web_address(self, url: str) -> str:
        """A web address as people say it: without "https://" or a closing
        slash, with "dot", "hyphen" and "slash":
        "http://www.ofcom.org.uk/" -> "www dot Off-com dot org dot uk"."""
        rest = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.I).rstrip("/")
        host, _, path = rest.partition("/")
        parts = [self._address_words(host)]
        parts += [self._address_words(p) for p in path.split("/") if p]
        return f" {self.symbols['slash']} ".join(parts)

    def postcode(self, code: str) -> str:
        """A postcode letter by letter, a pause between its halves:
        "SW19 2TJ" -> "S W 1 9, 2 T J"."""
        compact = code.replace(" ", "").upper()
        outward, inward = compact[:-3], compact[-3:]
        return f"{' '.join(outward)}, {' '.join(inward)}"

    def time(self, text: str) -> str:
        """A time of day with am or pm: "08:30" -> "8:30 am", "1730" ->
        "5:30 pm", "12:00" -> "12 noon", "9.30am" -> "9:30 am"."""
        low = text.strip().lower().replace(" ", "")
        if low in ("noon", "midday"):
            return "12 noon"
        if low == "midnight":
            return "midnight"
        m = re.fullmatch(r"(\d{1,2})[:.]?(\d{2})?(?:([ap])\.?m\.?)?", low)
        if m is None:  # pragma: no cover - callers pass only matched times
            return text
        hour, minute, half = int(m.group(1)), int(m.group(2) or 0), m.group(3)
        if half:
            hour = hour % 12 + (12 if half == "p" else 0)
        if minute == 0 and hour == 12:
            return "12 noon"
        if minute == 0 and hour == 0:
            return "midnight"
        clock = f"{hour % 12 or 12}" + (f":{minute:02d}" if minute else "")
        return f"{clock} {'am' if hour < 12 else 'pm'}"

    def date(self, day: dt.date) -> str:
        """A date as said in the UK: "the 25th of November 2026"."""
        return f"the {ordinal(day.day)} of {day:%B} {day.year}"

    def address(self, lines: tuple[str, ...], postcode: str) -> str:
        """A postal address, its lines with pauses and the postcode spelt out."""
        return ", ".join([*(self.text(line) for line in lines), self.postcode(postcode)])

    # --- free text ---------------------------------------------------------

    def text(self, raw: str, spoken: Sequence[str] = ()) -> str:
        """Any text of the Code prepared for speaking: every phone number,
        email or web address, postcode, time, range and dash in it, and the
        lexicon's words. ``spoken`` holds values already prepared, which
        ``raw`` places with :func:`placeholder`."""
        kept: list[str] = list(spoken)

        def keep(spoken: str) -> str:
            kept.append(spoken)
            return placeholder(len(kept) - 1)

        def sub(pattern: re.Pattern[str], spoken: Callable[[re.Match[str]], str | None],
                s: str) -> str:
            def one(m: re.Match[str]) -> str:
                said = spoken(m)
                return m.group(0) if said is None else keep(said)
            return pattern.sub(one, s)

        s = " ".join(raw.replace("’", "'").replace("‘", "'").split())
        s = sub(EMAIL, lambda m: self.email(m.group(0)), s)
        s = sub(WEB, lambda m: self.web_address(m.group(0)), s)
        s = sub(PHONE, self._phone_match, s)
        s = sub(SERVICE_NUMBER, lambda m: self.phone(m.group(0)) + ",", s)
        s = sub(POSTCODE, lambda m: self.postcode(m.group(0)), s)
        s = sub(ISO_DATE, self._iso_date, s)
        s = sub(TIME_RANGE, self._time_range, s)
        s = sub(TIME, lambda m: self.time(m.group(0)), s)
        s = sub(DAY_RANGE, self._day_range, s)
        s = sub(NUMBER_RANGE, self._number_range, s)
        s = WORD_RANGE.sub(f" {self.symbols['to']} ", s)
        s = SPACED_DASH.sub(", ", s)
        s = SLASH.sub(f" {self.symbols['or']} ", s)
        s = s.replace("&", f" {self.symbols['and']} ").replace("№", " number ")
        s = re.sub(r"\s*[()\[\]]\s*", ", ", s)
        s = DROPPED.sub("", s)
        s = self.lexiconed(s)
        s = _KEEP.sub(lambda m: kept[ord(m.group(1)) - 0xE000], s)
        return tidy(s)

    def lexiconed(self, text: str) -> str:
        """The text with the lexicon's words replaced."""
        for word, spoken in self._lexicon_patterns():
            text = word.sub(spoken.replace("\\", "\\\\"), text)
        return text

    def _lexicon_patterns(self) -> Iterator[tuple[re.Pattern[str], str]]:
        for word in sorted(self.lexicon, key=len, reverse=True):
            flags = 0 if word.isupper() else re.I
            yield re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w])", flags), self.lexicon[word]

    def _address_words(self, part: str) -> str:
        words = []
        for label in part.split("."):
            pieces = [self.lexiconed(p) for p in re.split(r"[-_]", label)]
            seps = re.findall(r"[-_]", label)
            said = pieces[0]
            for sep, piece in zip(seps, pieces[1:], strict=True):
                said += f" {self.symbols['hyphen' if sep == '-' else 'underscore']} {piece}"
            words.append(said)
        return f" {self.symbols['dot']} ".join(words)

    def _phone_match(self, m: re.Match[str]) -> str | None:
        digits = re.sub(r"\D", "", m.group(0))
        uk = len(digits) in (10, 11) if digits.startswith("0") else len(digits) in (11, 12)
        return self.phone(m.group(0)) if uk else None

    def _iso_date(self, m: re.Match[str]) -> str | None:
        try:
            return self.date(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            return None

    def _time_range(self, m: re.Match[str]) -> str | None:
        first, last = m.group(1), m.group(2)
        if (_is_hhmm(first) or _is_hhmm(last)) and not _plausible_hhmm_range(first, last):
            return None
        return f"{self.time(first)} {self.symbols['to']} {self.time(last)}"

    def _day_range(self, m: re.Match[str]) -> str:
        first, last = (_DAYS[g.lower()[:3]] for g in (m.group(1), m.group(2)))
        return f"{first} {self.symbols['to']} {last}"

    def _number_range(self, m: re.Match[str]) -> str:
        first, last = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return f"{first} {self.symbols['to']} {last}"


def _is_hhmm(text: str) -> bool:
    return re.fullmatch(_HHMM, text) is not None


def _plausible_hhmm_range(first: str, last: str) -> bool:
    """Four-digit times (0830 – 1730) only where both sides are four-digit
    times, the range runs forward, and it is not a pair of years (2025-2026)."""
    if not (_is_hhmm(first) and _is_hhmm(last)) or int(first) >= int(last):
        return False
    years = all(1900 <= int(t) <= 2099 for t in (first, last))
    return not years or first.startswith("0")


def ordinal(n: int) -> str:
    """1 -> 1st, 22 -> 22nd, 13 -> 13th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def tidy(text: str) -> str:
    """Spaces and pauses made regular: no doubled commas, no space before a
    comma or full stop, no pause at the start."""
    s = " ".join(text.split())
    s = re.sub(r"\s+([,.;:!?])", r"\1", s)
    s = re.sub(r",(?:\s*,)+", ",", s)
    s = re.sub(r",\s*([.;:!?])", r"\1", s)
    s = re.sub(r"([.;:!?])\s*,", r"\1", s)
    s = re.sub(r",(?=\S)", ", ", s)
    return s.strip(" ,")


def sentence(text: str) -> str:
    """A speech text ended with a full stop (unless it ends with other punctuation)."""
    text = tidy(text)
    return text if not text or text[-1] in ".!?:" else text + "."


# --- the Code as tracks --------------------------------------------------------

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

    def _section_track(self, code: Code, sections: list[Section], number: int) -> Track:
        s = self.speech
        paragraphs = [p for section in sections for p in self._blocks(code, section)]
        return Track(number, sections[-1].id,
                     self.contents["heading_join"].join(x.title for x in sections),
                     tuple(sentence(s.text(x.title)) for x in sections),
                     tuple(paragraphs))

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

    def _blocks(self, code: Code, section: Section) -> Iterator[str]:
        s = self.speech
        for block in section.blocks:
            if isinstance(block, Paragraph):
                yield sentence(self.inlines(code, block.inlines))
            elif isinstance(block, ContactTable):
                for cid in block.contacts:
                    contact = code.contact(cid)
                    yield sentence(f"{s.text(contact.label)}: "
                                   f"{self.inlines(code, contact.inlines)}")
            elif isinstance(block, StageTable):
                for stage in code.stages:
                    row = self.stages["row"].format(heading=block.stages.stage,
                                                    number=stage.number, title=stage.title)
                    yield sentence(f"{s.text(row)} {self.inlines(code, stage.inlines)}")
            elif isinstance(block, AddressBlock):
                address = code.address(block.address)
                yield sentence(s.address(address.lines, address.postcode))

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
            return s.email(resolved.text)
        if resolved.kind == "url":
            return s.web_address(resolved.text)
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
