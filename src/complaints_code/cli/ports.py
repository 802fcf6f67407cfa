"""Listening ports: a port already taken is refused before a server starts,
in one line that names the setting to change (a server that finds it out
itself prints a traceback, or a log line that scrolls away)."""

from __future__ import annotations

import errno
import socket

from ..errors import UsageError


def ensure_free(host: str, port: int, setting: str, flag: str, others: str) -> None:
    """Raise UsageError unless a server could listen on ``host``:``port``
    now. The message names ``setting`` (``[service] port``), ``flag``
    (``--port``) and what else may hold the port (``others``)."""
    where = f"{host}:{port}"
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise UsageError(f"cannot listen on {where}: the address does not resolve ({exc}); "
                         "give an address of this machine, e.g. 127.0.0.1") from None
    family, kind, proto, _, address = found[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do
        try:
            sock.bind(address)
        except OSError as exc:
            raise UsageError(_why(exc, host, port, setting, flag, others)) from None


def _why(exc: OSError, host: str, port: int, setting: str, flag: str, others: str) -> str:
    fix = f"choose another with {flag} or the {setting} setting"
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is in use by another program ({others}); {fix}"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"port {port} on {host} needs administrator rights; {fix} (above 1023)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return (f"cannot listen on {host}:{port}: that address is not one of this machine's; "
                "give one of its own, e.g. 127.0.0.1")
    return f"cannot listen on {host}:{port} ({exc.strerror}); {fix}"
