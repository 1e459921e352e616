"""A regular install works, not only the editable one: the wheel built from this tree
ships every module, prompt and migration, and the copy installed from it plays the demo
and migrates a database from a directory that is not the checkout.

The wheel is built without build isolation (no network: this environment's setuptools,
from the `dev` extra) from a copy of the tree, so no stale build/ folder can hide a gap.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.models import Base
from bot.schema import head_revision

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done.stdout


def pip(*args: str | Path, cwd: Path) -> str:
    return run(sys.executable, "-m", "pip", *args, "--no-deps", "--no-index", "--quiet", cwd=cwd)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scratch = tmp_path_factory.mktemp("wheel")
    source = scratch / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".*", "__pycache__", "*.egg-info", "build", "dist", "venv", "*.db", "tests"
        ),
    )
    pip("wheel", "--no-build-isolation", "--wheel-dir", scratch / "dist", source, cwd=scratch)
    (built,) = (scratch / "dist").glob("mentorbot-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the wheel's installed files, for PYTHONPATH."""
    target = tmp_path_factory.mktemp("installed")
    pip("install", "--target", target, wheel, cwd=target)
    return target


def elsewhere(installed: Path, tmp_path: Path, **extra: str) -> tuple[Path, dict[str, str]]:
    """An empty working directory (no checkout, no .env) and an environment whose `bot`
    is the installed copy and nothing else; run Python there with `PYTHON`."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    site_packages = dict.fromkeys(sysconfig.get_path(key) for key in ("purelib", "platlib"))
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(installed), *site_packages]),
        **extra,
    }
    return cwd, env


# -S: no .pth files, so the editable install's import finder is not there to hand out the
# checkout's modules for any the wheel lacks; the dependencies come from PYTHONPATH.
PYTHON = (sys.executable, "-S")


def test_the_wheel_ships_every_module_prompt_and_migration(wheel: Path) -> None:
    shipped = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        *(path.relative_to(ROOT).as_posix() for path in (ROOT / "bot").rglob("*.py")),
        *(
            "bot/" + path.relative_to(ROOT).as_posix()
            for top, pattern in (("prompts", "*.j2"), ("migrations", "*.py"))
            for path in (ROOT / top).rglob(pattern)
        ),
        "bot/migrations/script.py.mako",
    }
    assert "bot/prompts/welcome.j2" in wanted
    assert "bot/migrations/env.py" in wanted
    assert sorted(wanted - shipped) == []


def test_the_installed_copy_reads_its_own_prompts_and_migrations(
    installed: Path, tmp_path: Path
) -> None:
    cwd, env = elsewhere(installed, tmp_path)
    out = run(
        *PYTHON,
        "-c",
        "import bot, bot.messages.render as r, bot.schema as s;"
        " print(bot.__file__, r.PROMPTS, s.MIGRATIONS, sep='\\n')",
        cwd=cwd,
        env=env,
    )
    assert out.split() == [
        str(installed / "bot" / "__init__.py"),
        str(installed / "bot" / "prompts"),
        str(installed / "bot" / "migrations"),
    ]


def test_the_installed_copy_plays_the_demo(installed: Path, tmp_path: Path) -> None:
    cwd, env = elsewhere(installed, tmp_path)
    out = run(*PYTHON, "-m", "bot", "demo", "--weeks", "1", cwd=cwd, env=env)
    assert "You've been paired for mentoring" in out  # prompts/welcome.j2


def test_the_installed_command_migrates_a_database(installed: Path, tmp_path: Path) -> None:
    database = tmp_path / "installed.db"
    cwd, env = elsewhere(installed, tmp_path, DATABASE_URL=f"sqlite:///{database}")
    out = run(*PYTHON, installed / "bin" / "mentorbot", "migrate", cwd=cwd, env=env)
    assert out.strip() == f"database is at revision {head_revision()}"
    engine = sa.create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            revision = connection.scalar(sa.text("select version_num from alembic_version"))
            tables = set(sa.inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert revision == head_revision()
    assert set(Base.metadata.tables) <= tables
