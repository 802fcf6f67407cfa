"""Publishing the site: every format built, checked and swapped in at once
(``step``), in a folder that readers never see half made (``site``), with a
typed record of what was published (``buildinfo``), formats reused when
their fingerprint is unchanged (``formats``, ``fingerprints``), past
versions' files kept (``archive``) and the staged site checked first
(``checks``)."""

from __future__ import annotations

from .checks import BuildError, verify
from .formats import FormatInputError, FormatResult
from .site import BuildLockedError
from .step import Published, publish

__all__ = ["BuildError", "BuildLockedError", "FormatInputError", "FormatResult", "Published",
           "publish", "verify"]
