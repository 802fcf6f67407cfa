"""YAML syntax errors in the legal team's words.

The YAML reader reports what its parser expected ("expected <block end>, but
found '?'"), which means nothing to a reader who is not a programmer.
:func:`explain` turns such a message into what usually causes it and how to
fix it; the parser's own words are kept in brackets for whoever helps.
"""

from __future__ import annotations

import re

_EXPLAINED: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"found character '\\t'"),
     "there is a tab character here, and the file may only be indented with spaces",
     "replace the tab with spaces, lined up with the lines around it"),
    (re.compile(r"mapping values are not allowed"),
     "there is a colon followed by a space inside a piece of text",
     "put the whole text in double quotes, or write it as a paragraph starting with >- "
     "on the line before; or, if this starts a new field, put it on a line of its own"),
    (re.compile(r"could not find expected ':'"),
     "a field name is missing its colon, or a line that continues the text above it is "
     "indented differently",
     "put a colon and a space after the field name (for example version: \"1.1\"), and "
     "start each continued line of a text under the first one"),
    (re.compile(r"found unexpected end of stream|while scanning a quoted scalar"),
     "a quotation mark is opened but never closed",
     "close the quotes at the end of the text, or remove the opening one"),
    (re.compile(r"but found '<scalar>'"),
     "the words on this line do not fit where they are",
     "usually a quotation mark on this line or the one before is not closed (close it "
     "at the end of the text), or the line is not lined up with the lines around it"),
    (re.compile(r"did not find expected '-' indicator|expected <block end>|"
                r"did not find expected key|while parsing a block"),
     "this line is not lined up with the lines around it",
     "usually the spaces at the start of this line are one or two too many or too few, "
     "or the line before is missing the colon after its field name; line this line up "
     "with the other fields at the same level"),
    (re.compile(r"found unknown escape character|found undefined"),
     "a backslash or a special character in quoted text is not allowed here",
     "remove the backslash, or write the text without quotes"),
]

_AT_CONTEXT = re.compile(r"could not find expected ':'|found unexpected end of stream")
"""Problems found after the mistake: the parser's context (the key without its
colon, the opening quotation mark) is where the mistake is."""

_GENERAL = ("the layout of the file is broken here",
            "check the spaces at the start of this line and the line before, the colon "
            "after each field name, and that every quotation mark is closed")


def explain(problem: str, context: str = "") -> tuple[str, str]:
    """What a YAML parser's ``problem`` (found while ``context``) usually means
    and how to fix it, as (message, hint); the message ends with the parser's
    words in brackets."""
    for pattern, meaning, fix in _EXPLAINED:
        if pattern.search(f"{context} {problem}"):
            return f"{meaning} (the YAML reader says: {problem})", fix
    meaning, fix = _GENERAL
    return f"{meaning} (the YAML reader says: {problem})", fix


def at_context(problem: str) -> bool:
    """Whether the mistake behind ``problem`` is where the parser's context
    began (the field name missing its colon, the quote never closed) rather
    than where the parser noticed it."""
    return bool(_AT_CONTEXT.search(problem))
