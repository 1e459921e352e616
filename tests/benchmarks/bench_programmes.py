"""The weekly digests of many programmes: SQL statements and time per programme.

Run on demand (pytest does not collect tests/benchmarks):

    python tests/benchmarks/bench_programmes.py [--programmes 10] [--pairs 100,1000]
        [--database-url URL]

For each size it migrates a fresh database and seeds `--programmes` programmes of
`--pairs` pairs each, with bench_digest.py's scene (twelve weeks of meetings, goals,
reflections and pulses per pair), every programme with its own channel and its digest
due at the benchmark's instant (Fridays 16:00 UTC). It then plans each programme's
digest with `bot.rhythm.digests.plan_digest`, as the scheduler does (each in its own
transaction: figures counted, message built, chart drawn, two outbox rows written),
counting the SQL statements of each. The count must be the same for every programme
and at every size; the script stops with an error if it is not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from bench_digest import NOW, TABLES, Row, chunks
from benchdb import StatementCounter, remove_sqlite, reset_postgres

from bot.db import make_engine, make_sessionmaker
from bot.models import OutboxMessage, Programme
from bot.rhythm.digests import plan_digest
from bot.schema import upgrade

FRIDAY = 4


def programme_rows(programmes: int) -> Iterator[Row]:
    for n in range(1, programmes + 1):
        yield {
            "id": n,
            "handle": f"programme-{n}",
            "name": f"Programme {n}",
            "is_default": n == 1,
            "coordinator_channel_id": f"C0PROG{n:03d}",
            "default_cadence": "weekly",
            "default_weekday": 1,
            "digest_weekday": FRIDAY,
            "digest_time": dt.time(16, 0),
            "digest_tz": "UTC",
            "created_at": NOW - dt.timedelta(weeks=20),
        }


def seed(engine: sa.Engine, programmes: int, per_programme: int) -> int:
    """Every table of bench_digest's scene for programmes × pairs, the pairs dealt out to
    the programmes in blocks; returns the rows written."""
    total = programmes * per_programme
    written = 0
    with engine.begin() as connection:
        for model, rows in TABLES:
            table = model.__table__
            source = programme_rows(programmes) if model is Programme else rows(total)
            for chunk in chunks(source):
                if table.name == "pair":
                    for row in chunk:
                        row["programme_id"] = 1 + (row["id"] - 1) // per_programme
                connection.execute(sa.insert(table), chunk)
                written += len(chunk)
    return written


def bench(base_url: str, programmes: int, per_programme: int) -> tuple[list[int], list[float]]:
    if sa.make_url(base_url).get_backend_name() == "postgresql":
        reset_postgres(base_url)
    upgrade(base_url)
    engine = make_engine(base_url)
    started = time.perf_counter()
    rows = seed(engine, programmes, per_programme)
    print(f"  seeded {rows:,} rows in {time.perf_counter() - started:.1f} s")
    sessions = make_sessionmaker(engine)
    counter = StatementCounter()
    statements, seconds = [], []
    sa.event.listen(engine, "before_cursor_execute", counter)
    try:
        for programme_id in range(1, programmes + 1):
            counter.count = 0
            began = time.perf_counter()
            with sessions.begin() as session:
                planned = plan_digest(session, NOW, programme_id)
            seconds.append(time.perf_counter() - began)
            statements.append(counter.count)
            if planned != 2:
                sys.exit(f"programme {programme_id}: {planned} rows owed, not the digest and chart")
    finally:
        sa.event.remove(engine, "before_cursor_execute", counter)
    with sessions() as session:
        channels = session.scalars(
            sa.select(OutboxMessage.channel).where(OutboxMessage.kind == "digest")
        ).all()
    if sorted(channels) != [f"C0PROG{n:03d}" for n in range(1, programmes + 1)]:
        sys.exit(f"digests went to {channels}")
    engine.dispose()
    return statements, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=10)
    parser.add_argument("--pairs", default="100,1000", help="pairs per programme, comma-separated")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    sizes = [int(n) for n in args.pairs.split(",")]
    counts: set[int] = set()
    with tempfile.TemporaryDirectory() as folder:
        for per in sizes:
            url = args.database_url or f"sqlite:///{Path(folder) / f'bench-{per}.db'}"
            if not args.database_url:
                remove_sqlite(Path(folder) / f"bench-{per}.db")
            print(f"{args.programmes} programmes × {per:,} pairs:")
            statements, seconds = bench(url, args.programmes, per)
            counts |= set(statements)
            print(
                f"  statements per programme: {sorted(set(statements))};"
                f" seconds per programme: best {min(seconds):.3f},"
                f" median {statistics.median(seconds):.3f}, worst {max(seconds):.3f};"
                f" all {args.programmes}: {sum(seconds):.2f} s"
            )
    if len(counts) != 1:
        sys.exit(f"the statements per programme varied: {sorted(counts)}")
    print(f"the same {counts.pop()} statements for every programme at every size")


if __name__ == "__main__":
    main()
