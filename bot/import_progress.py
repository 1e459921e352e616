"""How far `import-pairs` has got, and how long the rest should take at Slack's pace.

Each new pair costs one conversations.open, which Slack allows 50 times a minute (Tier 3),
so 2,000 pairs need at least 40 minutes however fast everything else is. The estimate is
that floor for the rows left, or the import's own pace so far if it has been slower (a
slow database, Slack's latency); rows that need no conversation (already paired, refused)
go faster than it says.

On a terminal, click's progress bar shows rows done and the estimate; anywhere else (a CI
log, a file) one plain line says what the import will take, and nothing is redrawn.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO, TypeVar

import click

from bot import slack_limits

Item = TypeVar("Item")

OPENS_PER_MINUTE = slack_limits.per_minute("conversations.open") or 50


@dataclass
class Estimate:
    """The time left for `total` rows, one conversations.open each at most (none in a dry
    run: `per_minute` None, and only the pace so far counts)."""

    total: int
    per_minute: int | None = OPENS_PER_MINUTE
    clock: Callable[[], float] = time.monotonic
    minute: float = field(default_factory=lambda: slack_limits.MINUTE)  # Slack's, in seconds
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def seconds_left(self, done: int) -> float:
        """The floor Slack's rate sets for the rows left, or the pace so far if slower."""
        left = max(self.total - done, 0)
        floor = left * self.minute / self.per_minute if self.per_minute else 0.0
        if done == 0:
            return floor
        so_far = (self.clock() - self.started) / done * left
        return max(floor, so_far)


def in_words(seconds: float) -> str:
    """A wait as a person reads it: 'under a minute', 'about 40 min', 'about 2 h 5 min'."""
    minutes = math.ceil(seconds / 60)
    if seconds < 60:
        return "under a minute"
    if minutes < 60:
        return f"about {minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"about {hours} h {minutes} min" if minutes else f"about {hours} h"


def plan_line(rows: int, estimate: Estimate) -> str:
    """The one line a log gets: what the import will take at Slack's pace."""
    noun = "row" if rows == 1 else "rows"
    if estimate.per_minute is None:
        return f"Checking {rows:,} {noun} (a dry run: no conversation is opened)"
    return (
        f"Importing {rows:,} {noun}: {in_words(estimate.seconds_left(0))} at Slack's pace"
        f" ({estimate.per_minute} new conversations a minute)"
    )


@contextmanager
def progress(
    items: Sequence[Item], *, file: TextIO, estimate: Estimate
) -> Iterator[Iterator[Item]]:
    """`items`, one at a time, with a progress bar on `file` if it is a terminal (rows done
    and the time left), else with the plan as one plain line before the first."""
    if not _is_terminal(file):
        click.echo(plan_line(len(items), estimate), file=file)
        yield iter(items)
        return
    bar = click.progressbar(
        items,
        label="Importing pairs",
        show_pos=True,
        show_eta=False,  # click's guess from the pace so far; ours knows Slack's rate
        item_show_func=lambda _: f"{in_words(estimate.seconds_left(bar.pos))} left",
        file=file,
    )
    with bar:
        yield iter(bar)


def _is_terminal(file: TextIO) -> bool:
    """As click decides whether to draw its bar."""
    try:
        return file.isatty()
    except (AttributeError, ValueError):
        return False
