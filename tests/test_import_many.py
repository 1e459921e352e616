"""`mentorbot import-pairs` with many people: past the first 100 look-ups, the workspace is
read once from users.list (200 people a call) instead of one call a person."""

from __future__ import annotations

import math
from collections import Counter

import pytest
import sqlalchemy as sa

from bot.cli import main
from bot.models import Pair
from bot.roster_cli import LOOKUPS_BEFORE_LISTING
from bot.slack import USERS_PAGE
from tests.helpers_cli import cli_runner

PAIRS = 150


@pytest.fixture
def workspace(slack):
    for n in range(PAIRS):
        for role in ("mentor", "mentee"):
            slack.add_user(f"U{role[-2:].upper()}{n:05d}", email=f"{role}{n}@example.com")
    return slack


def test_a_large_file_by_email_reads_the_workspace_once(
    workspace, database_url, engine, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    rows = "".join(f"mentor{n}@Example.com,mentee{n}@example.com\n" for n in range(PAIRS))
    (tmp_path / "pairs.csv").write_text("mentor,mentee\n" + rows, encoding="utf-8")
    runner = cli_runner(database_url, workspace.url)
    workspace.reset_calls()

    result = runner.invoke(main, ["import-pairs", "pairs.csv"], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    calls = Counter(call.method for call in workspace.calls)
    assert calls["users.lookupByEmail"] == LOOKUPS_BEFORE_LISTING
    assert calls["users.list"] == math.ceil(len(workspace.users) / USERS_PAGE)
    assert calls["users.info"] == 0
    with engine.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(Pair)) == PAIRS
