"""Every listener the app registers, sent once each while Slack is slow: the scenario
tests/rhythm/test_ack_in_time.py checks and tests/benchmarks/bench_ack.py times."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from bot.demo.slack_requests import Reply, SlackSender, mention
from bot.messages import ids
from bot.models import Meeting, Pulse
from tests.conftest import COORDINATOR
from tests.rhythm.people import People

MENTOR, MENTEE, MENTOR2, MENTEE2 = "UMENTOR01", "UMENTEE01", "UMENTOR02", "UMENTEE02"
NUDGE, CHECKIN = "nudge:1:2026-10-05", "checkin:1:2026-10-05:2026-10-06"
LATENCY = 2.0


class Answered:
    """Requests sent to the app as Slack sends them (no waiting for the work after the
    answer), each answer's time kept by what it answered."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self.sender = SlackSender(bot.sender.host, bot.sender.port)
        self.times: dict[str, float] = {}
        self.replies: dict[str, Reply] = {}

    def __getattr__(self, name: str) -> Any:  # what People needs of a bot
        return getattr(self.bot, name)

    def _kept(self, what: str, reply: Reply) -> Reply:
        assert reply.status == 200, (what, reply.status, reply.body)
        self.times[what], self.replies[what] = reply.elapsed, reply
        return reply

    def command(self, name: str, text: str = "", *, user: str) -> Reply:
        return self._kept(name, self.sender.command(name, text, user=user))

    def interaction(self, payload: dict[str, Any]) -> Reply:
        if payload["type"] == "view_submission":
            what = payload["view"]["callback_id"]
        else:
            what = payload["actions"][0]["action_id"]
        return self._kept(what, self.sender.interaction(payload))

    def event(self, event: dict[str, Any], **kwargs: Any) -> Reply:
        return self._kept(event["type"], self.sender.event(event, **kwargs))


def action(user: str, action_id: str, *, value: str = "", on_home: bool = False) -> dict:
    where = {"type": "view", "view_id": "V1"} if on_home else {"type": "message"}
    return {
        "type": "block_actions",
        "user": {"id": user, "team_id": "T0MENTOR"},
        "trigger_id": "1.2.trigger",
        "container": {**where, "channel_id": "D0" + user, "message_ts": "1.000100"},
        "response_url": "",
        "message": {"ts": "1.000100", "blocks": []},
        "actions": [{"action_id": action_id, "block_id": "b", "type": "button", "value": value}],
    }


def submission(user: str, callback_id: str, metadata: dict, values: dict) -> dict:
    return {
        "type": "view_submission",
        "user": {"id": user, "team_id": "T0MENTOR"},
        "view": {
            "id": "V0001",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": json.dumps(metadata),
            "state": {"values": values},
        },
    }


def typed(block: str, words: str) -> dict:
    return {block: {block: {"type": "plain_text_input", "value": words}}}


def answer_everything(bot, walk, sessions, latency: float = LATENCY) -> tuple[Answered, int]:
    """A pair walked to its 30-day pulse (Slack fast); then, with every Web API method
    answering in `latency` seconds, every command, button, modal and event the app
    registers, sent once each; a second pair registered and closed on the way. Returns
    the answers, and how many Web API calls came before the slow part."""
    for user, tz in ((MENTOR, "Europe/Berlin"), (MENTEE, "Europe/Berlin")):
        bot.slack.add_user(user, tz=tz)
    for user in (MENTOR2, MENTEE2):
        bot.slack.add_user(user, tz="America/New_York")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    walk.tick("2026-10-05T07:00:00Z")  # the nudge
    walk.tick("2026-10-07T08:00:00Z")  # the check-in
    walk.to("2026-11-04T09:00:00Z")
    conversation = bot.slack.conversation_id(MENTOR, MENTEE)
    people = People(bot, conversation)
    checkin_ts = people.ts(CHECKIN)
    seen = len(bot.slack.calls)
    bot.slack.slow("*", latency)
    slack = Answered(bot)
    answering = People(slack, conversation)

    # Commands.
    slack.command("/mentor-help", user=MENTEE)
    slack.command("/mentor-goals", "add Learn to give feedback", user=MENTEE)
    slack.command("/mentor-log", "2026-10-06", user=MENTEE)
    slack.command("/mentor-pause", "1w", user=MENTOR)
    slack.command("/mentor-resume", user=MENTEE)
    slack.command("/mentor-calendar", user=MENTEE)
    slack.command("/mentor-digest", user=COORDINATOR)
    slack.command("/mentor-pairs", "all", user=COORDINATOR)
    slack.command("/mentor-programme", "new cohort-two Second cohort", user=COORDINATOR)
    slack.command("/mentor-programme", "edit cohort-two", user=COORDINATOR)
    slack.command("/mentor-rhythm", "monthly thu", user=MENTEE)
    slack.command("/mentor-pair", f"{mention(MENTOR2)} {mention(MENTEE2)}", user=COORDINATOR)

    # Buttons on the pair's messages, and the date picker.
    answering.click(MENTEE, NUDGE, ids.NUDGE_CONFIRM)
    answering.click(MENTOR, NUDGE, ids.NUDGE_SKIP)
    answering.click(MENTOR, NUDGE, ids.PICK_DAY, selected_date="2026-11-06")
    answering.click(MENTEE, CHECKIN, ids.CHECKIN_MET)
    answering.click(MENTOR, CHECKIN, ids.CHECKIN_MISSED)
    with sessions() as session:
        meeting_id = session.scalars(sa.select(Meeting.id).order_by(Meeting.id)).first()
    slack.interaction(action(MENTEE, ids.REFLECT_OPEN, value=str(meeting_id)))
    slack.interaction(action(MENTEE, ids.CALENDAR_GOOGLE))  # a link button sends a click too
    slack.interaction(action(MENTOR, ids.CALENDAR_OUTLOOK))
    slack.interaction(action(MENTEE, ids.PULSE_GOING_WELL, value="1:30"))
    slack.interaction(action(MENTOR, ids.PULSE_COULD_BE_BETTER, value="1:30"))
    slack.interaction(action(MENTEE, ids.PULSE_NOT_WORKING, value="1:30"))
    slack.interaction(action(COORDINATOR, ids.DORMANT_NUDGE, value="1"))
    slack.interaction(action(MENTOR, ids.RHYTHM_AGREE, value="1"))  # the mentee's proposal
    slack.interaction(action(MENTEE, ids.RHYTHM_OPEN, value="1"))
    slack.interaction(action(MENTOR, ids.RHYTHM_CHANGE, value="1"))
    slack.interaction(action(COORDINATOR, ids.REPAIR_OPEN, value="1"))  # nobody left: refused
    slack.interaction(action(MENTEE, ids.PROGRAMME_KEEP, value="999"))  # no such pair: refused
    slack.interaction(action(MENTOR, ids.PROGRAMME_CLOSE, value="999"))

    # Modals.
    with sessions() as session:
        pulse_id = session.scalars(sa.select(Pulse.id).order_by(Pulse.id)).first()
    slack.interaction(
        submission(
            MENTEE,
            ids.REFLECTION_MODAL,
            {"meeting_id": meeting_id},
            typed(ids.WORKED, "REFLECTION-WORDS"),
        )
    )
    slack.interaction(
        submission(MENTOR, ids.PULSE_NOTE_MODAL, {"pulse_id": pulse_id}, typed(ids.PULSE_NOTE, "n"))
    )
    weekly_wed = {
        block: {block: {"type": "static_select", "selected_option": {"value": value}}}
        for block, value in ((ids.RHYTHM_CADENCE, "weekly"), (ids.RHYTHM_WEEKDAY, "2"))
    }
    weekly_wed[ids.RHYTHM_TIME] = {
        ids.RHYTHM_TIME: {"type": "timepicker", "selected_time": "15:00"}
    }
    slack.interaction(submission(MENTEE, ids.RHYTHM_MODAL, {"pair_id": 1}, weekly_wed))
    someone = {
        ids.REPAIR_USER: {ids.REPAIR_USER: {"type": "users_select", "selected_user": MENTOR2}}
    }
    slack.interaction(submission(COORDINATOR, ids.REPAIR_MODAL, {"pair_id": 1}, someone))
    named = {ids.PROGRAMME_NAME: {ids.PROGRAMME_NAME: {"type": "plain_text_input", "value": ""}}}
    slack.interaction(submission(COORDINATOR, ids.PROGRAMME_MODAL, {"programme_id": 2}, named))

    # Events.
    slack.event({"type": "app_home_opened", "user": COORDINATOR, "tab": "home"}, event_id="EvH")
    answering.react(MENTEE, checkin_ts, event_id="EvR")
    changed = {"type": "user_change", "user": {"id": MENTEE, "tz": "Europe/Paris"}}
    slack.event(changed, event_id="EvU")

    # Closing: the coordinator pauses from Home, then a member asks, confirms, reflects.
    slack.interaction(action(COORDINATOR, ids.DORMANT_PAUSE, value="1", on_home=True))
    slack.command("/mentor-close", mention(MENTOR), user=MENTEE)
    slack.interaction(action(MENTEE, ids.CLOSE_KEEP, value="1"))
    slack.interaction(action(MENTEE, ids.CLOSE_CONFIRM, value="1"))
    slack.interaction(action(MENTOR, ids.LAST_REFLECTION_OPEN, value="1"))
    slack.interaction(action(MENTEE, ids.ANOTHER_PAIR, value="1"))
    slack.interaction(
        submission(MENTOR, ids.LAST_REFLECTION_MODAL, {"pair_id": 1}, typed(ids.WORKED, "w"))
    )
    assert bot.deps.background.wait(timeout=120)
    slack.interaction(action(COORDINATOR, ids.DORMANT_CLOSE, value="2"))  # the new pair
    return slack, seen
