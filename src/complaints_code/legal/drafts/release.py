"""The release of an approved draft, for the service's background job.

:func:`release_draft` writes the draft's source over the published one
(keeping its comments and layout) with the new version, effective date,
approver and version-history entry, and records it in git where the source
is in a repository: one commit naming the author and the approver, tagged
``v<version>``. It returns what the caller then builds and publishes.

It is all or nothing: on any failure the source file, the git index, the
branch and the tags are as they were, and the error says why. When the
caller's build or publish then fails, :func:`undo_release` puts the source
and git back as they were too, so the published site, the source and the
history keep agreeing; the job can simply run again. A draft found already
released (the job stopped between releasing and publishing) is recognised
and not released twice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ...errors import ComplaintsCodeError, SourceError
from ...output import write_atomic
from ...structure.model import Code
from ...structure.source import loads
from ..git import GitError, git
from ..lint import Report
from ..release import ReleaseError, git_root, release, tag_name
from .errors import DraftStateError
from .lifecycle import Draft, Status


@dataclass(frozen=True)
class DraftRelease:
    """What a release did, for the caller to build and publish."""

    source: Path
    version: str
    effective_date: dt.date
    code: Code
    """The released Code, to build every format from."""
    report: Report | None
    """The compliance check of the released text (None when released before)."""
    tag: str | None
    """The git tag, or None when the source is not in a repository."""
    already: bool = False
    """True when this draft had been released before (the job stopped
    after releasing it): nothing was written this time."""
    previous_text: str | None = None
    """The source as it was before, for :func:`undo_release`."""
    previous_head: str | None = None
    """The branch's commit before, for :func:`undo_release`."""


def release_draft(draft: Draft, source: Path, today: dt.date) -> DraftRelease:
    """Release an approved draft at ``source`` (the published source file).
    ``today`` is its effective date unless the draft set one. Raises
    DraftStateError (not approved; the published source changed since the
    draft was approved) or ReleaseError (the check, the version or git
    refused); either way nothing was changed."""
    if draft.status != Status.APPROVED or draft.approved_by is None:
        raise DraftStateError("status", f"the draft is {draft.status}; only an approved draft "
                              "is released")
    assert draft.release_version is not None
    version, date = draft.release_version, draft.release_date or today
    try:
        current = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReleaseError(f"cannot read the published source {source} "
                           f"({exc.strerror})") from None
    if current != draft.base_text:
        done = _released_before(draft, source, current)
        if done is not None:
            return done
        raise DraftStateError("out_of_date", f"{source} changed since the draft was approved "
                              "(another version was published); nothing was written. Return "
                              "the draft so its author can bring it up to date.")
    repo = git_root(source)
    head = _head(repo) if repo is not None else None
    try:
        done_release = release(source, version, date, draft.summary, draft.approved_by.name,
                               text=draft.text, drafted_by=draft.author.name)
    except ComplaintsCodeError as exc:
        written = source.read_text(encoding="utf-8") != current
        if written or (repo is not None and _head(repo) != head):
            _undo(source, current, repo, head, tag_name(version))
        if written:  # git refused to record it: the release was undone
            raise ReleaseError(f"recording version {version} in git failed "
                               f"({_git_reason(exc)}), so the release was undone. Nothing was "
                               "changed.") from None
        if isinstance(exc, ReleaseError | SourceError):
            raise ReleaseError(f"{_sentence(exc)} Nothing was changed.") from None
        raise
    code = loads(source.read_text(encoding="utf-8"), str(source))
    return DraftRelease(source, version, done_release.entry.date, code, done_release.report,
                        done_release.tag, previous_text=current, previous_head=head)


def undo_release(done: DraftRelease) -> None:
    """Undo a release whose build or publish failed: the source, the git
    branch, index and tag as they were before it. Raises ReleaseError if
    that cannot be done safely (something else changed them since)."""
    if done.already or done.previous_text is None:
        raise ReleaseError("this release was made by an earlier run, so it cannot be undone "
                           "here; build and publish it again instead")
    repo = git_root(done.source) if done.tag else None
    if repo is not None:
        try:
            tagged = git(repo, "rev-parse", "--verify", "-q", f"{done.tag}^{{commit}}").strip()
        except GitError:
            tagged = ""
        if _head(repo) != tagged:
            raise ReleaseError(f"cannot undo the release of version {done.version}: the "
                               f"repository has moved on since it was tagged {done.tag}")
    _undo(done.source, done.previous_text, repo, done.previous_head,
          tag_name(done.version))


def _released_before(draft: Draft, source: Path, current: str) -> DraftRelease | None:
    """The earlier release of this draft, if ``current`` is it."""
    try:
        code = loads(current, str(source))
    except SourceError:
        return None
    last = code.changes[-1] if code.changes else None
    approver = draft.approved_by.name if draft.approved_by else None
    if last is None or last.version != draft.release_version or \
            last.summary != draft.summary or last.approved_by != approver:
        return None
    repo = git_root(source)
    tag = tag_name(last.version) if repo is not None and _has_tag(repo, last.version) else None
    return DraftRelease(source, last.version, last.date, code, None, tag, already=True)


def _has_tag(repo: Path, version: str) -> bool:
    try:
        return bool(git(repo, "tag", "--list", "--", tag_name(version)).strip())
    except GitError:
        return False


def _head(repo: Path) -> str | None:
    try:
        return git(repo, "rev-parse", "--verify", "-q", "HEAD").strip() or None
    except GitError:
        return None  # a repository with no commit yet


def _undo(source: Path, text: str, repo: Path | None, head: str | None, tag: str) -> None:
    """Put back the source, the index, the branch and the tags as they were."""
    if source.read_text(encoding="utf-8") != text:
        write_atomic(source, text)
    if repo is None:
        return
    rel = source.resolve().relative_to(repo).as_posix()
    try:
        now = _head(repo)
        if head is not None and now is not None and now != head:
            if _has_tag(repo, tag.removeprefix("v")) and \
                    git(repo, "rev-parse", f"{tag}^{{commit}}").strip() == now:
                git(repo, "tag", "-d", tag)
            git(repo, "update-ref", "-m", "complaints-code: release undone", "HEAD", head, now)
        git(repo, "reset", "-q", "--", rel)
    except GitError as exc:
        raise ReleaseError(f"the release failed and putting git back failed too ({exc.why}); "
                           f"check 'git status' and 'git log' in {repo}") from None


def _sentence(exc: Exception) -> str:
    text = str(exc).strip().removesuffix(" Nothing was written.").removesuffix(
        "; nothing was written")
    return text if text.endswith(".") else text + "."


def _git_reason(exc: Exception) -> str:
    """git's own complaint inside the release's message."""
    found = re.search(r"recording it in git failed \((.*)\); commit the file", str(exc))
    return found.group(1) if found else str(exc)
