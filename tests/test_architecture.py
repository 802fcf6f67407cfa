"""The shape of the package: the folders are the import contract and the
developers' map, few modules stand loose at the top, no module is long, and
every import inside a function is a documented lazy import of a heavy
engine. Each check names every offender at once, with its file."""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "complaints_code"
MAP = ROOT / "docs" / "manual" / "developers" / "index.md"
MAX_LINES = 400
MAX_LOOSE = 5
LAZY = re.compile(r"#\s*lazy:\s*\S")
"""The marker a function-level import carries, on its line or the line above
(above a block of imports, it covers the block): ``# lazy: <why>`` (a heavy
engine, and what needs it)."""
IMPORT_LINE = re.compile(r"\s*(from\s+\S+\s+)?import\s")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _where(path: Path, line: int | None = None) -> str:
    name = path.relative_to(ROOT).as_posix()
    return name if line is None else f"{name}:{line}"


def _top_level() -> set[str]:
    """The package's top-level packages and loose modules (not ``__main__``)."""
    found = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    found |= {p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    return found


def _layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"]
                    if c["type"] == "layers")
    return [sorted(p.strip().removeprefix("complaints_code.") for p in line.split("|"))
            for line in contract["layers"]]


def test_no_module_is_over_400_lines() -> None:
    long = [f"{_where(p)}: {n} lines" for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not long, (f"modules over {MAX_LINES} lines; split them along a seam "
                      "(a concept of their own):\n  " + "\n  ".join(long))


def test_at_most_five_modules_stand_loose_at_the_top_of_the_package() -> None:
    loose = sorted(_where(p) for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert len(loose) <= MAX_LOOSE, (
        f"{len(loose)} modules stand loose in src/complaints_code (at most {MAX_LOOSE}); "
        "move one into the package of its concept:\n  " + "\n  ".join(loose))


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _nested_imports(node: ast.AST, nested: bool = False) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports not at module level: inside a function, lambda or class
    (``if TYPE_CHECKING:`` blocks, which never run, left out)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _type_checking(child):
            yield from (i for n in child.orelse for i in _nested_imports(n, nested))
            continue
        if isinstance(child, ast.Import | ast.ImportFrom) and nested:
            yield child
        inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef
                                     | ast.Lambda | ast.ClassDef)
        yield from _nested_imports(child, inner)


def _marked(lines: list[str], index: int) -> bool:
    """Whether the import on ``lines[index]`` carries the lazy marker: on its
    line, or opening the comment above it or above the block of imports it
    is in (which may have blank lines between its groups)."""
    if LAZY.search(lines[index]):
        return True
    index -= 1
    while index >= 0 and (IMPORT_LINE.match(lines[index]) or not lines[index].strip()):
        index -= 1
    comment = []
    while index >= 0 and lines[index].strip().startswith("#"):
        comment.insert(0, lines[index].strip())
        index -= 1
    return bool(comment) and LAZY.match(comment[0]) is not None


def test_imports_inside_functions_are_marked_lazy_with_a_reason() -> None:
    unmarked = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in _nested_imports(ast.parse(text, str(path))):
            if not _marked(lines, node.lineno - 1):
                unmarked.append(f"{_where(path, node.lineno)}: {lines[node.lineno - 1].strip()}")
    assert not unmarked, (
        "imports inside functions; move each to the top of its module (fix the "
        "layering if that makes a cycle), or, for a heavy engine only, mark it "
        "with `# lazy: <why>` on its line or the line above:\n  " + "\n  ".join(unmarked))


def test_the_layers_contract_names_exactly_the_top_level_packages() -> None:
    named = [name for layer in _layers() for name in layer]
    top = _top_level()
    problems = [f"{n}: named more than once" for n in sorted({n for n in named
                                                              if named.count(n) > 1})]
    problems += [f"{n}: in src/complaints_code but in no layer" for n in sorted(top - set(named))]
    problems += [f"{n}: a layer, but no such package or module" for n in sorted(set(named) - top)]
    assert not problems, ("pyproject.toml's layers contract and the folders of "
                          "src/complaints_code differ:\n  " + "\n  ".join(problems))


def _mapped() -> list[list[str]]:
    page = MAP.read_text(encoding="utf-8")
    table = page.split("## The map", 1)[1].split("\n\n", 2)[1]
    rows = [line.split("|")[2] for line in table.splitlines()[2:]]
    return [sorted(cell.strip().strip("`") for cell in row.split(",")) for row in rows]


def test_the_developers_map_lists_the_layers_of_the_import_contract() -> None:
    layers, mapped = _layers(), _mapped()
    problems = [f"row {i}: the map has {', '.join(m) or 'nothing'}; the contract has "
                f"{', '.join(c) or 'nothing'}"
                for i, (m, c) in enumerate(zip(mapped, layers, strict=False), start=1) if m != c]
    if len(mapped) != len(layers):
        problems.append(f"the map has {len(mapped)} rows; the contract {len(layers)} layers")
    assert not problems, (f"{_where(MAP)} and pyproject.toml's layers contract differ:\n  "
                          + "\n  ".join(problems))
