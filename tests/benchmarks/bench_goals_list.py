"""Latency of `/mentor-goals list` on a seeded database, next to Bolt's own floor.

Run on demand (pytest does not collect tests/benchmarks):

    python tests/benchmarks/bench_goals_list.py [--pairs 10000] [--requests 2000]
        [--database-url URL] [--show-sql]

It migrates a fresh database with Alembic, bulk-inserts people, pairs and goals with
SQLAlchemy Core, builds the real app against the Slack stand-in, and calls the WSGI
callable in-process with signed slash-command requests, so the figures are the app's
own cost (Bolt + listeners + database), not an HTTP client's or server's. A no-op
command registered on the same Bolt app measures Bolt's floor (signature check,
parsing, middleware, dispatch) in the same run; the difference of the medians is what
`/mentor-goals list` costs above it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import logging
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from benchdb import StatementCounter, reset_postgres
from slack_sdk.signature import SignatureVerifier

from bot.app import create_app
from bot.db import make_engine
from bot.demo.stand_in import TEAM_ID, TOKEN, SlackStandIn
from bot.models import Cadence, Goal, GoalStatus, Pair, PairStatus, Person, Programme
from bot.schema import upgrade
from bot.settings import Settings
from bot.web import EVENTS_PATH, make_wsgi

SIGNING_SECRET = "bench-signing-secret"
COORDINATOR = "UCOORD01"
COORDINATOR_CHANNEL = "C0COORDS"
PROGRAMME_NAME = "Benchmark programme"
GOALS_PER_PAIR = 3
ZONES = ("Europe/London", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney")
SEED = 20261122
NOOP = "/bench-noop"
GOALS = "/mentor-goals"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def slack_id(person_id: int) -> str:
    return f"UB{person_id:07d}"


# --- database ---------------------------------------------------------------------------


def seed(engine: sa.Engine, *, people: int, pairs: int) -> None:
    """One programme, `people` people, `pairs` active pairs and GOALS_PER_PAIR open goals each.

    Person i (1..pairs) is the mentee of pair i and of no other pair, so every mentee has
    exactly one open pair and `/mentor-goals list` needs no partner; mentors are the
    remaining people, in turn (each mentors several pairs when pairs > people / 2).
    """
    now = dt.datetime.now(dt.UTC)
    mentors = people - pairs
    programme_row = {
        "id": 1,
        "handle": "benchmark",
        "name": PROGRAMME_NAME,
        "is_default": True,  # the one create_app keeps in step
        "coordinator_channel_id": COORDINATOR_CHANNEL,
        "default_cadence": Cadence.BIWEEKLY,
        "default_weekday": 1,
        "created_at": now,
    }
    person_rows = [
        {
            "id": i,
            "team_id": TEAM_ID,
            "slack_user_id": slack_id(i),
            "tz": ZONES[i % len(ZONES)],
            "tz_refreshed_at": now,
            "active": True,
            "created_at": now,
        }
        for i in range(1, people + 1)
    ]
    cadences = list(Cadence)
    pair_rows = [
        {
            "id": i,
            "programme_id": 1,
            "mentor_id": pairs + 1 + (i - 1) % mentors,
            "mentee_id": i,
            "cadence": cadences[i % len(cadences)],
            "weekday": i % 5,
            "status": PairStatus.ACTIVE,
            "status_changed_at": now,
            "paused_until": None,
            "closed_at": None,
            "conversation_id": f"GB{i:07d}",
            "created_by": COORDINATOR,
            "created_at": now,
        }
        for i in range(1, pairs + 1)
    ]
    goal_rows = [
        {
            "id": (i - 1) * GOALS_PER_PAIR + number,
            "pair_id": i,
            "number": number,
            "owner_id": i if number % 2 else pair_rows[i - 1]["mentor_id"],
            "text": f"Goal {number} of pair {i}: read a chapter & write <notes> about it",
            "target_date": now.date() + dt.timedelta(days=30 * number) if number != 2 else None,
            "status": GoalStatus.OPEN,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(1, pairs + 1)
        for number in range(1, GOALS_PER_PAIR + 1)
    ]
    with engine.begin() as connection:
        connection.execute(sa.insert(Programme.__table__), [programme_row])
        connection.execute(sa.insert(Person.__table__), person_rows)
        connection.execute(sa.insert(Pair.__table__), pair_rows)
        connection.execute(sa.insert(Goal.__table__), goal_rows)
        if engine.dialect.name == "postgresql":
            # Explicit ids do not advance SERIAL sequences; later inserts would collide.
            for model in (Programme, Person, Pair, Goal):
                table = model.__table__
                sequence = sa.func.pg_get_serial_sequence(table.name, "id")
                highest = sa.select(sa.func.max(table.c.id)).scalar_subquery()
                connection.execute(sa.select(sa.func.setval(sequence, highest)))
    if engine.dialect.name == "postgresql":
        # What autovacuum would do shortly after a bulk load; makes plans repeatable.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))


# --- requests ---------------------------------------------------------------------------


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)


def command_environ(verifier: SignatureVerifier, command: str, text: str, user: str) -> dict:
    """A signed slash-command POST as a WSGI environ, the way Slack sends it."""
    form = {
        "token": "deprecated-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "mentoring",
        "channel_id": "C0GENERAL",
        "channel_name": "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": "A0MENTORBOT",
        "is_enterprise_install": "false",
        "response_url": "https://hooks.slack.com/commands/T0MENTOR/1/abc",
        "trigger_id": "1.2.abc",
    }
    body = urlencode(form)
    timestamp = str(int(time.time()))
    signature = verifier.generate_signature(timestamp=timestamp, body=body)
    data = body.encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": EVENTS_PATH,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "3000",
        # Bolt's WSGI adapter answers 400 unless the protocol starts with HTTP.
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(data)),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp,
        "HTTP_X_SLACK_SIGNATURE": signature,
        "wsgi.input": io.BytesIO(data),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def call(wsgi: WSGIApp, environ: dict) -> tuple[float, str, str]:
    """(seconds, status line, body) for one request; only the app's work is timed."""
    statuses: list[str] = []

    def start_response(status: str, headers: list, exc_info: object = None) -> None:
        statuses.append(status)

    started = time.perf_counter()
    body = b"".join(wsgi(environ, start_response))
    elapsed = time.perf_counter() - started
    return elapsed, statuses[0], body.decode()


def check(command: str, status: str, body: str) -> None:
    if not status.startswith("200"):
        sys.exit(f"{command}: answered {status}: {body[:500]}")
    if command == GOALS and "Open goals" not in body:
        sys.exit(f"{command}: no 'Open goals' in the reply: {body[:500]}")


def run(
    wsgi: WSGIApp,
    counter: StatementCounter,
    mentees: list[str],
    *,
    requests: int,
    warmup: int,
    rng: random.Random,
) -> dict[str, Timings]:
    verifier = SignatureVerifier(SIGNING_SECRET)
    timings = {GOALS: Timings(), NOOP: Timings()}
    for i in range(warmup + requests):
        user = rng.choice(mentees)  # the mentee of a random pair
        # Alternate which goes first, so neither always follows the other.
        order = [(GOALS, "list"), (NOOP, "")] if i % 2 else [(NOOP, ""), (GOALS, "list")]
        for command, text in order:
            environ = command_environ(verifier, command, text, user)
            counter.count = 0
            elapsed, status, body = call(wsgi, environ)
            check(command, status, body)
            if i >= warmup:
                timings[command].seconds.append(elapsed)
                timings[command].statements.append(counter.count)
    return timings


def report(timings: dict[str, Timings]) -> None:
    def ms(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000

    print(f"\n{'request':<20} {'requests':>8} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}  (ms)")
    for name, label in ((GOALS, "/mentor-goals list"), (NOOP, NOOP)):
        values = timings[name].seconds
        row = [ms(values, 50), ms(values, 90), ms(values, 99), max(values) * 1000]
        print(f"{label:<20} {len(values):>8} " + " ".join(f"{v:>8.3f}" for v in row))
    floor = statistics.median(timings[NOOP].seconds) * 1000
    goals = statistics.median(timings[GOALS].seconds) * 1000
    print(f"\napp cost above Bolt's floor (p50 difference): {goals - floor:.3f} ms")
    counts = timings[GOALS].statements
    print(
        f"SQL statements per /mentor-goals list: {statistics.fmean(counts):.2f} on average"
        f" (min {min(counts)}, max {max(counts)});"
        f" per {NOOP}: {statistics.fmean(timings[NOOP].statements):.2f}"
    )


# --- main -------------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--pairs", type=int, default=10_000, help="active pairs to seed")
    parser.add_argument(
        "--people", type=int, default=20_000, help="people to seed (more than --pairs)"
    )
    parser.add_argument(
        "--requests", type=int, default=2000, help="measured requests of each command"
    )
    parser.add_argument(
        "--warmup", type=int, default=100, help="unmeasured requests of each command first"
    )
    parser.add_argument(
        "--database-url",
        help="database to build and seed; default: a SQLite file in a temporary directory,"
        " removed afterwards. A SQLite URL must name a file that does not exist yet."
        " A PostgreSQL URL (postgres://, postgresql://, postgresql+psycopg://) is DESTROYED:"
        " its public schema is dropped and recreated before migrating. Never point it at"
        " a database you care about (nor at `test`, which the test suite owns).",
    )
    parser.add_argument(
        "--show-sql", action="store_true", help="print the SQL of one /mentor-goals list"
    )
    args = parser.parse_args()
    if not 0 < args.pairs < args.people:
        parser.error("--pairs must be at least 1 and fewer than --people")
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be at least 1 and --warmup not negative")
    return args


def main() -> None:
    args = arguments()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="mentorbot-bench-") as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        url = Settings(DATABASE_URL=url).database_url
        bench(args, url)


def bench(args: argparse.Namespace, url: str) -> None:
    backend = sa.make_url(url).get_backend_name()
    if backend == "postgresql":
        print(f"resetting the public schema of {sa.make_url(url).render_as_string()}")
        reset_postgres(url)
    elif backend == "sqlite":
        path = sa.make_url(url).database
        if not path or path == ":memory:" or Path(path).exists():
            sys.exit(f"{url}: give a SQLite file that does not exist yet")
    started = time.perf_counter()
    upgrade(url)
    print(f"migrated {backend} database in {time.perf_counter() - started:.2f} s")

    engine = make_engine(url)
    started = time.perf_counter()
    seed(engine, people=args.people, pairs=args.pairs)
    print(
        f"seeded 1 programme, {args.people} people, {args.pairs} pairs,"
        f" {args.pairs * GOALS_PER_PAIR} goals in {time.perf_counter() - started:.2f} s"
    )

    stand_in = SlackStandIn().start()
    try:
        settings = Settings(
            DATABASE_URL=url,
            SLACK_API_URL=stand_in.url,
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            MENTORBOT_COORDINATORS=COORDINATOR,
            MENTORBOT_COORDINATOR_CHANNEL=COORDINATOR_CHANNEL,
            MENTORBOT_PROGRAMME_NAME=PROGRAMME_NAME,
            LOG_LEVEL="WARNING",
        )
        app, deps = create_app(settings, engine=engine)
        assert deps.programme_id == 1, "create_app made a second programme"

        @app.command(NOOP)
        def bench_noop(ack) -> None:  # Bolt passes arguments by name
            ack()

        wsgi = make_wsgi(app, engine)
        counter = StatementCounter()
        sa.event.listen(engine, "before_cursor_execute", counter)
        mentees = [slack_id(i) for i in range(1, args.pairs + 1)]
        rng = random.Random(SEED)

        started = time.perf_counter()
        timings = run(wsgi, counter, mentees, requests=args.requests, warmup=args.warmup, rng=rng)
        elapsed = time.perf_counter() - started
        total = 2 * (args.requests + args.warmup)
        print(f"sent {total} requests ({args.warmup} warm-up of each) in {elapsed:.1f} s")
        print(f"Slack Web API calls seen by the stand-in: {len(stand_in.calls)}")
        report(timings)

        if args.show_sql:
            counter.recording = []
            environ = command_environ(
                SignatureVerifier(SIGNING_SECRET), GOALS, "list", rng.choice(mentees)
            )
            call(wsgi, environ)
            print("\nSQL of one /mentor-goals list:")
            for statement in counter.recording:
                print("  " + " ".join(statement.split()))
    finally:
        stand_in.stop()
        engine.dispose()


if __name__ == "__main__":
    main()
