"""Time and SQL statements of the weekly digest's figures, message and chart, at growing sizes.

Run on demand (pytest does not collect tests/benchmarks):

    python tests/benchmarks/bench_digest.py [--pairs 1000,10000] [--runs 5]
        [--database-url URL] [--show-sql]

For each size it migrates a fresh database with Alembic and bulk-inserts (SQLAlchemy
Core, in chunks) one programme, two people per pair, the pairs and twelve weeks of their
history, then times, at a fixed instant:

- `bot.services.digest.weekly_figures(..., pulse_counts=pulse_counts)` for this week,
  each run in a fresh session, counting the SQL statements with a `before_cursor_execute`
  listener;
- `bot.messages.digest.digest_message(figures, today=...)`, the Block Kit message;
- `bot.messages.chart.meetings_chart(figures.meetings_per_week)`, the PNG.

Each is run once to warm up, then `--runs` times; the table shows the best and the median.
The statement count must be the same at every size (the figures are aggregates, never a
query per pair); the script stops with an error if it is not.

The scene, at Friday 13 March 2026 16:00 UTC (the digest's week is Monday 9 March 00:00
UTC to Monday 16 March): by `pair % 20`, 14 in 20 pairs are active, 2 at risk, 1 dormant,
1 paused and 2 closed (one of them this week). Every pair met about every other week
over the twelve charted weeks, on a weekday spread by pair, except that at-risk pairs
have not met for three weeks, dormant ones for seven (half of them never), paused ones
for four and closed ones not since closing. Each pair has two goals; a third of the pairs
have finished the first (half of those this week). Mentees wrote reflections on half of
the meetings of the last four weeks; a quarter of the mentees and an eighth of the
mentors answered a pulse at some point in the last twelve weeks. The figures are checked
against the same scene counted in Python.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from benchdb import (
    Row,
    StatementCounter,
    chunks,
    remove_sqlite,
    reset_postgres,
    scratch_database,
    sizes,
)

from bot.db import make_engine, make_sessionmaker
from bot.demo.stand_in import TEAM_ID
from bot.messages.chart import meetings_chart
from bot.messages.digest import digest_message
from bot.models import (
    Cadence,
    Goal,
    GoalStatus,
    Meeting,
    MeetingSource,
    Pair,
    PairStatus,
    Person,
    Programme,
    Pulse,
    PulseAnswer,
    Reflection,
)
from bot.schema import upgrade
from bot.services.digest import (
    MAX_ATTENTION,
    DigestFigures,
    pulse_counts,
    this_week,
    week_starts,
    weekly_figures,
)

PROGRAMME = 1
TZ = "Europe/Berlin"
TUESDAY = 1
NOW = dt.datetime(2026, 3, 13, 16, 0, tzinfo=dt.UTC)  # Friday
WEEK_START, WEEK_END = this_week(NOW)  # Monday 9 March 00:00 UTC, a week later
STARTS = week_starts(WEEK_START.date())  # the twelve charted Mondays, oldest first
THIS_WEEK = len(STARTS) - 1
CREATED = WEEK_START - dt.timedelta(weeks=16)
COORDINATOR = "UCOORD01"
COORDINATOR_CHANNEL = "C0COORDS"
PULSE_ANSWERS = (
    PulseAnswer.GOING_WELL,
    PulseAnswer.GOING_WELL,
    PulseAnswer.GOING_WELL,
    PulseAnswer.COULD_BE_BETTER,
    PulseAnswer.NOT_WORKING,
)

T = TypeVar("T")


def mentee_id(pair: int) -> int:
    return 2 * pair - 1


def mentor_id(pair: int) -> int:
    return 2 * pair


def slack_id(person: int) -> str:
    return f"UP{person:07d}"


# --- the scene --------------------------------------------------------------------------


def status_of(pair: int) -> PairStatus:
    kind = pair % 20
    if kind < 14:
        return PairStatus.ACTIVE
    if kind < 16:
        return PairStatus.AT_RISK
    if kind == 16:
        return PairStatus.DORMANT
    if kind == 17:
        return PairStatus.PAUSED
    return PairStatus.CLOSED


def closed_at(pair: int) -> dt.datetime | None:
    if status_of(pair) != PairStatus.CLOSED:
        return None
    if pair % 20 == 18:  # this week, Monday to Wednesday
        return WEEK_START + dt.timedelta(hours=24 + pair % 48)
    return WEEK_START - dt.timedelta(weeks=5) + dt.timedelta(hours=pair % 48)


def meets_in(pair: int, week: int) -> bool:
    """Whether the pair met in charted week `week` (0 oldest, THIS_WEEK last)."""
    if (week + pair) % 2:
        return False
    status = status_of(pair)
    if status == PairStatus.AT_RISK:
        return week < THIS_WEEK - 2
    if status == PairStatus.DORMANT:
        return pair % 40 != 16 and week < THIS_WEEK - 6  # half never met
    if status == PairStatus.PAUSED:
        return week < THIS_WEEK - 3
    if status == PairStatus.CLOSED:
        return week < THIS_WEEK - 4 if pair % 20 == 19 else week < THIS_WEEK
    return True


def programme_rows(pairs: int) -> Iterator[Row]:
    yield {
        "id": PROGRAMME,
        "handle": "benchmark",
        "name": "Benchmark programme",
        "coordinator_channel_id": COORDINATOR_CHANNEL,
        "default_cadence": Cadence.WEEKLY,
        "default_weekday": TUESDAY,
        "created_at": CREATED,
    }


def person_rows(pairs: int) -> Iterator[Row]:
    for person in range(1, 2 * pairs + 1):
        yield {
            "id": person,
            "team_id": TEAM_ID,
            "slack_user_id": slack_id(person),
            "tz": TZ,
            "tz_refreshed_at": CREATED,
            "active": True,
            "created_at": CREATED,
        }


def pair_rows(pairs: int) -> Iterator[Row]:
    for pair in range(1, pairs + 1):
        status = status_of(pair)
        closed = closed_at(pair)
        yield {
            "id": pair,
            "programme_id": PROGRAMME,
            "mentor_id": mentor_id(pair),
            "mentee_id": mentee_id(pair),
            "cadence": Cadence.BIWEEKLY,
            "weekday": pair % 5,
            "status": status,
            "status_changed_at": closed or CREATED + dt.timedelta(weeks=8),
            "paused_until": STARTS[-1] + dt.timedelta(weeks=2)
            if status == PairStatus.PAUSED
            else None,
            "resumed_on": None,
            "closed_at": closed,
            "conversation_id": f"GP{pair:07d}",
            "next_check_at": None if closed else NOW + dt.timedelta(minutes=pair % 10_080),
            "created_by": COORDINATOR,
            # Spread over a week, so the attention list's order by created_at means something.
            "created_at": CREATED + dt.timedelta(minutes=(pair * 7919) % 10_080),
        }


def goal_rows(pairs: int) -> Iterator[Row]:
    for pair in range(1, pairs + 1):
        done = pair % 3 == 0
        finished = (
            WEEK_START + dt.timedelta(hours=pair % 96)  # Monday to Thursday
            if pair % 6 == 0
            else WEEK_START - dt.timedelta(weeks=3, hours=-(pair % 96))
        )
        goals = [
            (1, GoalStatus.DONE if done else GoalStatus.OPEN, finished if done else CREATED),
            (2, GoalStatus.DROPPED if pair % 10 == 0 else GoalStatus.OPEN, CREATED),
        ]
        for number, status, updated in goals:
            yield {
                "id": 2 * (pair - 1) + number,
                "pair_id": pair,
                "number": number,
                "owner_id": mentee_id(pair),
                "text": f"Goal {number} of pair {pair}: read a chapter & write <notes> on it",
                "target_date": None,
                "status": status,
                "created_at": CREATED,
                "updated_at": updated,
            }


def meeting_rows(pairs: int) -> Iterator[Row]:
    number = 0
    for pair in range(1, pairs + 1):
        for week, monday in enumerate(STARTS):
            if not meets_in(pair, week):
                continue
            number += 1
            held_on = monday + dt.timedelta(days=pair % 5)  # Monday to Friday
            yield {
                "id": number,
                "pair_id": pair,
                "held_on": held_on,
                "source": MeetingSource.REACTION,
                "recorded_by": slack_id(mentee_id(pair)),
                "created_at": dt.datetime.combine(held_on, dt.time(17), dt.UTC),
            }


def reflection_rows(pairs: int) -> Iterator[Row]:
    """The mentee's reflection on every other meeting of the last four weeks."""
    number = 0
    recent = STARTS[-4]
    for meeting in meeting_rows(pairs):
        if meeting["held_on"] < recent or meeting["id"] % 2:
            continue
        number += 1
        written = dt.datetime.combine(meeting["held_on"], dt.time(18), dt.UTC)
        yield {
            "id": number,
            "pair_id": meeting["pair_id"],
            "meeting_id": meeting["id"],
            "author_id": mentee_id(meeting["pair_id"]),
            "worked": "We talked about the chapter; private words the digest must not read.",
            "did_not_work": "Ran out of time.",
            "differently": "Start with the goal.",
            "shared": meeting["id"] % 4 == 0,
            "created_at": written,
            "updated_at": written,
        }


def pulse_rows(pairs: int) -> Iterator[Row]:
    """Mentees of every 4th pair answered the 30-day pulse, mentors of every 8th the 90-day."""
    number = 0
    spread_hours = len(STARTS) * 7 * 24
    for pair in range(1, pairs + 1):
        if pair % 4:
            continue
        answers = [(mentee_id(pair), 30, pair * 37)]
        if pair % 8 == 0:
            answers.append((mentor_id(pair), 90, pair * 53))
        for person, day, spread in answers:
            number += 1
            yield {
                "id": number,
                "pair_id": pair,
                "person_id": person,
                "day": day,
                "answer": PULSE_ANSWERS[(pair // 4 + day) % len(PULSE_ANSWERS)],
                "note": "A private note the digest must not read.",
                "answered_at": NOW - dt.timedelta(hours=spread % spread_hours),
            }


TABLES: list[tuple[type, Callable[[int], Iterable[Row]]]] = [
    (Programme, programme_rows),
    (Person, person_rows),
    (Pair, pair_rows),
    (Goal, goal_rows),
    (Meeting, meeting_rows),
    (Reflection, reflection_rows),
    (Pulse, pulse_rows),
]


def in_week(at: dt.datetime | None) -> bool:
    return at is not None and WEEK_START <= at < WEEK_END


def expected_figures(pairs: int) -> dict[str, Any]:
    """The digest's figures for the scene, counted in Python from the same rows."""
    statuses = Counter(status_of(pair) for pair in range(1, pairs + 1))
    weeks = Counter(
        STARTS[(meeting["held_on"] - STARTS[0]).days // 7] for meeting in meeting_rows(pairs)
    )
    per_week = [(monday, weeks[monday]) for monday in STARTS]
    pulses = Counter(
        row["answer"].value for row in pulse_rows(pairs) if in_week(row["answered_at"])
    )
    return {
        "active": statuses[PairStatus.ACTIVE],
        "at_risk": statuses[PairStatus.AT_RISK],
        "dormant": statuses[PairStatus.DORMANT],
        "paused": statuses[PairStatus.PAUSED],
        "closed_this_week": sum(in_week(closed_at(pair)) for pair in range(1, pairs + 1)),
        "meetings_this_week": per_week[-1][1],
        "meetings_last_week": per_week[-2][1],
        "goals_completed": sum(
            row["status"] == GoalStatus.DONE and in_week(row["updated_at"])
            for row in goal_rows(pairs)
        ),
        "reflections": sum(in_week(row["created_at"]) for row in reflection_rows(pairs)),
        "pulses": dict(pulses),
        "meetings_per_week": per_week,
        "attention": min(
            MAX_ATTENTION, statuses[PairStatus.AT_RISK] + statuses[PairStatus.DORMANT]
        ),
    }


def check_figures(figures: DigestFigures, pairs: int) -> None:
    expected = expected_figures(pairs)
    got = {name: getattr(figures, name) for name in expected if name != "attention"}
    got["attention"] = len(figures.attention)
    wrong = {name: (got[name], want) for name, want in expected.items() if got[name] != want}
    if wrong:
        sys.exit(f"the figures are wrong at {pairs:,} pairs (got, expected): {wrong}")
    never_met = any(
        status_of(p) == PairStatus.DORMANT and p % 40 == 16 for p in range(1, pairs + 1)
    )
    if never_met and figures.attention and figures.attention[0].last_met is not None:
        sys.exit(f"the attention list should start with a pair that never met: {figures.attention}")


# --- database ---------------------------------------------------------------------------


def seed(engine: sa.Engine, *, pairs: int) -> dict[str, int]:
    """Insert the scene; returns rows per table."""
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        for model, rows in TABLES:
            table = model.__table__
            counts[table.name] = 0
            for chunk in chunks(rows(pairs)):
                connection.execute(sa.insert(table), chunk)
                counts[table.name] += len(chunk)
    if engine.dialect.name == "postgresql":
        # What autovacuum would do shortly after a bulk load; makes plans repeatable.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))
    return counts


# --- measuring --------------------------------------------------------------------------


@dataclass
class Timing:
    best: float  # seconds
    median: float

    def ms(self) -> str:
        return f"{self.best * 1000:.2f} / {self.median * 1000:.2f}"


def timed(work: Callable[[], T], runs: int) -> tuple[Timing, T]:
    """One warm-up call, then `runs` timed calls; the result of the last."""
    result = work()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
    return Timing(min(seconds), statistics.median(seconds)), result


@dataclass
class Result:
    pairs: int
    rows: dict[str, int]
    seed_seconds: float
    figures: Timing
    statements: int
    message: Timing
    chart: Timing
    blocks: int
    png_bytes: int
    sql: list[str] = field(default_factory=list)


def bench_size(base_url: str, pairs: int, runs: int, *, show_sql: bool) -> Result:
    if sa.make_url(base_url).get_backend_name() == "postgresql":
        reset_postgres(base_url)
    upgrade(base_url)
    engine = make_engine(base_url)
    try:
        started = time.perf_counter()
        rows = seed(engine, pairs=pairs)
        seed_seconds = time.perf_counter() - started
        print(
            f"  seeded {sum(rows.values()):,} rows in {seed_seconds:.1f} s: "
            + ", ".join(f"{n:,} {name}" for name, n in rows.items())
        )
        sessions = make_sessionmaker(engine)
        counter = StatementCounter()
        counts: list[int] = []

        def figures_run() -> DigestFigures:
            with sessions() as session:
                counter.count = 0
                figures = weekly_figures(
                    session,
                    programme_id=PROGRAMME,
                    week_start=WEEK_START,
                    week_end=WEEK_END,
                    pulse_counts=pulse_counts,
                )
                counts.append(counter.count)
                return figures

        sa.event.listen(engine, "before_cursor_execute", counter)
        try:
            figures_timing, figures = timed(figures_run, runs)
            counter.recording = []
            figures_run()
            sql, counter.recording = counter.recording, None
        finally:
            sa.event.remove(engine, "before_cursor_execute", counter)
        if len(set(counts)) != 1:
            sys.exit(f"weekly_figures ran a varying number of statements: {counts}")
        check_figures(figures, pairs)

        message_timing, message = timed(lambda: digest_message(figures, today=NOW.date()), runs)
        chart_timing, png = timed(lambda: meetings_chart(figures.meetings_per_week), runs)
        if not png.startswith(b"\x89PNG"):
            sys.exit("meetings_chart did not return a PNG")
        print(
            f"  figures: {figures.active} active, {figures.at_risk} at risk,"
            f" {figures.dormant} dormant, {figures.paused} paused,"
            f" {figures.closed_this_week} closed this week; meetings this week"
            f" {figures.meetings_this_week}, last week {figures.meetings_last_week};"
            f" {figures.goals_completed} goals done, {figures.reflections} reflections,"
            f" pulses {figures.pulses}; {len(figures.attention)} pairs listed"
            f" (checked against the scene)"
        )
        return Result(
            pairs=pairs,
            rows=rows,
            seed_seconds=seed_seconds,
            figures=figures_timing,
            statements=counts[0],
            message=message_timing,
            chart=chart_timing,
            blocks=len(message.blocks),
            png_bytes=len(png),
            sql=sql if show_sql else [],
        )
    finally:
        engine.dispose()


def report(results: list[Result], backend: str, runs: int) -> None:
    print(
        f"\nweekly digest for {WEEK_START:%Y-%m-%d} to {WEEK_END:%Y-%m-%d} at"
        f" {NOW:%Y-%m-%d %H:%M}Z on {backend}; ms as best / median of {runs} runs"
        " after one warm-up"
    )
    header = (
        f"{'pairs':>8} {'meetings':>9} {'figures ms':>17} {'SQL':>4}"
        f" {'message ms':>15} {'chart ms':>17} {'blocks':>6} {'PNG bytes':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.pairs:>8,} {r.rows['meeting']:>9,} {r.figures.ms():>17} {r.statements:>4}"
            f" {r.message.ms():>15} {r.chart.ms():>17} {r.blocks:>6} {r.png_bytes:>9,}"
        )
    for r in results:
        if r.sql:
            print(f"\nSQL of weekly_figures at {r.pairs:,} pairs:")
            for statement in r.sql:
                print(f"  {statement}")
    statements = {r.statements for r in results}
    if len(statements) != 1:
        sys.exit(
            "\nFAIL: weekly_figures's SQL statements differ by size: "
            + ", ".join(f"{r.statements} at {r.pairs:,} pairs" for r in results)
        )
    print(
        f"\nSQL statements per weekly_figures (with pulse_counts): {statements.pop()} at every size"
    )


# --- main -------------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--pairs", type=sizes, default="1000,10000", help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each step")
    parser.add_argument(
        "--database-url",
        help="database to build and seed, afresh for each size; default: a SQLite file in a"
        " temporary directory, removed afterwards. A SQLite URL must name a file that does"
        " not exist yet; it is rebuilt for each size and removed at the end. A PostgreSQL"
        " URL (postgres://, postgresql://, postgresql+psycopg://) is DESTROYED: its public"
        " schema is dropped and recreated before each size. Use a scratch database such as"
        " mentorbot_bench; never one you care about, nor `test`, which the test suite owns.",
    )
    parser.add_argument(
        "--show-sql", action="store_true", help="print the SQL of weekly_figures at each size"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main() -> None:
    args = arguments()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="mentorbot-bench-") as scratch:
        url, backend = scratch_database(args.database_url, scratch)
        print(
            f"database: {sa.make_url(url).render_as_string()}"
            f"{' (public schema reset for each size)' if backend == 'postgresql' else ''}"
        )
        results = []
        for pairs in args.pairs:
            print(f"{pairs:,} pairs:")
            if backend == "sqlite":
                remove_sqlite(Path(sa.make_url(url).database or ""))
            results.append(bench_size(url, pairs, args.runs, show_sql=args.show_sql))
        if backend == "sqlite":
            remove_sqlite(Path(sa.make_url(url).database or ""))
        report(results, backend, args.runs)


if __name__ == "__main__":
    main()
