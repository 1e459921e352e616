"""`import-pairs` shows how long it will take at Slack's pace (issue 9, §3): a bar with the
time left on a terminal, one plain line anywhere else; the estimate knows conversations.open
is allowed 50 times a minute, whatever the pace so far says."""

from __future__ import annotations

import io

import click
import pytest

from bot.import_progress import Estimate, in_words, plan_line, progress


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_before_any_row_the_estimate_is_slacks_floor_for_conversations_open(clock):
    assert Estimate(2000, clock=clock, minute=60).seconds_left(0) == 40 * 60  # 2,000 at 50 a minute


def test_a_fast_start_does_not_shorten_the_estimate_below_slacks_floor(clock):
    estimate = Estimate(2000, clock=clock, minute=60)
    clock.now += 3  # 50 rows in 3 s: Slack's burst, not its pace

    assert estimate.seconds_left(50) == 1950 * 60 / 50


def test_an_import_slower_than_slack_is_estimated_at_its_own_pace(clock):
    estimate = Estimate(2000, clock=clock, minute=60)
    clock.now += 600  # 100 rows in 10 minutes: 6 s a row, slower than Slack's 1.2 s

    assert estimate.seconds_left(100) == 1900 * 6
    assert estimate.seconds_left(2000) == 0


def test_a_dry_run_opens_no_conversation_so_only_its_own_pace_counts(clock):
    estimate = Estimate(2000, per_minute=None, clock=clock, minute=60)
    clock.now += 10

    assert estimate.seconds_left(0) == 0
    assert estimate.seconds_left(1000) == 10


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "under a minute"),
        (59, "under a minute"),
        (61, "about 2 min"),
        (2400, "about 40 min"),
        (3600, "about 1 h"),
        (7500, "about 2 h 5 min"),
    ],
)
def test_the_estimate_reads_as_a_person_says_it(seconds, words):
    assert in_words(seconds) == words


def test_off_a_terminal_one_plain_line_says_what_the_import_will_take(clock):
    log = io.StringIO()

    with progress(
        list(range(2000)), file=log, estimate=Estimate(2000, clock=clock, minute=60)
    ) as rows:
        seen = list(rows)

    assert seen == list(range(2000))
    assert log.getvalue() == (
        "Importing 2,000 rows: about 40 min at Slack's pace (50 new conversations a minute)\n"
    )


def test_on_a_terminal_a_bar_counts_the_rows_and_the_time_left(clock):
    terminal = Terminal()

    with progress(
        list(range(200)), file=terminal, estimate=Estimate(200, clock=clock, minute=60)
    ) as rows:
        for n in rows:
            if n == 100:
                break

    # The line as last redrawn, without the escapes that hide and show the cursor.
    drawn = click.unstyle(terminal.getvalue().split("\r")[-1]).strip()
    assert drawn.startswith("Importing pairs")
    assert "100/200" in drawn
    assert drawn.endswith("about 2 min left")  # 100 rows at 50 a minute


def test_a_dry_runs_plan_says_no_conversation_is_opened(clock):
    assert plan_line(1, Estimate(1, per_minute=None, clock=clock, minute=60)) == (
        "Checking 1 row (a dry run: no conversation is opened)"
    )
