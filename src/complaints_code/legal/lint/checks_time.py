"""Checks on timescales: words that match their clock, no bare "hours", an
acknowledgement promise, and stage timescales inside the ADR period."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ...structure.inline import Ref, Strong, Text
from ...structure.model import Clock, Timescale
from ...timescales.calendar import WorkingCalendar
from .checks_adr import adr_timescales, threshold_weeks
from .context import Context, Hit
from .durations import in_words, longest
from .registry import check
from .rules import Rule

_NUMBERS = {w: n for n, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve"))}
_NUMBER = r"(\d+|" + "|".join(_NUMBERS) + r")"
_PERIOD = re.compile(_NUMBER + r"\s+((?:working|business)\s+)?(hours?|days?|weeks?)\b",
                     re.IGNORECASE)
_BARE_HOURS = re.compile(r"\b" + _NUMBER + r"\s+hours?\b(?!,?\s*\(?including)", re.IGNORECASE)
_UNIT = {Clock.WORKING_HOURS: "hour", Clock.CLOCK_HOURS: "hour",
         Clock.WORKING_DAYS: "day", Clock.CALENDAR_WEEKS: "week"}
_WORKING = {Clock.WORKING_HOURS: True, Clock.CLOCK_HOURS: False,
            Clock.WORKING_DAYS: True, Clock.CALENDAR_WEEKS: False}


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def _mismatch(t: Timescale) -> str | None:
    """Why a timescale's words disagree with its clock and amount, if they do."""
    m = _PERIOD.search(t.text)
    if not m:
        return "The words give no number of hours, days or weeks."
    number, working, unit = _number(m.group(1)), bool(m.group(2)), m.group(3).lower()
    if number != t.amount:
        return f"The words say {number}; the amount is {t.amount}."
    if not unit.startswith(_UNIT[t.clock]):
        return f'The words say "{unit}" but the clock counts {_UNIT[t.clock]}s.'
    if working != _WORKING[t.clock]:
        return ('The words say "working" but the clock counts elapsed time.' if working
                else 'The clock counts working time but the words do not say "working".')
    return None


@check("TIMESCALE-WORDS")
def timescale_words(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Each timescale's words state its amount and clock."""
    for i, t in enumerate(ctx.code.timescales):
        why = _mismatch(t)
        if why:
            yield Hit(("timescales", i, "text"), {"id": t.id, "text": t.text, "why": why,
                                                   "clock": t.clock.value.replace("_", " "),
                                                   "amount": t.amount})


@check("TIMESCALE-CLOCK")
def timescale_clock(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Periods written into the text that are not one of the timescales."""
    known = [t.text for t in ctx.code.timescales]
    for text in ctx.texts:
        for m in _PERIOD.finditer(text.literal):
            phrase = " ".join(m.group(0).split())
            if not any(_same_words(phrase, k) for k in known):
                yield Hit(text.loc, {"phrase": phrase}, needle=phrase)


@check("BARE-HOURS")
def bare_hours(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Timescales in "hours" that do not say working or elapsed."""
    cal = WorkingCalendar(ctx.code.calendar)
    for i, t in enumerate(ctx.code.timescales):
        m = _BARE_HOURS.search(t.text)
        if m:
            yield Hit(("timescales", i, "text"), {"phrase": t.text, "reading": cal.reading(t)})


@check("WORKING-HOURS-LITERAL")
def working_hours_literal(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Working hours beyond one working day, read literally (docs/counting-time.md)."""
    cal = ctx.code.calendar
    day = (dt.datetime.combine(dt.date.min, cal.closes)
           - dt.datetime.combine(dt.date.min, cal.opens)).total_seconds() / 3600
    for i, t in enumerate(ctx.code.timescales):
        if t.clock != Clock.WORKING_HOURS or t.amount < day or t.amount % day == 0:
            continue
        whole, rest = divmod(t.amount, day)
        meant = max(1, round(t.amount / 24))
        yield Hit(("timescales", i, "text"), {
            "text": t.text, "amount": t.amount, "day": f"{day:g}",
            "literal": f"{int(whole)} working day{'s' * (whole != 1)} and {rest:g} hours",
            "days": meant, "plural": "s" * (meant != 1)})


@check("ACK-TIMESCALE")
def ack_timescale(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """A sentence promises acknowledgement within a timescale."""
    for text in ctx.texts:
        marked = "".join(_marked(n) for n in text.nodes)
        for sentence in re.split(r"(?<=[.!?])\s+", marked):
            if "acknowledg" in sentence.lower() and "\0" in sentence:
                return
    yield Hit(("timescales",), at_key=True)


def _marked(node: object) -> str:
    """Text with each timescale reference as a NUL, to find it in a sentence."""
    if isinstance(node, Text):
        return node.text
    if isinstance(node, Strong):
        return "".join(_marked(n) for n in node.children)
    if isinstance(node, Ref):
        return "\0" if node.kind == "timescale" else "…"
    return getattr(node, "text", "")


@check("STAGE-FITS-ADR")
def stage_fits_adr(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Every other timescale ends, in the worst case, inside the ADR period."""
    weeks = threshold_weeks(ctx)
    adr = {t.id for _, t in adr_timescales(ctx)}
    for i, t in enumerate(ctx.code.timescales):
        if t.id in adr:
            continue
        span, start = longest(ctx.code.calendar, t, ctx.as_of)
        if span > dt.timedelta(weeks=weeks):
            yield Hit(("timescales", i, "text"), {
                "id": t.id, "text": t.text, "longest": in_words(span), "weeks": weeks,
                "when": f"{start:%A %d %B %Y at %H:%M}"})
