"""Last met N days ago counts days in the coordinators' zone (MENTORBOT_TIMEZONE), the
zone the digest's week is cut in, not in UTC: in Auckland, Monday's 09:00 digest is
posted on Sunday evening UTC."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.demo.slack_requests import blocks_text
from bot.demo.stand_in import TEAM_ID
from bot.models import Cadence, Meeting, MeetingSource, Pair, PairStatus, Person
from tests.channels import COORDINATOR_CHANNEL, is_digest
from tests.conftest import COORDINATOR

AUCKLAND = "Pacific/Auckland"
# Monday 9 November 2026, 09:00 in Auckland (NZDT, UTC+13): Sunday 20:00 UTC.
MONDAY_DIGEST = dt.datetime(2026, 11, 8, 20, 0, tzinfo=dt.UTC)
LAST_MET = dt.date(2026, 11, 2)  # the Monday before, in Auckland: 7 days before the digest
SEVEN_DAYS = "last met Monday 2 November 2026 (7 days ago)"


@pytest.fixture
def settings(settings):
    return settings.model_copy(
        update={"timezone": AUCKLAND, "digest_day": "mon", "digest_time": "09:00"}
    )


@pytest.fixture
def quiet_pair(bot, walk, sessions) -> None:
    """A dormant pair of the programme whose last meeting was on LAST_MET."""
    walk.to(MONDAY_DIGEST - dt.timedelta(days=30))
    with sessions.begin() as session:
        pair = Pair(
            programme_id=bot.deps.programme_id,
            mentor=Person(team_id=TEAM_ID, slack_user_id="UMENTOR01", tz=AUCKLAND),
            mentee=Person(team_id=TEAM_ID, slack_user_id="UMENTEE01", tz=AUCKLAND),
            cadence=Cadence.WEEKLY,
            weekday=0,
            status=PairStatus.DORMANT,
            created_by=COORDINATOR,
        )
        session.add(pair)
        session.add(
            Meeting(pair=pair, held_on=LAST_MET, source=MeetingSource.BUTTON, recorded_by="UX")
        )


def test_the_scheduled_digest_counts_days_in_the_coordinators_zone(bot, walk, quiet_pair):
    walk.tick(MONDAY_DIGEST)
    [digest] = [m for m in bot.slack.messages_in(COORDINATOR_CHANNEL) if is_digest(m)]
    assert SEVEN_DAYS in blocks_text(digest["blocks"])


def test_mentor_digest_counts_days_in_the_coordinators_zone(bot, walk, quiet_pair):
    walk.to(MONDAY_DIGEST)
    assert SEVEN_DAYS in bot.command("/mentor-digest", user=COORDINATOR).text


def test_the_home_overview_counts_days_in_the_coordinators_zone(bot, walk, quiet_pair):
    walk.to(MONDAY_DIGEST)
    event = {"type": "app_home_opened", "user": COORDINATOR, "tab": "home", "event_ts": "1.1"}
    assert bot.event(event).status == 200
    [published] = bot.slack.calls_to("views.publish")
    assert SEVEN_DAYS in blocks_text(published.args["view"]["blocks"])
