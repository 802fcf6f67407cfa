"""Drafts: the legal team revises the Code as a form of its parts, sees the
compliance findings and the redline as they work, brings a draft up to date
when the published version moves on, has it approved by a second person,
and a job releases it.

The draft's one state is its source YAML. The form (:func:`form`) is read
from it; form edits (:func:`apply_edits`) are written back into it keeping
comments and layout; so the form and the whole-YAML view never disagree.

    from complaints_code.legal import drafts

    step = drafts.start("7", jane, drafts.Published.of(text), now)
    step = drafts.edit_fields(step.draft, jane,
                              [drafts.Edit("contacts.telephone.value", "020 8545 8299")], now)
    drafts.check_draft(step.draft.text, published_code, today).findings
    step = drafts.submit(step.draft, jane, "New number.", True, published, now)
    step = drafts.approve(step.draft, tom, published, now)          # not jane
    done = drafts.release_draft(step.draft, source_path, today)     # in a job
    # ... build and publish done.code; if that fails: drafts.undo_release(done)
    step = drafts.published_as(step.draft, done.version, now)

This package stands on the legal tools below it (the lint, the redline, the
release and git) and knows nothing of HTTP, databases or building: the
service maps its typed errors to responses (DraftStateError 409,
NotAllowed 403, InputError 422) and builds and publishes what
:func:`release_draft` returns.
"""

from .errors import (
    REASONS,
    DraftError,
    DraftStateError,
    NotAllowed,
    NotApprover,
    NotAuthor,
    SelfApproval,
)
from .findings import (
    DraftCheck,
    Finding,
    Problem,
    ReleasePlan,
    check_draft,
    field_at,
    plan_release,
    validation_problems,
)
from .form import (
    Edit,
    Form,
    FormField,
    Part,
    Reference,
    apply_edits,
    form,
    references,
    value_from_form,
)
from .lifecycle import (
    Acknowledgement,
    Draft,
    Event,
    Person,
    Published,
    Status,
    Step,
    approve,
    edit,
    edit_fields,
    published_as,
    ready,
    release_failed,
    resolve_conflict,
    return_draft,
    start,
    submit,
    update,
)
from .merge import Conflict, Merged, bring_up_to_date, merge, resolve
from .paths import FieldError, html_id
from .redline import draft_redline, draft_redline_page
from .release import DraftRelease, release_draft, undo_release
from .yamltree import LayoutError

__all__ = [
    "REASONS", "Acknowledgement", "Conflict", "Draft", "DraftCheck", "DraftError",
    "DraftRelease", "DraftStateError", "Edit", "Event", "FieldError", "Finding", "Form",
    "FormField", "LayoutError", "Merged", "NotAllowed", "NotApprover", "NotAuthor", "Part",
    "Person", "Problem", "Published", "Reference", "ReleasePlan", "SelfApproval", "Status",
    "Step", "apply_edits", "approve", "bring_up_to_date", "check_draft", "draft_redline",
    "draft_redline_page", "edit", "edit_fields", "field_at", "form", "html_id", "merge",
    "plan_release", "published_as", "ready", "references", "release_draft", "release_failed",
    "resolve", "resolve_conflict", "return_draft", "start", "submit", "undo_release", "update",
    "validation_problems", "value_from_form",
]
