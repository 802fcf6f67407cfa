"""The website served for editing (``complaints-code preview``): MkDocs'
live-reloading server with the package's hooks, the Code read afresh on
every save, and links to the files of the published site (``OUT/site``), so
that the preview looks as the published site will."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.serve import serve as mkdocs_serve

from ..engines.web import hooks
from ..engines.web import site as web
from ..errors import UsageError
from ..settings import Settings, load_settings
from . import archive, buildinfo


class PortInUseError(UsageError):
    """The preview's port is taken by another program."""


def context_for(config: Path | None) -> Callable[[Path], web.BuildContext]:
    """A preview's context, made afresh on each rebuild from the settings
    (``config``, else found from the MkDocs config's folder upwards)."""

    def make(config_dir: Path) -> web.BuildContext:
        settings = load_settings(config, cwd=config_dir)
        code = hooks.settings_code(settings)
        site = settings.out / "site"
        info = buildinfo.read(site)
        listed = info.listed if info else ()
        downloads = tuple(web.Download(e.path, e.label, e.type, e.mime,
                                       (site / e.path).stat().st_size)
                          for e in listed if (site / e.path).is_file())
        past = tuple(web.Download(a.name, a.label or "", a.kind, a.media_type, a.size,
                                  a.version, a.path)
                     for a in archive.past_downloads(site, info, code.metadata.version,
                                                     settings.build.keep_versions))
        return web.BuildContext(code, settings, site, downloads, past)

    return make


def serve(settings: Settings, config: Path | None, host: str, port: int) -> None:
    """Serve the preview on ``host:port`` until interrupted. Raises
    PortInUseError if the port is taken."""
    check_port(host, port)
    web.set_preview_context(context_for(config))
    mkdocs_serve(str(settings.mkdocs_config), livereload=True, dev_addr=f"{host}:{port}",
                 hooks=[str(web.HOOKS)])


def check_port(host: str, port: int) -> None:
    """Raise PortInUseError if nothing can listen on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUseError(
                    f"port {port} on {host} is in use by another program (the service, or "
                    "another preview?); choose another with --port or the [web] "
                    "preview_port setting") from None
            raise PortInUseError(f"cannot listen on {host}:{port} ({exc.strerror})") from None
