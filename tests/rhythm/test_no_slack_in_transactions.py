"""No Slack call is made while a database transaction is open: a slow Slack must never
hold SQLite's write lock or PostgreSQL's row locks. Every Web API call made in a whole walk
of a pair's life (registered, goals, a nudge and check-in, a reaction, a pause and resume,
a pulse, closed from the Home tab) is checked, as it leaves, against the transactions open
on the app's engine in the thread making it. Per thread, because the outbox posts from a
pool of senders: one sender recording a `ts` while another waits on Slack is as meant."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
import sqlalchemy as sa
from slack_sdk.web.base_client import BaseClient

from bot.demo.slack_requests import mention
from bot.messages import ids
from tests.conftest import COORDINATOR
from tests.rhythm.people import People

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
CHECKIN = "checkin:1:2026-10-05:2026-10-06"


class OpenTransactions:
    """Transactions open on `engine`, by thread, and each Web API call with the number open
    in the thread that made it."""

    def __init__(self, engine: sa.Engine) -> None:
        self.open: Counter[int] = Counter()
        self.lock = threading.Lock()
        self.calls: list[tuple[str, int]] = []
        sa.event.listen(engine, "begin", self._begin)
        sa.event.listen(engine, "commit", self._end)
        sa.event.listen(engine, "rollback", self._end)

    def _begin(self, _connection) -> None:
        with self.lock:
            self.open[threading.get_ident()] += 1

    def _end(self, _connection) -> None:
        with self.lock:
            self.open[threading.get_ident()] -= 1

    def watch(self, method: str) -> None:
        with self.lock:
            self.calls.append((method, self.open[threading.get_ident()]))


@pytest.fixture
def transactions(engine, monkeypatch) -> OpenTransactions:
    watching = OpenTransactions(engine)
    api_call = BaseClient.api_call

    def watched(client, api_method: str, *args, **kwargs):
        watching.watch(api_method)
        return api_call(client, api_method, *args, **kwargs)

    monkeypatch.setattr(BaseClient, "api_call", watched)
    return watching


def test_no_slack_call_inside_a_transaction(bot, walk, transactions):
    for user in (MENTOR, MENTEE):
        bot.slack.add_user(user, tz="Europe/Berlin")

    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    bot.command("/mentor-goals", "add Learn to give feedback", user=MENTEE)
    walk.tick("2026-10-05T07:00:00Z")  # the nudge
    walk.tick("2026-10-07T08:00:00Z")  # the check-in
    people = People(bot, bot.slack.conversation_id(MENTOR, MENTEE))
    people.react(MENTEE, people.ts(CHECKIN))
    walk.tick("2026-10-07T09:00:00Z")  # the reflection prompts
    bot.command("/mentor-pause", "2w", user=MENTOR)
    bot.command("/mentor-resume", user=MENTEE)
    walk.tick("2026-11-04T09:00:00Z")  # day 30: the pulse
    people.click(MENTEE, "pulse:1:30:UMENTEE01", ids.PULSE_GOING_WELL)
    home_close = {
        "type": "block_actions",
        "user": {"id": COORDINATOR, "team_id": "T0MENTOR"},
        "trigger_id": "1.2.home",
        "container": {"type": "view", "view_id": "V1"},
        "actions": [
            {"action_id": ids.DORMANT_CLOSE, "block_id": "b", "type": "button", "value": "1"}
        ],
    }
    assert bot.interaction(home_close).status == 200
    walk.tick("2026-11-05T09:00:00Z")

    methods = {method for method, _ in transactions.calls}
    assert {"users.info", "conversations.open", "chat.postMessage", "views.open"} <= methods
    assert {"chat.update", "views.publish"} <= methods
    assert [(method, open_) for method, open_ in transactions.calls if open_] == []
