"""The website's schema.org JSON-LD: the provider as an Organization, with
its contact points and their opening hours, its fax number and its postal
address in schema.org's parts, all from the model."""

from __future__ import annotations

from typing import Any

from ...structure.model import Address, Code, ContactKind, ContactMethod, Weekday, tel_uri

_DAY_NAMES = {Weekday.MON: "Monday", Weekday.TUE: "Tuesday", Weekday.WED: "Wednesday",
              Weekday.THU: "Thursday", Weekday.FRI: "Friday", Weekday.SAT: "Saturday",
              Weekday.SUN: "Sunday"}
_POINT_KINDS = (ContactKind.TELEPHONE, ContactKind.TEXT_RELAY, ContactKind.EMAIL,
                ContactKind.WEB_CHAT)


def json_ld(code: Code) -> dict[str, Any]:
    """schema.org JSON-LD for the provider: its contact points with their
    opening hours, its fax number and postal address, all from the model."""
    org: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization",
                           "name": code.metadata.provider}
    site = next((c.href for c in code.contacts
                 if c.kind in (ContactKind.WEBSITE, ContactKind.WEB_CHAT) and c.href), None)
    if site:
        org["url"] = site
    points = [_contact_point(code, c) for c in code.contacts if c.kind in _POINT_KINDS]
    if points:
        org["contactPoint"] = points
    fax = next((c for c in code.contacts if c.kind == ContactKind.FAX), None)
    if fax and fax.value:
        org["faxNumber"] = tel_uri(fax.value)
    post = next((c for c in code.contacts if c.kind == ContactKind.POST), None)
    if post and post.address:
        org["address"] = postal_address(post.address, code.metadata.provider)
    return org


def postal_address(address: Address, organisation: str) -> dict[str, str]:
    """A UK address as schema.org's PostalAddress parts: the last line is the
    post town (addressLocality), the lines before it the street address
    (without a first line that only names the organisation, which is the
    Organization's name), then the postcode. The model guarantees a UK
    postcode, hence the country."""
    *street, town = address.lines
    if street and street[0].strip().casefold() == organisation.strip().casefold():
        street = street[1:]
    parts = {"@type": "PostalAddress", "streetAddress": ", ".join(street),
             "addressLocality": town, "postalCode": address.postcode, "addressCountry": "GB"}
    return {k: v for k, v in parts.items() if v}


def _contact_point(code: Code, contact: ContactMethod) -> dict[str, Any]:
    point: dict[str, Any] = {"@type": "ContactPoint", "contactType": "customer service",
                             "name": contact.label,
                             "availableLanguage": code.metadata.language}
    if contact.kind in (ContactKind.TELEPHONE, ContactKind.TEXT_RELAY) and contact.value:
        point["telephone"] = tel_uri(contact.value)
    elif contact.kind == ContactKind.EMAIL:
        point["email"] = contact.value
    elif contact.href:
        point["url"] = contact.href
    if contact.hours:
        point["hoursAvailable"] = {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [f"https://schema.org/{_DAY_NAMES[d]}" for d in contact.hours.days],
            "opens": contact.hours.opens.strftime("%H:%M"),
            "closes": contact.hours.closes.strftime("%H:%M"),
            "description": contact.hours.text,
        }
    return point
