"""The Code as words to be spoken: the speech text of the audio version.

A computer voice reads what it is given, so the text is prepared first, the
way a person reading the Code aloud would say it:

- phone numbers in their digit groups: ``020 8545 8200`` is said
  "0 2 0, 8 5 4 5, 8 2 0 0";
- email and web addresses as people say them, with "at", "dot" and
  "hyphen", words run together said apart, a pause between the parts, and
  never the lexicon's respellings (a listener must be able to type them):
  ``customerservice@opus-telecoms.co.uk`` is said
  "customer service, at opus hyphen telecoms, dot co dot uk";
- a pause (a full stop) between a phone number and the hours that follow it;
- postcodes letter by letter: ``SW19 2TJ`` is said "S W 1 9, 2 T J";
- the text-normalisation table (:mod:`.normalise`): dates, money, "24/7",
  "#", "St" as Street or Saint, ordinals, day and time ranges;
- dashes between words as a pause, a slash between words as "or", and
  bullets and quotation marks dropped;
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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from .normalise import RULES, ordinal
from .patterns import (
    _KEEP,
    DROPPED,
    EMAIL,
    PHONE,
    PHONE_THEN_HOURS,
    POSTCODE,
    SERVICE_NUMBER,
    SLASH,
    SPACED_DASH,
    SUFFIX,
    WEB,
    WORD_RANGE,
    placeholder,
    split_words,
    tidy,
)
from .patterns import SPELLED_RUN as SPELLED_RUN  # re-exported: where they were first
from .patterns import sentence as sentence
from .patterns import words_in as words_in

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

    def word(self, name: str) -> str:
        """One of the words the audio uses for symbols (at, dot, to, ...)."""
        return self.symbols[name]

    def email(self, address: str) -> str:
        """An email address as people say it, a pause between its parts:
        "customerservice@opus-telecoms.co.uk" ->
        "customer service, at opus hyphen telecoms, dot co dot uk"."""
        local, _, domain = address.partition("@")
        return f"{self._address_words(local)}, {self.symbols['at']} {self._host(domain)}"

    def web_address(self, url: str) -> str:
        """A web address as people say it: without "https://" or a closing
        slash, with "dot", "hyphen" and "slash", a pause before the ending
        and before the path: "http://www.ofcom.org.uk/" -> "www dot ofcom,
        dot org dot uk"."""
        rest = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.I).rstrip("/")
        host, _, path = rest.partition("/")
        parts = [self._address_words(p) for p in path.split("/") if p]
        if not parts:
            return self._host(host)
        return f"{self._host(host)}, " + f" {self.symbols['slash']} ".join(
            ["", *parts]).strip()

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
        # An address ends with a pause too ("... dot co dot uk, via the web chat").
        s = sub(EMAIL, lambda m: self.email(m.group(0)) + ",", s)
        s = sub(WEB, lambda m: self.web_address(m.group(0)) + ",", s)
        s = sub(PHONE, self._phone_match, s)
        s = sub(SERVICE_NUMBER, lambda m: self.phone(m.group(0)) + ",", s)
        s = sub(POSTCODE, lambda m: self.postcode(m.group(0)), s)
        for rule in RULES:
            s = sub(rule.pattern, lambda m, rule=rule: rule.say(self, m), s)  # type: ignore[misc]
        s = WORD_RANGE.sub(f" {self.symbols['to']} ", s)
        s = SPACED_DASH.sub(", ", s)
        s = SLASH.sub(f" {self.symbols['or']} ", s)
        s = s.replace("&", f" {self.symbols['and']} ").replace("№", " number ")
        s = re.sub(r"\s*[()\[\]]\s*", ", ", s)
        s = DROPPED.sub("", s)
        s = self.lexiconed(s)
        s = _KEEP.sub(lambda m: kept[ord(m.group(1)) - 0xE000], s)
        return PHONE_THEN_HOURS.sub(r"\1. ", tidy(s))

    def lexiconed(self, text: str) -> str:
        """The text with the lexicon's words replaced."""
        for word, spoken in self._lexicon_patterns():
            text = word.sub(spoken.replace("\\", "\\\\"), text)
        return text

    def _lexicon_patterns(self) -> Iterator[tuple[re.Pattern[str], str]]:
        for word in sorted(self.lexicon, key=len, reverse=True):
            flags = 0 if word.isupper() else re.I
            yield re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w])", flags), self.lexicon[word]

    def _host(self, host: str) -> str:
        # "opus-telecoms.co.uk": the name, then a pause, then the ending.
        m = SUFFIX.search(host.lower())
        if m is None or m.start() == 0:
            return self._address_words(host)
        name, ending = host[:m.start()], host[m.start() + 1:]
        return f"{self._address_words(name)}, {self.symbols['dot']} " \
            f"{self._address_words(ending)}"

    def _address_words(self, part: str) -> str:
        # As written (no lexicon: the listener types what they hear), a
        # word run together said as its words, symbols as words.
        words = []
        for label in part.split("."):
            pieces = [split_words(p) for p in re.split(r"[-_]", label)]
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
