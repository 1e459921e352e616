"""No Slack call is made while a database transaction is open: a slow Slack must never
hold SQLite's write lock or PostgreSQL's row locks. Every call the stand-in receives in a
whole walk of a pair's life (registered, goals, a nudge and check-in, a reaction, a pause
and resume, a pulse, closed from the Home tab) is checked against the transactions open
in the calling thread at that moment (the app calls Slack from several threads at once:
the requests' and the work after their answers)."""

from __future__ import annotations

import threading

import sqlalchemy as sa
from slack_sdk import WebClient

from bot.demo.slack_requests import mention
from bot.messages import ids
from tests.conftest import COORDINATOR
from tests.rhythm.people import People

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
CHECKIN = "checkin:1:2026-10-05:2026-10-06"


class OpenTransactions:
    """Transactions open on `engine`, per thread; Web API calls, with the number of
    transactions their calling thread had open."""

    def __init__(self, engine: sa.Engine) -> None:
        self.open: dict[int, int] = {}
        self.lock = threading.Lock()
        self.calls: list[tuple[str, int]] = []
        sa.event.listen(engine, "begin", lambda _c: self._add(1))
        sa.event.listen(engine, "commit", lambda _c: self._add(-1))
        sa.event.listen(engine, "rollback", lambda _c: self._add(-1))

    def _add(self, step: int) -> None:
        with self.lock:
            thread = threading.get_ident()
            self.open[thread] = self.open.get(thread, 0) + step

    def watch_calls(self, monkeypatch) -> None:
        api_call = WebClient.api_call

        def watched(client, api_method, *args, **kwargs):
            with self.lock:
                self.calls.append((api_method, self.open.get(threading.get_ident(), 0)))
            return api_call(client, api_method, *args, **kwargs)

        monkeypatch.setattr(WebClient, "api_call", watched)


def test_no_slack_call_inside_a_transaction(bot, walk, engine, monkeypatch):
    for user in (MENTOR, MENTEE):
        bot.slack.add_user(user, tz="Europe/Berlin")
    transactions = OpenTransactions(engine)
    transactions.watch_calls(monkeypatch)

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
