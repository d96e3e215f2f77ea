"""The documentation holds together: every relative link and every doc the code cites exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
CITED_DOC = re.compile(r"docs/[\w-]+\.md")


def _relative_links(document: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", document.read_text(), flags=re.S)
    links = [link.split("#", 1)[0] for link in LINK.findall(text)]
    return [link for link in links if link and not re.match(r"[a-z]+:", link)]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_relative_link_resolves(document: Path) -> None:
    missing = [link for link in _relative_links(document) if not (document.parent / link).exists()]
    assert not missing, f"{document.name} links to missing files: {missing}"


def test_every_doc_the_code_cites_exists() -> None:
    sources = [
        *ROOT.glob("src/**/*.py"),
        *ROOT.glob("benchmarks/*.py"),
        *ROOT.glob("tests/**/*.py"),
    ]
    cited = {name for source in sources for name in CITED_DOC.findall(source.read_text())}
    missing = sorted(name for name in cited if not (ROOT / name).exists())
    assert not missing, f"the code cites docs that do not exist: {missing}"


def test_the_readme_stays_a_newcomer_s_page() -> None:
    readme = (ROOT / "README.md").read_text()
    assert readme.index("## Quick start") < readme.index("## Architecture")
    assert "make run" in readme and "make test" in readme
    assert len(readme.splitlines()) < 250, "move details to docs/, keep the README short"
