"""Property-based tests of the settings loader: random TOML values of every
type at every setting, and random environment text. Whatever comes, the
answer is settings (each value of its field's own type) or a SettingsError
with short messages, never another exception.

Derandomised (the same examples every run) and without deadlines (the
machine is shared), as in tests/cli/test_properties.py."""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints_code.settings import Settings, SettingsError, load_settings
from complaints_code.settings.env import setting_paths

PROPERTIES = settings(derandomize=True, deadline=None, database=None,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PATHS = sorted(setting_paths(Settings()))
"""Every setting's key path (and every section's)."""
KEY = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz-_"), min_size=1, max_size=8)
SCALARS = st.one_of(
    st.booleans(), st.integers(-(10 ** 20), 10 ** 20), st.integers(0, 400),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["", " ", "40", "true", "1.5", "x" * 300, "\x00", "\u202e", "~/x"]),
    st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEY, inner, max_size=3)), max_leaves=8)


def toml(value: Any) -> str:
    """A value written as TOML (inline tables and arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | dt.date):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") \
            if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return '"' + "".join(_char(c) for c in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{toml(k)} = {toml(v)}" for k, v in value.items()) + "}"


def _char(c: str) -> str:
    if c in '"\\':
        return "\\" + c
    return f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c


def declared(path: tuple[str, ...]) -> Any:
    """The annotation of the field at ``path`` (None inside a table's entries)."""
    model: Any = Settings
    annotation: Any = None
    for part in path:
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            return None
        annotation = fields[part].annotation
        model = annotation
    return annotation


def check_problems(found: list[str]) -> None:
    assert found
    for line in found:
        assert isinstance(line, str) and line.strip()
        assert len(line) < 700, line  # values are quoted at about 80 characters


@pytest.mark.slow
@settings(PROPERTIES, max_examples=150)
@given(st.lists(st.tuples(st.sampled_from(PATHS), VALUES), min_size=1, max_size=3))
def test_any_toml_value_at_any_setting_gives_settings_or_clear_problems(
        entries: list[tuple[tuple[str, ...], Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "complaints-code.toml"
        # Top-level keys must come before any [table]: write them first.
        lines = [f"{p[0]} = {toml(v)}\n" for p, v in entries if len(p) == 1]
        lines += [f"[{'.'.join(p[:-1])}]\n{p[-1]} = {toml(v)}\n" for p, v in entries
                  if len(p) > 1]
        config.write_text("".join(lines), encoding="utf-8")
        try:
            loaded = load_settings(config, environ={})
        except SettingsError as exc:
            check_problems(exc.problems)
            return
    for path, value in entries:
        annotation = declared(path)
        if annotation in (int, float, int | None, float | None):
            assert not isinstance(value, bool), (path, value)  # true is not a number
        if annotation is bool:
            assert isinstance(value, bool), (path, value)  # 1 is not true
    assert isinstance(loaded, Settings)


ENV_TEXT = st.one_of(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]),
                             max_size=40),
                     st.sampled_from(["", " ", "0", "-1", "true", "False", "[]", "{}", "[1, 2]",
                                      '{"a": 1}', "null", "1e400", "9" * 40, "[" * 300]))


@pytest.mark.slow
@settings(PROPERTIES, max_examples=100)
@given(st.dictionaries(st.one_of(
    st.sampled_from(PATHS).map(lambda p: "COMPLAINTS_CODE_" + "__".join(p).upper()),
    st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ_"), max_size=20).map(
        lambda t: "COMPLAINTS_CODE_" + t)), ENV_TEXT.filter(lambda t: "\x00" not in t),
    min_size=1, max_size=3))
def test_any_environment_gives_settings_or_clear_problems(environ: dict[str, str]) -> None:
    try:
        loaded = load_settings(environ=environ, search=False)
    except SettingsError as exc:
        check_problems(exc.problems)
        assert all(name in "\n".join(exc.problems) for name, value in environ.items()
                   if not value.strip() and declared_env(name))
        return
    for warning in loaded.warnings:
        assert "is not a setting, so it is ignored" in warning


def declared_env(name: str) -> bool:
    """Whether a variable names a setting (its path leads to a field)."""
    parts = tuple(name.removeprefix("COMPLAINTS_CODE_").lower().split("__"))
    return parts in set(PATHS)
