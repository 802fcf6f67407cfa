"""Listening ports: a port already taken is refused before a server starts,
in one line that names the setting to change (a server that finds it out
itself prints a traceback, or a log line that scrolls away)."""

from __future__ import annotations

import errno
import socket

from ..errors import UsageError


def ensure_free(host: str, port: int, setting: str, flag: str) -> None:
    """Raise UsageError unless a server could listen on ``host``:``port``
    now; the message names ``setting`` (e.g. ``service.port``) and ``flag``."""
    where = f"{host}:{port}"
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise UsageError(f"cannot listen on {where} ({setting.rsplit('.', 1)[0]} host): the "
                         f"address does not resolve ({exc}); give an address of this "
                         "machine, e.g. 127.0.0.1") from None
    family, kind, proto, _, address = found[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do
        try:
            sock.bind(address)
        except OSError as exc:
            raise UsageError(_why(exc, where, port, setting, flag)) from None


def _why(exc: OSError, where: str, port: int, setting: str, flag: str) -> str:
    fix = f"give another with {flag}, or set {setting} in complaints-code.toml"
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} is in use ({setting} = {port}): something else listens on "
                f"{where}; stop it, or {fix}")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (f"port {port} ({setting}) needs administrator rights; {fix} (above 1023)")
    if exc.errno == errno.EADDRNOTAVAIL:
        return (f"cannot listen on {where}: that address is not one of this machine's; "
                "give one of its own, e.g. 127.0.0.1")
    return f"cannot listen on {where} ({setting}): {exc.strerror}; {fix}"
