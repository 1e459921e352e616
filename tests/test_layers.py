"""The shape of the code, as DESIGN.md draws it: layers import downward only
(listeners → flows → services → models), listeners hold no SQL, and one module owns the
pair's status. Read from the source, so a change that breaks a rule fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"

# What each layer may not import (a prefix of a module's dotted name).
FORBIDDEN = {
    "models": (
        "bot.services",
        "bot.flows",
        "bot.listeners",
        "bot.rhythm",
        "slack_sdk",
        "slack_bolt",
    ),
    "services": (
        "bot.flows",
        "bot.listeners",
        "bot.rhythm",
        "bot.slack",
        "slack_sdk",
        "slack_bolt",
    ),
    "flows": ("bot.listeners",),
    # Messages are on the side: they may name the services' plain value types.
    "messages": ("bot.flows", "bot.listeners", "bot.rhythm", "sqlalchemy"),
    "listeners": ("sqlalchemy", "bot.services", "bot.models.base", "bot.db"),
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def modules(layer: str) -> list[Path]:
    return sorted((BOT / layer).glob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layers_import_downward_only(layer):
    wrong = {
        f"{path.name}: {name}"
        for path in modules(layer)
        for name in imports_of(path)
        if name.startswith(FORBIDDEN[layer])
    }
    assert wrong == set()


def test_listeners_hold_no_sql_and_no_block_kit():
    for path in modules("listeners"):
        text = path.read_text()
        assert "session.get" not in text and "sa.select" not in text, path.name
        assert '"type": "section"' not in text and "slack_sdk.models" not in text, path.name


def test_only_the_lifecycle_module_assigns_a_pairs_status():
    assigning = re.compile(
        r"\bpair\.status\s*(?:,[^=\n]*)?=(?!=)|values\([^)]*\bstatus=(?!Outbox|Agreement)"
    )
    owners = {
        str(path.relative_to(BOT))
        for path in BOT.rglob("*.py")
        if assigning.search(path.read_text())
    }
    assert owners == {"services/lifecycle.py"}


def test_the_app_runs_on_no_test_double():
    """The stand-in and the request signer serve the demo and the tests only."""
    wrong = {
        f"{path.relative_to(BOT)}: {name}"
        for path in BOT.rglob("*.py")
        if "demo" not in path.relative_to(BOT).parts and path.name != "cli.py"
        for name in imports_of(path)
        if name.startswith("bot.demo")
    }
    assert wrong == set()
