"""`mentorbot import-pairs` of N pairs by e-mail under Slack's rate limits: Web API calls by
method, and the time taken against the floor the limits set for the conversations.open
calls no import can avoid (one per new pair, Tier 3: 50 a minute). Goal: at most 1.1x.

    python -m tests.benchmarks.bench_import [--pairs 2000] [--minute 2] [--database-url URL]

The stand-in enforces Slack's limits with a Slack minute lasting `--minute` real seconds
(so 2,000 pairs, 40 Slack minutes of conversations.open, take 80 s). The scale shortens
Slack's time but not the database's: a row's own work (about 17 ms on SQLite, 27 ms on
PostgreSQL here) must stay under the scaled gap between two conversations.open (40 ms at
2 s a minute; 1.2 s in real Slack), or the bench measures the database instead. The import
runs as an operator runs it, `mentorbot import-pairs FILE.csv` in a fresh process whose
standard error is not a terminal, told only that a Slack minute is `--minute` seconds
(bot.slack_limits.MINUTE, which its pacer and estimate read); the time is counted from
its start to its end, Python's start-up included. A SQLite file in a temporary directory
by default; a PostgreSQL URL is rebuilt."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bot.db import make_engine  # noqa: E402
from bot.demo.stand_in import TOKEN, SlackStandIn  # noqa: E402
from bot.models import OutboxMessage, Pair  # noqa: E402
from bot.schema import upgrade  # noqa: E402
from bot.slack_limits import per_minute  # noqa: E402
from tests.benchmarks.benchdb import reset_postgres, scratch_database  # noqa: E402

GOAL = 1.1
# `mentorbot ARGS` with Slack's minute set to argv[1] seconds.
MENTORBOT = (
    "import sys; from bot import slack_limits; slack_limits.MINUTE = float(sys.argv[1]);"
    " from bot.cli import main; main(sys.argv[2:], prog_name='mentorbot')"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2_000)
    parser.add_argument(
        "--minute", type=float, default=2.0, help="real seconds a Slack minute lasts"
    )
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url, backend = scratch_database(args.database_url, scratch)
        if backend == "postgresql":
            reset_postgres(url)
        upgrade(url)
        slack = SlackStandIn().start()
        try:
            for n in range(args.pairs):
                slack.add_user(f"UMR{n:06d}", email=f"mentor{n}@example.com")
                slack.add_user(f"UME{n:06d}", email=f"mentee{n}@example.com")
            csv = Path(scratch) / "pairs.csv"
            rows = (f"mentor{n}@example.com,mentee{n}@example.com\n" for n in range(args.pairs))
            csv.write_text("mentor,mentee\n" + "".join(rows), encoding="utf-8")
            slack.limit(minute=args.minute)
            arrivals: list[float] = []
            slack.watchers.append(lambda method: arrivals.append(time.perf_counter()))
            began = time.perf_counter()
            result = _import(csv, minute=args.minute, url=url, slack_url=slack.url, cwd=scratch)
            elapsed = time.perf_counter() - began
        finally:
            slack.stop()
        pairs, welcomes = _stored(url)
    if result.returncode != 0:
        sys.exit(f"import-pairs failed ({result.returncode}):\n{result.stderr}{result.stdout}")
    _report(args, backend, slack, elapsed, pairs, welcomes, result)
    print(
        f"of which: {arrivals[0] - began:.1f} s before the first Web API call (start-up),"
        f" {arrivals[-1] - arrivals[0]:.1f} s from the first call to the last"
    )


def _import(
    csv: Path, *, minute: float, url: str, slack_url: str, cwd: str
) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": slack_url,
    }
    return subprocess.run(
        [sys.executable, "-c", MENTORBOT, str(minute), "import-pairs", str(csv)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _stored(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        pairs = connection.scalar(sa.select(sa.func.count()).select_from(Pair))
        welcomes = connection.scalar(
            sa.select(sa.func.count()).where(OutboxMessage.kind == "welcome")
        )
    engine.dispose()
    return int(pairs or 0), int(welcomes or 0)


def _report(args, backend, slack, elapsed, pairs, welcomes, result) -> None:
    calls = Counter(call.method for call in slack.calls)
    rate = per_minute("conversations.open") or 50
    slack_minutes = args.pairs / rate
    floor = slack_minutes * args.minute
    print(
        f"{backend}: {args.pairs:,} pairs ({2 * args.pairs:,} people) by e-mail,"
        f" a Slack minute = {args.minute:g} s"
    )
    print(f"stored: {pairs:,} pairs, {welcomes:,} welcomes owed")
    print(f"Web API calls: {calls.total():,} (429s among them: {slack.limited.total():,})")
    for method, count in sorted(calls.items()):
        print(f"  {method:22} {count:6,}  ({slack.limited[method]:,} refused)")
    print(
        f"floor: {args.pairs:,} conversations.open at {rate} a minute = {slack_minutes:g} Slack"
        f" minutes = {floor:.1f} s"
    )
    print(
        f"elapsed: {elapsed:.1f} s = {elapsed / args.minute:.1f} Slack minutes;"
        f" ratio {elapsed / floor:.3f} (goal <= {GOAL})"
    )
    print("stderr:", " | ".join(result.stderr.strip().splitlines()[:2]))
    print("stdout:", " | ".join(result.stdout.strip().splitlines()[-1:]))


if __name__ == "__main__":
    main()
