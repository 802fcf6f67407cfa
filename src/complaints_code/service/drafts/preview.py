"""A section of a draft as the website will show it: the web engine's own
Markdown of the Code page (``engines.web.code_page_markdown``, as the site
build makes it), turned into HTML by Python-Markdown with the site's
extensions (``attr_list`` and ``toc``, as in mkdocs.yml), and the section
cut out of it, from its heading to the next one. Its heading is an h3
(a main heading or a sub-heading alike), to sit under the page's h2."""

from __future__ import annotations

import re

import markdown
from markupsafe import Markup

from ...engines.web.site import code_page_markdown
from ...errors import ComplaintsCodeError
from ...settings import Settings
from ...structure.model import Code

EXTENSIONS = ["attr_list", "toc"]
"""The website's Markdown extensions (mkdocs.yml, markdown_extensions)."""
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_HEADING = re.compile(r"<h([23])\b")
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def section_html(code: Code, settings: Settings, section_id: str) -> Markup | None:
    """The section's HTML as the website shows it; None if the web page
    cannot be made from this draft (its check says why)."""
    try:
        page = code_page_markdown(code, settings, [])
    except ComplaintsCodeError:
        return None
    html = markdown.markdown(_FRONT_MATTER.sub("", page), extensions=EXTENSIONS)
    start = re.search(rf'<h([23]) id="{re.escape(section_id)}"', html)
    if start is None:
        return None
    following = _HEADING.search(html, start.end())
    part = html[start.start(): following.start() if following else len(html)]
    part = _SCRIPT.sub("", part)
    part = re.sub(r"<(/?)h[23]\b", r"<\1h3", part)
    return Markup(part.strip())
