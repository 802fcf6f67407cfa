"""Checks on contact methods: the channels offered, their hours, and whether
numbers, email addresses and web addresses are well formed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from ...structure.inline import Link
from ...structure.model import ContactKind, ContactMethod
from ...structure.positions import Loc
from .context import Context, Hit
from .phones import PhoneCheck, check_uk
from .registry import check
from .rules import Rule

_PHONES = (ContactKind.TELEPHONE, ContactKind.FAX, ContactKind.TEXT_RELAY)
_WEB = (ContactKind.WEBSITE, ContactKind.WEB_CHAT)
_TIMED = (ContactKind.TELEPHONE, ContactKind.WEB_CHAT, ContactKind.TEXT_RELAY)
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
                    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$")
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$")


def _all_contacts(ctx: Context) -> Iterator[tuple[Loc, ContactMethod]]:
    for i, c in enumerate(ctx.code.contacts):
        yield ("contacts", i), c
    for i, c in enumerate(ctx.code.adr.contacts):
        yield ("adr", "contacts", i), c


@check("CONTACT-CHANNELS")
def contact_channels(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """A telephone number and a written channel (email or post)."""
    kinds = {c.kind for c in ctx.code.contacts}
    missing = []
    if ContactKind.TELEPHONE not in kinds:
        missing.append("telephone number")
    if not kinds & {ContactKind.EMAIL, ContactKind.POST}:
        missing.append("written way to complain (email or post)")
    if missing:
        yield Hit(("contacts",), at_key=True, fields={"missing": " and no ".join(missing)})


@check("CONTACT-HOURS")
def contact_hours(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Time-limited channels (telephone, web chat, relay) give their hours."""
    for i, c in enumerate(ctx.code.contacts):
        if c.kind in _TIMED and c.hours is None:
            yield Hit(("contacts", i, "kind"), {"label": c.label})


@check("TEXT-RELAY")
def text_relay(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """A text relay service (Relay UK) is offered."""
    relay = any(c.kind == ContactKind.TEXT_RELAY for c in ctx.code.contacts)
    if not relay and not re.search(r"relay uk|18001", ctx.all_plain(), re.IGNORECASE):
        yield Hit(("contacts",), at_key=True)


def _numbers(ctx: Context) -> Iterator[tuple[Loc, str, PhoneCheck]]:
    """Every phone-like number of the Code and the ADR body, checked once."""
    for loc, c in _all_contacts(ctx):
        if c.kind in _PHONES and c.value:
            yield loc + ("value",), c.value, check_uk(c.value,
                                                      relay=c.kind == ContactKind.TEXT_RELAY)


@check("PHONE-UK")
def phone_uk(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Every number is a valid UK number."""
    for loc, value, result in _numbers(ctx):
        if result.problem:
            yield Hit(loc, {"value": value, "why": result.problem})


@check("PHONE-CHARGED")
def phone_charged(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Numbers in ranges that cost callers more."""
    for loc, value, result in _numbers(ctx):
        if result.charged:
            yield Hit(loc, {"value": value, "range": result.charged})


def _web_values(ctx: Context) -> Iterator[tuple[Loc, str]]:
    """Every web address: contact values and links, links in text, the
    published address."""
    if ctx.code.metadata.published_url:
        yield ("metadata", "published_url"), ctx.code.metadata.published_url
    for loc, c in _all_contacts(ctx):
        if c.url:
            yield loc + ("url",), c.url
        if c.kind in _WEB and c.value:
            yield loc + ("value",), c.value
    for text in ctx.texts:
        for node in text.nodes:
            if isinstance(node, Link):
                yield text.loc, node.url


def _url_problem(value: str) -> str | None:
    parts = urlsplit(value if "://" in value else "https://" + value)
    if parts.scheme not in ("http", "https"):
        return f'it starts "{parts.scheme}:"; web addresses start https://'
    if not _HOST.match(parts.hostname or ""):
        return f'"{parts.hostname or ""}" is not a web host name such as www.example.co.uk'
    if " " in value:
        return "it contains a space"
    return None


@check("EMAIL-URL")
def email_url(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Email addresses and web addresses are well formed."""
    for loc, c in _all_contacts(ctx):
        if c.kind == ContactKind.EMAIL and c.value and not _EMAIL.match(c.value):
            yield Hit(loc + ("value",), {"value": c.value, "what": "email address",
                                         "why": "it should look like name@example.co.uk"})
    for loc, value in _web_values(ctx):
        why = _url_problem(value)
        if why:
            yield Hit(loc, {"value": value, "what": "web address", "why": why}, needle=value)


@check("HTTPS")
def https(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Links use https."""
    for loc, value in _web_values(ctx):
        if value.lower().startswith("http://"):
            yield Hit(loc, {"value": value}, needle=value)
