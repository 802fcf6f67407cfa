"""Checks on the dispute-resolution (ADR) body and when customers may use it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ...structure.model import Clock, ContactKind, Timescale
from ...structure.positions import Loc
from .context import Context, Hit
from .durations import longest
from .registry import check
from .rules import Rule, rules_in_force


def adr_timescales(ctx: Context) -> list[tuple[int, Timescale]]:
    """The timescales the Code uses for "when you may go to ADR": those referred
    to in a text that also refers to the ADR body."""
    ids = {r.id for t in ctx.texts if any(r.kind == "adr" for r in t.refs())
           for r in t.refs() if r.kind == "timescale"}
    return [(i, t) for i, t in enumerate(ctx.code.timescales) if t.id in ids]


def threshold_weeks(ctx: Context) -> int:
    """The ADR period in force on the date the rules are judged on."""
    rule = next(r for r in rules_in_force(ctx.as_of) if r.id == "ADR-THRESHOLD")
    return int(rule.params["weeks"])


def adr_anchor(ctx: Context) -> Loc:
    """Where the Code first sends customers to the ADR body (for findings about
    what the ADR text lacks), or the ADR body's name."""
    naming = [t for t in ctx.texts if any(r.key == "adr:name" for r in t.refs())]
    # Prefer the Code's own ADR section to a stage description that mentions it.
    naming.sort(key=lambda t: t.loc[0] != "sections")
    return naming[0].loc if naming else ("adr", "name")


@check("ADR-BODY")
def adr_body(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """The ADR body must be one of the schemes Ofcom approves, never Ofcom."""
    name = ctx.code.adr.name
    folded = " ".join(name.lower().split())
    if any(a in folded for a in rule.params["approved"]):
        return
    why = ("Ofcom is the regulator: it does not resolve individual complaints."
           if "ofcom" in folded else "It is not a scheme Ofcom approves.")
    yield Hit(("adr", "name"), {"name": name, "why": why})


@check("ADR-DETAILS")
def adr_details(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """The ADR body needs a telephone number, a website and a written channel."""
    adr = ctx.code.adr
    missing = []
    if not adr.contact(ContactKind.TELEPHONE):
        missing.append("telephone number")
    if not adr.contact(ContactKind.WEBSITE):
        missing.append("website")
    if not (adr.contact(ContactKind.EMAIL) or adr.contact(ContactKind.POST)):
        missing.append("email or postal address")
    if missing:
        loc: Loc = ("adr", "contacts") if adr.contacts else ("adr", "name")
        yield Hit(loc, {"missing": " and no ".join(missing)})


@check("ADR-FREE")
def adr_free(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """The ADR text says the scheme is free to the customer and independent."""
    words = " ".join(t.plain for t in ctx.texts if _about_adr(ctx, t.loc)).lower()
    missing = [label for label, pattern in (("free to the customer", r"\bfree\b"),
                                            ("independent", r"\bindependent\b"))
               if not re.search(pattern, words)]
    if missing:
        yield Hit(adr_anchor(ctx), {"missing": " or ".join(missing)})


def _about_adr(ctx: Context, loc: Loc) -> bool:
    """Whether a text is in a section (or stage) that refers to the ADR body."""
    here = loc[:2]
    return any(t.loc[:2] == here and any(r.kind == "adr" for r in t.refs()) for t in ctx.texts)


@check("ADR-THRESHOLD")
def adr_threshold(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """The Code's ADR period is no longer than the one in force."""
    weeks = int(rule.params["weeks"])
    found = adr_timescales(ctx)
    if not found:
        yield Hit(adr_anchor(ctx), {"weeks": weeks, "stated": "no period at all"})
    for i, timescale in found:
        if timescale.clock == Clock.CALENDAR_WEEKS:
            too_long = timescale.amount > weeks
        else:  # another clock: compare its worst case in elapsed time
            span, _ = longest(ctx.code.calendar, timescale, ctx.as_of)
            too_long = span > dt.timedelta(weeks=weeks)
        if too_long:
            yield Hit(("timescales", i, "text"),
                      {"weeks": weeks, "stated": f'"{timescale.text}"'})


@check("ADR-LETTER")
def adr_letter(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Deadlock is mentioned and a letter about ADR is promised."""
    words = ctx.all_plain().lower()
    missing = [label for label, pattern in (("deadlock", r"\bdeadlock"),
                                            ("a letter", r"\bletter\b"))
               if not re.search(pattern, words)]
    if missing:
        yield Hit(adr_anchor(ctx), {"missing": " or ".join(missing)})


_WINDOW = re.compile(r"\b(?:12|twelve)[\s-]+months?\b", re.IGNORECASE)


@check("ADR-WINDOW")
def adr_window(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """The 12 months the customer has to go to ADR are stated."""
    if not _WINDOW.search(ctx.all_plain()):
        yield Hit(adr_anchor(ctx))


_REGULATOR_WORD = r"(?:regulator|regulatory\s+body|watchdog)s?\b"


def _calls_regulator(name: str) -> re.Pattern[str]:
    """"NAME is an independent regulator", "NAME, the regulator", "NAME acts as
    a regulator", "the regulator NAME": the name and "regulator" joined as one
    description, not merely in the same sentence."""
    n = r"\s+".join(map(re.escape, name.split()))
    return re.compile(
        rf"{n}\s*(?:,\s*|\s+(?:is|was|acts\s+as|as)\s+)(?:(?:an?|the|our)\s+)?"
        rf"(?:[\w-]+\s+){{0,3}}{_REGULATOR_WORD}"
        rf"|\b{_REGULATOR_WORD}(?:\s*,|\s+(?:called|named))?\s+{n}", re.IGNORECASE)


_SENTENCES = re.compile(r"(?<=[.!?])\s+")


@check("ADR-REGULATOR")
def adr_regulator(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """No sentence calls the ADR body a regulator."""
    calls = _calls_regulator(ctx.code.adr.name)
    for text in ctx.texts:
        for sentence in _SENTENCES.split(text.plain):
            m = calls.search(sentence)
            if m:
                word = re.search(_REGULATOR_WORD, m.group(0), re.IGNORECASE)
                yield Hit(text.loc, {"phrase": " ".join(sentence.split())},
                          needle=word.group(0) if word else None)


_TO_OFCOM = re.compile(
    r"\b(?:contact(?:ing)?|complain(?:t|ing)?\s+(?:to|through|with)|refer(?:red|ring)?"
    r"(?:\s+\w+)?\s+to|go(?:ing)?\s+to|write\s+to|approach)\s+Ofcom\b", re.IGNORECASE)


@check("OFCOM-REFERRAL")
def ofcom_referral(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Text written out (not {adr:name}) that sends customers to Ofcom."""
    for text in ctx.texts:
        for m in _TO_OFCOM.finditer(text.literal):
            phrase = " ".join(m.group(0).split())
            yield Hit(text.loc, {"phrase": phrase}, needle=phrase)
