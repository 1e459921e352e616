"""Seeding many due pairs fast, and reading back what the Slack stand-in and the outbox saw."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.demo.stand_in import TEAM_ID, TOKEN, SlackStandIn
from bot.models import Cadence, OutboxMessage, Pair, PairStatus, Person
from bot.programme_defaults import DefaultValues
from bot.services.programmes import default_programme
from bot.settings import Settings
from tests.channels import is_digest

ZONE = "Europe/Berlin"
# A Monday some weeks before the instants below (10:00 in Berlin), so no first-period rule applies.
# A Monday long enough before the instants below that no 30- or 90-day pulse is due then.
CREATED_AT = dt.datetime(2026, 8, 3, 8, 0, tzinfo=dt.UTC)
# Weekly pairs meeting on Tuesdays, in Berlin (CEST, UTC+2, until 25 October 2026):
# - Wednesday 7 October 10:00 local: exactly one message is due per pair, the check-in
#   for the meeting on Tuesday 6 October (the previous check-in expired on Monday 5th,
#   the next nudge is due on Friday 9th).
# - Friday 9 October 10:00 local: two are due per pair, that check-in (still live until
#   Monday 12th) and the nudge for Tuesday 13 October.
WEDNESDAY = dt.datetime(2026, 10, 7, 8, 0, tzinfo=dt.UTC)
FRIDAY = dt.datetime(2026, 10, 9, 8, 0, tzinfo=dt.UTC)
POST = "chat.postMessage"


def seed_pairs(
    engine: sa.Engine,
    settings: Settings,
    slack: SlackStandIn,
    count: int,
    *,
    next_check_at: dt.datetime,
) -> list[int]:
    """`count` active weekly Tuesday pairs in Berlin, with bulk inserts; their ids in order.

    The people are Slack users of the stand-in too; their zones count as fresh at
    `next_check_at`, so a pass calls users.info for them only a day later.
    """
    with engine.begin() as connection:
        with so.Session(bind=connection) as session:
            programme = default_programme(
                session,
                DefaultValues(
                    name=settings.programme_name,
                    coordinator_channel_id=settings.coordinator_channel,
                ),
            )
            # These pairs have no meetings; keep dormancy out of what these tests count.
            programme.at_risk_periods = programme.dormant_periods = 99
            programme_id = programme.id
            session.flush()
        people = [
            {
                "team_id": TEAM_ID,
                "slack_user_id": f"U{role}{n:05d}",
                "tz": ZONE,
                "tz_refreshed_at": next_check_at,
                "active": True,
                "created_at": CREATED_AT,
            }
            for n in range(count)
            for role in ("M", "E")
        ]
        connection.execute(sa.insert(Person), people)
        for person in people:
            slack.add_user(person["slack_user_id"], tz=ZONE)
        ids = dict(
            connection.execute(
                sa.select(Person.slack_user_id, Person.id).where(
                    Person.slack_user_id.like("UM%") | Person.slack_user_id.like("UE%")
                )
            ).all()
        )
        pairs = [
            {
                "programme_id": programme_id,
                "mentor_id": ids[f"UM{n:05d}"],
                "mentee_id": ids[f"UE{n:05d}"],
                "cadence": Cadence.WEEKLY,
                "weekday": 1,
                "status": PairStatus.ACTIVE,
                "status_changed_at": CREATED_AT,
                "conversation_id": f"G{n:05d}",
                "next_check_at": next_check_at,
                "created_by": "UCOORD01",
                "created_at": CREATED_AT,
            }
            for n in range(count)
        ]
        connection.execute(sa.insert(Pair), pairs)
        return list(connection.scalars(sa.select(Pair.id).order_by(Pair.id)))


def touch_pairs(engine: sa.Engine, when: dt.datetime) -> None:
    """Ask the next pass to plan every pair again, as any change to a pair's state does."""
    with engine.begin() as connection:
        connection.execute(sa.update(Pair).values(next_check_at=when))


def metadata_key(args: dict[str, Any]) -> str | None:
    """The outbox key a chat.postMessage call carried in its metadata (JSON text or a dict)."""
    metadata = args.get("metadata")
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    if not isinstance(metadata, dict) or metadata.get("event_type") != "mentorbot_message":
        return None
    return (metadata.get("event_payload") or {}).get("key")


def call_keys(slack: SlackStandIn) -> list[str | None]:
    """The key of every chat.postMessage call, in arrival order (failed answers included),
    leaving out the weekly digest (tests/rhythm/test_digest_schedule.py)."""
    return [metadata_key(call.args) for call in slack.calls_to(POST) if not is_digest(call.args)]


def posted_keys(slack: SlackStandIn) -> Counter[str]:
    """How many messages with each key are in the stand-in's conversations (accepted posts)."""
    with slack._lock:
        messages = [m for channel in slack.history.values() for m in channel]
    return Counter(
        key for m in messages if (key := metadata_key(m)) is not None and not is_digest(m)
    )


def outbox(engine: sa.Engine) -> dict[str, sa.Row]:
    """Every outbox row by key, the weekly digest's aside (tests/rhythm/test_digest_schedule.py)."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(OutboxMessage.__table__).where(~OutboxMessage.key.startswith("digest"))
        ).all()
    return {row.key: row for row in rows}


SUMMARY = re.compile(r"(\d+) (pairs checked|planned|sent|to retry|failed|expired|reconciled)")


def summary_counts(output: str) -> dict[str, int]:
    """The counts in `mentorbot tick`'s one-line summary, by name."""
    lines = [line for line in output.splitlines() if line.startswith("tick ")]
    assert len(lines) == 1, output
    return {name: int(number) for number, name in SUMMARY.findall(lines[0])}


def tick_process(
    at: dt.datetime, *, database_url: str, slack: SlackStandIn, cwd: Path
) -> subprocess.Popen[str]:
    """`mentorbot tick --at AT` in a fresh process with a bare environment."""
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": slack.url,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "tick", "--at", f"{at:%Y-%m-%dT%H:%M:%SZ}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str], timeout: float = 60) -> str:
    """Wait for a tick process; its stdout, after checking it exited 0."""
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"exit {process.returncode}\n{out}\n{err}"
    return out


def wait_for(condition: Callable[[], bool], *, timeout: float = 30, what: str = "") -> None:
    """Poll until `condition()` holds; fail after `timeout` seconds (not under freezegun)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what or condition}"
        time.sleep(0.005)
