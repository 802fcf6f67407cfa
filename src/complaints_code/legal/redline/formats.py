"""The redline as plain text (a terminal), Markdown (a pull-request comment)
or a standalone accessible HTML page (for sign-off, on screen or on paper).

The HTML's look is data: ``templates/redline/redline.html.j2`` and
``redline.css``. Insertions and deletions are ``<ins>`` and ``<del>`` with
words for screen readers ("inserted:", "deleted:"), and are underlined and
struck through, never shown by colour alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup, escape

from ...engines.html import jinja_env
from ...errors import UsageError
from . import Redline, Version
from .words import Piece

FORMATS = ("text", "html", "markdown")


def render(result: Redline, fmt: str, templates: Path) -> str:
    """The redline in one of :data:`FORMATS`."""
    if fmt == "text":
        return text(result)
    if fmt == "markdown":
        return markdown(result)
    if fmt == "html":
        return html(result, templates)
    raise UsageError(f"unknown redline format '{fmt}'; choose from {', '.join(FORMATS)}")


def describe(v: Version) -> str:
    """E.g. "version 1.0, effective 2026-11-25 (git:HEAD~1)"."""
    m = v.code.metadata
    return f"version {m.version}, effective {m.effective_date} ({v.label})"


def _count(result: Redline) -> str:
    n = len(result.changes)
    return "No changes." if not n else f"{n} change{'s' * (n != 1)}."


def _wdiff(pieces: tuple[Piece, ...]) -> str:
    marks = {"equal": "{}", "insert": "{{+{}+}}", "delete": "[-{}-]"}
    return "".join(p.gap + marks[p.op].format(p.text) for p in pieces)


def text(result: Redline) -> str:
    """Plain text: insertions as {+words+}, deletions as [-words-] (as wdiff)."""
    lines = [f"Redline: {result.new.code.metadata.title}",
             f"  from {describe(result.old)}", f"  to   {describe(result.new)}",
             _count(result)]
    for area, changes in result.by_area():
        lines += ["", area]
        for c in changes:
            lines.append(f"  - {c.summary}")
            if c.words:
                lines.append(f"      {_wdiff(c.words)}")
            for r in c.readings:
                lines += [f"      As customers will read it, {r.where}:",
                          f"        before: {r.before}", f"        after:  {r.after}"]
    return "\n".join(lines) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def _md(value: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", value)


def _md_words(pieces: tuple[Piece, ...]) -> str:
    tags = {"equal": "{}", "insert": "<ins>{}</ins>", "delete": "<del>{}</del>"}
    return "".join(p.gap + tags[p.op].format(_md(p.text)) for p in pieces)


def markdown(result: Redline) -> str:
    """GitHub-flavoured Markdown for a pull-request comment."""
    out = [f"### Redline: {_md(result.new.code.metadata.title)}", "",
           f"From {_md(describe(result.old))}  ", f"to {_md(describe(result.new))}", "",
           f"**{_count(result)}** Inserted words are <ins>underlined</ins>, deleted "
           "words <del>struck through</del>."]
    for area, changes in result.by_area():
        out += ["", f"#### {_md(area)}", ""]
        for c in changes:
            out.append(f"- {_md(c.summary)}")
            if c.words:
                out += ["", f"  > {_md_words(c.words)}", ""]
            for r in c.readings:
                out += ["", f"  As customers will read it, {_md(r.where)}:", "",
                        f"  > **Before:** {_md(r.before)}  ", f"  > **After:** {_md(r.after)}", ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).rstrip("\n") + "\n"


def words_html(pieces: tuple[Piece, ...]) -> Markup:
    """Pieces as HTML: ``<ins>``/``<del>`` with visually hidden words saying so."""
    parts = []
    for p in pieces:
        words = escape(p.text)
        if p.op == "insert":
            parts.append(f'<ins><span class="sr-only">inserted: </span>{words}'
                         '<span class="sr-only"> (end of insertion)</span></ins>')
        elif p.op == "delete":
            parts.append(f'<del><span class="sr-only">deleted: </span>{words}'
                         '<span class="sr-only"> (end of deletion)</span></del>')
        else:
            parts.append(str(words))
        parts[-1] = p.gap + parts[-1]
    return Markup("".join(parts))


def summary_html(summary: str) -> Markup:
    """A summary with its "A → B" arrow read out as "changed to"."""
    arrow = ('<span aria-hidden="true"> → </span>'
             '<span class="sr-only"> changed to </span>')
    return Markup(arrow.join(str(escape(part)) for part in summary.split(" → ")))


def html(result: Redline, templates: Path) -> str:
    """A standalone HTML page (styles inline), for screen and for print."""
    env = jinja_env(templates)
    env.filters["words_html"] = words_html
    env.filters["summary_html"] = summary_html
    env.filters["long_date"] = lambda d: f"{d.day} {d:%B %Y}"
    return env.get_template("redline.html.j2").render(
        result=result, title=result.new.code.metadata.title, old=result.old, new=result.new,
        groups=result.by_area(), count=_count(result),
        css=Markup((templates / "redline.css").read_text(encoding="utf-8")))
