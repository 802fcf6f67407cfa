"""Publishing the site: every format built, checked and swapped in at once
(``step``), in a folder that readers never see half made (``site``), with a
typed record of what was published (``buildinfo``), formats reused when
their fingerprint is unchanged (``formats``, ``fingerprints``), a build with
nothing to do answered before anything heavy is loaded (``uptodate``), past
versions' files kept (``archive``) and the staged site checked first
(``checks``).

The names below are loaded when first used, so that ``uptodate`` (which a
build with nothing to do needs, and nothing else) does not bring in the
build pipeline: the model of the Code, the renderers and the workers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .checks import BuildError, verify
    from .formats import FormatInputError, FormatResult
    from .site import BuildLockedError
    from .step import Published, publish

__all__ = ["BuildError", "BuildLockedError", "FormatInputError", "FormatResult", "Published",
           "publish", "verify"]

_HOMES = {"BuildError": "checks", "verify": "checks", "FormatInputError": "formats",
          "FormatResult": "formats", "BuildLockedError": "site", "Published": "step",
          "publish": "step"}


def __getattr__(name: str) -> Any:
    # lazy: the build pipeline (the model of the Code, the renderers' registry
    # and the workers) takes a tenth of a second to import; a build with
    # nothing to do, which needs only ``uptodate``, never loads it.
    if name in _HOMES:
        return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
