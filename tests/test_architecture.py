"""The layers of docs/architecture.md hold (issue 16): the import contracts pass, no import hides
inside a function without a reason, and every module of the project sits in a layer."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("shop", "content", "features")


def _contract(contract_id: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["id"] == contract_id)


def test_the_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _function_imports():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            lines = path.read_text().splitlines()
            for node in ast.walk(ast.parse("\n".join(lines))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Import | ast.ImportFrom):
                        yield relative, sub.lineno, lines


def test_every_import_inside_a_function_says_why():
    unexplained = []
    for relative, lineno, lines in _function_imports():
        line, above = lines[lineno - 1], lines[lineno - 2].strip()
        # The comment sits on the line above, or above the block of imports it explains.
        block_start = lineno - 2
        while block_start > 0 and (
            not lines[block_start].strip()
            or lines[block_start].strip().startswith(("from ", "import "))
        ):
            block_start -= 1
        explained = (
            "#" in line or above.startswith("#") or lines[block_start].strip().startswith("#")
        )
        if not explained:
            unexplained.append(f"{relative}:{lineno}: {line.strip()}")
    assert unexplained == []


def test_every_module_of_the_shop_package_is_in_a_layer():
    layered = {
        module.strip()
        for layer in _contract("layers")["layers"]
        for module in layer.replace("|", ":").split(":")
    }
    modules = {
        f"shop.{path.stem if path.is_file() else path.name}"
        for path in (ROOT / "shop").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert modules - layered == set()
