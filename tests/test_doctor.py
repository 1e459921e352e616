"""`mentorbot doctor` (issue 9, item 5): one line per check, the fix on each ✗, exit 1 on
any failure, never a secret in the output. Run in-process against the Slack stand-in."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner, Result

from bot.cli import main
from bot.demo.stand_in import SlackStandIn
from bot.doctor import diagnose, healthy
from bot.schema import alembic_config, head_revision, upgrade
from bot.settings import Settings
from tests.channels import COORDINATOR_CHANNEL

BOT_TOKEN = "xoxb-doctor-bot-token-9f3a"  # the stand-in accepts any xoxb- token
SIGNING_SECRET = "0123456789abcdef0123456789ABCDEF"
APP_TOKEN = "xapp-1-A0DOCTOR-app-token-77c1"
PASSWORD = "db-password-5e1b"
CHECKS = [
    "settings",
    "database",
    "auth.test",
    "scopes",
    "coordinator channel",
    "signing secret",
    "app token",
    "calendar feeds",
]


class _Web(BaseHTTPRequestHandler):
    """A web process at its public URL: /healthz as bot.web answers it, 404 otherwise."""

    answer: ClassVar[dict] = {"status": "ok", "database": True}

    def do_GET(self) -> None:
        body = json.dumps(self.answer if self.path == "/healthz" else {"error": "x"}).encode()
        self.send_response(200 if self.path == "/healthz" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def public_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Web)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def env(
    slack: SlackStandIn,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    public_url: str,
) -> dict[str, str]:
    """A healthy install's settings, and nothing else: no setting from the process running
    the tests, no .env file (the working directory is an empty folder)."""
    aliases = {info.alias for info in Settings.model_fields.values()}
    for key in [k for k in os.environ if k.upper() in aliases]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": database_url,
        "MENTORBOT_COORDINATOR_CHANNEL": COORDINATOR_CHANNEL,
        "MENTORBOT_PUBLIC_URL": public_url,
    }


def doctor(env: dict[str, str]) -> Result:
    result = CliRunner().invoke(main, ["doctor"], env=env)
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    for secret in (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, PASSWORD):
        assert secret not in result.output
    return result


def lines(result: Result) -> dict[str, str]:
    """Each check's line, by the check's name."""
    found = {}
    for line in result.output.splitlines():
        name = line[2:].split(":", 1)[0]
        found[name] = line
    return found


def assert_fails(result: Result, name: str, *words: str, fix: str) -> str:
    """Exit 1 and `name`'s line is a ✗ with `words` and the fix `fix`; returns the line."""
    assert result.exit_code == 1, result.output
    line = lines(result)[name]
    assert line.startswith(f"✗ {name}: "), result.output
    detail, _, given = line.partition(" — fix: ")
    for word in words:
        assert word in detail, line
    assert fix in given, line
    return line


def test_a_healthy_install_passes_every_check(env: dict[str, str], slack: SlackStandIn):
    result = doctor(env)

    assert result.exit_code == 0, result.output
    found = lines(result)
    assert list(found) == CHECKS
    assert all(line.startswith("✓ ") for line in found.values()), result.output
    assert "@mentorbot in workspace Mentoring" in found["auth.test"]
    assert head_revision() in found["database"]
    assert COORDINATOR_CHANNEL in found["coordinator channel"]
    assert f"{env['MENTORBOT_PUBLIC_URL']} answers /healthz" in found["calendar feeds"]
    [history] = slack.calls_to("conversations.history")
    assert history.args["channel"] == COORDINATOR_CHANNEL
    assert int(history.args["limit"]) == 1


def test_a_bad_setting_is_one_line_and_the_checks_needing_settings_are_skipped(
    env: dict[str, str], slack: SlackStandIn
):
    result = doctor({**env, "MENTORBOT_TIMEZONE": "Mars/Olympus"})

    assert_fails(result, "settings", "MENTORBOT_TIMEZONE", "IANA", fix="correct MENTORBOT_TIMEZONE")
    found = lines(result)
    assert list(found) == CHECKS
    assert [n for n, line in found.items() if line.startswith("✗")] == ["settings"]
    for name in CHECKS[1:]:
        assert "skipped" in found[name], found[name]
    assert slack.calls == []


def test_a_database_behind_the_newest_migration_names_both_revisions(
    env: dict[str, str], tmp_path: Path
):
    head = head_revision()
    previous = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(head)
    behind = str(previous.down_revision)
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    upgrade(url, behind)

    result = doctor({**env, "DATABASE_URL": url})

    assert_fails(result, "database", behind, head, fix="mentorbot migrate")
    assert [n for n, line in lines(result).items() if line.startswith("✗")] == ["database"]


def test_an_unreachable_database_is_named_without_its_password(env: dict[str, str]):
    # Nothing listens on port 1: the connection is refused at once.
    url = f"postgresql://doctor:{PASSWORD}@127.0.0.1:1/test_doctor"

    result = doctor({**env, "DATABASE_URL": url})

    line = assert_fails(result, "database", "cannot connect", "127.0.0.1:1", fix="DATABASE_URL")
    assert "***" in line


def test_a_missing_sqlite_file_is_not_created(env: dict[str, str], tmp_path: Path):
    path = tmp_path / "none.db"

    result = doctor({**env, "DATABASE_URL": f"sqlite:///{path}"})

    assert_fails(result, "database", "does not exist", fix="mentorbot migrate")
    assert not path.exists()


def test_an_invalid_token_shows_slacks_error_and_skips_the_slack_checks(
    env: dict[str, str], slack: SlackStandIn
):
    slack.fail("auth.test", "invalid_auth")

    result = doctor(env)

    assert_fails(result, "auth.test", "invalid_auth", fix="Bot User OAuth Token")
    found = lines(result)
    assert "skipped" in found["scopes"]
    assert "skipped" in found["coordinator channel"]
    assert slack.calls_to("conversations.history") == []


def test_each_missing_scope_is_named(env: dict[str, str], slack: SlackStandIn):
    assert slack.scopes is not None
    slack.scopes = slack.scopes - {"files:write", "groups:history"}

    result = doctor(env)

    line = assert_fails(
        result, "scopes", "files:write, groups:history", fix="reinstall the app from manifest.yml"
    )
    assert "chat:write" not in line


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
def test_a_bot_outside_the_coordinator_channel_is_told_to_invite_it(
    env: dict[str, str], slack: SlackStandIn, error: str
):
    slack.fail("conversations.history", error)

    result = doctor(env)

    assert_fails(
        result,
        "coordinator channel",
        COORDINATOR_CHANNEL,
        error,
        fix=f"/invite @mentorbot` in {COORDINATOR_CHANNEL}",
    )


def test_without_a_coordinator_channel_its_check_is_skipped(
    env: dict[str, str], slack: SlackStandIn
):
    del env["MENTORBOT_COORDINATOR_CHANNEL"]

    result = doctor(env)

    assert result.exit_code == 0, result.output
    assert "skipped" in lines(result)["coordinator channel"]
    assert slack.calls_to("conversations.history") == []


@pytest.mark.parametrize(
    "secret",
    [
        pytest.param("stand-in-signing-secret-not-hex!", id="not-hex"),
        pytest.param(SIGNING_SECRET[:-1], id="too-short"),
    ],
)
def test_a_malformed_signing_secret_is_refused_without_printing_it(
    env: dict[str, str], secret: str
):
    result = doctor({**env, "SLACK_SIGNING_SECRET": secret})

    assert_fails(result, "signing secret", "32 hex", fix="Signing Secret from Basic Information")
    assert secret not in result.output


def test_a_malformed_app_token_is_its_own_line_and_the_other_checks_run(
    env: dict[str, str],
):
    token = "xoxb-not-an-app-token-3d2e"

    result = doctor({**env, "SLACK_APP_TOKEN": token})

    assert_fails(result, "app token", "xapp-", fix="App-Level Tokens")
    assert token not in result.output
    found = lines(result)
    assert [n for n, line in found.items() if not line.startswith("✓")] == ["app token"]


def test_the_scope_check_is_skipped_without_a_manifest(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    for key, value in env.items():
        monkeypatch.setenv(key, value)

    checks = diagnose(manifests=[tmp_path / "manifest.yml"])

    scopes = next(c for c in checks if c.name == "scopes")
    assert scopes.status == "skip"
    assert "manifest.yml" in scopes.line
    assert healthy(checks)


def test_without_a_public_url_the_feed_check_is_skipped(env: dict[str, str]):
    del env["MENTORBOT_PUBLIC_URL"]
    result = doctor(env)
    assert result.exit_code == 0, result.output
    assert lines(result)["calendar feeds"].startswith(
        "– calendar feeds: skipped, MENTORBOT_PUBLIC_URL is not set"
    )


def test_a_public_url_nothing_answers_at_is_a_failure(env: dict[str, str]):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    env["MENTORBOT_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    assert_fails(
        doctor(env), "calendar feeds", "did not answer", fix="MENTORBOT_PUBLIC_URL to the web"
    )


def test_a_public_url_that_is_not_mentorbot_is_a_failure(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(_Web, "answer", {"hello": "world"})
    assert_fails(doctor(env), "calendar feeds", "is not mentorbot's", fix="public address")
