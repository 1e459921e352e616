"""The weekly digest on its schedule: posted once in the coordinator channel at the
configured local day and time, with its chart shared through files_upload_v2, and never
lost or doubled by a 429, a crash or a clock that was down."""

from __future__ import annotations

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from matplotlib import image

from bot.calendar import DigestSchedule
from bot.demo.slack_requests import blocks_text, mention
from bot.models import OutboxMessage, OutboxStatus
from bot.rhythm import sending
from bot.rhythm.sending import LEASE
from tests.channels import COORDINATOR_CHANNEL, is_digest
from tests.conftest import COORDINATOR

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
NEW_YORK = "America/New_York"
# Friday 16:00 in New York, which is on EST (UTC-5) from 1 November 2026.
FRIDAY_DIGEST = dt.datetime(2026, 11, 6, 21, 0, tzinfo=dt.UTC)
NEXT_FRIDAY_DIGEST = FRIDAY_DIGEST + dt.timedelta(weeks=1)


@pytest.fixture
def settings(settings):
    """The coordinators are in New York and want the digest on Fridays at 16:00."""
    return settings.model_copy(
        update={"timezone": NEW_YORK, "digest_day": "fri", "digest_time": "16:00"}
    )


@pytest.fixture
def walk(walk):
    walk.to("2026-11-02T14:00:00Z")  # Monday, 09:00 in New York
    return walk


def digests(slack) -> list[dict]:
    return [m for m in slack.messages_in(COORDINATOR_CHANNEL) if is_digest(m)]


def charts(slack) -> list[dict]:
    return slack.files_in(COORDINATOR_CHANNEL)


def pair_up(bot) -> None:
    bot.slack.add_user(MENTOR, tz="America/Los_Angeles")
    bot.slack.add_user(MENTEE, tz=NEW_YORK)
    reply = bot.command(
        "/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR
    )
    assert "Paired" in reply.text


# --- when -------------------------------------------------------------------------------


def test_the_latest_digest_is_at_the_local_day_and_time_across_daylight_saving():
    la = DigestSchedule(weekday=0, at=dt.time(9), zone="America/Los_Angeles")
    # Monday 26 October is on PDT (UTC-7); Monday 2 November on PST (UTC-8).
    assert la.latest(dt.datetime(2026, 10, 26, 16, 0, tzinfo=dt.UTC)) == dt.datetime(
        2026, 10, 26, 16, 0, tzinfo=dt.UTC
    )
    assert la.latest(dt.datetime(2026, 10, 26, 15, 59, tzinfo=dt.UTC)) == dt.datetime(
        2026, 10, 19, 16, 0, tzinfo=dt.UTC
    )
    assert la.latest(dt.datetime(2026, 11, 2, 16, 30, tzinfo=dt.UTC)) == dt.datetime(
        2026, 10, 26, 16, 0, tzinfo=dt.UTC
    )
    assert la.latest(dt.datetime(2026, 11, 2, 17, 0, tzinfo=dt.UTC)) == dt.datetime(
        2026, 11, 2, 17, 0, tzinfo=dt.UTC
    )


def test_a_digest_reports_the_seven_local_days_before_its_day():
    la = DigestSchedule(weekday=0, at=dt.time(9), zone="America/Los_Angeles")
    start, end = la.week_reported(dt.datetime(2026, 11, 2, 17, 0, tzinfo=dt.UTC))
    assert (start.date(), end.date()) == (dt.date(2026, 10, 26), dt.date(2026, 11, 2))
    # Local midnights: the week that holds the change back to standard time is 169 hours.
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 10, 26, 7, tzinfo=dt.UTC)
    assert end.astimezone(dt.UTC) == dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC)
    # /mentor-digest on the Sunday shows the week the next digest will report, so far.
    sunday = dt.datetime(2026, 11, 1, 20, 0, tzinfo=dt.UTC)
    assert la.current_week(sunday) == (start, end)


ZONES = ["UTC", "Europe/London", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Auckland"]


@given(
    now=st.datetimes(  # hypothesis takes naive bounds and adds the zone itself
        min_value=dt.datetime(2026, 1, 1),  # noqa: DTZ001
        max_value=dt.datetime(2028, 12, 31),  # noqa: DTZ001
        timezones=st.just(dt.UTC),
    ),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    zone=st.sampled_from(ZONES),
)
def test_the_latest_digest_is_the_last_due_time_at_or_before_now(now, weekday, hour, zone):
    schedule = DigestSchedule(weekday=weekday, at=dt.time(hour), zone=zone)
    due = schedule.latest(now)
    local = due.astimezone(ZoneInfo(zone))
    assert due <= now
    assert local.weekday() == weekday
    # Nothing due between it and now: the next one is a week of local days later.
    following = dt.datetime.combine(
        local.date() + dt.timedelta(days=7), dt.time(hour), ZoneInfo(zone)
    )
    assert following.astimezone(dt.UTC) > now
    start, end = schedule.week_reported(due)
    assert end.date() == local.date() and (end.date() - start.date()).days == 7


# --- what coordinators see --------------------------------------------------------------


def test_the_digest_and_its_chart_arrive_once_at_friday_16_00_in_new_york(bot, walk):
    pair_up(bot)
    walk.to("2026-11-03T19:00:00Z")  # Tuesday, 14:00 in New York
    bot.command("/mentor-goals", "add PRIVATE-GOAL-TEXT", user=MENTEE)
    bot.command("/mentor-goals", "done 1", user=MENTEE)
    bot.command("/mentor-log", "today", user=MENTEE)

    start = dt.datetime(2026, 11, 2, 14, tzinfo=dt.UTC)
    for hour in range(int((FRIDAY_DIGEST - start).total_seconds() // 3600)):
        walk.tick(start + dt.timedelta(hours=hour))
    walk.tick(FRIDAY_DIGEST - dt.timedelta(minutes=1))
    assert digests(bot.slack) == [] and charts(bot.slack) == []

    walk.tick(FRIDAY_DIGEST)
    [digest] = digests(bot.slack)
    seen = blocks_text(digest["blocks"])
    assert "Friday 30 October 2026 to Thursday 5 November 2026" in seen
    assert "1 active · :large_yellow_circle: 0 at risk" in seen
    assert "*Meetings* · 1 this week, 0 last week" in seen
    assert "*Goals completed* · 1" in seen
    assert "PRIVATE-GOAL-TEXT" not in json.dumps(digest)

    [chart] = charts(bot.slack)
    assert chart["name"] == "meetings-per-week-2026-10-30.png"
    assert chart["title"] == "Meetings per week, last 12 weeks"
    assert chart["alt_txt"].endswith("0, 0, 1, this week last.")
    png = chart["content"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert image.imread(io.BytesIO(png), format="png").shape[:2] == (320, 640)
    # The chart follows the digest it belongs to.
    history = bot.slack.history[COORDINATOR_CHANNEL]
    assert history[-1].get("files") and is_digest(history[-2])

    for hour in range(1, 7 * 24):  # a week of hourly passes: the next Friday's only
        walk.tick(FRIDAY_DIGEST + dt.timedelta(hours=hour))
    assert len(digests(bot.slack)) == 1 and len(charts(bot.slack)) == 1
    walk.tick(NEXT_FRIDAY_DIGEST)
    later = digests(bot.slack)
    assert len(later) == 2 and len(charts(bot.slack)) == 2
    assert "*Meetings* · 0 this week, 1 last week" in blocks_text(later[-1]["blocks"])
    assert charts(bot.slack)[-1]["name"] == "meetings-per-week-2026-11-06.png"


def test_mentor_digest_shows_the_week_the_next_digest_will_report(bot, walk):
    pair_up(bot)
    walk.to("2026-11-04T15:00:00Z")  # Wednesday
    seen = bot.command("/mentor-digest", user=COORDINATOR).text
    assert "Friday 30 October 2026 to Thursday 5 November 2026" in seen


def test_no_digest_before_there_is_a_pair_in_the_week_it_would_report(bot, walk):
    walk.tick(FRIDAY_DIGEST)
    assert digests(bot.slack) == []
    pair_up(bot)  # on Friday evening: too late for the week that has just ended
    walk.tick(FRIDAY_DIGEST + dt.timedelta(hours=1))
    assert digests(bot.slack) == []
    walk.tick(NEXT_FRIDAY_DIGEST)
    assert len(digests(bot.slack)) == 1


# --- never lost, never doubled ----------------------------------------------------------


def test_a_rate_limited_upload_waits_for_retry_after_and_is_shared_once(bot, walk):
    pair_up(bot)
    bot.slack.rate_limit("files.getUploadURLExternal", retry_after=120)

    first = walk.tick(FRIDAY_DIGEST)
    assert len(digests(bot.slack)) == 1 and charts(bot.slack) == []
    assert first.retried >= 1

    walk.tick(FRIDAY_DIGEST + dt.timedelta(seconds=119))
    assert charts(bot.slack) == []
    walk.tick(FRIDAY_DIGEST + dt.timedelta(seconds=121))
    assert len(charts(bot.slack)) == 1
    walk.tick(FRIDAY_DIGEST + dt.timedelta(hours=1))
    assert len(digests(bot.slack)) == 1 and len(charts(bot.slack)) == 1


def test_a_crash_after_slack_took_the_chart_does_not_share_it_again(bot, walk, engine, monkeypatch):
    pair_up(bot)
    real_mark_sent = sending._mark_sent

    def crash_on_the_chart(session, row_id, ts, now):
        if session.get_one(OutboxMessage, row_id).kind == "digest_chart":
            raise SystemExit("the clock process died")
        real_mark_sent(session, row_id, ts, now)

    monkeypatch.setattr(sending, "_mark_sent", crash_on_the_chart)
    with pytest.raises(SystemExit):
        walk.tick(FRIDAY_DIGEST)
    monkeypatch.setattr(sending, "_mark_sent", real_mark_sent)
    assert len(charts(bot.slack)) == 1
    assert chart_row(engine).status is OutboxStatus.SENDING

    walk.tick(FRIDAY_DIGEST + LEASE - dt.timedelta(seconds=1))  # still within its lease
    summary = walk.tick(FRIDAY_DIGEST + LEASE + dt.timedelta(seconds=1))
    assert summary.reconciled == 1
    assert chart_row(engine).status is OutboxStatus.SENT
    assert len(charts(bot.slack)) == 1 and len(digests(bot.slack)) == 1
    assert len(bot.slack.calls_to("files.completeUploadExternal")) == 1


def test_a_crash_before_slack_took_the_chart_shares_it_after_the_lease(bot, walk, engine):
    pair_up(bot)
    bot.slack.fail("files.getUploadURLExternal", "internal_error")  # nothing reaches Slack
    walk.tick(FRIDAY_DIGEST)
    # As if a process had claimed the row and died before its upload began.
    with engine.begin() as connection:
        connection.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.kind == "digest_chart")
            .values(status=OutboxStatus.SENDING, claimed_at=FRIDAY_DIGEST)
        )
    summary = walk.tick(FRIDAY_DIGEST + LEASE + dt.timedelta(seconds=1))
    assert summary.reconciled == 1
    assert len(charts(bot.slack)) == 1
    assert chart_row(engine).status is OutboxStatus.SENT


def refuse_uploads(monkeypatch, slack, *, times: int | None = None) -> None:
    """The upload URL answers HTTP 500 (`times` times, or always): no bytes are kept."""
    real = slack.uploads.receive
    left = {"times": times}

    def refuse(path: str, content: bytes) -> int:
        if left["times"] == 0:
            return real(path, content)
        if left["times"] is not None:
            left["times"] -= 1
        return 500

    monkeypatch.setattr(slack.uploads, "receive", refuse)


def chart_outbox_row(engine) -> sa.Row:
    with engine.connect() as connection:
        return connection.execute(
            sa.select(OutboxMessage.status, OutboxMessage.error, OutboxMessage.not_before).where(
                OutboxMessage.kind == "digest_chart"
            )
        ).one()


def test_a_refused_upload_is_tried_again_after_a_backoff_and_shared_once(
    bot, walk, engine, monkeypatch
):
    pair_up(bot)
    refuse_uploads(monkeypatch, bot.slack, times=1)
    walk.tick(FRIDAY_DIGEST)
    assert len(digests(bot.slack)) == 1 and charts(bot.slack) == []
    # Nothing was shared (files.completeUploadExternal was never called): no lease to wait out.
    assert bot.slack.calls_to("files.completeUploadExternal") == []
    row = chart_outbox_row(engine)
    assert (row.status, row.error) == (OutboxStatus.PENDING, "upload_refused")
    assert row.not_before.replace(tzinfo=dt.UTC) == FRIDAY_DIGEST + dt.timedelta(minutes=2)

    walk.tick(FRIDAY_DIGEST + dt.timedelta(minutes=2))
    assert len(charts(bot.slack)) == 1
    walk.tick(FRIDAY_DIGEST + dt.timedelta(hours=1))
    assert len(charts(bot.slack)) == 1 and len(digests(bot.slack)) == 1


def test_an_upload_refused_every_time_fails_after_the_last_attempt(bot, walk, engine, monkeypatch):
    pair_up(bot)
    refuse_uploads(monkeypatch, bot.slack)
    for minutes in range(0, 6 * 60, 10):
        walk.tick(FRIDAY_DIGEST + dt.timedelta(minutes=minutes))
    assert chart_outbox_row(engine).status is OutboxStatus.FAILED
    uploads = len(bot.slack.calls_to("files.getUploadURLExternal"))
    assert uploads == sending.MAX_ATTEMPTS
    walk.tick(FRIDAY_DIGEST + dt.timedelta(days=1))
    assert len(bot.slack.calls_to("files.getUploadURLExternal")) == uploads
    assert charts(bot.slack) == [] and len(digests(bot.slack)) == 1


def test_a_digest_more_than_two_days_late_is_dropped_not_posted(bot, walk):
    pair_up(bot)
    walk.tick(FRIDAY_DIGEST - dt.timedelta(hours=1))
    walk.tick(FRIDAY_DIGEST + dt.timedelta(days=2))  # the clock was down all weekend
    assert digests(bot.slack) == []
    walk.tick(NEXT_FRIDAY_DIGEST)
    assert len(digests(bot.slack)) == 1


def test_a_digest_a_day_late_is_still_posted(bot, walk):
    pair_up(bot)
    walk.tick(FRIDAY_DIGEST + dt.timedelta(days=1))
    assert len(digests(bot.slack)) == 1 and len(charts(bot.slack)) == 1


def chart_row(engine) -> sa.Row:
    with engine.connect() as connection:
        return connection.execute(
            sa.select(OutboxMessage.status).where(OutboxMessage.kind == "digest_chart")
        ).one()


def test_a_digest_that_cannot_be_drawn_holds_up_nothing_else(bot, walk, monkeypatch):
    pair_up(bot)
    walk.tick(FRIDAY_DIGEST - dt.timedelta(days=4))  # Monday: the nudge is planned
    from bot.messages import digest as digest_messages

    def broken(*args, **kwargs):
        raise RuntimeError("the chart cannot be drawn")

    monkeypatch.setattr(digest_messages, "chart_upload", broken)
    before = len(bot.slack.calls_to("chat.postMessage"))
    summary = walk.tick(FRIDAY_DIGEST)
    assert digests(bot.slack) == []
    assert summary.sent >= 1  # the pair's check-in for its Tuesday still went out
    assert len(bot.slack.calls_to("chat.postMessage")) > before

    monkeypatch.undo()
    walk.tick(FRIDAY_DIGEST + dt.timedelta(hours=1))  # mended: posted at the next pass
    assert len(digests(bot.slack)) == 1 and len(charts(bot.slack)) == 1
