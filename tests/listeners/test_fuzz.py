"""Fuzz (issue 8, item 7): generated text at every slash command the app registers, and
generated values at every action_id and callback_id it registers, signed as Slack signs
them, from a member of a real pair, the coordinator and a stranger.

Whatever arrives, the app answers below 500 and logs no fault (no ERROR record, no
exc_info). Each test runs its examples against one database that starts with an open pair
(one meeting, one goal) and a closed one, and keeps an open pair between the two members
throughout. Every fault is collected with the input that caused it, so one run lists
every distinct fault (by where it was raised), each with the shortest input seen.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.demo.response_urls import ResponseUrls
from bot.demo.slack_requests import Reply, mention
from bot.demo.stand_in import TEAM_ID
from bot.messages import ids
from bot.models import Meeting, Pair, PairStatus
from bot.models.people import Person
from tests.conftest import COORDINATOR
from tests.listeners.registered import registered

MENTOR, MENTEE, OTHER, STRANGER = "UMENTOR01", "UMENTEE01", "UOTHER001", "USTRANGE1"
USERS = (MENTOR, MENTEE, COORDINATOR, STRANGER)
EXAMPLES = 300  # per test: a few seconds each on SQLite, about ten on PostgreSQL
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples every run: a finding stays found until fixed
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: examples share a database
    suppress_health_check=list(HealthCheck),
)


# --- what the app registers ---------------------------------------------------------------


# --- the world the inputs land in -----------------------------------------------------------


class Fault(logging.Handler):
    """Every record at ERROR or above, or carrying a traceback, from any thread."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)


def _where(record: logging.LogRecord) -> str:
    """The deepest line of our own code in the record's traceback, and the exception."""
    if not record.exc_info or record.exc_info[1] is None:
        return f"{record.name}: {record.getMessage()[:200]}"
    error = record.exc_info[1]
    ours = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if "/bot/" in frame.filename and "/bot/demo/" not in frame.filename
    ]
    at = ours[-1] if ours else traceback.extract_tb(error.__traceback__)[-1]
    path = at.filename[at.filename.rfind("/bot/") + 1 :]
    return f"{type(error).__name__} at {path}:{at.lineno} in {at.name}"


class World:
    """The app over HTTP with two pairs; sends one input and records any fault it causes."""

    def __init__(self, bot, sessions, response_urls: ResponseUrls) -> None:
        self.bot, self.sessions, self.response_urls = bot, sessions, response_urls
        self.faults: dict[str, tuple[str, str]] = {}  # where -> (input, message)
        self.handler = Fault()
        self.sent = 0
        for user, tz in ((MENTOR, "America/Los_Angeles"), (MENTEE, "Europe/Berlin")):
            bot.slack.add_user(user, tz=tz)
        bot.slack.add_user(OTHER, tz="Asia/Tokyo")
        bot.slack.add_user(STRANGER)
        self._pair(MENTOR, OTHER)
        closing = self.bot.command("/mentor-close", mention(OTHER), user=MENTOR)
        assert "close" in closing.text.lower(), closing.text
        self.bot.interaction(self._press(MENTOR, ids.CLOSE_CONFIRM, str(self.ids()["pair"])))
        assert self.ids()["pair"] == 0, "the first pair did not close"
        self.ensure()
        assert self.bot.command("/mentor-goals", "add A goal", user=MENTEE).status == 200

    def _pair(self, mentor: str, mentee: str) -> None:
        reply = self.bot.command(
            "/mentor-pair", f"{mention(mentor)} {mention(mentee)}", user=COORDINATOR
        )
        assert "Paired" in reply.text, reply.text

    def ids(self) -> dict[str, int]:
        """The ids a button or modal of this world would carry now (0: none)."""
        with self.sessions() as session:
            people = sa.select(Person.id).where(Person.slack_user_id.in_((MENTOR, MENTEE)))
            mine = sa.and_(Pair.mentor_id.in_(people), Pair.mentee_id.in_(people))
            newest = sa.func.coalesce(sa.func.max(Pair.id), 0)
            return {
                "pair": session.scalar(
                    sa.select(newest).where(mine, Pair.status != PairStatus.CLOSED)
                ),
                "closed": session.scalar(sa.select(newest).where(Pair.status == PairStatus.CLOSED)),
                "meeting": session.scalar(sa.select(sa.func.coalesce(sa.func.max(Meeting.id), 0))),
            }

    def ensure(self) -> None:
        """An open pair between MENTOR and MENTEE with a meeting, whatever the last input did."""
        if self.ids()["pair"]:
            return
        self._pair(MENTOR, MENTEE)
        assert self.bot.command("/mentor-log", "today", user=MENTEE).status == 200

    def fill(self, text: str) -> str:
        for name, value in self.ids().items():
            text = text.replace(f"{{{name}}}", str(value))
        return text

    def send(self, described: str, request: Callable[[], Reply]) -> None:
        """Send one input; a reply of 500 or more, or a fault logged, is a finding."""
        self.ensure()
        root = logging.getLogger()
        root.addHandler(self.handler)
        self.handler.records.clear()
        try:
            reply = request()
        finally:
            root.removeHandler(self.handler)
        self.sent += 1
        found = [(_where(r), r.getMessage()[:300]) for r in self.handler.records]
        if reply.status >= 500:
            found.append((f"HTTP {reply.status}", reply.body[:300]))
        for where, message in found:
            known = self.faults.get(where)
            if known is None or len(described) < len(known[0]):
                self.faults[where] = (described, message)

    def report(self) -> str:
        return "\n".join(
            f"{where}\n    input: {described}\n    log: {message}"
            for where, (described, message) in sorted(self.faults.items())
        )

    # --- payloads, shaped as Slack sends them ---

    def conversation(self) -> tuple[str, str]:
        channel = self.bot.slack.conversation_id(MENTOR, MENTEE)
        posted = self.bot.slack.history.get(channel) or [{"ts": "1700000000.000100"}]
        return channel, posted[-1]["ts"]

    def _press(self, user: str, action_id: str, value: str, **element: Any) -> dict[str, Any]:
        channel, ts = self.conversation()
        action = {
            "action_id": action_id,
            "block_id": "actions",
            "type": "button",
            "value": value,
            "action_ts": "1700000000.000200",
            **element,
        }
        if action["type"] == "datepicker":
            del action["value"]
        return {
            "type": "block_actions",
            "user": {"id": user, "team_id": TEAM_ID},
            "trigger_id": "1.2.fuzz",
            "container": {"type": "message", "channel_id": channel, "message_ts": ts},
            "channel": {"id": channel},
            "message": {"ts": ts, "blocks": []},
            "response_url": self.response_urls.url(),
            "actions": [action],
        }

    def block_action(self, user: str, action: dict[str, Any], container: str) -> dict[str, Any]:
        payload = self._press(user, **action)
        if container == "view":  # a button on the Home tab
            payload["container"] = {"type": "view", "view_id": "V0HOME"}
            payload["view"] = {"id": "V0HOME", "type": "home", "blocks": []}
            del payload["message"], payload["channel"]
        return payload

    @staticmethod
    def view_submission(user: str, view: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "view_submission",
            "user": {"id": user, "team_id": TEAM_ID},
            "trigger_id": "1.2.fuzz",
            "view": {"id": "V0FUZZ", "type": "modal", "blocks": [], **view},
        }


@pytest.fixture
def world(bot, sessions) -> Iterator[World]:
    receiver = ResponseUrls()
    try:
        yield World(bot, sessions, receiver)
    finally:
        receiver.stop()


# --- what is generated ----------------------------------------------------------------------

CONTROL = st.sampled_from(
    ["\x00", "\x01", "\x08", "\x1b", "\x7f", "\x85", "\r", "\n", "\t", "\u2028"]
)
ODD_DIGITS = st.text(alphabet="0123456789²³¹٣३３", min_size=1, max_size=25)
NUMBER = st.one_of(
    st.sampled_from(["{pair}", "{closed}", "{meeting}", "0", "1", "2", "-1", "30", "90"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["2147483647", "2147483648", "9223372036854775808", "99999999999999999999"]),
    ODD_DIGITS,
)
DAY = st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(
        ["2026-02-30", "2026-13-01", "0000-01-01", "9999-12-31", "20260630", "2026-W01-1"]
    ),
    st.text(alphabet="0123456789-²٣", max_size=12),
)
TEXT = st.text(max_size=60)
WORD = st.one_of(
    st.sampled_from(
        [
            "list",
            "add",
            "done",
            "edit",
            "drop",
            "by",
            "until",
            "today",
            "yesterday",
            "weekly",
            "biweekly",
            "monthly",
            "mon",
            "fri",
            "Friday",
            "2w",
            "10d",
            "999w",
            "0d",
            "#1",
            "all",
            "at-risk",
            "dormant",
            "paused",
            "<!channel>",
            "&lt;b&gt;",
            "@someone",
            "<@>",
            "<@U|>",
            *(mention(user) for user in (*USERS, OTHER, "UNOBODY01", "UMENTORBOT")),
        ]
    ),
    NUMBER.filter(lambda n: not n.startswith("{")),
    DAY,
    st.text(max_size=12),
    CONTROL,
)
SEPARATOR = st.sampled_from([" ", " ", " ", "  ", "\n", "\t", "\x00", " \x00 "])
TYPED_NUMBER = NUMBER.filter(lambda n: not n.startswith("{"))
PARTNER = st.sampled_from(["", *(mention(user) + " " for user in (MENTOR, MENTEE, STRANGER))])
# The shapes the commands read (goals, pause, log), with generated parts, so the parsers'
# deeper branches are reached as often as their first word.
SHAPED = st.tuples(
    PARTNER,
    st.one_of(
        st.tuples(st.sampled_from(["done", "drop", "edit"]), TYPED_NUMBER, TEXT).map(" ".join),
        st.tuples(st.sampled_from(["add", "edit 1"]), TEXT, DAY).map(
            lambda parts: f"{parts[0]} {parts[1]} by {parts[2]}"
        ),
        st.tuples(TYPED_NUMBER, st.sampled_from(["d", "w", ""])).map("".join),
        st.tuples(st.sampled_from(["until", "today", ""]), DAY).map(" ".join),
    ),
    st.sampled_from(["", "\x00", "\n", " extra"]),
).map("".join)
COMMAND_TEXT = st.one_of(
    SHAPED,
    st.lists(st.tuples(WORD, SEPARATOR), max_size=7).map(
        lambda parts: "".join(w + s for w, s in parts)
    ),
    TEXT,
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
)
BUTTON_VALUE = st.one_of(
    st.tuples(NUMBER, DAY, DAY).map(":".join),  # a nudge or check-in: pair:period:day
    st.tuples(NUMBER, NUMBER).map(":".join),  # a pulse: pair:days
    NUMBER,
    TEXT,
    st.just(""),
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
ANSWER = st.one_of(TEXT, COMMAND_TEXT, st.none(), JSON)
METADATA = st.one_of(
    st.dictionaries(
        st.sampled_from(["meeting_id", "pair_id", "pulse_id", "other"]),
        st.one_of(
            NUMBER, NUMBER.map(lambda n: n if n.startswith("{") else f'"{n}"'), JSON.map(json.dumps)
        ),
        max_size=3,
    ).map(lambda fields: "{" + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + "}"),
    TEXT,
    st.just(""),
)
CHECKBOXES = st.one_of(st.just([]), st.just([{"value": "share"}]), JSON)
TEXT_FIELDS = (ids.WORKED, ids.DID_NOT_WORK, ids.DIFFERENTLY, ids.PULSE_NOTE)


@st.composite
def state_values(draw) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for block in TEXT_FIELDS:
        if draw(st.booleans()):
            values[block] = {block: {"type": "plain_text_input", "value": draw(ANSWER)}}
    if draw(st.booleans()):
        values[ids.SHARE] = {
            ids.SHARE: {"type": "checkboxes", "selected_options": draw(CHECKBOXES)}
        }
    return values


def _check(world: World) -> None:
    assert world.sent >= EXAMPLES // 2, f"only {world.sent} inputs were sent"
    assert world.faults == {}, "faults logged or 5xx answered:\n" + world.report()


# --- the tests --------------------------------------------------------------------------------


def test_generated_text_at_every_slash_command(world):
    names = registered(world.bot.deps)["command"]

    @FUZZ
    @given(name=st.sampled_from(names), text=COMMAND_TEXT, user=st.sampled_from(USERS))
    def run(name: str, text: str, user: str) -> None:
        text = world.fill(text)
        world.send(f"{user} {name} {text!r}", lambda: world.bot.command(name, text, user=user))

    run()
    _check(world)


def test_generated_values_at_every_button_and_date_picker(world):
    action_ids = registered(world.bot.deps)["action"]

    @FUZZ
    @given(
        action_id=st.sampled_from(action_ids),
        value=BUTTON_VALUE,
        block_id=st.one_of(st.just("actions"), BUTTON_VALUE),
        selected_date=DAY,
        container=st.sampled_from(["message", "message", "view"]),
        user=st.sampled_from(USERS),
    )
    def run(action_id, value, block_id, selected_date, container, user) -> None:
        action = {
            "action_id": action_id,
            "value": world.fill(value),
            "block_id": world.fill(block_id),
        }
        if action_id == ids.PICK_DAY:  # the one date picker; the rest are buttons
            action.update(type="datepicker", selected_date=selected_date)
        payload = world.block_action(user, action, container)
        world.send(f"{user} {container} {action}", lambda: world.bot.interaction(payload))

    run()
    _check(world)


def test_generated_values_at_every_modal(world):
    callback_ids = registered(world.bot.deps)["view"]

    @FUZZ
    @given(
        callback_id=st.sampled_from(callback_ids),
        metadata=METADATA,
        values=state_values(),
        user=st.sampled_from(USERS),
    )
    def run(callback_id, metadata, values, user) -> None:
        view = {
            "callback_id": callback_id,
            "private_metadata": world.fill(metadata),
            "state": {"values": values},
        }
        payload = world.view_submission(user, view)
        world.send(f"{user} {json.dumps(view)}", lambda: world.bot.interaction(payload))

    run()
    _check(world)
