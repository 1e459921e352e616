"""Starting: `serve` and the Procfile's `web` process check once, before anything starts,
that the database is at the newest migration; if not, they say so in one line and exit,
instead of restarting workers forever."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.demo.slack_requests import SIGNING_SECRET
from bot.demo.stand_in import TOKEN, SlackStandIn
from bot.schema import head_revision, upgrade
from tests.helpers_cli import ROOT

APP_TOKEN = "xapp-1-A0MENTORBOT-1-stand-in"
# Long enough for a Python process to start and stop; gunicorn restarting workers that
# cannot start would run past it.
PATIENCE = 30


def start(command: list[str], *, cwd: Path, env: dict[str, str]) -> tuple[int, list[str]]:
    """Run `command` with only PATH, this checkout's code and `env`; its exit status and
    the lines it wrote to standard error. Still running after PATIENCE seconds, it is
    stopped (with every process it started) and the test fails."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', os.defpath)}"
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={"PATH": path, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so its workers are stopped with it
    )
    try:
        _, stderr = process.communicate(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        _, stderr = process.communicate()
        pytest.fail(f"still running after {PATIENCE} s; it wrote:\n{stderr[-3000:]}")
    return process.returncode, stderr.splitlines()


def mentorbot(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, list[str]]:
    return start([sys.executable, "-m", "bot", *args], cwd=cwd, env=env)


def ours(lines: list[str]) -> list[str]:
    """The lines mentorbot wrote itself (not gunicorn's log lines)."""
    return [line for line in lines if line.startswith("mentorbot:")]


@pytest.fixture
def unmigrated(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'new.db'}"


@pytest.fixture
def migrated(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ready.db'}"
    upgrade(url)
    return url


@pytest.fixture
def stand_in() -> Iterator[SlackStandIn]:
    slack = SlackStandIn().start()
    yield slack
    slack.stop()


def closed_port() -> int:
    """A local port nothing listens on: Slack out of reach."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def web_env(database_url: str, slack_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_url,
    }


NOT_MIGRATED = (
    f"mentorbot: DATABASE_URL: the database is at revision none, not {head_revision()};"
    " run `mentorbot migrate`"
)


def test_serve_before_migrate_says_so_once_and_exits_2(tmp_path, unmigrated, stand_in):
    status, lines = mentorbot(
        "serve", "--host", "127.0.0.1", "--port", "0", cwd=tmp_path,
        env=web_env(unmigrated, stand_in.url),
    )  # fmt: skip

    assert status == 2
    assert lines == [NOT_MIGRATED]  # no gunicorn master, no worker started
    assert stand_in.calls == []


def test_the_procfile_web_process_before_migrate_says_so_once_and_exits_2(
    tmp_path, unmigrated, stand_in
):
    web = next(
        line.removeprefix("web:").strip()
        for line in (ROOT / "Procfile").read_text().splitlines()
        if line.startswith("web:")
    )
    env = {**web_env(unmigrated, stand_in.url), "PORT": "0", "WEB_CONCURRENCY": "2"}

    status, lines = start(["sh", "-c", web], cwd=tmp_path, env=env)

    assert status == 2, "\n".join(lines)
    assert ours(lines) == [NOT_MIGRATED]
    assert not [line for line in lines if "Booting worker" in line], "\n".join(lines)
