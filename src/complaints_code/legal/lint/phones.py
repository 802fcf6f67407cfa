"""UK telephone numbers: is a number as printed a valid UK number, and is it
in a range that costs callers more?

From Ofcom's National Telephone Numbering Plan, at the level a Complaints Code
needs: the leading digits and the count of digits (the number written with its
leading 0). Relay UK's 18001 prefix is allowed before a number for text relay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RELAY_PREFIX = "18001"

# (leading digits, digit counts allowed including the leading 0, charged range or "")
_RANGES: tuple[tuple[str, tuple[int, ...], str], ...] = (
    ("01", (10, 11), ""),      # geographic; a few areas (e.g. 016977) have 10 digits
    ("02", (11,), ""),         # geographic
    ("03", (11,), ""),         # non-geographic, charged as geographic
    ("07", (11,), ""),         # mobile (and personal numbering, pagers)
    ("0800", (10, 11), ""),    # freephone; some 0800 numbers have 10 digits
    ("0808", (11,), ""),       # freephone
    ("084", (11,), "084 (service charge)"),
    ("087", (11,), "087 (service charge)"),
    ("09", (11,), "09 (premium rate)"),
)


@dataclass(frozen=True)
class PhoneCheck:
    """What is wrong with a number (``problem``), or the charged range it is in."""

    problem: str | None = None
    charged: str | None = None


def check_uk(number: str, relay: bool = False) -> PhoneCheck:
    """Check a number as printed, e.g. "020 8545 8200" or "+44 20 8545 8200"."""
    if re.search(r"[^\d\s()+\-]", number):
        return PhoneCheck("it contains characters other than digits, spaces and brackets")
    digits = re.sub(r"[\s()\-]", "", number)
    if relay and digits.startswith(RELAY_PREFIX) and len(digits) > len(RELAY_PREFIX):
        digits = digits[len(RELAY_PREFIX):]
    if digits.startswith("+44"):
        digits = "0" + digits[3:].removeprefix("0")
    if "+" in digits:
        return PhoneCheck("it is not a UK number (it does not start 0 or +44)")
    if not digits.startswith("0"):
        return PhoneCheck("UK numbers start with 0 (or +44)")
    for prefix, counts, charged in sorted(_RANGES, key=lambda r: -len(r[0])):
        if digits.startswith(prefix):
            if len(digits) not in counts:
                allowed = " or ".join(map(str, counts))
                return PhoneCheck(f"it has {len(digits)} digits; numbers starting {prefix} "
                                  f"have {allowed}")
            return PhoneCheck(charged=charged or None)
    return PhoneCheck(f"no UK number starts {digits[:2]}; check the first digits")
