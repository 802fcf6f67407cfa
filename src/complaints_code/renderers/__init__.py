"""The renderer registry: format name -> module with ``render``.

Every renderer module exposes one function with the same narrow interface::

    def render(code: Code, options: RenderOptions, out_dir: Path) -> list[Path]

It reads only the model and ``options``, writes under ``out_dir`` (the build
root, ``dist/`` by default) through :mod:`complaints_code.output`, and returns
the files it wrote. Renderers never import each other; shared helpers live in
:mod:`complaints_code.engines.html`.

Modules are imported lazily, so ``complaints-code check`` does not pay for
WeasyPrint or MkDocs. Order matters: ``web`` comes last, so that it links to
the downloads the other formats have just written.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import UsageError
from ..model import Code

REGISTRY: dict[str, str] = {
    "data": "complaints_code.renderers.data",
    "large-print": "complaints_code.renderers.large_print",
    "print": "complaints_code.renderers.print_copy",
    "braille": "complaints_code.renderers.braille",
    "web": "complaints_code.renderers.web",
}
"""Format name -> module path, in build order."""


@dataclass(frozen=True)
class RenderOptions:
    """Settings every renderer may read. Format-specific settings are data in
    ``templates/<format>/``."""

    source: Path = Path("code_source/complaints-code.yaml")
    """The source file the model was read from (for messages and watch lists)."""
    templates: Path = Path("templates")
    """The folder of templates, CSS, fonts and format settings."""
    service_url: str | None = None
    """Base URL of the copy-request and feedback service, if it is deployed."""


class Renderer(Protocol):
    """The one interface every format implements."""

    def __call__(self, code: Code, options: RenderOptions, out_dir: Path) -> list[Path]: ...


def formats() -> list[str]:
    """Every format name, in build order."""
    return list(REGISTRY)


def get(name: str) -> Renderer:
    """The renderer of a format. Raises UsageError for an unknown name."""
    if name not in REGISTRY:
        raise UsageError(f"unknown format '{name}'; choose from {', '.join(REGISTRY)}")
    module = importlib.import_module(REGISTRY[name])
    render: Renderer = module.render
    return render


def select(only: str | None) -> list[str]:
    """Format names from a comma-separated ``--only`` value, in build order."""
    if not only:
        return formats()
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    unknown = [name for name in wanted if name not in REGISTRY]
    if unknown:
        raise UsageError(f"unknown format '{unknown[0]}' in --only; choose from "
                         f"{', '.join(REGISTRY)}")
    return [name for name in REGISTRY if name in wanted]
