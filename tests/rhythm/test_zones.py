"""People's zones stay fresh without a call per person: `user_change` events carry them,
and a pass that meets stale zones reads the workspace from users.list, 200 people a call,
never inside a transaction."""

from __future__ import annotations

import datetime as dt
import math

import sqlalchemy as sa

from bot.calendar import WorkingHours
from bot.models import Person
from bot.rhythm.passes import run_pass
from bot.slack import USERS_PAGE
from tests.rhythm.helpers_exactly_once import seed_pairs

NOW = dt.datetime(2026, 10, 5, 6, 0, tzinfo=dt.UTC)  # a Monday, before anyone's working day
STALE = NOW - dt.timedelta(days=2)


def zones(engine) -> dict[str, str]:
    with engine.connect() as connection:
        return dict(connection.execute(sa.select(Person.slack_user_id, Person.tz)).all())


def names(engine) -> dict[str, str | None]:
    with engine.connect() as connection:
        return dict(connection.execute(sa.select(Person.slack_user_id, Person.name)).all())


def moved_everyone(slack, tz: str) -> None:
    for user in slack.users.values():
        user["tz"] = tz


def test_stale_zones_cost_one_users_list_call_per_200_people(bot, engine, settings):
    seed_pairs(engine, settings, bot.slack, 300, next_check_at=STALE)  # 600 people, all stale
    moved_everyone(bot.slack, "America/New_York")
    bot.slack.reset_calls()

    run_pass(bot.deps.sessions, bot.deps.outbox_client, NOW, WorkingHours())

    pages = math.ceil(len(bot.slack.users) / USERS_PAGE)
    assert len(bot.slack.calls_to("users.list")) == pages == 4  # 601 people in the workspace
    assert bot.slack.calls_to("users.info") == []
    assert set(zones(engine).values()) == {"America/New_York"}

    bot.slack.reset_calls()
    run_pass(bot.deps.sessions, bot.deps.outbox_client, NOW + dt.timedelta(hours=1), WorkingHours())
    assert bot.slack.calls_to("users.list") == []  # fresh for a day


def test_a_rate_limited_listing_keeps_what_it_read_and_tries_again_later(bot, engine, settings):
    seed_pairs(engine, settings, bot.slack, 300, next_check_at=STALE)
    moved_everyone(bot.slack, "Asia/Tokyo")
    bot.slack.reset_calls()
    bot.slack.rate_limit("users.list", retry_after=30)  # the first page is refused

    run_pass(bot.deps.sessions, bot.deps.outbox_client, NOW, WorkingHours())
    assert "Asia/Tokyo" not in zones(engine).values()  # nothing read, nothing marked fresh

    later = NOW + dt.timedelta(hours=1, minutes=1)  # 09:01 in Berlin: the pairs are due again
    run_pass(bot.deps.sessions, bot.deps.outbox_client, later, WorkingHours())
    assert set(zones(engine).values()) == {"Asia/Tokyo"}


def test_the_sweep_for_zones_keeps_names_and_fills_in_missing_ones(bot, engine, settings):
    seed_pairs(engine, settings, bot.slack, 3, next_check_at=STALE)  # UM0000n and UE0000n
    with engine.begin() as connection:  # zones read an hour ago: one without a name yet
        fresh = sa.update(Person).values(tz_refreshed_at=NOW - dt.timedelta(hours=1))
        connection.execute(fresh.where(Person.slack_user_id == "UE00001"))
        connection.execute(fresh.values(name="Old").where(Person.slack_user_id == "UM00001"))
    profiles = {user_id: user["profile"] for user_id, user in bot.slack.users.items()}
    profiles["UM00000"]["display_name"] = "Mina"
    profiles["UE00000"]["display_name"] = " "  # none: the real name, "Ue00000"
    profiles["UE00001"]["display_name"] = "Eli"
    profiles["UM00001"]["display_name"] = "New"
    del bot.slack.users["UE00002"]  # Slack does not list them: no name to be had
    bot.slack.reset_calls()

    run_pass(bot.deps.sessions, bot.deps.outbox_client, NOW, WorkingHours())

    assert len(bot.slack.calls_to("users.list")) == 1
    assert names(engine) == {
        "UM00000": "Mina",
        "UE00000": "Ue00000",
        "UE00001": "Eli",  # fresh zone, but nameless: filled in from the same listing
        "UM00001": "Old",  # fresh zone and a name: read again with its zone, within a day
        "UM00002": "um00002",
        "UE00002": None,
    }

    bot.slack.reset_calls()
    later = NOW + dt.timedelta(hours=1, minutes=1)  # the pairs are due again
    run_pass(bot.deps.sessions, bot.deps.outbox_client, later, WorkingHours())
    assert bot.slack.calls_to("users.list") == []  # a missing name calls for no sweep
    assert names(engine)["UE00002"] is None


def test_user_change_keeps_a_zone_without_any_call(bot, sessions):
    bot.slack.add_user("UMENTOR01", tz="Europe/Berlin")
    bot.slack.add_user("UMENTEE01", tz="Europe/Berlin")
    bot.command("/mentor-pair", "<@UMENTOR01> <@UMENTEE01>", user="UCOORD01")
    bot.slack.reset_calls()

    for tz in ("Pacific/Auckland", "Not/AZone", "x" * 300):
        event = {
            "type": "user_change",
            "user": {"id": "UMENTEE01", "team_id": "T0MENTOR", "tz": tz},
        }
        assert bot.event(event).status == 200

    assert bot.slack.calls == []
    with sessions() as session:
        person = session.scalars(sa.select(Person).where(Person.slack_user_id == "UMENTEE01")).one()
        assert person.tz == "Pacific/Auckland" and person.active


def test_user_change_keeps_the_name_slack_shows_without_any_call(bot, engine):
    bot.slack.add_user("UMENTOR01", tz="Europe/Berlin", name="ana")
    mentee = bot.slack.add_user("UMENTEE01", tz="Europe/Berlin", name="ben")
    bot.command("/mentor-pair", "<@UMENTOR01> <@UMENTEE01>", user="UCOORD01")
    assert names(engine) == {"UMENTOR01": "ana", "UMENTEE01": "ben"}
    bot.slack.reset_calls()

    def changed(**profile: str) -> None:
        user = {**mentee, "profile": {**mentee["profile"], **profile}}
        assert bot.event({"type": "user_change", "user": user}).status == 200

    changed(display_name="Benji")
    assert names(engine)["UMENTEE01"] == "Benji"
    changed(display_name="  ", real_name="Benjamin Okafor")  # no display name: the real name
    assert names(engine)["UMENTEE01"] == "Benjamin Okafor"
    # An event without names leaves the name Slack last showed.
    event = {"type": "user_change", "user": {"id": "UMENTEE01", "team_id": "T0MENTOR"}}
    assert bot.event(event).status == 200
    assert names(engine) == {"UMENTOR01": "ana", "UMENTEE01": "Benjamin Okafor"}
    assert bot.slack.calls == []
