"""`mentorbot import-pairs` with many people: a file naming more than 100 people reads the
workspace once from users.list (200 people a call) instead of one call a person, and the
import goes at the pace Slack's rate limits allow."""

from __future__ import annotations

import math
from collections import Counter

import pytest
import sqlalchemy as sa
from slack_sdk import WebClient

from bot import slack_limits
from bot.cli import main
from bot.demo.stand_in import TOKEN
from bot.models import Pair, Person
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


def write_pairs(tmp_path, pairs: int, *extra: str) -> None:
    rows = "".join(f"mentor{n}@Example.com,mentee{n}@example.com\n" for n in range(pairs))
    (tmp_path / "pairs.csv").write_text("mentor,mentee\n" + rows + "".join(extra), "utf-8")


def pairs_stored(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(Pair))


@pytest.fixture
def mentorbot(workspace, database_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = cli_runner(database_url, workspace.url)
    workspace.reset_calls()
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)


def test_a_large_file_by_email_reads_the_workspace_once_and_looks_nobody_up(
    workspace, mentorbot, engine, tmp_path
):
    assert 2 * PAIRS > LOOKUPS_BEFORE_LISTING
    write_pairs(tmp_path, PAIRS)

    result = mentorbot("import-pairs", "pairs.csv")

    assert result.exit_code == 0, result.output
    calls = Counter(call.method for call in workspace.calls)
    assert calls["users.list"] == math.ceil(len(workspace.users) / USERS_PAGE)
    assert calls["users.lookupByEmail"] == calls["users.info"] == 0
    assert calls["conversations.open"] == PAIRS
    assert pairs_stored(engine) == PAIRS
    with engine.connect() as connection:  # the names Slack shows, from the listing
        names = dict(connection.execute(sa.select(Person.slack_user_id, Person.name)).all())
    shown = {user_id: workspace.users[user_id]["profile"]["display_name"] for user_id in names}
    assert names == shown and len(names) == 2 * PAIRS


def test_someone_the_listing_does_not_show_is_looked_up_alone(
    workspace, mentorbot, engine, tmp_path
):
    write_pairs(tmp_path, PAIRS, "mentor0@example.com,stranger@example.com\n")

    result = mentorbot("import-pairs", "pairs.csv")

    assert f"row {PAIRS + 2}: mentee: no Slack user has the e-mail stranger@" in result.output
    assert [c.args["email"] for c in workspace.calls_to("users.lookupByEmail")] == [
        "stranger@example.com"
    ]
    assert pairs_stored(engine) == PAIRS


class SlackTime:
    """The stand-in's limits' clock: still while the import works (so however slow the
    machine, calls made together fall in one Slack minute), and a minute later once a
    refused call comes back, as it does after waiting out Retry-After for real."""

    def __init__(self, slack, minute: float) -> None:
        self.now, self.minute, self.slack, self.refused = 0.0, minute, slack, 0

    def __call__(self) -> float:
        return self.now

    def watch(self, method: str) -> None:
        if sum(self.slack.limited.values()) > self.refused:
            self.refused = sum(self.slack.limited.values())
            self.now += self.minute


def test_the_import_keeps_to_slacks_rate_limits_without_being_refused(
    workspace, mentorbot, engine, tmp_path, monkeypatch
):
    """conversations.open takes 50 calls a Slack minute (here 0.2 s on both sides): the
    import waits for room before the 51st instead of being told to."""
    monkeypatch.setattr(slack_limits, "MINUTE", 0.2)
    workspace.limit(minute=0.2)
    write_pairs(tmp_path, 60)

    result = mentorbot("import-pairs", "pairs.csv")

    assert "imported 60 pairs" in result.output
    assert workspace.limited == {}
    assert len(workspace.calls_to("conversations.open")) == 60
    assert pairs_stored(engine) == 60


def test_a_429_caused_by_another_process_is_waited_out_and_loses_no_row(
    workspace, mentorbot, engine, tmp_path, monkeypatch
):
    """Someone else used this Slack minute's conversations.open: the import is refused
    once, waits out Retry-After (0.2 s), and every pair goes in."""
    monkeypatch.setattr(slack_limits, "MINUTE", 0.2)
    clock = SlackTime(workspace, minute=0.2)
    workspace.limit(minute=clock.minute, clock=clock)
    workspace.watchers.append(clock.watch)
    other = WebClient(token=TOKEN, base_url=workspace.url)
    for _ in range(50):
        other.conversations_open(users=list(workspace.users)[:2])
    write_pairs(tmp_path, 5)

    result = mentorbot("import-pairs", "pairs.csv")

    assert "imported 5 pairs" in result.output
    assert workspace.limited == {"conversations.open": 1}
    assert pairs_stored(engine) == 5


def test_an_import_run_again_opens_conversations_only_for_the_rows_not_yet_in(
    workspace, mentorbot, engine, tmp_path
):
    write_pairs(tmp_path, 100)  # as far as an interrupted run got
    mentorbot("import-pairs", "pairs.csv")
    write_pairs(tmp_path, PAIRS)
    workspace.reset_calls()

    result = mentorbot("import-pairs", "pairs.csv")

    assert f"imported {PAIRS - 100} pairs, skipped 100 rows (100 already paired)" in result.output
    assert len(workspace.calls_to("conversations.open")) == PAIRS - 100
    assert pairs_stored(engine) == PAIRS
