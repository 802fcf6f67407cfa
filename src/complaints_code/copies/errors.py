"""What can be wrong with a copy request: typed errors, each naming the
request field at fault, so the command line, a batch file and the service can
each say it in their own words (a flag, a column, a form field)."""

from __future__ import annotations

from ..errors import UsageError


class CopyRequestError(UsageError):
    """A copy was asked for with something that cannot be printed as asked.
    ``field`` names the request field at fault (a batch column), if one is."""

    field = ""

    def __init__(self, message: str, field: str | None = None):
        if field is not None:
            self.field = field
        super().__init__(message)


class SizeError(CopyRequestError):
    """A print size the format does not offer."""

    field = "size"


class AddressError(CopyRequestError):
    """A name or address that cannot go in the envelope window."""

    field = "address"


class PostcodeError(AddressError):
    """The address does not end with a UK postcode."""


class ReferenceFitError(CopyRequestError):
    """A customer reference that cannot fit on the letter."""

    field = "reference"


class CharacterError(CopyRequestError):
    """Text the shipped font has no glyph for."""


class OptionError(CopyRequestError):
    """An option that does not apply to the format, or a choice it does not offer."""
