"""Starting: `serve`, the Procfile's `web` process and `socket` check once, before anything
starts, that the database is at the newest migration and that Slack answers the tokens; if
not, they say so in one line and exit, instead of restarting workers (or retrying) forever."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import create_app
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
        os.killpg(process.pid, signal.SIGKILL)
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


@pytest.mark.parametrize("command", ["serve", "socket"])
def test_slack_out_of_reach_is_one_line_and_exit_1(tmp_path, migrated, command):
    url = f"http://127.0.0.1:{closed_port()}/api/"
    env = {**web_env(migrated, url), "SLACK_APP_TOKEN": APP_TOKEN}

    status, lines = mentorbot(command, cwd=tmp_path, env=env)

    assert status == 1
    assert len(lines) == 1, "\n".join(lines)
    assert lines[0].startswith(f"mentorbot: Slack is unreachable at {url} ("), lines[0]
    assert TOKEN not in lines[0]


def test_slack_failing_the_call_itself_is_one_line_and_exit_1(tmp_path, migrated, stand_in):
    stand_in.server_error("auth.test", status=503, performed=False, times=3)  # and retries

    status, lines = mentorbot("serve", cwd=tmp_path, env=web_env(migrated, stand_in.url))

    assert status == 1
    assert lines == [
        "mentorbot: Slack could not answer auth.test (HTTP 503); try again in a minute"
    ]


@pytest.mark.parametrize("command", ["serve", "socket"])
def test_a_bot_token_slack_refuses_is_one_line_and_exit_2(tmp_path, migrated, stand_in, command):
    stand_in.fail("auth.test", "invalid_auth")
    env = {**web_env(migrated, stand_in.url), "SLACK_APP_TOKEN": APP_TOKEN}

    status, lines = mentorbot(command, cwd=tmp_path, env=env)

    assert status == 2
    assert len(lines) == 1, "\n".join(lines)
    assert lines[0].startswith("mentorbot: SLACK_BOT_TOKEN: Slack refused it (invalid_auth)")
    assert TOKEN not in lines[0]


def test_an_app_token_slack_refuses_is_one_line_and_exit_2(tmp_path, migrated, stand_in):
    stand_in.fail("apps.connections.open", "invalid_auth")
    env = {**web_env(migrated, stand_in.url), "SLACK_APP_TOKEN": APP_TOKEN}

    status, lines = mentorbot("socket", cwd=tmp_path, env=env)

    assert status == 2
    assert len(lines) == 1, "\n".join(lines)
    assert lines[0].startswith("mentorbot: SLACK_APP_TOKEN: Slack refused it (invalid_auth)")
    assert APP_TOKEN not in lines[0]
    assert [call.method for call in stand_in.calls] == ["auth.test", "apps.connections.open"]


def test_bolt_has_nothing_to_warn_about_when_the_token_is_in_the_environment(
    settings, engine, monkeypatch, caplog
):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself, beside the client it is given."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)

    with caplog.at_level(logging.WARNING):
        app, deps = create_app(settings, engine=engine)

    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert app.client.token == TOKEN
    assert os.environ["SLACK_BOT_TOKEN"] == TOKEN
    deps.background.shutdown()
