"""The text-normalisation table: how written forms a Code may use are said.

A computer voice reads "24/7" as "twenty-four slash seven", "£9.99" as
"pound nine point nine nine" and "St" always as "saint". Each rule below
finds one written form and gives the words a person reading aloud would use;
:class:`.speech.Speech` applies them in this order, after addresses, phone
numbers and postcodes (which they must never touch) and before the dashes
and slashes that are left are made pauses.

==================  ==========================  ===================================
rule                written                     said
==================  ==========================  ===================================
round the clock     24/7, 24 x 7                24 hours a day, 7 days a week
numeric date        31/12/2026, 1.2.27          the 31st of December 2026
ISO date            2026-12-01                  the 1st of December 2026
written date        31 December 2026, 1st Dec   the 31st of December 2026
month-first date    December 31, 2026           December the 31st, 2026
money range         £5–£10, £5-10               5 pounds to 10 pounds
money               £9.99, £1, 50p, £2m         9 pounds 99, 1 pound, 50 pence
number sign         #42, No. 7                  number 42, number 7
ordinal             1º, 2ª, 21ST                1st, 2nd, 21st
Street or Saint     10 High St, St Mary's       10 High Street, Saint Mary's
day range           Mon–Fri, Mon to Sat         Monday to Friday, Monday to Saturday
time range          0830 – 1730, 9am-5.30pm     8:30 am to 5:30 pm, 9 am to 5:30 pm
time                08:00, 17:45, 9.30am        8 am, 5:45 pm, 9:30 am
number range        2–3 weeks                   2 to 3 weeks
==================  ==========================  ===================================

Each rule is general (any date, any amount, any street), and a form it
cannot read with confidence (31/02/2026, a bare "9-5") is left as written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class Sayer(Protocol):
    """What the rules need from :class:`.speech.Speech`."""

    def word(self, name: str) -> str: ...
    def time(self, text: str) -> str: ...
    def date(self, day: dt.date) -> str: ...


@dataclass(frozen=True)
class Rule:
    """One row of the table."""

    name: str
    pattern: re.Pattern[str]
    say: Callable[[Sayer, re.Match[str]], str | None]
    """The words for a match, or None to leave it as written."""


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_MONTH = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
         r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_ORD = r"(?:st|nd|rd|th)"
DAYS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
        "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}
_DAY = r"(Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday|\.)?"
_CLOCK = r"(?:[01]?\d|2[0-3])[:.][0-5]\d(?!\d)"
_AMPM = r"(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?\s?(?:[ap]\.m\.|[ap]m\b)"
_HHMM = r"(?:[01]\d|2[0-3])[0-5]\d"
_TIME = rf"(?:{_AMPM}|{_CLOCK}|noon|midday|midnight)"
_AMOUNT = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?"
_CURRENCY = {"£": ("pound", "pounds", "penny", "pence"), "€": ("euro", "euros", "cent", "cents"),
             "$": ("dollar", "dollars", "cent", "cents")}
_SCALE = {"k": "thousand", "m": "million", "bn": "billion", "million": "million",
          "billion": "billion", "thousand": "thousand"}


def ordinal(n: int) -> str:
    """1 -> 1st, 22 -> 22nd, 13 -> 13th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _month(name: str) -> int:
    return next(i for i, m in enumerate(MONTHS, 1) if m.lower().startswith(name.lower()[:3]))


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _day(say: Sayer, year: int, month: int, day: int) -> str | None:
    try:
        return say.date(dt.date(year, month, day))
    except ValueError:
        return None  # not a real date: left as written


def _numeric_date(say: Sayer, m: re.Match[str]) -> str | None:
    return _day(say, _year(m.group(4)), int(m.group(3)), int(m.group(1)))


def _iso_date(say: Sayer, m: re.Match[str]) -> str | None:
    return _day(say, int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _written_date(say: Sayer, m: re.Match[str]) -> str | None:
    day, month, year = int(m.group(1)), _month(m.group(2)), m.group(3)
    if year:
        return _day(say, int(year), month, day)
    if not 1 <= day <= 31:
        return None
    return f"the {ordinal(day)} of {MONTHS[month - 1]}"


def _month_first(say: Sayer, m: re.Match[str]) -> str | None:
    month, day, year = _month(m.group(1)), int(m.group(2)), m.group(3)
    if not 1 <= day <= 31:
        return None
    said = f"{MONTHS[month - 1]} the {ordinal(day)}"
    return f"{said}, {year}" if year else said


def money(sign: str, whole: str, part: str | None, scale: str | None = None) -> str:
    """An amount as said: "£9.99" -> "9 pounds 99", "£1" -> "1 pound",
    "£0.50" -> "50 pence", "£2.5m" -> "2.5 million pounds"."""
    one, many, small_one, small_many = _CURRENCY[sign]
    if scale:
        number = whole + (f".{part}" if part else "")
        return f"{number} {_SCALE[scale.lower()]} {many}"
    pence = int((part or "0").ljust(2, "0"))
    units = int(whole.replace(",", ""))
    if units == 0 and pence:
        return f"{pence} {small_one if pence == 1 else small_many}"
    said = f"{whole} {one if units == 1 else many}"
    return f"{said} {pence}" if pence else said


_MONEY_RE = rf"([£€$])\s?{_AMOUNT}(?:\s?(bn|k|m|million|billion|thousand)\b)?"


def _money(say: Sayer, m: re.Match[str]) -> str:
    return money(m.group(1), m.group(2), m.group(3), m.group(4))


def _money_range(say: Sayer, m: re.Match[str]) -> str:
    first = money(m.group(1), m.group(2), m.group(3))
    last = money(m.group(1), m.group(4), m.group(5))
    return f"{first} {say.word('to')} {last}"


def _pence(say: Sayer, m: re.Match[str]) -> str:
    return f"{m.group(1)} {'penny' if m.group(1) == '1' else 'pence'}"


def _number_sign(say: Sayer, m: re.Match[str]) -> str:
    return f"number {m.group(1)}"


def _ordinal(say: Sayer, m: re.Match[str]) -> str:
    return ordinal(int(m.group(1)))


def _street_or_saint(say: Sayer, m: re.Match[str]) -> str:
    # Street after a street's name ("High St"; but not the first word of a
    # sentence, which has a capital anyway); Saint before a name
    # ("St Mary's", "in St Albans"); Street otherwise ("10 Park St.").
    before = m.string[:m.start()]
    after = m.string[m.end():]
    previous = re.search(r"(^|[.!?:]\s+|\s)([\w'’-]+)\s+$", before)
    named = (previous is not None and re.fullmatch(r"[A-Z][a-z][\w'’-]*", previous.group(2))
             is not None and not previous.group(1).strip() and previous.start(2) > 0)
    if not named and re.match(r"\s+[A-Z]", after):
        return "Saint"  # an abbreviation's full stop, not said
    # "High St." ends a sentence when nothing or a capital follows.
    ends = m.group(1) and re.match(r"\s*$|\s+[A-Z]", after)
    return "Street." if ends else "Street"


def _days(say: Sayer, m: re.Match[str]) -> str:
    first, last = (DAYS[g.lower()[:3]] for g in (m.group(1), m.group(2)))
    return f"{first} {say.word('to')} {last}"


def _hhmm(text: str) -> bool:
    return re.fullmatch(_HHMM, text) is not None


def _time_range(say: Sayer, m: re.Match[str]) -> str | None:
    first, last = m.group(1), m.group(2)
    if _hhmm(first) or _hhmm(last):
        # Four-digit times (0830 – 1730) only where both are, the range runs
        # forward and it is not a pair of years (2025-2026).
        if not (_hhmm(first) and _hhmm(last)) or int(first) >= int(last):
            return None
        if all(1900 <= int(t) <= 2099 for t in (first, last)) and not first.startswith("0"):
            return None
    return f"{say.time(first)} {say.word('to')} {say.time(last)}"


def _bare_hour_range(say: Sayer, m: re.Match[str]) -> str | None:
    # "9–5pm", "10 to 11am": the first hour takes the half of the day that
    # makes the range run forward.
    hour, last = int(m.group(1)), m.group(2)
    end = say.time(last)
    if not 1 <= hour <= 12 or not end.endswith(("am", "pm")):
        return None
    end_hour = int(re.match(r"\d+", end).group(0))  # type: ignore[union-attr]
    half = end[-2:] if hour % 12 < end_hour % 12 or end == "12 noon" else "am"
    return f"{say.time(f'{hour}{half}')} {say.word('to')} {end}"


def _number_range(say: Sayer, m: re.Match[str]) -> str:
    first, last = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return f"{first} {say.word('to')} {last}"


_RANGE = r"\s*(?:[–—-]|\bto\b|\buntil\b|\btill\b)\s*"

RULES: tuple[Rule, ...] = (
    Rule("round the clock", re.compile(r"(?<![\w/])24\s?(?:/|x|×)\s?7(?![\w/])"),
         lambda say, m: "24 hours a day, 7 days a week"),
    Rule("numeric date", re.compile(
        r"(?<![\w/.])(0?[1-9]|[12]\d|3[01])([/.])(0?[1-9]|1[0-2])\2(\d{4}|\d{2})(?![\w/]|\.\d)"),
         _numeric_date),
    Rule("ISO date", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), _iso_date),
    Rule("written date", re.compile(
        rf"(?<![\w£€$.,])(?<!the )(\d{{1,2}}){_ORD}?(?:\s+of)?\s+{_MONTH}"
        r"(?:,?\s+(\d{4}))?(?![\w])"),
         _written_date),
    Rule("month-first date", re.compile(
        rf"\b{_MONTH}\s+(\d{{1,2}}){_ORD}?(?:,?\s+(\d{{4}}))?(?![\w:])"), _month_first),
    Rule("money range", re.compile(
        rf"([£€$])\s?{_AMOUNT}\s*(?:[–—-]|\bto\b)\s*\1?\s?{_AMOUNT}(?![\w.])"), _money_range),
    Rule("money", re.compile(_MONEY_RE + r"(?![\w])"), _money),
    Rule("pence", re.compile(r"(?<![\w.£€$])(\d+)p\b"), _pence),
    Rule("number sign", re.compile(r"(?:#|№|\bNo\.)\s?(\d[\w-]*)"), _number_sign),
    Rule("ordinal", re.compile(r"(?<![\w.])(\d+)(?:[ºª°]|ˢᵗ|ⁿᵈ|ʳᵈ|ᵗʰ|ST|ND|RD|TH)(?![\w])"),
         _ordinal),
    Rule("Street or Saint", re.compile(r"\bSt\b(\.)?"), _street_or_saint),
    Rule("day range", re.compile(rf"\b{_DAY}{_RANGE}{_DAY}(?![\w])"), _days),
    Rule("time range", re.compile(rf"(?<![\w:.£€$])({_TIME}|{_HHMM}){_RANGE}({_TIME}|{_HHMM})"
                                  r"(?![\w:])", re.I), _time_range),
    Rule("hour range", re.compile(rf"(?<![\w:.£€$])(\d{{1,2}}){_RANGE}({_AMPM}|noon|midday)"
                                  r"(?![\w:])", re.I), _bare_hour_range),
    Rule("time", re.compile(rf"(?<![\w:.£€$])(?:{_AMPM}|{_CLOCK})(?![\w:])", re.I),
         lambda say, m: say.time(m.group(0))),
    Rule("number range", re.compile(r"(?<![\w.])(\d+(?:\.\d+)?%?)\s*[–—]\s*(\d+(?:\.\d+)?%?)"
                                    r"(?![\w.])|(?<![\w.-])(\d+)-(\d+)(?![\w.-])"),
         _number_range),
)
"""The table, in the order the rules apply."""
