"""WeasyPrint, kept in one place: parsed stylesheets and font configurations
reused across renders, laying out an HTML document, and writing laid-out
pages as one tagged PDF finished by :mod:`.tags`.

WeasyPrint is imported inside the functions (it costs about half a second);
modules that only check requests never pay for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ...processes import timing
from ...resources import caches
from . import tags as pdf_tags
from .setup import Setup, fonts_css

# WeasyPrint's FontConfiguration and parsed stylesheets are reused across
# renders (a warm copy renders in a fraction of a cold one); the table's lock
# keeps two threads from making them at once. There is one FontConfiguration
# per set of font files: the families are always called "Body", "Address" and
# "Fallback", and a configuration that had been given two files for "Body"
# (Atkinson Hyperlegible for one copy, DejaVu Sans for the next) could set a
# later copy in the earlier copy's font, so a copy would depend on the ones
# made before it in the same process.
_made: caches.Table[Any] = caches.Table()
_writing = threading.Lock()


def _font_config(fonts: str, base_url: str) -> Any:
    """The FontConfiguration for one set of @font-face rules (``fonts``,
    whose URLs are relative to ``base_url``)."""
    # lazy: WeasyPrint takes about half a second to import; only PDFs need it
    from weasyprint.text.fonts import FontConfiguration

    return _made.get(caches.key("fonts", base_url, fonts), FontConfiguration)


def stylesheet(setup: Setup, key: str, text: Callable[[], str]) -> tuple[Any, Any]:
    """The parsed stylesheet ``text()`` (after the @font-face rules), cached
    under ``key`` and the setup's own key, and the FontConfiguration its fonts
    were loaded into (the layout must use the same one)."""
    # lazy: WeasyPrint takes about half a second to import; only PDFs need it
    from weasyprint import CSS

    def parse() -> tuple[Any, Any]:
        fonts = fonts_css(setup)
        config = _font_config(fonts, setup.base_url)
        return (CSS(string=fonts + text(), base_url=setup.base_url, font_config=config),
                config)

    return _made.get(caches.key("css", setup.key(), key), parse)  # type: ignore[no-any-return]


def layout(html: str, setup: Setup, css: tuple[Any, Any]) -> Any:
    """Lay out an HTML document with a stylesheet from :func:`stylesheet`
    into a WeasyPrint Document."""
    # lazy: WeasyPrint takes about half a second to import; only PDFs need it
    from weasyprint import HTML

    sheet, config = css
    with timing.phase("layout"):
        return HTML(string=html, base_url=setup.base_url).render(
            stylesheets=[sheet], font_config=config, pdf_variant="pdf/ua-1")


def pdf_bytes(documents: Sequence[Any], *, letter_pages: int = 0, blank_back: bool = False,
              links: Mapping[str, str] | None = None) -> bytes:
    """The pages of the documents as one tagged PDF (metadata from the last,
    which is the Code or the letter), finished by :func:`.tags.finish`: the
    first ``letter_pages`` pages (and a blank back after them when
    ``blank_back``) are labelled "Letter"; ``links`` gives each link target
    the description a screen reader announces."""
    pages = [page for doc in documents for page in doc.pages]
    with _writing, timing.phase("PDF writing"):
        # The Code's laid-out pages may be shared with another thread's copy.
        raw = documents[-1].copy(pages).write_pdf(pdf_variant="pdf/ua-1")
    with timing.phase("tagging"):
        return pdf_tags.finish(raw, letter_pages=letter_pages, blank_back=blank_back,
                               links=links or {})
