"""Our own failures: the person sees a short apology, never a traceback; the log has the cause."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from bot.demo.slack_requests import mention
from tests.conftest import COORDINATOR


def test_a_crashing_command_shows_an_apology(bot, engine, caplog):
    bot.slack.add_user("UMENTOR01")
    bot.slack.add_user("UMENTEE01")
    bot.command("/mentor-pair", f"{mention('UMENTOR01')} {mention('UMENTEE01')}", user=COORDINATOR)
    # A real fault beneath the listener: the goal table is not where the code expects it.
    with engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE goal RENAME TO goal_away"))
    try:
        with caplog.at_level(logging.ERROR):
            reply = bot.command("/mentor-goals", "list", user="UMENTEE01")
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE goal_away RENAME TO goal"))

    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert "Sorry, something went wrong on my side" in reply.text
    assert "Traceback" not in reply.body and "goal" not in reply.body
    assert any(r.exc_info and "goal" in str(r.exc_info[1]) for r in caplog.records)
