"""The ``web`` format: the Code as an accessible MkDocs Material website.

The pages are plain Python: :func:`generated_pages` turns the model into the
Markdown of the Code page (``index.md``) and its change history
(``changes.md``) through the Jinja2 templates in ``templates/web/``, without
MkDocs. The hooks module (``hooks.py``) is only glue that hands those pages
to MkDocs, both for :func:`build` and for ``complaints-code preview``.

:func:`build` runs ``mkdocs build --strict`` into a folder it is given; the
``web`` renderer returns the files as artifacts and the publish step swaps
the whole site in at once. The other formats' files are handed to MkDocs
from a carried folder, so the page's links to them resolve.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from ...errors import RenderError
from ...output import human_size
from ...processes import timing
from ...resources import resources
from ...settings import Settings
from ...structure.inline import Inline, Ref, starts_sentence
from ...structure.model import Code, ContactKind, ContactMethod
from ..html import contents, inline_html, jinja_env, keep_together, ref_html
from . import data_page
from .jsonld import json_ld

FOLDER = "web"
HOOKS = Path(__file__).with_name("hooks.py")
"""The MkDocs hooks, given to MkDocs by the build and the preview (not named
in mkdocs.yml, so that an installed package builds the site from any folder)."""
CARRIED = ("downloads", "data")
"""Folders of the site that other formats write before this one runs."""
RESERVED_IDS = frozenset({"code", "other-formats", "contents"})
"""Anchors the Code page uses itself; a section id must not take one."""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
_REF_TOKEN = re.compile(r"\{(contact|adr|timescale):([a-z0-9][a-z0-9-]*)(\.hours)?\}")
_METADATA_TOKEN = re.compile(r"\{metadata:(provider|title|version)\}")


@dataclass(frozen=True)
class Download:
    """A file another format wrote, to link from "Other formats"."""

    path: str
    """Relative to the site folder, with forward slashes."""
    label: str
    type: str
    mime: str
    size: int
    """In bytes."""
    version: str = ""
    """The past version this is a copy of; "" for the current version."""
    source: Path | None = None
    """For a past version's file: where to read it from (the publish step
    decides which past files the new site keeps, and where they are now)."""

    @property
    def meta(self) -> str:
        """Type and size as shown beside the link, e.g. "PDF, 212 KB"."""
        return f"{self.type}, {human_size(self.size)}"


@dataclass(frozen=True)
class BuildContext:
    """What a site build needs: the model, the settings and the downloads."""

    code: Code
    settings: Settings
    site_dir: Path
    """The folder holding the other formats' files, laid out as in the site."""
    downloads: tuple[Download, ...] = ()
    """The other formats' files to link from "Other formats"."""
    past: tuple[Download, ...] = ()
    """Past versions' files the new site keeps, which the Changes page links."""


_BUILD: ContextVar[BuildContext | None] = ContextVar("complaints_code_web_build", default=None)


def current_build() -> BuildContext | None:
    """The build :func:`build` is running, for the hooks; None under a preview."""
    return _BUILD.get()


PreviewContext = Callable[[Path], BuildContext]
"""Gives a preview (``mkdocs serve``) its build context afresh on every
rebuild, from the folder of the MkDocs config."""
_PREVIEW: list[PreviewContext] = []


def set_preview_context(provider: PreviewContext) -> None:
    """Say how a preview finds its context: ``complaints-code preview`` gives
    one that knows the published site's files, so the preview's links work."""
    _PREVIEW[:] = [provider]


def preview_context(config_dir: Path) -> BuildContext | None:
    """The context a preview was given (None: the hooks read the project themselves)."""
    return _PREVIEW[0](config_dir) if _PREVIEW else None



def generated_pages(code: Code, settings: Settings, downloads: list[Download],
                    site_dir: Path | None = None) -> dict[str, str]:
    """Every generated page: its path in the docs folder -> its Markdown.
    ``downloads`` are the current version's files and any past versions'
    (``BuildContext.past``), which only the Changes page links;
    ``site_dir`` holds the other formats' files, which the Data page lists."""
    current = [d for d in downloads if not d.version]
    return {
        "index.md": code_page_markdown(code, settings, current),
        "changes.md": changes_page_markdown(code, settings, downloads),
        data_page.PAGE: data_page_markdown(code, settings, site_dir),
    }


def data_page_markdown(code: Code, settings: Settings, site_dir: Path | None) -> str:
    """The "Data" page: every data file in ``site_dir`` with what it is for."""
    files = data_page.data_files(site_dir) if site_dir else []
    return _environment(code, settings).get_template("data-files.md.j2").render(
        code=code, files=files)


def code_page_markdown(code: Code, settings: Settings, downloads: list[Download]) -> str:
    """The Code page as Markdown for MkDocs: every section in order, anchored
    by its id, with the "Other formats" block, a contents list and JSON-LD."""
    check_ids(code)
    env = _environment(code, settings)
    service_url = (settings.service_url or "").rstrip("/")
    if service_url and not re.match(r"^https?://[^\s/]+", service_url):
        raise RenderError(f"service URL '{settings.service_url}' is not a web address; give "
                          "its base, e.g. --service-url https://service.example.org")
    return env.get_template("code.md.j2").render(
        code=code,
        downloads=downloads,
        service_url=service_url,
        service={"request_copy": settings.web.request_copy_path,
                 "feedback": settings.web.feedback_path},
        ask_for_copy=ask_for_copy(code),
        contents=contents(code),
        json_ld=Markup(_script_json(json_ld(code))),
    )


def ask_for_copy(code: Code) -> Markup:
    """How to ask for a copy, from the Code's contacts: "call 020 8545 8200
    (hours), write to ... or email ...". The full stop is kept on the line of
    the last address, never wrapped alone. Empty when there is no such contact."""
    ways: list[str] = []
    telephone = _first(code.contacts, ContactKind.TELEPHONE)
    if telephone:
        hours = f" ({ref_html(code, Ref('contact', telephone.id, hours=True))})" \
            if telephone.hours else ""
        ways.append(f"call {ref_html(code, Ref('contact', telephone.id))}{hours}")
    post = _first(code.contacts, ContactKind.POST)
    if post and post.address:
        ways.append(f"write to {keep_together(post.address.one_line())}")
    email = _first(code.contacts, ContactKind.EMAIL)
    if email:
        ways.append(f"email {ref_html(code, Ref('contact', email.id))}")
    if not ways:
        return Markup("")
    words = ", ".join(ways[:-1]) + (" or " if len(ways) > 1 else "") + ways[-1]
    return Markup(_glue_full_stop(words))


def _glue_full_stop(words: str) -> str:
    """``words`` and a full stop, the stop kept with the last word or link before
    it (one ``cc-keep`` block), so a narrow screen cannot put it on a line
    alone. An email address in that block may break (after its "@", or at a
    hyphen), and only when it is wider than the whole line."""
    m = re.search(r"(<a [^>]*>[^<]*</a>|<span [^>]*>[^<]*</span>|\S+)$", words)
    assert m is not None  # words never end in a space
    last = re.sub(r'(class="ref ref-email nowrap"[^>]*>[^<@]*@)', r"\1<wbr>", m.group(0))
    return f'{words[: m.start()]}<span class="cc-keep">{last}.</span>'


def changes_page_markdown(code: Code, settings: Settings,
                          downloads: list[Download] | None = None) -> str:
    """The "Changes to this Code" page as Markdown: the version history, newest
    first, and under it the PDFs of each version that the site holds."""
    env = _environment(code, settings)
    changes = sorted(code.changes, key=lambda c: c.date, reverse=True)
    pdfs: dict[str, list[Download]] = {}
    for d in downloads or []:
        if d.mime == "application/pdf":
            pdfs.setdefault(d.version or code.metadata.version, []).append(d)
    return env.get_template("changes.md.j2").render(code=code, changes=changes, pdfs=pdfs)


def check_ids(code: Code) -> None:
    """Refuse a section id that the page's own anchors would collide with."""
    taken = set(RESERVED_IDS)
    taken |= {f"contact-{c.id}" for c in code.contacts}
    taken |= {f"stage-{s.id}" for s in code.stages}
    for section in code.sections:
        if section.id in taken:
            raise RenderError(f"section id '{section.id}' is also an anchor the web page uses "
                              "itself; rename the section (its id becomes its web address)")


def substitute_refs(code: Code, markdown: str) -> str:
    """A hand-written page with {contact:ID}, {adr:ID}, {timescale:ID} and
    {metadata:provider|title|version} replaced from the model, so those pages
    never repeat a phone number or a name either."""
    def ref(m: re.Match[str]) -> str:
        capital = _starts_sentence(markdown, m.start())
        try:
            return ref_html(code, Ref(m.group(1), m.group(2), hours=bool(m.group(3)),
                                      capital=capital))
        except StopIteration:
            raise RenderError(f"'{m.group(0)}' names no {m.group(1)} in the Code; "
                              "use an id from the source") from None

    text = _REF_TOKEN.sub(ref, markdown)
    return _METADATA_TOKEN.sub(lambda m: str(escape(getattr(code.metadata, m.group(1)))), text)


_COMMENT = re.compile(r"<!--.*?-->[ \t]*\n?", re.DOTALL)


def without_comments(markdown: str) -> str:
    """A hand-written page without its HTML comments: notes for its editors
    (which source files it cites, how its examples were worked out) stay in
    the file and never reach the published page."""
    return _COMMENT.sub("", markdown)


_MD_LINE_START = re.compile(r"^\s*(?:[-*+>]|\d+\.|#+)?\s*$")


def _starts_sentence(markdown: str, pos: int) -> bool:
    """Whether a reference at ``pos`` of a hand-written page starts a sentence:
    first in its paragraph, list item or heading, or after a full stop."""
    paragraph = markdown[:pos].rsplit("\n\n", 1)[-1]
    if _MD_LINE_START.match(paragraph.rsplit("\n", 1)[-1]):
        return True
    return starts_sentence(re.sub(r"<[^>]*>", "", paragraph))


def build(context: BuildContext, site_dir: Path) -> list[Path]:
    """Build the site into ``site_dir`` (the Code at ``index.html``) and
    return its files, except the carried files of the other formats."""
    build_site(context, site_dir)
    return sorted(p for p in site_dir.rglob("*")
                  if p.is_file() and p.relative_to(site_dir).parts[0] not in CARRIED)


def build_site(context: BuildContext, site_dir: Path) -> None:
    """Run ``mkdocs build --strict`` of ``mkdocs.yml`` (beside ``templates/``)
    into ``site_dir``; any MkDocs warning is a RenderError."""
    # lazy: MkDocs and its plugins take 0.3 s to import; only the website needs them
    from mkdocs.commands.build import build
    from mkdocs.config import load_config  # lazy: MkDocs, as above
    from mkdocs.exceptions import MkDocsException  # lazy: MkDocs, as above

    config_file = context.settings.mkdocs_config
    token = _BUILD.set(context)
    try:
        with _collect_warnings() as warnings:
            try:
                config = load_config(config_file=str(config_file), site_dir=str(site_dir),
                                     strict=True, hooks=[str(HOOKS)])
                with timing.phase("mkdocs"):
                    build(config)
            except MkDocsException as exc:
                details = "; ".join(warnings) or str(exc)
                raise RenderError(f"mkdocs build --strict of {config_file} failed: "
                                  f"{details}") from exc
    finally:
        _BUILD.reset(token)


@contextmanager
def _collect_warnings() -> Iterator[list[str]]:
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def _environment(code: Code, settings: Settings) -> Environment:
    env = jinja_env(resources(settings).folder(FOLDER))

    def inline(nodes: tuple[Inline, ...]) -> Markup:
        return inline_html(code, nodes)

    env.filters["inline"] = inline
    env.filters["md_heading"] = md_heading
    env.filters["anchor"] = lambda id: Markup(f" {{#{escape(id)}}}")
    env.filters["time_tag"] = time_tag
    env.filters["contact_link"] = lambda c: Markup(ref_html(code, Ref("contact", c.id)))
    return env


def md_heading(text: str) -> Markup:
    """Words for a Markdown heading: HTML-escaped, Markdown's own characters
    backslash-escaped, so a title is never read as markup."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return Markup(escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def time_tag(date: dt.date) -> Markup:
    """A date as British English words in a <time> element, e.g. 25 November 2026."""
    return Markup(f'<time datetime="{date.isoformat()}">{date.day} {date:%B %Y}</time>')


def _first(contacts: tuple[ContactMethod, ...], kind: ContactKind) -> ContactMethod | None:
    return next((c for c in contacts if c.kind == kind), None)


def _script_json(value: dict[str, Any]) -> str:
    # Inside <script>, "</" would end the element early; \u escapes are still JSON.
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
