"""Delivery at Slack's pace: 1,000 messages due at once to 1,000 conversations, the Web
API answering each call in 250 ms and capping chat.postMessage at 525 a minute for the
whole workspace. Prints the rate achieved as a share of that cap (goal: at least 0.9;
one message at a time is near 0.45) and checks none is lost and none doubled.

    python tests/benchmarks/bench_delivery.py [--messages 1000] [--concurrency 1,4]
        [--minute 15] [--latency 0.25] [--database-url URL]

For each concurrency it migrates a fresh database, registers `--messages` weekly pairs
(seed_pairs of tests/rhythm/helpers_exactly_once.py: each pair has its own conversation)
and runs one scheduler pass (`run_pass`) on the Wednesday morning when every pair's
check-in is due, at a pass's pace: `--concurrency` senders, a Retry-After up to 30 s
waited out. The Slack stand-in answers every call after `--latency` Slack seconds and
enforces Slack's rate limits (bot/demo/rate_limits.py: 525 chat.postMessage a minute in
the workspace, a sliding window; about one a second per conversation), answering 429
with a truthful Retry-After past them.

A Slack minute lasts `--minute` real seconds (15 by default, so a run takes a quarter of
Slack's time) and the latency is scaled with it (250 ms becomes 62.5 ms), so latency,
cap and Retry-After keep Slack's proportions; only the database's own time is not
scaled, which counts against the rate. `--minute 60` runs in Slack's own time.

The rate is counted over delivery alone, from the start of `outbox.deliver` to the end
of the pass (planning the check-ins comes first and is left out): messages a Slack
minute, divided by the cap. The cap is a sliding window that starts empty, so a run can
average a little above it (1,000 messages are less than two windows; `--messages 3000`
shows the steady rate); "busiest Slack minute" shows the window itself was kept, give or
take a post: it is counted from when answers came back to the client, not when Slack
took each post.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchdb import remove_sqlite, reset_postgres, scratch_database, sizes  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from bot.calendar import WorkingHours  # noqa: E402
from bot.db import make_engine, make_sessionmaker  # noqa: E402
from bot.demo.stand_in import TOKEN, SlackStandIn  # noqa: E402
from bot.models import OutboxStatus  # noqa: E402
from bot.rhythm import outbox  # noqa: E402
from bot.rhythm.pacing import Pace  # noqa: E402
from bot.rhythm.passes import run_pass  # noqa: E402
from bot.schema import upgrade  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.slack import make_client  # noqa: E402
from bot.slack_limits import WORKSPACE_POSTS_PER_MINUTE  # noqa: E402
from tests.rhythm.helpers_exactly_once import (  # noqa: E402
    POST,
    WEDNESDAY,
    posted_keys,
    seed_pairs,
)
from tests.rhythm.helpers_exactly_once import outbox as outbox_rows  # noqa: E402

MAX_RETRY_WAIT = 30  # MENTORBOT_MAX_RETRY_WAIT's default
CAP = WORKSPACE_POSTS_PER_MINUTE


class Timed(WebClient):
    """The outbox's client, noting when each post Slack accepted came back."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lock, self.accepted = threading.Lock(), []

    def api_call(self, api_method: str, *args: Any, **kwargs: Any) -> Any:
        response = super().api_call(api_method, *args, **kwargs)
        if api_method == POST:
            with self.lock:
                self.accepted.append(time.monotonic())
        return response


def busiest(times: list[float], span: float) -> int:
    """The most accepted posts in any window of `span` seconds."""
    window: deque[float] = deque()
    most = 0
    for at in sorted(times):
        window.append(at)
        while window[0] <= at - span:
            window.popleft()
        most = max(most, len(window))
    return most


def one_pass(url: str, backend: str, concurrency: int, args: argparse.Namespace) -> float:
    """Deliver `args.messages` check-ins in one pass with `concurrency` senders; the share
    of the cap achieved."""
    if backend == "postgresql":
        reset_postgres(url)
    upgrade(url)
    engine = make_engine(url)
    slack = SlackStandIn().start()
    try:
        settings = Settings(DATABASE_URL=url, SLACK_API_URL=slack.url)
        seed_pairs(engine, settings, slack, args.messages, next_check_at=WEDNESDAY)
        slack.reset_calls()
        slack.slow("*", args.latency * args.minute / 60)
        slack.limit(minute=args.minute)
        handlers = make_client(token=TOKEN, base_url=slack.url, wait_on_429=False).retry_handlers
        client = Timed(token=TOKEN, base_url=slack.url, timeout=10, retry_handlers=handlers)
        pace = Pace(concurrency=concurrency, max_wait=MAX_RETRY_WAIT)
        started: list[float] = []
        deliver = outbox.deliver

        def timed(*a: Any, **k: Any) -> outbox.DeliveryReport:
            started.append(time.monotonic())
            return deliver(*a, **k)

        outbox.deliver = timed  # type: ignore[assignment]
        try:
            summary = run_pass(
                make_sessionmaker(engine), client, WEDNESDAY, WorkingHours(), None, pace
            )
        finally:
            outbox.deliver = deliver  # type: ignore[assignment]
        elapsed = time.monotonic() - started[0]
        rows, posted = outbox_rows(engine), posted_keys(slack)
    finally:
        slack.stop()
        engine.dispose()
    per_minute = args.messages / (elapsed / args.minute)
    share = per_minute / CAP
    print(
        f"{backend}, {concurrency} sender(s): {summary.sent:,} sent in {elapsed:.1f} s"
        f" ({elapsed / args.minute:.2f} Slack minutes): {per_minute:.0f} a Slack minute,"
        f" {share:.2f} of the cap; {slack.limited[POST]} answered 429;"
        f" busiest Slack minute: {busiest(client.accepted, args.minute)} posts"
    )
    lost = [key for key, row in rows.items() if row.status != OutboxStatus.SENT]
    doubled = [key for key, count in posted.items() if count != 1]
    assert len(rows) == args.messages, f"{len(rows)} owed, not {args.messages}"
    assert summary.sent == args.messages, f"the pass sent {summary.sent} of {args.messages}"
    assert not lost, f"{len(lost)} not sent, e.g. {lost[:3]}"
    assert not doubled, f"{len(doubled)} posted more than once, e.g. {doubled[:3]}"
    assert set(posted) == set(rows), "a message in Slack that the outbox does not know"
    return share


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--concurrency", type=sizes, default=[4], help="e.g. 1,4")
    parser.add_argument("--minute", type=float, default=15.0, help="real seconds a Slack minute")
    parser.add_argument("--latency", type=float, default=0.25, help="Slack seconds a call takes")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(
        f"{args.messages:,} check-ins due at once to {args.messages:,} conversations; each call"
        f" answered in {args.latency * 1000:.0f} ms (Slack time); chat.postMessage capped at"
        f" {CAP} a Slack minute; a Slack minute lasts {args.minute:g} s"
    )
    shares = {}
    for concurrency in args.concurrency:
        with tempfile.TemporaryDirectory() as scratch:
            url, backend = scratch_database(args.database_url, scratch)
            shares[concurrency] = one_pass(url, backend, concurrency, args)
            if backend == "sqlite":
                remove_sqlite(Path(url.removeprefix("sqlite:///")))
    for concurrency, share in shares.items():
        verdict = "meets" if share >= 0.9 else "is below"
        print(f"{concurrency} sender(s): {share:.2f} of the cap, which {verdict} the goal of 0.9")


if __name__ == "__main__":
    main()
