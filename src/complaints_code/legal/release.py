"""Release a new version of the Code: check it, then record the version.

``release()`` refuses when the compliance check reports an error (judged on
the new effective date) or when the version is not newer than every version
so far. Otherwise it sets ``metadata.version``, ``metadata.effective_date``
and ``metadata.approved_by`` (who approved this version: asked for every
time, never carried over from the last one) and appends an entry to
``changes``.

The file is edited as text, line by line, not re-written from parsed YAML, so
the legal team's comments, quoting and line breaks stay exactly as they were.
The edited text is then read back and must equal the old Code plus exactly
these changes before it replaces the file (atomically).

When the source is in a git repository, the release is also recorded there:
the source file alone is committed ("Release version 1.1: ...") and that
commit gets the annotated tag ``v1.1``, so ``complaints-code diff git:v1.1``
finds it. Before anything is written, the repository must be on a branch
with nothing in progress (no merge, rebase, cherry-pick, revert or
bisection), the new tag must not exist, and the text must differ from the
previous release's (its tag), unless the caller says an unchanged text is
meant. The file, its commit and its tag are one step that Ctrl-C does not
cut in two.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ComplaintsCodeError, UsageError, quoted
from ..output import write_atomic
from ..processes.interrupts import deferred
from ..structure.model import Change, Code
from ..structure.positions import Loc
from ..structure.source import SourceDocument, load_document, loads, loads_document
from ..structure.versions import parse_version
from .git import GitError, commit_of, git, unfinished
from .lint import Report, Severity, lint_text
from .redline.compare import compare

_VERSION = re.compile(r"^\d+(\.\d+){0,2}$")
_SCALAR = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#](?:[^#]*[^\s#])?)""")


class ReleaseError(ComplaintsCodeError):
    """The release was refused; nothing was written."""


class UnchangedTextError(ReleaseError):
    """The text is the same as the previous release's; nothing was written."""


@dataclass(frozen=True)
class Released:
    """What a release did."""

    path: Path
    entry: Change
    report: Report
    """The compliance check of the released text (no errors; maybe warnings)."""
    tag: str | None = None
    """The git tag made for the release; None when the source is not in git."""
    compared_with: str | None = None
    """The tag of the previous release the text was compared with; None when
    there was none to compare with (not in git, or the tag is missing)."""
    changes: int | None = None
    """How many changes the text has since ``compared_with``."""


UNCHANGED_FIELDS = ("version", "effective_date", "approved_by", "last_reviewed")
"""Metadata a release sets or that is not the Code's text: a release that
changes only these (and the version history) has not changed the text."""


def release(path: Path, version: str, date: dt.date, summary: str, approved_by: str, *,
            allow_unchanged: bool = False, text: str | None = None,
            drafted_by: str | None = None) -> Released:
    """Check and record a new version in the source at ``path``, approved by
    ``approved_by``. Refuses a release whose text has not changed since the
    previous one (its git tag), unless ``allow_unchanged``. With ``text`` (an
    approved draft's whole source), that text is released at ``path`` instead
    of the file's own; ``drafted_by`` names its author in the git commit.
    Raises ReleaseError or UsageError, having written nothing."""
    if not _VERSION.match(version):
        raise UsageError(f"{quoted(version)} is not a version number; write e.g. 1.1 or 2.0.1")
    if not summary.strip():
        raise UsageError("the summary is empty; say in a sentence what changed")
    if not approved_by.strip():
        raise UsageError("who approved the release is empty; give their name and role, e.g. "
                         '"Jane Smith, General Counsel"')
    doc = load_document(path)
    _newer(doc.code, version, date)
    if text is not None:
        doc = loads_document(text, str(path))
    repo = git_root(path)
    compared: tuple[str, int] | None = None
    if repo is not None:
        _ready(repo)
        _tag_free(repo, tag_name(version))
        compared = _text_changes(repo, path, doc.code)
        if compared is not None and compared[1] == 0 and not allow_unchanged:
            raise UnchangedTextError(f"not released: the Code's text has not changed since "
                                     f"{compared[0]}, so there is nothing new to approve; "
                                     "edit the source first. Nothing was written.")
    entry = Change(version=version, date=date, summary=" ".join(summary.split()),
                   approved_by=" ".join(approved_by.split()))
    text = edited(path.read_text(encoding="utf-8") if text is None else text, doc, entry,
                  entry.approved_by)
    report = lint_text(text, str(path))  # judged on its new effective date
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    if errors:
        listed = "\n".join(str(f) for f in errors)
        raise ReleaseError(f"not released: the check reports {len(errors)} "
                           f"error{'s' * (len(errors) != 1)} on {date}:\n{listed}\n"
                           "Fix them (complaints-code check) and release again.")
    if repo is not None:
        _identity(repo)
    done = f"version {version} was released in {path}"
    tag = None
    # The file, its commit and its tag go together: a signal waits for all three.
    with deferred(done + (" and recorded in git" if repo is not None else "")):
        write_atomic(path, text)
        if repo is not None:
            tag = _commit_and_tag(repo, path, entry, drafted_by)
    return Released(path, entry, report, tag, *(compared or (None, None)))


def tag_name(version: str) -> str:
    """The git tag of a release: v1.1 for version 1.1."""
    return f"v{version}"


def git_root(path: Path) -> Path | None:
    """The git repository holding ``path``, or None (not in git, or no git)."""
    try:
        return Path(_git(path.resolve().parent, "rev-parse", "--show-toplevel").strip())
    except ReleaseError:
        return None


def _git(cwd: Path, *args: str) -> str:
    try:
        return git(cwd, *args)
    except GitError as exc:
        raise ReleaseError(f"git {args[0]}: {exc.why}" if exc.ran
                           else f"cannot run git ({exc.why})") from None


def _ready(repo: Path) -> None:
    """Refuse, before anything is written, a repository in the middle of
    something (a merge, a rebase, ...) or on no branch."""
    try:
        busy = unfinished(repo)
    except GitError as exc:
        raise ReleaseError(f"cannot read the git repository's state ({exc.why})") from None
    if busy:
        raise ReleaseError(f"not released: in the git repository {repo}, {busy}; then release "
                           "again. Nothing was written.")


def _text_changes(repo: Path, path: Path, code: Code) -> tuple[str, int] | None:
    """The previous release's tag and how many changes the text has since
    it; None when that release has no tag here (nothing to compare with)."""
    latest = max([code.metadata.version, *(c.version for c in code.changes)],
                 key=parse_version)
    tag = tag_name(latest)
    try:
        commit = commit_of(repo, tag)
        if commit is None:
            return None
        rel = path.resolve().relative_to(repo).as_posix()
        old = loads(git(repo, "show", f"{commit}:{rel}"), f"git:{tag}:{rel}")
    except (GitError, ComplaintsCodeError, ValueError):
        return None  # no such tag, the file was not there, or it was invalid then
    same = {k: getattr(code.metadata, k) for k in UNCHANGED_FIELDS}
    old = old.model_copy(update={"metadata": old.metadata.model_copy(update=same),
                                 "changes": code.changes})
    return tag, len(compare(old, code))


def _tag_free(repo: Path, tag: str) -> None:
    """Refuse, before anything is written, a tag that exists."""
    if _git(repo, "tag", "--list", tag).strip():
        raise ReleaseError(f"the git tag {tag} already exists, so this version was released "
                           "before; choose a higher version number. Nothing was written.")


def _identity(repo: Path) -> None:
    """Refuse, before anything is written, a git that cannot commit (it
    does not know who you are)."""
    try:
        _git(repo, "var", "GIT_COMMITTER_IDENT")
    except ReleaseError:
        raise ReleaseError("git does not know your name and email, so the release cannot be "
                           "recorded; ask IT to set them (git config user.name and "
                           "user.email). Nothing was written.") from None


def _commit_and_tag(repo: Path, path: Path, entry: Change, drafted_by: str | None = None) -> str:
    """Commit the released source alone and tag that commit ``v<version>``."""
    tag = tag_name(entry.version)
    rel = path.resolve().relative_to(repo).as_posix()
    title = f"Release version {entry.version}, effective {entry.date}"
    drafted = f"Drafted by {drafted_by}.\n" if drafted_by else ""
    try:
        _git(repo, "add", "--", rel)
        _git(repo, "commit", "--only", "-q", "-m", f"{title}\n\n{entry.summary}\n\n"
             f"{drafted}Approved by {entry.approved_by}.", "--", rel)
        _git(repo, "tag", "-a", tag, "-m", f"{title}: {entry.summary}")
    except ReleaseError as exc:
        raise ReleaseError(f"{path} was released, but recording it in git failed ({exc}); "
                           f"commit the file and run: git tag -a {tag}") from None
    return tag


def _newer(code: Code, version: str, date: dt.date) -> None:
    """Refuse a version that is not newer than every one so far, or a date
    before the latest release."""
    versions = [code.metadata.version, *(c.version for c in code.changes)]
    latest = max(versions, key=parse_version)
    if parse_version(version) <= parse_version(latest):
        raise ReleaseError(f"version {version} is not newer than the latest, {latest}; "
                           "choose a higher number")
    last_date = max([code.metadata.effective_date, *(c.date for c in code.changes)])
    if date < last_date:
        raise ReleaseError(f"the date {date} is before the latest version's date, {last_date}")


def edited(text: str, doc: SourceDocument, entry: Change, approved_by: str | None) -> str:
    """``text`` with the new version, date and history entry, and nothing else
    changed. Raises ReleaseError if the result does not read back as that."""
    lines = text.splitlines(keepends=True)
    _set(lines, doc, ("metadata", "version"), _quoted(entry.version))
    _set(lines, doc, ("metadata", "effective_date"), entry.date.isoformat())
    if approved_by:
        _set(lines, doc, ("metadata", "approved_by"), _quoted(approved_by))
    new = _append_change(lines, doc, entry)
    _verify(doc.code, new, entry, approved_by)
    return new


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _set(lines: list[str], doc: SourceDocument, loc: Loc, value: str) -> None:
    """Replace the one-line scalar at ``loc``, keeping any comment after it."""
    line, col = doc.positions.values[loc]
    old = lines[line - 1]
    m = _SCALAR.match(old, col - 1)
    if not m:
        raise ReleaseError(f"{doc.path}:{line}: cannot find the value of {loc[-1]} to "
                           "update; write it on one line")
    lines[line - 1] = old[: m.start()] + value + old[m.end():]


def _append_change(lines: list[str], doc: SourceDocument, entry: Change) -> str:
    """Insert the history entry after the last one, in the same indentation."""
    count = len(doc.code.changes)
    if count == 0:
        raise ReleaseError(f"{doc.path}: there is no 'changes' list to add to; add the "
                           "first entry by hand (see the manual, "
                           "docs/manual/legal/editing-the-source.md)")
    first, col = doc.positions.values[("changes", count - 1)]
    indent = " " * (col - 1)
    dash = " " * (col - 3) + "- "
    end = first
    while end < len(lines) and _inside(lines[end], col):
        end += 1
    while end > first and not lines[end - 1].strip():
        end -= 1
    block = (f"{dash}version: {_quoted(entry.version)}\n{indent}date: {entry.date}\n"
             f"{indent}summary: {_quoted(entry.summary)}\n"
             f"{indent}approved_by: {_quoted(entry.approved_by)}\n")
    if not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    return "".join(lines[:end]) + block + "".join(lines[end:])


def _inside(line: str, col: int) -> bool:
    """Whether a line still belongs to a list item whose keys start at ``col``."""
    if not line.strip():
        return True
    return len(line) - len(line.lstrip(" ")) >= col - 1 and not line.lstrip().startswith("- ")


def _verify(old: Code, text: str, entry: Change, approved_by: str | None) -> None:
    """The edited text must read back as the old Code plus exactly this release."""
    meta = {"version": entry.version, "effective_date": entry.date}
    if approved_by:
        meta["approved_by"] = approved_by
    expected = old.model_copy(update={
        "metadata": old.metadata.model_copy(update=meta),
        "changes": (*old.changes, entry)})
    try:
        got = loads_document(text, "release").code
    except ComplaintsCodeError as exc:
        raise ReleaseError(f"the edited source would not be valid ({exc}); nothing was "
                           "written") from None
    if got.model_dump() != expected.model_dump():
        raise ReleaseError("the source is laid out in a way release cannot edit safely; "
                           "nothing was written. Update the version by hand.")
