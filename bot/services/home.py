"""What a person's App Home shows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import orm as so

from bot.models import Goal, Pair, Person
from bot.rhythm.clock import DigestSchedule
from bot.services.digest import DigestFigures, pulse_counts, this_week, weekly_figures
from bot.services.goals import list_goals
from bot.services.pairs import open_pairs_of
from bot.services.people import find_person


def home_for(
    session: so.Session, *, team_id: str, user_id: str
) -> list[tuple[Pair, Person, list[Goal]]]:
    """The person's open pairs with their open goals; empty for someone the bot has not met."""
    person = find_person(session, team_id=team_id, user_id=user_id)
    if person is None:
        return []
    return [
        (pair, person, list_goals(session, pair=pair)) for pair in open_pairs_of(session, person)
    ]


def programme_overview(
    session: so.Session, *, programme_id: int, now: dt.datetime, schedule: DigestSchedule
) -> DigestFigures:
    """The coordinators' overview: the digest's figures for the week so far (counts, states
    and Slack IDs, never anyone's words), in the same few statements however many pairs."""
    week_start, week_end = overview_week(now, schedule)
    return weekly_figures(
        session,
        programme_id=programme_id,
        week_start=week_start,
        week_end=week_end,
        pulse_counts=pulse_counts,
    )


def overview_week(now: dt.datetime, schedule: DigestSchedule) -> tuple[dt.datetime, dt.datetime]:
    """The week the overview counts: the one the next scheduled digest will report, which
    `now` falls in, as `/mentor-digest` shows it. The one place Home asks how weeks are cut."""
    return this_week(now, schedule)
