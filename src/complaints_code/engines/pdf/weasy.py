"""WeasyPrint, kept in one place: parsed stylesheets and font configurations
reused across renders, laying out an HTML document, and writing laid-out
pages as one tagged PDF finished by :mod:`.tags`.

WeasyPrint is imported inside the functions (it costs about half a second);
modules that only check requests never pay for it.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ... import timing
from . import tags as pdf_tags
from .setup import Setup, fonts_css

# WeasyPrint's FontConfiguration and parsed stylesheets are reused across
# renders (a warm copy renders in a fraction of a cold one); the lock keeps
# two threads from filling the caches at once. There is one FontConfiguration
# per set of font files: the families are always called "Body", "Address" and
# "Fallback", and a configuration that had been given two files for "Body"
# (Atkinson Hyperlegible for one copy, DejaVu Sans for the next) could set a
# later copy in the earlier copy's font, so a copy would depend on the ones
# made before it in the same process.
lock = threading.RLock()
_cache: dict[tuple[str, str, str], Any] = {}
# FontConfiguration's finaliser fails if it runs after interpreter teardown
# has begun; drop it while the interpreter is still whole.
atexit.register(_cache.clear)
_writing = threading.Lock()


def _font_config(fonts: str, base_url: str) -> Any:
    """The FontConfiguration for one set of @font-face rules (``fonts``,
    whose URLs are relative to ``base_url``)."""
    from weasyprint.text.fonts import FontConfiguration  # lazy: WeasyPrint is slow to import

    key = ("fonts", base_url, fonts)
    with lock:
        if key not in _cache:
            _cache[key] = FontConfiguration()
        return _cache[key]


def stylesheet(setup: Setup, key: str, text: Callable[[], str]) -> tuple[Any, Any]:
    """The parsed stylesheet ``text()`` (after the @font-face rules), cached
    under ``key`` and the setup's own key, and the FontConfiguration its fonts
    were loaded into (the layout must use the same one)."""
    from weasyprint import CSS  # lazy: WeasyPrint is slow to import

    with lock:
        cache_key = ("css", setup.key(), key)
        if cache_key not in _cache:
            fonts = fonts_css(setup)
            config = _font_config(fonts, setup.base_url)
            _cache[cache_key] = (CSS(string=fonts + text(), base_url=setup.base_url,
                                     font_config=config), config)
        return _cache[cache_key]  # type: ignore[no-any-return]


def layout(html: str, setup: Setup, css: tuple[Any, Any]) -> Any:
    """Lay out an HTML document with a stylesheet from :func:`stylesheet`
    into a WeasyPrint Document."""
    from weasyprint import HTML  # lazy: WeasyPrint takes 0.4 s to import; only PDFs need it

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
