"""The design travels with the code: docs/ exists, and the code cites it rather than
documents kept outside the repository or issue numbers a clone does not have."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Documents the project started from, kept outside the repository, and issue numbers.
# (docs/ names its files in lower case: ``docs/api.md`` is a citation to keep.)
OUTSIDE = re.compile(
    r"\b(?:DESIGN|API|RULES|UI|STYLE)\.md|\.\./shared|shared/reference|§\s?\d"
    r"|\b[Ii]ssues? ?#?\d+|\b[Ii]ssue-\d+"
)
SKIPPED = {".venv", ".git", "tests", "node_modules", "var", "docs"}


def _python_files():
    for path in ROOT.rglob("*.py"):
        if not SKIPPED.intersection(path.relative_to(ROOT).parts):
            yield path


def citations(paths) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    return found


def test_the_design_documents_are_in_the_repository():
    """docs/ holds the architecture, the workflow, the statistics and the decisions."""
    for name in ("README.md", "architecture.md", "workflow.md", "statistics.md"):
        assert (ROOT / "docs" / name).is_file(), name


def test_no_code_cites_documents_outside_the_repository():
    """No Python file outside tests/ cites DESIGN.md, API.md, RULES.md, the shared
    folder or an issue number: the reason is written down, or docs/ is cited."""
    assert citations(_python_files()) == []


def test_the_check_finds_a_citation(tmp_path):
    """The check can fail: a docstring citing a design section is found."""
    module = tmp_path / "module.py"
    module.write_text('"""Rounds (DESIGN.md §4), see issue 12."""\n', encoding="utf-8")
    assert len(citations([module])) == 1
