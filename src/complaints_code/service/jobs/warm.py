"""Warming a job worker when it starts, so that the first copy it makes is
as quick as the later ones.

A cold worker's first copy loads what every later copy reuses: WeasyPrint
and the libraries under it, the fonts, the parsed stylesheets, the Code laid
out in pages (about two thirds of a print copy's time, and the same in every
customer's copy of one format and size), the cover letter's stylesheet and
the liblouis tables. On a quiet two-core machine that made the first large
print copy take 1.5 s and the later ones under half a second. So each worker
process makes a sample copy, with a cover letter, in each print format at
its usual size and in braille, and throws it away; the other formats'
renderers are imported. Nothing is written, nothing goes in the database.
A copy at another size still lays the Code out once at that size.
"""

from __future__ import annotations

import logging
import time

from ... import renderers
from ...copies.offers import offers
from ...copies.request import CopyRequest, make_copy
from ...settings import Settings
from ...structure.model import Code

log = logging.getLogger("complaints_code.service.jobs")
SAMPLE = {"name": "Sample Copy", "address_lines": ["1 High Street", "London"],
          "postcode": "SW1A 1AA", "reference": "CR-00000000"}
"""Who the sample copies are addressed to (no one: they are thrown away)."""


def warmed_formats(settings: Settings) -> list[str]:
    """The formats a worker makes a sample copy in: the posted ones whose
    renderer keeps laid-out pages, fonts or tables for the next copy (the
    print formats and braille)."""
    return [o.name for o in offers()
            if o.posted and (o.renderer in settings.print.formats or o.renderer == "braille")]


def warm(settings: Settings, code: Code) -> None:
    """Make a sample copy in each of :func:`warmed_formats` and import every
    other renderer. A sample that cannot be made is logged and left: the
    real copy will say why."""
    started = time.perf_counter()
    made = []
    for name in warmed_formats(settings):
        try:
            request = CopyRequest.parse({"format": name, **SAMPLE}, settings, deliver=True)
            for item in make_copy(code, request):
                item.data()
        except Exception as exc:
            log.warning("could not warm the %s renderer (%s: %s); its first copy will be "
                        "slower", name, type(exc).__name__, exc)
            continue
        made.append(name)
    for o in offers():
        renderers.get(o.renderer)
    log.info("renderers warm in %.1f s (a sample copy in %s)", time.perf_counter() - started,
             ", ".join(made) or "no format")
