"""Listeners take the time from the app's clock (`mentorbot demo` runs a simulated one),
so what they stamp agrees with the scheduler's passes run at the same instants."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from bot.demo.slack_requests import mention
from bot.models import Goal, GoalStatus, Meeting, Pair
from tests.conftest import COORDINATOR

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
SIMULATED = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)  # a Tuesday, long ago


@pytest.fixture
def listener_clock():
    return lambda: SIMULATED


def test_pairs_goals_and_meetings_are_stamped_with_the_apps_clock(bot, sessions):
    bot.slack.add_user(MENTOR, tz="Europe/London")
    bot.slack.add_user(MENTEE, tz="Europe/London")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    bot.command("/mentor-goals", "add Ship the thing", user=MENTEE)
    bot.command("/mentor-goals", "add Another one", user=MENTEE)
    bot.command("/mentor-goals", "edit 2 Another, reworded", user=MENTEE)
    assert "completed" in bot.command("/mentor-goals", "done 1", user=MENTEE).text
    assert "Recorded" in bot.command("/mentor-log", "today", user=MENTEE).text

    with sessions() as session:
        assert session.scalars(sa.select(Pair.created_at)).one() == SIMULATED
        goals = session.execute(
            sa.select(Goal.number, Goal.status, Goal.created_at, Goal.updated_at).order_by(
                Goal.number
            )
        ).all()
        held = session.scalars(sa.select(Meeting.held_on)).one()
    assert goals == [
        (1, GoalStatus.DONE, SIMULATED, SIMULATED),
        (2, GoalStatus.OPEN, SIMULATED, SIMULATED),
    ]
    assert held == SIMULATED.date()
