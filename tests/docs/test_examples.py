"""Every shell example of the README and the manual runs as written, in a
scratch copy of the repository (see tests/docs/examples.py for the rule)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ROOT
from tests.docs.examples import Example, Scratch, examples, pages

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("examples")]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    """One scratch copy for every example."""
    copy = Scratch(tmp_path_factory.mktemp("examples"))
    yield copy
    copy.close()


# Every example of every page, builds included, in one test: under 3 minutes
# on a quiet machine, over 5 on one loaded with other work (load 12).
@pytest.mark.timeout(900)
def test_every_shell_example_runs_as_written(scratch: Scratch) -> None:
    # In reading order, page after page, as a reader would run them: an
    # operations page may rely on the service having been started before.
    failures = []
    for path in pages():
        page = path.relative_to(ROOT).as_posix()
        for example in examples(path.read_text(encoding="utf-8"), page):
            failure = scratch.run(example)
            if failure is not None:
                failures.append(str(failure))
    assert failures == [], "\n\n".join(failures)


def test_an_example_naming_a_release_a_fresh_clone_lacks_fails(scratch: Scratch) -> None:
    # The README once showed `diff git:v1.0 ...`, which fails in a fresh clone (no tags).
    example = Example("README.md", 1, "complaints-code diff git:v1.0\n", "run")
    failure = scratch.run(example)
    assert failure is not None and "exit status 2, not 0" in failure.why
