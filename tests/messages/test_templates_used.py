"""Every template in prompts/ is rendered by some code, and every name code renders exists.

The scan reads bot/ as Python syntax: `render.parts("NAME", ...)` and `render.text("NAME", ...)`
name one template. `render.text(f"errors/{...}")` and `render.names("FOLDER")` (which lists a
folder's templates) stand for every file in that folder; for errors/ and usage/ the codes and
commands the code uses are then checked one by one. A name held in a variable can only be read
in a module that gets its names from `render.names`; anywhere else the scan fails on it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jinja2 import meta

import bot
from bot.messages.render import PROMPTS, environment

BOT = Path(bot.__file__).resolve().parent
SOURCES = sorted(BOT.rglob("*.py"))


@dataclass
class Scan:
    names: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    unreadable: list[str] = field(default_factory=list)
    # code -> keyword names given at each `UserError(code, ...)`; None where `**values` is passed.
    error_codes: dict[str, list[set[str] | None]] = field(default_factory=dict)
    commands: set[str] = field(default_factory=set)


def _constant(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _render_function(call: ast.Call) -> str | None:
    """`parts`, `text` or `names` for a call of `render.parts(...)` and so on."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.attr if func.value.id == "render" else None
    return None


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _template_name(argument: ast.expr, scan: Scan, where: str, *, listed: bool) -> None:
    if (name := _constant(argument)) is not None:
        scan.names.add(name)
        return
    if isinstance(argument, ast.JoinedStr) and argument.values:
        prefix = _constant(argument.values[0]) or ""
        if "/" in prefix:
            scan.folders.add(prefix.rsplit("/", 1)[0])
            return
    if listed and isinstance(argument, ast.Name):
        return
    scan.unreadable.append(f"{where}: {ast.unparse(argument)}")


def _list_folder(argument: ast.expr, scan: Scan, where: str) -> None:
    if (folder := _constant(argument)) is not None:
        scan.folders.add(folder)
    else:
        scan.unreadable.append(f"{where}: render.names({ast.unparse(argument)})")


def scan_source(source: str, filename: str = "<source>", scan: Scan | None = None) -> Scan:
    scan = scan or Scan()
    calls = [
        node
        for node in ast.walk(ast.parse(source, filename))
        if isinstance(node, ast.Call) and node.args
    ]
    listed = any(_render_function(call) == "names" for call in calls)
    for node in calls:
        where = f"{filename}:{node.lineno}"
        first = node.args[0]
        function = _render_function(node)
        if function == "names":
            _list_folder(first, scan, where)
        elif function in {"parts", "text"}:
            _template_name(first, scan, where, listed=listed)
        elif _called_name(node) == "UserError":
            if (code := _constant(first)) is None:
                scan.unreadable.append(f"{where}: UserError({ast.unparse(first)})")
                continue
            given = {kw.arg for kw in node.keywords}
            scan.error_codes.setdefault(code, []).append(None if None in given else given)
        elif _called_name(node) == "command" and (_constant(first) or "").startswith("/"):
            scan.commands.add(_constant(first))
    return scan


@pytest.fixture(scope="module")
def scan() -> Scan:
    found = Scan()
    for path in SOURCES:
        scan_source(path.read_text(), str(path.relative_to(BOT.parent)), found)
    return found


def template_files(folder: str = "") -> set[str]:
    root = PROMPTS / folder
    return {path.relative_to(root).with_suffix("").as_posix() for path in root.rglob("*.j2")}


def included_by_templates() -> set[str]:
    """Templates named by `{% include %}`, `{% extends %}` or `{% import %}` in other templates."""
    names = set()
    for name in template_files():
        tree = environment().parse((PROMPTS / f"{name}.j2").read_text())
        for included in meta.find_referenced_templates(tree):
            assert included is not None, f"{name}.j2 includes a template by a computed name"
            names.add(included.removesuffix(".j2"))
    return names


def template_variables(name: str) -> set[str]:
    return meta.find_undeclared_variables(environment().parse((PROMPTS / f"{name}.j2").read_text()))


def test_the_scan_reads_every_way_code_names_a_template():
    found = scan_source(
        "render.parts('welcome', **values)\n"
        "render.text(f'usage/{command}')\n"
        "render.text(name)\n"
        "raise UserError('no_pair')\n"
        "raise UserError('goal_too_long', length=1, limit=2)\n"
        "raise UserError(code)\n"
        "app.command('/mentor-help')(handler)\n"
        "sa.text('status != 1')\n"
    )
    assert found.names == {"welcome"}
    assert found.folders == {"usage"}
    assert found.error_codes == {"no_pair": [set()], "goal_too_long": [{"length", "limit"}]}
    assert found.commands == {"/mentor-help"}
    assert [line.split(": ")[1] for line in found.unreadable] == ["name", "UserError(code)"]


def test_the_scan_reads_names_listed_from_a_folder():
    found = scan_source("topics = render.names('topics')\nrender.text(topic)\n")
    assert found.folders == {"topics"}
    assert found.unreadable == []
    found = scan_source("render.names(folder)\nrender.text(topic.name)\n")
    assert len(found.unreadable) == 2


def test_code_names_its_templates_in_ways_the_scan_can_read(scan):
    assert scan.names, "found no render.parts/render.text calls in bot/"
    assert scan.unreadable == []


def test_no_template_is_an_orphan(scan):
    used = scan.names | included_by_templates()
    orphans = {
        name
        for name in template_files()
        if name not in used and not any(name.startswith(f"{folder}/") for folder in scan.folders)
    }
    assert orphans == set(), "templates no code renders"


def test_every_template_code_renders_exists(scan):
    assert scan.names - template_files() == set()
    for folder in scan.folders:
        assert template_files(folder), f"code renders from prompts/{folder}/, which is empty"


def test_every_user_error_code_has_a_template(scan):
    assert scan.error_codes, "found no UserError(...) in bot/"
    assert set(scan.error_codes) - template_files("errors") == set()


def test_every_error_template_is_raised_somewhere(scan):
    assert template_files("errors") - set(scan.error_codes) == set()


def test_every_error_is_raised_with_the_values_its_template_prints(scan):
    short = {}
    for code, sites in scan.error_codes.items():
        needed = template_variables(f"errors/{code}") - {"command"}
        for given in sites:
            if given is not None and needed - given:
                short.setdefault(code, set()).update(needed - given)
    assert short == {}


def test_every_command_has_a_usage_template_and_no_other(scan):
    assert scan.commands, "found no app.command('/...') in bot/"
    assert {command.lstrip("/") for command in scan.commands} == template_files("usage")
