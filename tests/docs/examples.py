"""The shell examples of the README and the manual, and how to run them.

The rule (written for authors in the manual, developers/writing-docs.md):

- a block fenced as ``sh`` is an example and is run, as its own
  ``bash -e -o pipefail`` script, in the project folder of a scratch copy;
- any other block (``text``, ``console``, ``yaml`` …) is shown, never run;
- a comment on an ``sh`` block's first line changes that:
  ``# exits N: REASON`` (must end with status N), ``# needs: server`` (run
  while the service runs; ``$TOKEN`` is a staff token), ``# not run: REASON``
  (shown only; its ``complaints-code`` commands and ``make`` targets must
  exist).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import yaml

from complaints_code.cli import main
from tests.conftest import ROOT

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)\n"
                   r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
MARKER = re.compile(r"^#\s*(?:(?P<exits>exits) (?P<status>\d+):\s*(?P<why>\S.*)"
                    r"|(?P<not_run>not run):\s*(?P<reason>\S.*)|needs: (?P<needs>server))\s*$")
SERVICE = "http://127.0.0.1:8000"
"""The service's address in the examples; the runner points it at its own server."""


class BadExample(ValueError):
    """A block the rule does not allow (a marker without its reason, say)."""


@dataclass(frozen=True)
class Example:
    """One ``sh`` block."""

    page: str
    """The file it is in, relative to the repository."""
    line: int
    """The line of its opening fence."""
    script: str
    mode: str
    """"run", "server" or "not run"."""
    status: int = 0
    """The exit status it must end with."""

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def pages() -> list[Path]:
    """Every page whose examples are run, in reading order: the README, the
    manual's pages in the order of its navigation, then any other page of
    the manual and the decision records."""
    manual = ROOT / "docs" / "manual"
    nav = yaml.safe_load((ROOT / "docs" / "manual.yml").read_text(encoding="utf-8"))["nav"]
    ordered = [manual / name for name in _nav_pages(nav) if (manual / name).is_file()]
    rest = sorted(set(manual.rglob("*.md")) - set(ordered))
    return [ROOT / "README.md", *ordered, *rest, *sorted((ROOT / "docs" / "dev").rglob("*.md"))]


def _nav_pages(nav: object) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_pages(value)


def examples(text: str, page: str) -> list[Example]:
    """The ``sh`` blocks of one Markdown page, in order."""
    found = []
    for m in FENCE.finditer(text):
        info = m.group("info").strip().split()
        if not info or info[0] != "sh":
            continue
        indent = len(m.group("indent"))
        body = "".join(line[indent:] if line[:indent].strip() == "" else line
                       for line in m.group("body").splitlines(keepends=True))
        found.append(_example(body, page, text.count("\n", 0, m.start()) + 1))
    return found


def _example(body: str, page: str, line: int) -> Example:
    first = body.split("\n", 1)[0].strip()
    marker = MARKER.match(first)
    if first.startswith("#") and re.match(r"#\s*(exits|not run|needs)\b", first) and not marker:
        raise BadExample(f"{page}:{line}: '{first}' is not a marker the rule knows; write "
                         "'# exits N: why', '# not run: why' or '# needs: server'")
    if marker is None:
        return Example(page, line, body, "run")
    if marker.group("exits"):
        return Example(page, line, body, "run", int(marker.group("status")))
    if marker.group("not_run"):
        return Example(page, line, body, "not run")
    return Example(page, line, body, "server")


def commands(script: str) -> Iterator[list[str]]:
    """The commands of a script, one per logical line, as words."""
    logical = re.sub(r"\\\n\s*", " ", script)
    for line in logical.splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            yield shlex.split(line)


@dataclass(frozen=True)
class Failure:
    """An example that did not do what it should, and what it printed."""

    example: Example
    why: str
    output: str

    def __str__(self) -> str:
        tail = "\n".join(self.output.strip().splitlines()[-15:])
        return f"{self.example.where}: {self.why}\n{tail}"


class Scratch:
    """A scratch copy of the repository to run examples in: a clone of this
    one (its history and tags, like a fresh clone), with the working tree's
    uncommitted files laid over it and committed, sharing this checkout's
    ``.venv`` and ``.tools``. ``complaints-code`` is on its PATH through the
    link ``scripts/link-command`` makes, as after ``make build``."""

    def __init__(self, base: Path):
        self.root = base / "project"
        self.bin = base / "bin"
        self.home = base / "home"
        self.home.mkdir()
        subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(self.root)],
                       check=True)
        self._lay_working_tree()
        for shared in (".venv", ".tools"):
            (self.root / shared).symlink_to(ROOT / shared)
        # Older than the shared venv's stamps, so make never installs into it.
        for name in ("pyproject.toml", "requirements/runtime.lock", "requirements/dev.lock",
                     "scripts/link-louis.py"):
            os.utime(self.root / name, (0, 0))
        self.env = {"HOME": str(self.home), "LANG": "C.UTF-8", "TERM": "dumb",
                    "PATH": f"{self.bin}:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run(["scripts/link-command"], cwd=self.root, check=True, capture_output=True,
                       env={**self.env, "BINDIR": str(self.bin)})
        self.server: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.token = ""

    def _lay_working_tree(self) -> None:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                                 "--exclude-standard"], cwd=ROOT, capture_output=True,
                                check=True).stdout.decode().split("\0")
        for name in filter(None, listed):
            source, target = ROOT / name, self.root / name
            if source.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
            elif target.exists():
                target.unlink()  # deleted in the working tree
        git = ["git", "-c", "user.name=Examples", "-c", "user.email=examples@example.org"]
        subprocess.run([*git, "add", "-A"], cwd=self.root, check=True)
        subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "working tree"],
                       cwd=self.root, check=True)

    def run(self, example: Example) -> Failure | None:
        """Run one example; None when it did what the rule says."""
        if ".venv/bin/complaints-code" in example.script:
            return Failure(example, "write bare complaints-code, as users type it", "")
        if example.mode == "not run":
            return self._exists(example)
        env = dict(self.env)
        script = example.script
        if example.mode == "server":
            env["TOKEN"] = self._serve()
            script = script.replace(SERVICE, f"http://127.0.0.1:{self.port}")
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=self.root,
                              env=env, capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != example.status:
            return Failure(example, f"exit status {done.returncode}, not {example.status}",
                           done.stdout + done.stderr)
        return None

    def _exists(self, example: Example) -> Failure | None:
        for words in commands(example.script):
            if words[0] == "complaints-code":
                problem = unknown_command(words[1:])
                if problem:
                    return Failure(example, problem, "")
            elif words[0] == "make":
                check = ["make", "-n", *[w for w in words[1:] if "=" not in w]]
                done = subprocess.run(check, cwd=self.root, env=self.env, capture_output=True,
                                      text=True, timeout=120, check=False)
                if done.returncode != 0:
                    return Failure(example, f"{shlex.join(check)} fails: no such target",
                                   done.stdout + done.stderr)
        return None

    def _serve(self) -> str:
        """Start the service once (on a free port), and a staff account's token."""
        if self.server is None:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                self.port = s.getsockname()[1]
            self.token = subprocess.run(
                ["complaints-code", "staff", "add", "Example Staff", "--role", "staff"],
                cwd=self.root, env=self.env, capture_output=True, text=True,
                check=True).stdout.strip()
            self.server = subprocess.Popen(
                ["complaints-code", "serve", "--port", str(self.port)], cwd=self.root,
                env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline or self.server.poll() is not None:
                        raise RuntimeError("complaints-code serve did not start") from None
                    time.sleep(0.2)
        return self.token

    def close(self) -> None:
        """Stop the service, if it was started."""
        if self.server is not None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=30)


def unknown_command(words: list[str]) -> str | None:
    """Why ``complaints-code WORDS`` names a command or option that does not
    exist; None if it names only real ones."""
    command: click.Command = main
    path = ["complaints-code"]
    options = {o: p for p in main.params for o in p.opts}
    value_next = False
    for word in words:
        name = word.split("=", 1)[0]
        if value_next:
            value_next = False
        elif word.startswith("-"):
            if name not in options and name not in ("--help", "-h"):
                return f"{' '.join(path)} has no option '{name}'"
            param = options.get(name)
            value_next = "=" not in word and isinstance(param, click.Option) and not (
                param.is_flag or param.count)
        elif isinstance(command, click.Group):
            if word not in command.commands:
                return f"{' '.join(path)} has no command '{word}'"
            command = command.commands[word]
            path.append(word)
            options |= {o: p for p in command.params for o in p.opts}
    return None
