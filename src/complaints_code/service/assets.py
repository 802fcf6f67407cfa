"""The public pages' static files: the stylesheet, the small script, the
icon and the web fonts (WOFF2), each served under a name that carries a
hash of its content (``service.3f9a0c1e.css``), so browsers may keep it for
a year: a changed file gets a new name. The stylesheet's links to the fonts
are rewritten to their hashed names. Read once, when the app starts.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..resources import Resources

FILES = ("service.css", "service.js", "favicon.svg", "legal.css", "legal.js")
"""In templates/service/static/ (legal.*: the legal team's pages only)."""
FONTS = ("AtkinsonHyperlegible-Regular.woff2", "AtkinsonHyperlegible-Bold.woff2")
"""In templates/fonts/, beside the TTFs they are made from."""
MEDIA = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".svg": "image/svg+xml", ".woff2": "font/woff2"}
CACHE = "public, max-age=31536000, immutable"
"""For a file whose name changes with its content."""
_URL = re.compile(r"""url\(["']?([^"')]+)["']?\)""")


@dataclass(frozen=True)
class Asset:
    """One static file, as served."""

    data: bytes
    media_type: str
    url: str
    """Its path, with the content hash in the name."""
    integrity: str
    """Its Subresource Integrity value (sha384-...)."""


class Assets:
    """The static files by their plain names, and by their served names."""

    def __init__(self, res: Resources):
        self.by_name: dict[str, Asset] = {}
        for name in FONTS:
            self._add(name, res.font(name).read_bytes())
        static = res.service_templates / "static"
        for name in FILES:
            data = (static / name).read_bytes()
            if name.endswith(".css"):
                data = _URL.sub(lambda m: f'url("{self.url(m.group(1))}")',
                                data.decode("utf-8")).encode("utf-8")
            self._add(name, data)
        self.by_url = {a.url: a for a in self.by_name.values()}

    def _add(self, name: str, data: bytes) -> None:
        path = Path(name)
        digest = hashlib.sha256(data).hexdigest()[:12]
        self.by_name[name] = Asset(
            data, MEDIA[path.suffix], f"/static/{path.stem}.{digest}{path.suffix}",
            "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii"))

    def url(self, name: str) -> str:
        """The served path of a file (KeyError for one not shipped)."""
        return self.by_name[name].url

    def integrity(self, name: str) -> str:
        """The Subresource Integrity value of a file."""
        return self.by_name[name].integrity
