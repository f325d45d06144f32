"""The dependency rule: the pure core imports no adapter, no I/O framework and no clock."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
CORE_ALLOWED_THIRD_PARTY = {"rank_bm25", "Stemmer", "numpy"}
CORE_FORBIDDEN_STDLIB = {"asyncio", "os", "socket", "subprocess", "sqlite3", "smtplib", "imaplib", "urllib",
                         "http", "time", "random", "pathlib", "shutil", "tempfile", "logging"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _allowed_outside_stdlib(top: str, stdlib: frozenset[str]) -> bool:
    return top in stdlib or top in CORE_ALLOWED_THIRD_PARTY or top == "__future__"


def test_core_imports_only_core_stdlib_and_its_pure_libraries() -> None:
    import sys

    offenders = []
    for path in sorted((BOT / "core").rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if name.startswith("bot."):
                if not (name.startswith("bot.core") or name == "bot.errors"):
                    offenders.append(f"{path.name}: {name}")
            elif top in CORE_FORBIDDEN_STDLIB or not _allowed_outside_stdlib(top, sys.stdlib_module_names):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_datetime_now_is_never_called_in_core() -> None:
    for path in (BOT / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert ".now(" not in text and ".today(" not in text, path.name


def test_service_imports_no_adapter() -> None:
    assert not any(n.startswith("bot.adapters") for n in _imports(BOT / "service.py"))


def test_every_module_has_a_docstring() -> None:
    missing = [str(p.relative_to(BOT)) for p in BOT.rglob("*.py")
               if ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None]
    assert missing == []
