"""The one immutable model of a Complaints Code.

The source YAML is read and validated once (see :mod:`complaints_code.structure.source`)
into a :class:`Code`. Renderers, the data module and the service only ever see
this model, never raw YAML. Its parts are here; the kinds of value they hold
are in :mod:`.values` and the sections' blocks in :mod:`.blocks`, both
re-exported here, so ``structure.model`` is the one place to import from.
Every field's docstring becomes its description in the JSON Schema that
editors use for completion.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from .blocks import (
    BLOCK_KINDS,
    AddressBlock,
    Block,
    ContactTable,
    Paragraph,
    Section,
    StageTable,
    StageTableHeadings,
)
from .inline import Inline, Link, Ref, Strong, Text, parse_inline
from .values import (
    CLOCK_TIME_PATTERN,
    ID_PATTERN,
    POSTCODE_PATTERN,
    SOURCE_SCHEMA_VERSION,
    VERSION_PATTERN,
    BankHolidayRegion,
    Clock,
    ClockTime,
    ContactKind,
    Date,
    Flag,
    Frozen,
    Id,
    Markup,
    Weekday,
    WholeNumber,
    Words,
)

__all__ = [
    "BLOCK_KINDS", "CLOCK_TIME_PATTERN", "ID_PATTERN", "POSTCODE_PATTERN",
    "SOURCE_SCHEMA_VERSION", "VERSION_PATTERN", "Address", "AddressBlock", "AdrBody", "Block",
    "Calendar", "Change", "Clock", "Code", "ContactKind", "ContactMethod", "ContactTable",
    "Frozen", "Hours", "Metadata", "Paragraph", "ResolvedRef", "Section", "Stage",
    "StageTable", "StageTableHeadings", "Timescale", "Weekday", "tel_uri",
]

class Metadata(Frozen):
    """Who publishes the Code, and which version this is."""

    provider: Words
    """The provider's trading name, e.g. Opus Telecoms."""
    title: Words
    """The Code's title as printed."""
    version: Annotated[str, Field(pattern=VERSION_PATTERN)]
    """Version number such as 1.0 or 2.1.3. Quote it in YAML: version: "1.0"."""
    effective_date: Date
    """The date this version takes effect (YYYY-MM-DD). Picks which rules apply."""
    last_reviewed: Date
    """The date the Code was last reviewed (YYYY-MM-DD)."""
    approved_by: Words
    """Who approved this version."""
    language: Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "en-GB"
    """The language of the text, as a BCP 47 tag."""
    published_url: Annotated[str, Field(pattern=r"^https?://")] | None = None
    """Where the Code is published on the provider's website."""


class Hours(Frozen):
    """Opening hours: the words as printed, and the same hours as data."""

    text: Words
    """The hours as the Code words them, e.g. "0830 – 1730 Monday to Friday"."""
    days: tuple[Weekday, ...]
    """The days the channel is open."""
    opens: ClockTime
    """Opening time, 24-hour HH:MM (quote it: "08:30")."""
    closes: ClockTime
    """Closing time, 24-hour HH:MM (quote it: "17:30")."""
    closed_on_bank_holidays: Flag = True
    """Whether the channel is closed on bank holidays."""

    @model_validator(mode="after")
    def _opens_before_closing(self) -> Hours:
        if self.opens >= self.closes:
            raise ValueError("'opens' must be before 'closes'; check the two times")
        return self


class Address(Frozen):
    """A postal address: lines in order, then the postcode."""

    lines: tuple[Words, ...] = Field(min_length=1, max_length=7)
    """Address lines, first to last, without the postcode."""
    postcode: Annotated[str, Field(pattern=POSTCODE_PATTERN)]
    """The UK postcode, e.g. SW19 2TJ."""

    def one_line(self) -> str:
        """The address on one line, as the Code prints it."""
        return ", ".join(self.lines) + " " + self.postcode


class ContactMethod(Frozen):
    """One way to contact the provider (or the ADR body)."""

    id: Id
    """Stable id, used in references such as {contact:telephone}."""
    kind: ContactKind
    """What sort of channel this is."""
    label: Words
    """The label printed beside it, e.g. "Telephone"."""
    value: str | None = None
    """The number, email address or web address, exactly as printed."""
    address: Address | None = None
    """For kind post: the postal address."""
    url: Annotated[str, Field(pattern=r"^https?://")] | None = None
    """For web channels: the link target, when the printed value is not a full URL."""
    hours: Hours | None = None
    """Opening hours, for channels that are not always open."""
    text: Markup | None = None
    """The description printed in the contact table. Defaults to the value."""

    @model_validator(mode="after")
    def _needs_value(self) -> ContactMethod:
        if self.kind == ContactKind.POST and self.address is None:
            raise ValueError(f"contact '{self.id}' is of kind post but has no address; "
                             "add 'address:' with 'lines:' and 'postcode:'")
        if self.kind not in (ContactKind.POST, ContactKind.ESCALATION) and not self.value:
            raise ValueError(f"contact '{self.id}' has no value; add 'value:' with the "
                             "number or address")
        if self.kind == ContactKind.ESCALATION and not self.text:
            raise ValueError(f"contact '{self.id}' has no text; add 'text:' saying how to "
                             "escalate")
        return self

    @property
    def display(self) -> str:
        """The value as printed: the number, address or web address."""
        if self.address is not None:
            return self.address.one_line()
        return self.value or ""

    @property
    def href(self) -> str | None:
        """A link target for the channel: tel:, mailto: or the web address."""
        if self.kind in (ContactKind.TELEPHONE, ContactKind.TEXT_RELAY) and self.value:
            return "tel:" + tel_uri(self.value)
        if self.kind == ContactKind.EMAIL and self.value:
            return "mailto:" + self.value
        if self.url:
            return self.url
        if self.kind in (ContactKind.WEBSITE, ContactKind.WEB_CHAT) and self.value:
            return self.value if "://" in self.value else "https://" + self.value
        return None

    @cached_property
    def inlines(self) -> tuple[Inline, ...]:
        """The table description, parsed."""
        if self.text is None:
            return (Ref("contact", self.id),)
        return parse_inline(self.text)


class Timescale(Frozen):
    """A timescale the Code promises, made exact by its clock."""

    id: Id
    """Stable id, used by stages and in {timescale:ID} references."""
    text: Words
    """The words the Code uses, e.g. "24 working hours"."""
    clock: Clock
    """How the time is counted: working_hours, clock_hours, working_days or calendar_weeks."""
    amount: WholeNumber = Field(ge=0, le=10_000)
    """How many hours, days or weeks."""
    starts: Words = "receipt of the complaint"
    """The event the time is counted from."""
    note: str | None = None
    """Why this clock was chosen, where the words are ambiguous."""


class Stage(Frozen):
    """One stage of the complaints procedure."""

    id: Id
    """Stable id."""
    number: WholeNumber = Field(ge=1)
    """The stage number as printed."""
    title: Words
    """The stage title as printed."""
    description: Markup
    """What happens at this stage, word for word."""
    timescales: tuple[Id, ...] = ()
    """Ids of the timescales this stage refers to."""

    @cached_property
    def inlines(self) -> tuple[Inline, ...]:
        """The description, parsed."""
        return parse_inline(self.description)


class AdrBody(Frozen):
    """The alternative dispute resolution body named by the Code."""

    name: Words
    """Its name, as printed."""
    contacts: tuple[ContactMethod, ...] = ()
    """How to reach it: post, email, website, telephone."""

    def contact(self, kind: ContactKind) -> ContactMethod | None:
        """The first contact method of a kind, if any."""
        return next((c for c in self.contacts if c.kind == kind), None)


class Calendar(Frozen):
    """The working-time calendar that working hours and days are counted in."""

    timezone: str = "Europe/London"
    """IANA time zone name."""
    working_days: tuple[Weekday, ...] = (Weekday.MON, Weekday.TUE, Weekday.WED,
                                         Weekday.THU, Weekday.FRI)
    """The days of the week that are working days."""
    opens: ClockTime = Field(dt.time(8, 30), json_schema_extra={"default": "08:30"})
    """Start of the working day, 24-hour HH:MM."""
    closes: ClockTime = Field(dt.time(17, 30), json_schema_extra={"default": "17:30"})
    """Close of business, 24-hour HH:MM."""
    bank_holidays: BankHolidayRegion = "england-and-wales"
    """Whose bank holidays are not working days."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"'{value}' is not a known time zone; use e.g. Europe/London") from None
        return value

    @model_validator(mode="after")
    def _opens_before_closing(self) -> Calendar:
        if self.opens >= self.closes:
            raise ValueError("'opens' must be before 'closes'; check the two times")
        if not self.working_days:
            raise ValueError("'working_days' is empty; list at least one day, e.g. [Mon, Tue]")
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The time zone."""
        return ZoneInfo(self.timezone)


class Change(Frozen):
    """One entry of the version history."""

    version: Annotated[str, Field(pattern=VERSION_PATTERN)]
    """The version released."""
    date: Date
    """The date it took effect."""
    summary: Words
    """What changed, in a sentence or two."""
    approved_by: Words
    """Who approved it."""


class Code(Frozen):
    """A whole Complaints Code."""

    schema_version: Literal[1] = 1
    """The version of this source format. Always 1 for now."""
    metadata: Metadata
    """Provider, title, version and dates."""
    calendar: Calendar = Calendar()
    """The working-time calendar."""
    contacts: tuple[ContactMethod, ...] = Field(min_length=1)
    """The provider's contact methods."""
    timescales: tuple[Timescale, ...] = ()
    """Every timescale the Code promises."""
    stages: tuple[Stage, ...] = Field(min_length=1)
    """The stages of the complaints procedure, in order."""
    adr: AdrBody
    """The alternative dispute resolution body."""
    sections: tuple[Section, ...] = Field(min_length=1)
    """The Code's sections, in reading order."""
    changes: tuple[Change, ...] = ()
    """The version history, oldest first."""

    def contact(self, id: str) -> ContactMethod:
        """The provider's contact method with this id."""
        return next(c for c in self.contacts if c.id == id)

    def timescale(self, id: str) -> Timescale:
        """The timescale with this id."""
        return next(t for t in self.timescales if t.id == id)

    def section(self, id: str) -> Section:
        """The section with this id."""
        return next(s for s in self.sections if s.id == id)

    def address(self, target: str) -> Address:
        """The postal address named by an address block: contact:ID or adr:ID."""
        kind, _, cid = target.partition(":")
        pool = self.contacts if kind == "contact" else self.adr.contacts
        method = next(c for c in pool if c.id == cid)
        assert method.address is not None  # checked when the source is loaded
        return method.address

    def resolve(self, ref: Ref) -> ResolvedRef:
        """What a reference stands for: its words and what kind of value it is.
        Words (not numbers, emails or addresses) that start a sentence
        (``ref.capital``) start with a capital letter."""
        value = self._resolve(ref)
        if ref.capital and value.kind in _CAPITALISED and value.text[:1].islower():
            return ResolvedRef(value.text[0].upper() + value.text[1:], value.kind, value.href)
        return value

    def _resolve(self, ref: Ref) -> ResolvedRef:
        if ref.kind == "timescale":
            return ResolvedRef(self.timescale(ref.id).text, "timescale", None)
        if ref.kind == "adr" and ref.id == "name":
            return ResolvedRef(self.adr.name, "name", None)
        pool = self.contacts if ref.kind == "contact" else self.adr.contacts
        method = next(c for c in pool if c.id == ref.id)
        if ref.hours:
            return ResolvedRef(method.hours.text if method.hours else "", "hours", None)
        return ResolvedRef(method.display, _VALUE_KIND[method.kind], method.href)

    def plain(self, nodes: tuple[Inline, ...]) -> str:
        """Inline nodes as plain text, references resolved."""
        return "".join(self._plain(n) for n in nodes)

    def _plain(self, node: Inline) -> str:
        if isinstance(node, Text):
            return node.text
        if isinstance(node, Strong):
            return self.plain(node.children)
        if isinstance(node, Link):
            return node.text
        return self.resolve(node).text


@dataclass(frozen=True)
class ResolvedRef:
    """A resolved reference. ``kind`` tells renderers how to treat it:
    phone, email, url, address, timescale, hours, name or text."""

    text: str
    kind: str
    href: str | None


_CAPITALISED = frozenset({"name", "text", "hours", "timescale"})
"""Kinds of value whose words take a capital at the start of a sentence (never
an email or web address, which readers must type exactly)."""

_VALUE_KIND = {
    ContactKind.TELEPHONE: "phone",
    ContactKind.TEXT_RELAY: "phone",
    ContactKind.FAX: "phone",
    ContactKind.EMAIL: "email",
    ContactKind.WEB_CHAT: "url",
    ContactKind.WEBSITE: "url",
    ContactKind.ESCALATION: "text",
    ContactKind.POST: "address",
}


def tel_uri(number: str) -> str:
    """A UK number as printed (020 8545 8200) to E.164 for tel: links."""
    digits = re.sub(r"[^\d+]", "", number)
    if digits.startswith("0"):
        return "+44" + digits[1:]
    return digits
