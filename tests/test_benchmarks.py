"""The benchmark scripts still run against the code as it is laid out now.

They are not run by the suite (minutes each), so a moved module or a moved data file would
break them unseen (it did: benchmarks/accuracy.py read train.csv from a folder that moved).
Each is imported for real here, and every file path it names at module level must exist.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SCRIPTS = sorted(path for path in BENCHMARKS.glob("*.py"))


def _import(path: Path) -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(f"benchmark_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up while defined
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.mark.parametrize("script", SCRIPTS, ids=[path.name for path in SCRIPTS])
def test_a_benchmark_imports_and_its_paths_exist(script: Path) -> None:
    module = _import(script)
    assert callable(getattr(module, "main", None)), f"{script.name} has no main()"
    named = {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, Path) and name.isupper() and value.suffix
    }
    missing = {name: str(value) for name, value in named.items() if not value.exists()}
    assert not missing, f"{script.name} names files that do not exist: {missing}"
