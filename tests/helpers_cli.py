"""Run the `mentorbot` command the way an operator does: a fresh process, a bare environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bot.demo.stand_in import TOKEN
from tests.channels import COORDINATOR_CHANNEL

ROOT = Path(__file__).resolve().parent.parent


def run_mentorbot(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `cwd` with only PATH and `env` set, so nothing else leaks in,
    running this checkout's code (installed or not, like tests/test_demo.py).

    Pass a `cwd` without a `.env` unless the test is about reading one.
    """
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={"PATH": os.environ.get("PATH", os.defpath), **(env or {}), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def cli_runner(database_url: str, slack_url: str) -> CliRunner:
    """`mentorbot` in this process, on the test database and the stand-in, with the tests'
    coordinator channel and the default programme."""
    return CliRunner(
        env={
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_API_URL": slack_url,
            "MENTORBOT_COORDINATOR_CHANNEL": COORDINATOR_CHANNEL,
            "MENTORBOT_PROGRAMME_NAME": None,
        }
    )
