"""Run the `mentorbot` command the way an operator does: a fresh process, a bare environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_mentorbot(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `cwd` with only PATH and `env` set, so nothing else leaks in.

    Pass a `cwd` without a `.env` unless the test is about reading one.
    """
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={"PATH": os.environ.get("PATH", os.defpath), **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
