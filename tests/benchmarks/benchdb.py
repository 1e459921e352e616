"""What the benchmark scripts share: a scratch database, bulk rows, and a SQL counter.

The scripts run as `python tests/benchmarks/bench_*.py`, so this module is imported from
the scripts' own folder.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.settings import Settings

CHUNK = 20_000  # rows per executemany
Row = dict[str, Any]


def reset_postgres(url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def chunks(rows: Iterable[Row], size: int = CHUNK) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class StatementCounter:
    """A `before_cursor_execute` listener counting statements (and keeping them if asked)."""

    count: int = 0
    recording: list[str] | None = None

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.count += 1
        if self.recording is not None:
            self.recording.append(" ".join(statement.split()))


def sizes(text: str) -> list[int]:
    try:
        values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give sizes like 1000,10000") from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"{text!r}: give positive sizes like 1000,10000")
    return values


def scratch_database(given: str | None, scratch: str) -> tuple[str, str]:
    """(URL, backend) of the database to rebuild for each size: `given`, or a SQLite file in
    `scratch`. Refuses the test suite's `test` database and a SQLite file that exists."""
    url = Settings(DATABASE_URL=given or "sqlite://").database_url
    parsed = sa.make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.database == "test":
            sys.exit("the database `test` belongs to the test suite; use mentorbot_bench")
    elif backend == "sqlite":
        path = Path(parsed.database or "") if given else Path(scratch) / "bench.db"
        if str(path) in {"", ".", ":memory:"} or path.exists():
            sys.exit(f"{given}: give a SQLite file that does not exist yet")
        url = parsed.set(database=str(path)).render_as_string(hide_password=False)
    else:
        sys.exit(f"{backend}: only SQLite and PostgreSQL are supported")
    return url, backend
