"""MkDocs hooks for the website (named by ``hooks:`` in ``mkdocs.yml``).

Only glue: the pages themselves come from plain Python in
:mod:`complaints_code.renderers.web`, so a move to another site generator
changes only this file. MkDocs loads it by path, hence absolute imports.

Under :func:`complaints_code.renderers.web.render` the build context (model,
options, site folder) comes from the renderer. Under ``mkdocs serve``
(``make preview``) or a bare ``mkdocs build`` it is read afresh from the
project beside ``mkdocs.yml`` on every rebuild, so a saved YAML edit shows at
once; the service URL then comes from ``COMPLAINTS_CODE_SERVICE_URL``.

Under ``mkdocs serve`` a mistake in the source does not fail the build (which
would leave the browser waiting): every page becomes an error page that says
where the mistake is (file:line:col) and how to fix it, and the next save
that fixes it brings the Code back. Under :func:`render` a mistake is still
an error, reported by the CLI.

The Changes page links past versions' PDFs, which the publish step decides
(``BuildContext.past``); they are handed to MkDocs as files so that the
links resolve.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from complaints_code.engines.web import site as web
from complaints_code.errors import ComplaintsCodeError, SourceError
from complaints_code.settings import Settings, load_settings
from complaints_code.structure.model import Code
from complaints_code.structure.source import load

_context: web.BuildContext | None = None
_problem: ComplaintsCodeError | None = None
"""Under mkdocs serve: the mistake in the source, shown on every page."""
T = TypeVar("T")
PREVIEW_LANGUAGE = "en-GB"
"""<html lang> of the error page, when the source cannot be read."""


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Take the site's name, description, footer and address from the Code."""
    global _context, _problem
    _problem = None
    _context = web.current_build()
    if _context is None:
        try:
            _context = _preview_context(config)
        except ComplaintsCodeError as exc:
            _problem = exc
            return config
    meta = _context.code.metadata
    config.site_name = f"{meta.provider} {meta.title}"
    config.site_description = f"{meta.provider} {meta.title}, version {meta.version}"
    config.copyright = f"{meta.provider} {meta.title}, version {meta.version}"
    if meta.published_url:
        config.site_url = meta.published_url.rstrip("/") + "/"
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages, and the other formats' files so the new site keeps them."""
    global _problem
    if _problem is None:
        try:
            return _add_pages(files, config)
        except ComplaintsCodeError as exc:
            if web.current_build() is not None:
                raise  # render() reports it through the CLI
            _problem = exc
    for name, content in (("index.md", ""), ("changes.md", "# Changes to this Code\n"),
                          ("data-files.md", "# Data for other tools\n")):
        if files.get_file_from_path(name) is None:
            files.append(File.generated(config, name, content=content))
    return files


def _add_pages(files: Files, config: MkDocsConfig) -> Files:
    context = _current()
    past = list(context.past)
    downloads = [*context.downloads, *past]
    pages = _guard(lambda: web.generated_pages(context.code, context.settings, downloads,
                                                context.site_dir))
    for name, markdown in pages.items():
        if files.get_file_from_path(name) is not None:
            raise PluginError(f"docs/{name} would hide the page generated from the Code; "
                              "remove it from docs/")
        files.append(File.generated(config, name, content=markdown))
    for folder in web.CARRIED:
        for path in sorted((context.site_dir / folder).rglob("*")):
            if path.is_file():
                uri = path.relative_to(context.site_dir).as_posix()
                files.append(File.generated(config, uri, abs_src_path=str(path)))
    for d in past:
        if files.get_file_from_path(d.path) is None and d.source is not None:
            files.append(File.generated(config, d.path, abs_src_path=str(d.source)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill {contact:ID}-style references in the hand-written pages from the Code,
    and drop their HTML comments (notes for the people who edit them, which
    must not reach the published page); under mkdocs serve with a mistake in
    the source, show the mistake instead."""
    if _problem is not None:
        title = re.search(r"^# (.+)$", markdown, re.MULTILINE)
        return error_page_markdown(_problem, title.group(1) if title else "")
    if page.file.generated_by is not None:
        return markdown
    context = _current()
    return _guard(lambda: web.substitute_refs(context.code, web.without_comments(markdown)))


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Give the templates the Code's language, for <html lang>."""
    env.globals["cc_language"] = (PREVIEW_LANGUAGE if _context is None or _problem is not None
                                  else _context.code.metadata.language)
    return env


def error_page_markdown(problem: ComplaintsCodeError, title: str = "") -> str:
    """The page the preview shows while the source has a mistake, under the
    page's own ``title`` (the Code page has none: "The Code source has a
    mistake"): each problem with its place (file:line:col) and how to fix it."""
    items = problem.problems if isinstance(problem, SourceError) else []
    listed = "\n".join(
        f"<li><p><code>{escape(f'{p.path}:{p.line}:{p.col}')}</code>"
        f"{escape(f' {p.field}' if p.field else '')}</p>"
        f"<p>{escape(p.message)}.</p><p><strong>How to fix it:</strong> {escape(p.hint)}.</p>"
        "</li>" for p in items) or f"<li><p>{escape(str(problem))}</p></li>"
    count = len(items) or 1
    what = f"The Code source has {'a mistake' if count == 1 else f'{count} mistakes'}"
    return (f"# {title or what}\n\n"
            '<div class="cc-source-error" role="alert">\n'
            f"<p><strong>{what}.</strong> "
            "The page cannot be shown until the mistake is fixed. Fix it in the file "
            "and save: this page then shows the Code again by itself.</p>\n"
            f'<ol class="cc-problems">\n{listed}\n</ol>\n</div>\n')


def _preview_context(config: MkDocsConfig) -> web.BuildContext:
    root = Path(config.config_file_path).resolve().parent
    given = _guard(lambda: web.preview_context(root))
    if given is not None:
        return given
    # A bare `mkdocs serve`: the Code from the project beside mkdocs.yml, with
    # no other formats to link (`complaints-code preview` links them).
    settings = _guard(lambda: load_settings(cwd=root))
    return web.BuildContext(settings_code(settings), settings, settings.out / "site")


def settings_code(settings: Settings) -> Code:
    """The Code of these settings, named in messages as the reader types it."""
    source = settings.source
    if source.is_absolute() and source.is_relative_to(Path.cwd()):
        source = source.relative_to(Path.cwd())
    return _guard(lambda: load(source))


def _current() -> web.BuildContext:
    if _context is None:  # pragma: no cover - MkDocs always calls on_config first
        raise PluginError("the Code was not loaded; on_config did not run")
    return _context


def _guard(func: Callable[[], T]) -> T:
    """Run ``func``; its typed errors reach on_config or on_files, which under
    mkdocs serve show them on the error page."""
    return func()
