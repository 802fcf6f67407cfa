"""The draft's form split into pages, one a part of the Code (details,
working calendar, contacts, timescales, stages, the dispute-resolution body,
each section, the version history); where each finding belongs on them; and
a posted page turned back into field edits.

A page's inputs are named by their field path and carry the id
``legal.drafts.html_id`` gives it, so a finding links to its field like the
error summary of a form.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ...legal import drafts
from ...legal.drafts import Finding, Form, FormField, Part, Problem

TOP = (("details", "metadata"), ("calendar", "calendar"), ("contacts", "contacts"),
       ("timescales", "timescales"), ("stages", "stages"), ("adr", "adr"))
"""The pages of the Code's parts other than its sections, by key and path."""
HISTORY = "history"
SECTION = "section-"


@dataclass(frozen=True)
class Page:
    """One page of the form."""

    key: str
    """details, calendar, contacts, timescales, stages, adr, history or section-ID."""
    title: str
    part: Part
    section: str | None = None
    """The section's id, for a section's page."""

    @property
    def editable(self) -> bool:
        """Whether the page has any field to edit."""
        return any(f.editable for f in fields(self.part))

    @property
    def markup(self) -> bool:
        """Whether the page has text in the Code's markup (so, references)."""
        return any(f.kind == "markup" for f in fields(self.part))

    def names(self) -> dict[str, str]:
        """Every field and part path on the page, to its name in words."""
        return _names(self.part, self.title)

    def ids(self) -> dict[str, str]:
        """Every field and part path on the page, to the HTML id that names it."""
        found = {p.path: drafts.html_id(p.path) for p in parts(self.part)}
        found.update({f.path: drafts.html_id(f.path) for f in fields(self.part)})
        return found


def fields(part: Part) -> Iterator[FormField]:
    """Every field of a part and its parts, in order."""
    yield from part.fields
    for sub in part.parts:
        yield from fields(sub)


def parts(part: Part) -> Iterator[Part]:
    """A part and every part inside it."""
    yield part
    for sub in part.parts:
        yield from parts(sub)


def pages(form: Form) -> list[Page]:
    """The form's pages, in the Code's order."""
    by_path = {p.path: p for p in form.parts}
    out = [Page(key, by_path[path].title, by_path[path]) for key, path in TOP
           if path in by_path]
    if "sections" in by_path:
        out += [Page(SECTION + s.path.removeprefix("sections."), s.title, s,
                     s.path.removeprefix("sections."))
                for s in by_path["sections"].parts]
    if "changes" in by_path:
        out.append(Page(HISTORY, by_path["changes"].title, by_path["changes"]))
    return out


def page_of(path: str | None) -> str | None:
    """The key of the page a field path is on (None: the whole Code)."""
    if not path:
        return None
    head, _, rest = path.partition(".")
    head = head.split("[")[0]
    for key, top in TOP:
        if head == top:
            return key
    if head == "sections":
        section = rest.split(".")[0].split("[")[0]
        return SECTION + section if section else None
    if head == "changes":
        return HISTORY
    return None


@dataclass(frozen=True)
class Placed:
    """A finding (or a validation problem) and where it belongs."""

    item: Finding | Problem
    page: str | None
    """The page's key; None: about the whole Code."""
    target: str | None
    """The HTML id of its field (or of the nearest part holding it)."""
    where: str
    """Its field in words, e.g. "Contact methods: Telephone (telephone): Value"."""

    @property
    def severity(self) -> str:
        """error, warning or note (a validation problem is an error)."""
        return self.item.severity if isinstance(self.item, Finding) else "error"

    @property
    def field(self) -> str | None:
        """Its field path."""
        return self.item.field


def place(form: Form | None, items: Iterable[Finding | Problem]) -> list[Placed]:
    """Each finding with its page, the id of its field there and its name."""
    ids: dict[str, str] = {}
    names: dict[str, str] = {}
    if form is not None:
        for page in pages(form):
            ids.update(page.ids())
            names.update(_names(page.part, page.title))
    out = []
    for item in items:
        path = item.field
        target = None
        while path:
            if path in ids:
                target = ids[path]
                break
            path = _parent(path)
        where = names.get(path or "", "The whole Code")
        out.append(Placed(item, page_of(item.field) if target else None, target, where))
    return out


def _parent(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rpartition(".")[0]


def _names(part: Part, title: str) -> dict[str, str]:
    """Each field's name in words: its parts' titles and its label (a part
    holding one field is named by its title alone; "Blocks" is left out)."""
    out = {part.path: title}
    if len(part.fields) == 1 and not part.parts:
        out[part.fields[0].path] = title
        return out
    for f in part.fields:
        out[f.path] = f"{title}: {f.label}"
    for sub in part.parts:
        out.update(_names(sub, title if sub.path.endswith(".blocks") else
                          f"{title}: {sub.title}"))
    return out


def by_field(placed: Iterable[Placed]) -> dict[str, list[Placed]]:
    """Findings by the HTML id they are shown beside."""
    out: dict[str, list[Placed]] = {}
    for p in placed:
        if p.target:
            out.setdefault(p.target, []).append(p)
    return out


@dataclass(frozen=True)
class Posted:
    """A posted page: the edits it makes, each field's problem, and what was
    typed (to show again with the problems)."""

    edits: list[drafts.Edit]
    errors: dict[str, str]
    typed: dict[str, Any]


def posted(page: Page, form: Any) -> Posted:
    """The edits a posted page makes: every editable field of the page whose
    value differs from the draft's."""
    edits: list[drafts.Edit] = []
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {}
    for f in fields(page.part):
        if not f.editable or f.path not in form:
            continue
        raw = _raw(f, form.getlist(f.path))
        typed[f.path] = raw
        try:
            value = drafts.value_from_form(f, raw)
        except drafts.FieldError as exc:
            errors[f.path] = _sentence(exc.message)
            continue
        if normal(f, value) != normal(f, f.value):
            edits.append(drafts.Edit(f.path, value))
    return Posted(edits, errors, typed)


def _raw(f: FormField, values: list[Any]) -> str:
    texts = [str(v) for v in values]
    if f.kind == "list" and f.choices:
        return ",".join(t for t in texts if t)  # checkboxes, after an empty marker
    text = texts[-1] if texts else ""
    return " ".join(text.split()) if f.kind in ("text", "version", "date", "time") else text


def normal(f: FormField, value: Any) -> Any:
    """A value as compared: markup and text without their line breaks and
    spaces at the ends, an empty optional value as nothing."""
    if value is None or value == "" or value == []:
        return None
    if f.kind == "markup" and isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [normal(f, v) for v in value]
    return value


def shown(f: FormField, value: Any) -> str:
    """A field's value as its input shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ("," if f.choices else "\n").join(str(v) for v in value)
    if f.kind == "markup":
        return " ".join(str(value).split())
    return str(value)


def choice_words(choice: str | int) -> str:
    """A choice as a radio button's label: working_hours, Working hours."""
    return str(choice).replace("_", " ").capitalize()


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."
