"""The patterns that find what the speech text prepares (phone numbers,
addresses, postcodes, dashes), and the small helpers that tidy a speech
text; used by :mod:`.speech`."""

from __future__ import annotations

import re

import wordninja

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
WORD_RANGE = re.compile(r"(?<=\w)–(?=\w)")
"""An en dash between two words with no spaces: a range (January–March)."""
SPACED_DASH = re.compile(r"\s+[–—‒―-]+\s+|\s*[—―]\s*|\s+[–‒]|[–‒]\s+")
SLASH = re.compile(r"(?<=[A-Za-z])\s?/\s?(?=[A-Za-z])")
DROPPED = re.compile(r"[•◦▪▫‣⁃∙●○■□►▸–—‒―“”«»\"ºª†‡*]")
"""Bullets, quotation marks, ordinal indicators and dashes left over: not said."""
PHONE_THEN_HOURS = re.compile(
    r"(\b\d(?: \d)+(?:, (?:plus )?\d(?: \d)+)+), (?=(?:from |open |lines open )?"
    r"(?:\d{1,2}(?::\d\d)? [ap]m\b|12 noon|midnight|24 hours|(?:Mon|Tues|Wednes|Thurs|Fri|"
    r"Satur|Sun)day\b|weekdays\b|every day\b))", re.I)
"""A phone number as said (digit groups between commas) followed after a
comma by its hours. A full stop there makes a clear pause, where a comma
sounds like one more group of digits."""
SUFFIX = re.compile(r"\.(?:(?:co|org|gov|ac|nhs|net|ltd|plc|me|sch|police|mod)\.)?[a-z]{2,}$")
"""The end of a domain that is said after a pause: .co.uk, .org.uk, .com."""
MIN_PIECE = 3
"""A run-together word in an address is said as its words only if each has
at least this many letters ("customerservice": customer service; not
"telecoms": telecom s)."""
SPELLED_RUN = re.compile(r"(?<![\w])(?:[A-Z0-9] )+[A-Z0-9](?![\w])")
"""Letters and digits to be said one by one, as the speech text writes them."""
_KEEP = re.compile("\x00([\ue000-\uf8ff])\x00")


def placeholder(index: int) -> str:
    """Where the ``index``-th prepared value goes in a text given to :meth:`Speech.text`."""
    return f"\x00{chr(0xE000 + index)}\x00"  # a private-use character: no pattern matches it


def words_in(text: str) -> int:
    """How many spoken words a speech text has (each spelt letter or digit is one)."""
    return len(re.findall(r"[\w']+", text))


def split_words(label: str) -> str:
    """A run-together word said as its words, where each is a real word of
    at least MIN_PIECE letters: "customerservice" -> "customer service";
    "telecoms", "ofcom" and "info" stay as they are."""
    if not label.isalpha() or len(label) < 2 * MIN_PIECE:
        return label
    pieces = wordninja.split(label)
    if len(pieces) < 2 or any(len(p) < MIN_PIECE for p in pieces):
        return label
    return " ".join(pieces)


def tidy(text: str) -> str:
    """Spaces and pauses made regular: no doubled commas, no space before a
    comma or full stop, no pause at the start."""
    s = " ".join(text.split())
    s = re.sub(r"\s+([,.;:!?])", r"\1", s)
    s = re.sub(r",(?:\s*,)+", ",", s)
    s = re.sub(r",\s*([.;:!?])", r"\1", s)
    s = re.sub(r"([.;:!?])\s*,", r"\1", s)
    s = re.sub(r",(?=\S)(?!(?<=\d,)\d{3}(?!\d))", ", ", s)  # not in 1,000
    return s.strip(" ,")


def sentence(text: str) -> str:
    """A speech text ended with a full stop (unless it ends with other punctuation)."""
    text = tidy(text)
    return text if not text or text[-1] in ".!?:" else text + "."


