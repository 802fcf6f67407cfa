"""The JSON-LD's postal address, in schema.org's parts."""

from __future__ import annotations

import pytest

from complaints_code.engines.web.jsonld import postal_address
from complaints_code.structure.model import Address


@pytest.mark.parametrize(("lines", "street", "town"), [
    (("Opus Telecoms", "Unit 4", "50 Windsor Avenue", "London"), "Unit 4, 50 Windsor Avenue",
     "London"),
    (("Freepost OPUS COMPLAINTS", "Leeds"), "Freepost OPUS COMPLAINTS", "Leeds"),
    (("opus telecoms ", "1 High Street", "Cardiff"), "1 High Street", "Cardiff"),
    (("Swansea",), None, "Swansea"),
])
def test_the_last_line_is_the_town_and_the_organisations_own_name_is_left_out(
        lines: tuple[str, ...], street: str | None, town: str) -> None:
    address = postal_address(Address(lines=lines, postcode="SW19 2TJ"), "Opus Telecoms")
    assert address.get("streetAddress") == street
    assert address["addressLocality"] == town
    assert (address["postalCode"], address["addressCountry"]) == ("SW19 2TJ", "GB")
