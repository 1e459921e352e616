"""Time and SQL statements of one scheduler pass, at growing numbers of pairs with 1% due.

Run on demand (pytest does not collect tests/benchmarks):

    python tests/benchmarks/bench_pass.py [--pairs 1000,10000,100000] [--due 0.01]
        [--database-url URL] [--show-sql]

For each size it migrates a fresh database with Alembic and bulk-inserts (SQLAlchemy
Core, in chunks) one programme, two people per pair and the pairs with a week of
history, then runs `bot.rhythm.passes.run_pass` once against the Slack stand-in at a
fixed instant, and once more at the same instant.

The scene: every pair is weekly on Tuesday, both people in Europe/Berlin, created some
weeks ago. Last week each pair was nudged, reminded and checked in on (sent outbox rows),
answered the nudge (a period row) and met on Tuesday (a meeting row); each has two open
goals, one untouched for 45 days. The pass runs on Friday at 10:00 Berlin time, when the
nudge for next Tuesday is due. About `--due` of the pairs (every 1/due-th, spread over the
ids) have `next_check_at` at that instant, as the previous pass left them; the rest have
it later in the coming week, so the pass must not read them at all. Each person's zone
was refreshed from users.info at the pass instant, so no users.info calls are made and
the figures are the pass's own. The second pass at the same instant has nothing to plan
and nothing to deliver; it should cost a handful of statements whatever the size.

The pass's time is split where delivery starts: the benchmark wraps
`bot.rhythm.outbox.deliver` to note the clock and the statement count when it is called
(it changes nothing). "plan" is choosing the due pairs, planning them and writing the
outbox; "deliver" is claiming the outbox rows, posting them to the stand-in over HTTP
and recording each outcome.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from sqlalchemy import orm as so

from bot.calendar import WorkingHours
from bot.db import make_engine, make_sessionmaker
from bot.demo.stand_in import TEAM_ID, TOKEN, SlackStandIn
from bot.models import (
    Cadence,
    Goal,
    GoalStatus,
    Meeting,
    MeetingSource,
    OutboxMessage,
    OutboxStatus,
    Pair,
    PairStatus,
    Period,
    PeriodAnswer,
    Person,
    Programme,
)
from bot.rhythm import outbox
from bot.rhythm.passes import pair_state, run_pass
from bot.rhythm.planning import PeriodNote, plan_pair
from bot.schema import upgrade
from bot.services.rhythms import rhythm_of
from bot.slack import make_client

TZ = "Europe/Berlin"
TUESDAY = 1
# Friday 13 March 2026, 10:00 in Berlin (CET, UTC+1): the nudge for Tuesday 17 March is due.
NOW = dt.datetime(2026, 3, 13, 9, 0, tzinfo=dt.UTC)
CREATED = dt.datetime(2026, 1, 19, 12, 0, tzinfo=dt.UTC)  # eight weeks before
LAST_PERIOD = dt.date(2026, 3, 9)  # last week's Monday
LAST_MEETING = dt.date(2026, 3, 10)  # last week's Tuesday
# Last week's messages, as a previous pass sent them (UTC; Berlin is UTC+1 in March).
LAST_NUDGE_AT = dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC)  # Friday 10:00
LAST_REMINDER_AT = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)  # Tuesday 09:00
LAST_CHECKIN_AT = dt.datetime(2026, 3, 11, 9, 0, tzinfo=dt.UTC)  # Wednesday 10:00
NOT_DUE_SPREAD_MINUTES = 7 * 24 * 60
COORDINATOR = "UCOORD01"
COORDINATOR_CHANNEL = "C0COORDS"


def mentee_id(pair: int) -> int:
    return 2 * pair - 1


def mentor_id(pair: int) -> int:
    return 2 * pair


def slack_id(person: int) -> str:
    return f"UP{person:07d}"


def conversation(pair: int) -> str:
    return f"GP{pair:07d}"


# --- database ---------------------------------------------------------------------------


def due_step(due: float) -> int:
    """Every `due_step`-th pair is due: 1% due is every 100th pair."""
    return max(1, round(1 / due))


def is_due(pair: int, step: int) -> bool:
    return pair % step == 0


def next_check(pair: int, step: int) -> dt.datetime:
    if is_due(pair, step):
        return NOW
    # Later in the coming week, spread so the index has many distinct values.
    return NOW + dt.timedelta(minutes=1 + (pair * 7919) % NOT_DUE_SPREAD_MINUTES)


def programme_rows() -> Iterator[Row]:
    yield {
        "id": 1,
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
            "tz_refreshed_at": NOW,  # fresh: the pass makes no users.info calls
            "active": True,
            "created_at": CREATED,
        }


def pair_rows(pairs: int, step: int) -> Iterator[Row]:
    for pair in range(1, pairs + 1):
        yield {
            "id": pair,
            "programme_id": 1,
            "mentor_id": mentor_id(pair),
            "mentee_id": mentee_id(pair),
            "cadence": Cadence.WEEKLY,
            "weekday": TUESDAY,
            "status": PairStatus.ACTIVE,
            "status_changed_at": CREATED,
            "paused_until": None,
            "closed_at": None,
            "conversation_id": conversation(pair),
            "next_check_at": next_check(pair, step),
            "created_by": COORDINATOR,
            "created_at": CREATED,
        }


def goal_rows(pairs: int) -> Iterator[Row]:
    for pair in range(1, pairs + 1):
        for number, updated in ((1, NOW - dt.timedelta(days=45)), (2, LAST_CHECKIN_AT)):
            yield {
                "id": 2 * (pair - 1) + number,
                "pair_id": pair,
                "number": number,
                "owner_id": mentee_id(pair),
                "text": f"Goal {number} of pair {pair}: read a chapter & write <notes> on it",
                "target_date": None,
                "status": GoalStatus.OPEN,
                "created_at": CREATED,
                "updated_at": updated,
            }


def period_rows(pairs: int) -> Iterator[Row]:
    for pair in range(1, pairs + 1):
        yield {
            "id": pair,
            "pair_id": pair,
            "starts_on": LAST_PERIOD,
            "meeting_day": None,
            "answer": PeriodAnswer.CONFIRMED,
            "reschedules": 0,
            "answered_by": slack_id(mentee_id(pair)),
            "updated_at": LAST_NUDGE_AT + dt.timedelta(hours=1),
        }


def meeting_rows(pairs: int) -> Iterator[Row]:
    for pair in range(1, pairs + 1):
        yield {
            "id": pair,
            "pair_id": pair,
            "held_on": LAST_MEETING,
            "source": MeetingSource.REACTION,
            "recorded_by": slack_id(mentee_id(pair)),
            "created_at": LAST_CHECKIN_AT + dt.timedelta(hours=1),
        }


def outbox_rows(pairs: int) -> Iterator[Row]:
    """Last week's nudge, two reminders and check-in for each pair, sent."""
    for pair in range(1, pairs + 1):
        mentee, mentor = slack_id(mentee_id(pair)), slack_id(mentor_id(pair))
        period, day = LAST_PERIOD.isoformat(), LAST_MEETING.isoformat()
        sent = [
            ("nudge", f"nudge:{pair}:{period}", conversation(pair), LAST_NUDGE_AT),
            ("reminder", f"reminder:{pair}:{period}:{day}:{mentee}", mentee, LAST_REMINDER_AT),
            ("reminder", f"reminder:{pair}:{period}:{day}:{mentor}", mentor, LAST_REMINDER_AT),
            ("checkin", f"checkin:{pair}:{period}:{day}", conversation(pair), LAST_CHECKIN_AT),
        ]
        for offset, (kind, key, channel, at) in enumerate(sent):
            yield {
                "id": 4 * (pair - 1) + offset + 1,
                "key": key,
                "kind": kind,
                "pair_id": pair,
                "channel": channel,
                "payload": {"text": f"last week's {kind}", "blocks": []},
                "status": OutboxStatus.SENT,
                "not_before": at,
                "expires_at": at + dt.timedelta(hours=8),
                "attempts": 1,
                "claimed_at": at,
                "sent_at": at,
                "slack_ts": f"{at.timestamp():.0f}.{pair:06d}",
                "error": None,
                "created_at": at - dt.timedelta(days=2),
            }


TABLES: list[tuple[type, Callable[[int, int], Iterable[Row]]]] = [
    (Programme, lambda pairs, step: programme_rows()),
    (Person, lambda pairs, step: person_rows(pairs)),
    (Pair, pair_rows),
    (Goal, lambda pairs, step: goal_rows(pairs)),
    (Period, lambda pairs, step: period_rows(pairs)),
    (Meeting, lambda pairs, step: meeting_rows(pairs)),
    (OutboxMessage, lambda pairs, step: outbox_rows(pairs)),
]


def seed(engine: sa.Engine, *, pairs: int, step: int) -> int:
    """Insert the scene; returns how many rows."""
    total = 0
    with engine.begin() as connection:
        for model, rows in TABLES:
            table = model.__table__
            for chunk in chunks(rows(pairs, step)):
                connection.execute(sa.insert(table), chunk)
                total += len(chunk)
        if engine.dialect.name == "postgresql":
            # Explicit ids do not advance SERIAL sequences; the pass's inserts would collide.
            for model, _rows in TABLES:
                table = model.__table__
                sequence = sa.func.pg_get_serial_sequence(table.name, "id")
                highest = sa.select(sa.func.max(table.c.id)).scalar_subquery()
                connection.execute(sa.select(sa.func.setval(sequence, highest)))
    if engine.dialect.name == "postgresql":
        # What autovacuum would do shortly after a bulk load; makes plans repeatable.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))
    return total


def check_scene(sessions: so.sessionmaker[so.Session], step: int) -> str:
    """Plan one due pair from the seeded state: exactly next Tuesday's nudge must be due."""
    with sessions() as session:
        pair = session.scalars(
            sa.select(Pair)
            .where(Pair.id == step)
            .options(so.joinedload(Pair.mentor), so.joinedload(Pair.mentee))
        ).one()
        notes = {
            p.starts_on: PeriodNote(p.meeting_day, p.answer)
            for p in session.scalars(sa.select(Period).where(Period.pair_id == pair.id))
        }
        met = frozenset(
            session.scalars(sa.select(Meeting.held_on).where(Meeting.pair_id == pair.id))
        )
        plan = plan_pair(pair_state(pair, rhythm_of(pair), notes, met), NOW, WorkingHours())
    due = [(d.kind, d.meeting_day) for d in plan.due]
    tuesday = NOW.date() + dt.timedelta(days=4)
    if due != [("nudge", tuesday)] or plan.next_check_at is None or plan.next_check_at <= NOW:
        sys.exit(f"the scene is wrong: pair {step} at {NOW:%Y-%m-%d %H:%M}Z plans {plan}")
    return f"pair {step} plans the nudge for {tuesday:%A %d %B}; next check {plan.next_check_at}"


# --- measuring --------------------------------------------------------------------------


@dataclass
class PassFigures:
    pairs_checked: int = 0
    planned: int = 0
    sent: int = 0
    failed: int = 0
    seconds: float = 0.0
    statements: int = 0
    plan_seconds: float = 0.0
    plan_statements: int = 0
    slack_calls: dict[str, int] = field(default_factory=dict)
    sql: list[str] = field(default_factory=list)


@contextmanager
def delivery_watch(counter: StatementCounter) -> Iterator[list[tuple[float, int]]]:
    """Notes (clock, statements) at the first call of outbox.deliver; behaviour unchanged."""
    marks: list[tuple[float, int]] = []
    original = outbox.deliver

    def deliver(*args: Any, **kwargs: Any) -> outbox.DeliveryReport:
        if not marks:
            marks.append((time.perf_counter(), counter.count))
        return original(*args, **kwargs)

    outbox.deliver = deliver  # type: ignore[assignment]
    try:
        yield marks
    finally:
        outbox.deliver = original  # type: ignore[assignment]


def one_pass(
    sessions: so.sessionmaker[so.Session],
    stand_in: SlackStandIn,
    counter: StatementCounter,
    *,
    record: bool,
) -> PassFigures:
    client = make_client(token=TOKEN, base_url=stand_in.url, wait_on_429=False)
    stand_in.reset_calls()
    counter.count = 0
    counter.recording = [] if record else None
    with delivery_watch(counter) as marks:
        started = time.perf_counter()
        summary = run_pass(sessions, client, NOW, WorkingHours())
        elapsed = time.perf_counter() - started
    figures = PassFigures(
        pairs_checked=summary.pairs,
        planned=summary.planned,
        sent=summary.sent,
        failed=summary.failed,
        seconds=elapsed,
        statements=counter.count,
        sql=counter.recording or [],
    )
    if marks:
        figures.plan_seconds = marks[0][0] - started
        figures.plan_statements = marks[0][1]
    for call in stand_in.calls:
        figures.slack_calls[call.method] = figures.slack_calls.get(call.method, 0) + 1
    counter.recording = None
    return figures


@dataclass
class Result:
    pairs: int
    due: int
    rows: int
    seed_seconds: float
    first: PassFigures
    second: PassFigures


def bench_size(base_url: str, pairs: int, step: int, *, show_sql: bool) -> Result:
    backend = sa.make_url(base_url).get_backend_name()
    if backend == "postgresql":
        reset_postgres(base_url)
    upgrade(base_url)
    engine = make_engine(base_url)
    try:
        started = time.perf_counter()
        rows = seed(engine, pairs=pairs, step=step)
        seed_seconds = time.perf_counter() - started
        sessions = make_sessionmaker(engine)
        due = pairs // step
        print(f"  seeded {rows:,} rows in {seed_seconds:.1f} s; {check_scene(sessions, step)}")

        counter = StatementCounter()
        sa.event.listen(engine, "before_cursor_execute", counter)
        stand_in = SlackStandIn().start()
        try:
            first = one_pass(sessions, stand_in, counter, record=False)
            second = one_pass(sessions, stand_in, counter, record=show_sql)
        finally:
            stand_in.stop()
        sa.event.remove(engine, "before_cursor_execute", counter)
        check_outcome(sessions, due, first, second)
        print(
            f"  pass 1: {first.pairs_checked} pairs checked, {first.planned} planned,"
            f" {first.sent} sent, {first.failed} failed; Slack calls {first.slack_calls}"
        )
        print(
            f"  pass 2: {second.pairs_checked} pairs checked, {second.planned} planned,"
            f" {second.sent} sent; Slack calls {second.slack_calls or 'none'}"
        )
        if show_sql:
            print("  SQL of the second pass:")
            for statement in second.sql:
                print(f"    {statement}")
        return Result(pairs, due, rows, seed_seconds, first, second)
    finally:
        engine.dispose()


def check_outcome(
    sessions: so.sessionmaker[so.Session], due: int, first: PassFigures, second: PassFigures
) -> None:
    with sessions() as session:
        nudges = session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.kind == "nudge",
                OutboxMessage.status == OutboxStatus.SENT,
                OutboxMessage.not_before == NOW,
            )
        )
        still_due = session.scalar(
            sa.select(sa.func.count()).select_from(Pair).where(Pair.next_check_at <= NOW)
        )
    problems = []
    if first.pairs_checked != due or first.sent != due or nudges != due:
        problems.append(
            f"first pass checked {first.pairs_checked} pairs and sent {first.sent};"
            f" {nudges} nudges recorded sent; {due} expected"
        )
    if still_due:
        problems.append(f"{still_due} pairs are still due after the pass")
    if second.pairs_checked or second.sent:
        problems.append(f"second pass checked {second.pairs_checked}, sent {second.sent}")
    if problems:
        sys.exit("unexpected outcome: " + "; ".join(problems))


def report(results: list[Result], backend: str) -> None:
    print(
        f"\nOne pass at {NOW:%Y-%m-%d %H:%M}Z (Friday 10:00 Europe/Berlin) on {backend};"
        " tz_refreshed_at seeded = the pass instant, so no users.info calls."
    )
    header = (
        f"{'pairs':>8} {'due':>5} {'sent':>5} {'pass s':>7} {'plan s':>7} {'deliver s':>9}"
        f" {'SQL':>6} {'plan SQL':>8} {'SQL/due':>7} {'Slack':>6}"
        f" {'2nd s':>7} {'2nd SQL':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        first, second = r.first, r.second
        per_due = first.statements / r.due if r.due else float("nan")
        slack = sum(first.slack_calls.values())
        print(
            f"{r.pairs:>8,} {r.due:>5} {first.sent:>5} {first.seconds:>7.3f}"
            f" {first.plan_seconds:>7.3f} {first.seconds - first.plan_seconds:>9.3f}"
            f" {first.statements:>6} {first.plan_statements:>8} {per_due:>7.2f} {slack:>6}"
            f" {second.seconds:>7.4f} {second.statements:>7}"
        )
    print(
        "\npass s = plan s (pick due pairs, plan, write outbox) + deliver s (claim, post to the"
        " stand-in over HTTP, record each outcome);\nSQL = statements the engine executed in"
        " the pass; Slack = Web API calls the stand-in answered; 2nd = the same instant again."
    )


# --- main -------------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--pairs", type=sizes, default="1000,10000,100000", help="comma-separated sizes"
    )
    parser.add_argument(
        "--due",
        type=float,
        default=0.01,
        help="share of the pairs with a message due (every round(1/due)-th pair)",
    )
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
        "--show-sql", action="store_true", help="print the SQL of the second pass of each size"
    )
    args = parser.parse_args()
    if not 0 < args.due <= 1:
        parser.error("--due must be in (0, 1]")
    if min(args.pairs) < due_step(args.due):
        parser.error(f"each size needs at least {due_step(args.due)} pairs for one to be due")
    return args


def main() -> None:
    args = arguments()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="mentorbot-bench-") as scratch:
        url, backend = scratch_database(args.database_url, scratch)
        step = due_step(args.due)
        print(
            f"database: {sa.make_url(url).render_as_string()}"
            f"{' (public schema reset for each size)' if backend == 'postgresql' else ''}"
        )
        results = []
        for pairs in args.pairs:
            print(f"{pairs:,} pairs, 1 in {step} due:")
            if backend == "sqlite":
                remove_sqlite(Path(sa.make_url(url).database or ""))
            results.append(bench_size(url, pairs, step, show_sql=args.show_sql))
        if backend == "sqlite":
            remove_sqlite(Path(sa.make_url(url).database or ""))
        report(results, backend)


if __name__ == "__main__":
    main()
