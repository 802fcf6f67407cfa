"""MkDocs hooks of the internal manual (``docs/manual.yml``).

- The decision records live in ``docs/dev/decisions/`` (beside the code they
  explain, outside the manual's docs_dir): each ``NNNN-title.md`` there is
  added as the page ``decisions/NNNN-title.md``, listed in number order under
  "Decision records" at the end of the Developers part of the navigation, so
  a new record appears without editing the navigation.
- ``legal/findings.md`` lists every rule of the check, generated from
  ``src/complaints_code/legal/lint/rules.yaml``.
- ``operations/settings-reference.md`` is generated from the settings model
  and its docstrings (:mod:`complaints_code.settings.reference`), so it
  cannot drift from the program.

MkDocs loads this file by path, hence the absolute imports.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from complaints_code.legal.lint.rules import Rule, all_rules
from complaints_code.settings import reference

DECISIONS = Path(__file__).resolve().parent / "dev" / "decisions"
"""Where the decision records are kept."""
SETTINGS_PAGE = "operations/settings-reference.md"
RULES_PAGE = "legal/findings.md"
DEVELOPERS = "Developers"
"""The part of the navigation the decision records are listed in."""
_RECORD = re.compile(r"^\d{4}-[a-z0-9-]+\.md$")


def records() -> list[Path]:
    """The decision records, in number order."""
    return sorted(p for p in DECISIONS.glob("*.md") if _RECORD.match(p.name))


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """List the decision records in the Developers part of the navigation."""
    listed = [{_title(p): f"decisions/{p.name}"} for p in records()]
    for part in config.nav or []:
        if isinstance(part, dict) and DEVELOPERS in part:
            part[DEVELOPERS].append({"Decision records": listed})
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the decision records and the generated settings reference."""
    for path in records():
        files.append(File.generated(config, f"decisions/{path.name}", abs_src_path=str(path)))
    files.append(File.generated(config, SETTINGS_PAGE, content=reference.markdown()))
    files.append(File.generated(config, RULES_PAGE, content=rules_markdown()))
    return files


def _title(path: Path) -> str:
    """The record's title: its first heading, e.g. "0001. liblouis, not pybraille"."""
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    return first.lstrip("# ").strip() or path.stem


def rules_markdown() -> str:
    """Every rule of ``complaints-code check``, as the legal team reads it."""
    lines = ["# The rules", "",
             "Every finding of `complaints-code check`, generated from the rules file "
             "(`src/complaints_code/legal/lint/rules.yaml`). Words in brackets, like "
             "[name], are filled in with what the check found. A rule with dates applies "
             "only to a Code whose effective date (or `--as-of` date) falls between them.", ""]
    for rule in all_rules():
        lines += [f"## {rule.id}{_dates(rule)}", "",
                  f"**{rule.severity.value}**: {_fields(rule.message)}", "",
                  f"From: {rule.reference}.", ""]
    return "\n".join(lines)


def _dates(rule: Rule) -> str:
    if rule.applies_from and rule.applies_until:
        return f" ({rule.applies_from:%-d %B %Y} to {rule.applies_until:%-d %B %Y})"
    if rule.applies_from:
        return f" (from {rule.applies_from:%-d %B %Y})"
    if rule.applies_until:
        return f" (until {rule.applies_until:%-d %B %Y})"
    return ""


def _fields(message: str) -> str:
    return re.sub(r"\{(\w+)\}", r"\\[\1\\]", " ".join(message.split()))
