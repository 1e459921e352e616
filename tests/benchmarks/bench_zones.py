"""A day of scheduler passes for N pairs whose people's zones are all stale: how many
users.info and users.list calls keep the zones fresh (goal: at most people/200 + 50).

    python tests/benchmarks/bench_zones.py [--pairs 10000] [--database-url URL]

Runs hourly passes for 24 hours against the Slack stand-in on a scratch database (a
SQLite file in a temporary directory by default; a PostgreSQL URL is rebuilt)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchdb import reset_postgres, scratch_database  # noqa: E402

from bot.calendar import WorkingHours  # noqa: E402
from bot.db import make_engine, make_sessionmaker  # noqa: E402
from bot.demo.stand_in import TOKEN, SlackStandIn  # noqa: E402
from bot.rhythm.passes import run_pass  # noqa: E402
from bot.schema import upgrade  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.slack import make_client  # noqa: E402
from tests.rhythm.helpers_exactly_once import seed_pairs  # noqa: E402

START = dt.datetime(2026, 10, 5, 0, 0, tzinfo=dt.UTC)  # a Monday


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url, backend = scratch_database(args.database_url, scratch)
        if backend == "postgresql":
            reset_postgres(url)
        upgrade(url)
        engine = make_engine(url)
        slack = SlackStandIn().start()
        try:
            settings = Settings(DATABASE_URL=url, SLACK_API_URL=slack.url)
            stale = START - dt.timedelta(days=2)
            seed_pairs(engine, settings, slack, args.pairs, next_check_at=stale)
            slack.reset_calls()
            client = make_client(token=TOKEN, base_url=slack.url, wait_on_429=False)
            sessions, began = make_sessionmaker(engine), time.perf_counter()
            for hour in range(24):
                run_pass(sessions, client, START + dt.timedelta(hours=hour), WorkingHours())
            elapsed = time.perf_counter() - began
        finally:
            slack.stop()
            engine.dispose()
    people = 2 * args.pairs
    info, listing = len(slack.calls_to("users.info")), len(slack.calls_to("users.list"))
    print(
        f"{backend}: {args.pairs:,} pairs, {people:,} people, 24 hourly passes in {elapsed:.1f} s"
    )
    print(f"users.info calls: {info:,}; users.list calls: {listing:,}")
    print(f"goal: at most {people // 200 + 50:,} calls; made {info + listing:,}")


if __name__ == "__main__":
    main()
