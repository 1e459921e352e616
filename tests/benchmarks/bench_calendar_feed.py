"""Serving one person's calendar feed: time and SQL statements per request.

Run on demand (pytest does not collect tests/benchmarks):

    python tests/benchmarks/bench_calendar_feed.py [--requests 200] [--others 1000]
        [--database-url URL]

It migrates a fresh database and seeds a person in three pairs (weekly with an agreed
time in Berlin, fortnightly, monthly), each with twelve weeks of history (periods
confirmed, moved and skipped, meetings, an agreement), among `--others` other pairs. It
then asks the WSGI app for the feed as a calendar client does: a cold GET (the body, its
ETag), then GETs with `If-None-Match` (304). It prints the median and 95th percentile of
each, the body's size and events, and the statements per request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from benchdb import StatementCounter, remove_sqlite, reset_postgres

from bot.app import create_app
from bot.db import make_engine
from bot.demo.stand_in import TOKEN, SlackStandIn
from bot.flows.calendars import feed, feed_url
from bot.models import (
    Agreement,
    AgreementStatus,
    Cadence,
    Meeting,
    MeetingSource,
    Pair,
    Period,
    PeriodAnswer,
    Person,
)
from bot.schema import upgrade
from bot.settings import Settings
from bot.web import make_wsgi

NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
STARTED = NOW - dt.timedelta(weeks=12)
SUBJECT = "USUBJECT1"
CADENCES = ((Cadence.WEEKLY, 1), (Cadence.BIWEEKLY, 2), (Cadence.MONTHLY, 3))


def seed(engine: sa.Engine, others: int) -> None:
    with sa.orm.Session(engine) as session, session.begin():
        subject = Person(team_id="T1", slack_user_id=SUBJECT, tz="Europe/London", name="ana")
        session.add(subject)
        for n, (cadence, weekday) in enumerate(CADENCES):
            partner = Person(
                team_id="T1", slack_user_id=f"UPARTNER{n}", tz="Europe/Berlin", name=f"p{n}"
            )
            pair = Pair(
                programme_id=1,
                mentor=subject,
                mentee=partner,
                cadence=cadence,
                weekday=weekday,
                status_changed_at=STARTED,
                conversation_id=f"G0PAIR{n}",
                created_by="UCOORD",
                created_at=STARTED,
            )
            session.add(pair)
            session.flush()
            session.add(
                Agreement(
                    pair_id=pair.id,
                    cadence=cadence,
                    weekday=weekday,
                    meets_at=dt.time(15, 0) if n == 0 else None,
                    status=AgreementStatus.AGREED,
                    proposed_by=partner.slack_user_id,
                    proposed_at=STARTED,
                    agreed_by=SUBJECT,
                    agreed_at=STARTED,
                    starts_on=STARTED.date(),
                )
            )
            for week in range(12):
                monday = STARTED.date() + dt.timedelta(weeks=week)
                answer = (PeriodAnswer.CONFIRMED, PeriodAnswer.RESCHEDULED, PeriodAnswer.SKIPPED)
                session.add(
                    Period(
                        pair_id=pair.id,
                        starts_on=monday,
                        answer=answer[week % 3],
                        meeting_day=monday + dt.timedelta(days=3) if week % 3 == 1 else None,
                        reschedules=1 if week % 3 == 1 else 0,
                        answered_by=SUBJECT,
                        updated_at=STARTED + dt.timedelta(weeks=week),
                    )
                )
                if week % 3 != 2:
                    session.add(
                        Meeting(
                            pair_id=pair.id,
                            held_on=monday + dt.timedelta(days=weekday),
                            source=MeetingSource.BUTTON,
                            recorded_by=SUBJECT,
                            created_at=STARTED + dt.timedelta(weeks=week),
                        )
                    )
        people = [
            Person(team_id="T1", slack_user_id=f"UOTHER{n:05d}", tz="America/New_York")
            for n in range(2 * others)
        ]
        session.add_all(people)
        session.flush()
        session.add_all(
            Pair(
                programme_id=1,
                mentor_id=people[2 * n].id,
                mentee_id=people[2 * n + 1].id,
                cadence=Cadence.WEEKLY,
                weekday=2,
                status_changed_at=STARTED,
                created_by="UCOORD",
                created_at=STARTED,
            )
            for n in range(others)
        )


def request(wsgi, path: str, etag: str | None = None) -> tuple[str, dict[str, str], bytes]:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "wsgi.input": io.BytesIO()}
    if etag:
        environ["HTTP_IF_NONE_MATCH"] = etag
    answer: dict = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(wsgi(environ, start_response))
    return answer["status"], answer["headers"], body


def timed(fn, times: int) -> list[float]:
    out = []
    for _ in range(times):
        began = time.perf_counter()
        fn()
        out.append((time.perf_counter() - began) * 1000)
    return out


def summary(label: str, ms: list[float]) -> str:
    p95 = statistics.quantiles(ms, n=20)[-1] if len(ms) >= 20 else max(ms)
    return f"{label}: median {statistics.median(ms):.2f} ms, p95 {p95:.2f} ms ({len(ms)} requests)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--others", type=int, default=1000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp()) / "feed.db"
    url = args.database_url or f"sqlite:///{scratch}"
    if url.startswith("postgresql"):
        reset_postgres(url)
    upgrade(url)
    engine = make_engine(url)
    stand_in = SlackStandIn().start()  # Bolt checks the token once, at start
    settings = Settings(
        SLACK_API_URL=stand_in.url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET="bench-secret",
        DATABASE_URL=url,
        MENTORBOT_PUBLIC_URL="https://mentorbot.example.com",
    )
    app, deps = create_app(settings, engine=engine, clock=lambda: NOW)
    seed(engine, args.others)
    with deps.sessions.begin() as session:
        subject = session.scalars(sa.select(Person).where(Person.slack_user_id == SUBJECT))
        link = feed_url(deps, session, subject.one()) or ""
    wsgi = make_wsgi(app, engine, calendar=partial(feed, deps))
    path = link.removeprefix(settings.public_url or "")
    counter = StatementCounter()
    sa.event.listen(engine, "before_cursor_execute", counter)
    status, headers, body = request(wsgi, path)
    cold_statements, counter.count = counter.count, 0
    assert status == "200 OK", status
    etag = headers["ETag"]
    events = body.count(b"BEGIN:VEVENT")
    cold = timed(lambda: request(wsgi, path), args.requests)
    hits = timed(lambda: request(wsgi, path, etag), args.requests)
    assert request(wsgi, path, etag)[0] == "304 Not Modified"
    hit_statements = counter.count // (2 * args.requests + 1)
    print(f"database: {engine.dialect.name}; 3 pairs, 12 weeks of history, {args.others} others")
    print(f"feed: {len(body)} bytes, {events} events; {cold_statements} statements a request")
    print(summary("cold (200, the whole feed)", cold))
    print(summary("ETag hit (304, no body)", hits))
    print(f"statements per request after the first: {hit_statements}")
    engine.dispose()
    stand_in.stop()
    if not args.database_url:
        remove_sqlite(scratch)


if __name__ == "__main__":
    sys.exit(main())
