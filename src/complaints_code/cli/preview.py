"""The ``preview`` command: the website served from the source as it is
edited (MkDocs' live preview), rebuilt on every save (``make preview``)."""

from __future__ import annotations

import logging

import click

from ..errors import UsageError
from .edge import edge, settings, unchanged
from .ports import ensure_free


@click.command()
@click.option("--host", default=None, help="Address to serve on (default: web.preview_host, "
              "127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port (default: web.preview_port, 8001; the service uses 8000).")
@edge
def preview(host: str | None, port: int | None) -> None:
    """Serve the website on http://127.0.0.1:8001/ while the source is
    edited: each save of the source, the templates or the pages rebuilds it,
    and the browser reloads. A mistake in the source shows as a page that
    says where it is. Nothing is published. Stop it with Ctrl-C."""
    s = settings({"web.preview_host": "--host", "web.preview_port": "--port"},
                  web={"preview_host": host, "preview_port": port})
    unchanged("the preview has stopped; nothing was published")
    web = s.web
    ensure_free(web.preview_host, web.preview_port, "web.preview_port", "--port")
    # MkDocs only here: no other command needs it in this process.
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        serve(config_file=str(s.mkdocs_config),
              dev_addr=f"{web.preview_host}:{web.preview_port}", livereload=True)
    except MkDocsException as exc:
        raise UsageError(f"{s.mkdocs_config}: {exc}") from None
    finally:
        log.removeHandler(handler)


COMMANDS = (preview,)
