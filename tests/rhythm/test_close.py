"""/mentor-close: asked first, closed once, kind words to each member with a last
reflection that stays private unless shared; bad input explains itself and writes nothing."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from bot.demo.response_urls import ResponseUrls
from bot.demo.slack_requests import blocks_text, mention
from bot.demo.stand_in import TEAM_ID
from bot.errors import UserError
from bot.flows import closing as closing_flow
from bot.messages import ids
from bot.models import OutboxMessage, OutboxStatus, Pair, PairStatus, Reflection
from tests.conftest import COORDINATOR, COORDINATOR_CHANNEL
from tests.db_state import snapshot
from tests.rhythm.people import reflection_values

MENTOR, MENTEE, STRANGER = "UMENTOR01", "UMENTEE01", "USTRANGE1"
SECRET = "SECRET-LAST-WORDS"
MONDAY_MORNING = "2026-10-05T08:00:00Z"  # 10:00 in Berlin, 01:00 in Los Angeles


@pytest.fixture
def response_urls() -> Iterator[ResponseUrls]:
    receiver = ResponseUrls()
    yield receiver
    receiver.stop()


@pytest.fixture
def paired(bot, walk):
    """A mentee in Berlin and a mentor in Los Angeles, paired on a Monday morning."""
    for user, tz in ((MENTOR, "America/Los_Angeles"), (MENTEE, "Europe/Berlin")):
        bot.slack.add_user(user, tz=tz)
    bot.slack.add_user(STRANGER, tz="Europe/Berlin")
    walk.to(MONDAY_MORNING)
    reply = bot.command(
        "/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR
    )
    assert "Paired" in reply.text
    bot.slack.reset_calls()
    return bot


def keys_sent(bot) -> list[str]:
    out = []
    for call in bot.slack.calls_to("chat.postMessage"):
        metadata = call.args.get("metadata")
        metadata = json.loads(metadata) if isinstance(metadata, str) else metadata or {}
        if key := metadata.get("event_payload", {}).get("key"):
            out.append(key)
    return out


def status(sessions) -> PairStatus:
    with sessions() as session:
        return session.get_one(Pair, 1).status


def buttons(reply_json: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        element["action_id"]: element
        for block in reply_json.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    }


def press(
    bot,
    response_urls,
    *,
    user: str,
    action_id: str,
    value: str,
    name: str = "1",
    timestamp: int | None = None,
):
    """A button on an ephemeral reply, as Slack sends it: with a response_url, no ts to update.

    Other threads see freezegun's real clock, so they pass the frozen `timestamp` to sign with.
    """
    payload = {
        "type": "block_actions",
        "user": {"id": user, "team_id": TEAM_ID},
        "container": {
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": "C0GENERAL",
            "is_ephemeral": True,
        },
        "channel": {"id": "C0GENERAL"},
        "trigger_id": "1.2.close",
        "response_url": response_urls.url(name),
        "actions": [
            {
                "action_id": action_id,
                "block_id": f"close:{value}",
                "type": "button",
                "value": value,
                "action_ts": "1700000000.000200",
            }
        ],
    }
    assert bot.interaction(payload, timestamp=timestamp).status == 200


def kind_messages(bot, user: str) -> list[dict[str, Any]]:
    return [m for m in bot.slack.messages_in(user) if "is now closed" in m["text"]]


def test_a_member_is_asked_first_and_closing_tells_each_member_kindly(
    paired, walk, sessions, response_urls
):
    walk.to("2026-10-05T16:30:00Z")  # 18:30 in Berlin, 09:30 in Los Angeles
    before = snapshot(sessions)
    question = paired.command("/mentor-close", user=MENTEE)
    assert question.json["response_type"] == "ephemeral"
    assert f"Close your mentoring pair with <@{MENTOR}>?" in question.text
    assert "nobody's fault" in question.text and "free to try again" in question.text
    found = buttons(question.json)
    assert found[ids.CLOSE_CONFIRM]["text"]["text"] == "Close pair"
    assert found[ids.CLOSE_CONFIRM]["style"] == "danger"
    assert found[ids.CLOSE_KEEP]["text"]["text"] == "Keep it open"
    assert snapshot(sessions) == before  # asking writes nothing
    assert paired.slack.calls_to("chat.postMessage") == []

    press(paired, response_urls, user=MENTEE, action_id=ids.CLOSE_CONFIRM, value="1")
    assert status(sessions) is PairStatus.CLOSED
    [answer] = response_urls.posted
    assert answer["replace_original"] is True
    assert f"Your pair with <@{MENTOR}> is closed" in blocks_text(answer["blocks"])

    # The mentor is at work now and hears at once; the mentee's evening waits for morning.
    assert keys_sent(paired) == [f"closed:1:{MENTOR}"]
    walk.tick("2026-10-06T07:00:00Z")
    assert keys_sent(paired) == [f"closed:1:{MENTOR}", f"closed:1:{MENTEE}"]
    for user, partner in ((MENTOR, MENTEE), (MENTEE, MENTOR)):
        [kind] = kind_messages(paired, user)
        seen = blocks_text(kind["blocks"])
        assert f"Your mentoring pair with <@{partner}> is now closed" in seen
        assert "This happens often" in seen and "says nothing against either of you" in seen
        assert "free to try again" in seen
        [offer] = [b for b in kind["blocks"] if b["type"] == "actions"]
        button, another = offer["elements"]
        assert (button["action_id"], button["value"]) == (ids.LAST_REFLECTION_OPEN, "1")
        assert button["text"]["text"] == "Write a last reflection"
        assert (another["action_id"], another["text"]["text"]) == (
            ids.ANOTHER_PAIR,
            "I'd like another pair",
        )


def test_a_coordinator_closes_a_pair_by_naming_both(paired, walk, sessions, response_urls):
    walk.to("2026-10-06T08:00:00Z")
    question = paired.command(
        "/mentor-close", f"{mention(MENTEE)} {mention(MENTOR)}", user=COORDINATOR
    )  # either way round
    assert (
        f"Close the mentoring pair of <@{MENTOR}> (mentor) and <@{MENTEE}> (mentee)?"
        in question.text
    )
    value = buttons(question.json)[ids.CLOSE_CONFIRM]["value"]
    press(paired, response_urls, user=COORDINATOR, action_id=ids.CLOSE_CONFIRM, value=value)
    assert status(sessions) is PairStatus.CLOSED
    [answer] = response_urls.posted
    assert f"The pair of <@{MENTOR}> and <@{MENTEE}> is closed" in blocks_text(answer["blocks"])
    assert keys_sent(paired) == [f"closed:1:{MENTEE}"]  # the mentor's night is not disturbed


def test_keep_it_open_changes_nothing(paired, walk, sessions, response_urls):
    walk.to("2026-10-06T08:00:00Z")
    question = paired.command("/mentor-close", user=MENTOR)
    before = snapshot(sessions)
    value = buttons(question.json)[ids.CLOSE_KEEP]["value"]
    press(paired, response_urls, user=MENTOR, action_id=ids.CLOSE_KEEP, value=value)
    [answer] = response_urls.posted
    assert answer["replace_original"] is True
    assert f"Nothing changed: your pair with <@{MENTEE}> stays open." in blocks_text(
        answer["blocks"]
    )
    assert snapshot(sessions) == before
    assert paired.slack.calls_to("chat.postMessage") == []
    assert status(sessions) is PairStatus.ACTIVE


BAD_INPUT = [
    (STRANGER, "", "You're not in an open mentoring pair, so there's nothing of yours to close."),
    (COORDINATOR, "", "To close someone else's pair, name both people"),
    (MENTEE, mention(STRANGER), f"You and <@{STRANGER}> aren't a pair"),
    (MENTEE, f"{mention(MENTOR)} {mention(MENTEE)}", "Only programme coordinators can close"),
    (MENTEE, "@ben", "`@ben` isn't a mention I can read as the partner"),
    (COORDINATOR, f"{mention(MENTOR)} @ben", "`@ben` isn't a mention I can read as the mentee"),
    (MENTEE, "now", "I don't know what to do with `now`"),
    (MENTEE, f"{mention(MENTOR)} please", "I don't know what to do with `please`"),
    (
        COORDINATOR,
        f"{mention(MENTOR)} {mention(STRANGER)}",
        f"<@{MENTOR}> and <@{STRANGER}> aren't a pair in this programme",
    ),
    (COORDINATOR, f"{mention(MENTOR)} {mention(MENTOR)}", "must be two different people"),
]


@pytest.mark.parametrize(("user", "text", "expected"), BAD_INPUT)
def test_bad_input_explains_and_writes_nothing(paired, walk, sessions, user, text, expected):
    walk.to("2026-10-06T08:00:00Z")
    before = snapshot(sessions)
    reply = paired.command("/mentor-close", text, user=user)
    assert reply.json["response_type"] == "ephemeral"
    assert expected in reply.text
    assert "Usage: `/mentor-close`" in reply.text
    assert ids.CLOSE_CONFIRM not in buttons(reply.json)
    assert snapshot(sessions) == before
    assert paired.slack.calls_to("chat.postMessage") == []


def test_a_member_of_two_pairs_says_which_one(paired, walk, sessions, response_urls):
    paired.command("/mentor-pair", f"{mention(MENTOR)} {mention(STRANGER)}", user=COORDINATOR)
    paired.slack.reset_calls()
    before = snapshot(sessions)
    reply = paired.command("/mentor-close", user=MENTOR)
    assert "You're in 2 pairs" in reply.text and "Say which one to close" in reply.text
    assert snapshot(sessions) == before

    question = paired.command("/mentor-close", mention(STRANGER), user=MENTOR)
    assert f"Close your mentoring pair with <@{STRANGER}>?" in question.text
    value = buttons(question.json)[ids.CLOSE_CONFIRM]["value"]
    press(paired, response_urls, user=MENTOR, action_id=ids.CLOSE_CONFIRM, value=value)
    with sessions() as session:
        statuses = dict(session.execute(sa.select(Pair.id, Pair.status)).all())
    assert statuses == {1: PairStatus.ACTIVE, 2: PairStatus.CLOSED}


def test_a_closed_pair_is_refused_with_a_clear_word(paired, walk, sessions, response_urls):
    walk.to("2026-10-06T08:00:00Z")
    value = buttons(paired.command("/mentor-close", user=MENTEE).json)[ids.CLOSE_CONFIRM]["value"]
    press(paired, response_urls, user=MENTEE, action_id=ids.CLOSE_CONFIRM, value=value)
    paired.slack.reset_calls()
    before = snapshot(sessions)
    already = f"The pair of <@{MENTOR}> and <@{MENTEE}> is already closed, so nothing changed."
    assert already in paired.command("/mentor-close", user=MENTEE).text
    assert already in paired.command("/mentor-close", mention(MENTEE), user=MENTOR).text
    coordinator = paired.command(
        "/mentor-close", f"{mention(MENTOR)} {mention(MENTEE)}", user=COORDINATOR
    )
    assert already in coordinator.text
    assert snapshot(sessions) == before
    assert paired.slack.calls_to("chat.postMessage") == []


def test_the_button_checks_who_presses_it_again(paired, walk, sessions, response_urls):
    walk.to("2026-10-06T08:00:00Z")
    value = buttons(paired.command("/mentor-close", user=MENTEE).json)[ids.CLOSE_CONFIRM]["value"]
    before = snapshot(sessions)
    press(paired, response_urls, user=STRANGER, action_id=ids.CLOSE_CONFIRM, value=value)
    [refusal] = response_urls.posted
    assert "belongs to another pair" in blocks_text(refusal["blocks"])
    press(paired, response_urls, user=MENTEE, action_id=ids.CLOSE_CONFIRM, value="999")
    assert "belongs to another pair" in blocks_text(response_urls.posted[-1]["blocks"])
    assert snapshot(sessions) == before
    assert paired.slack.calls_to("chat.postMessage") == []


def test_double_clicks_and_retries_close_once_and_tell_each_member_once(
    paired, walk, sessions, response_urls
):
    walk.to("2026-10-06T08:00:00Z")
    value = buttons(paired.command("/mentor-close", user=MENTEE).json)[ids.CLOSE_CONFIRM]["value"]
    signed_at = int(time.time())
    clicks = [
        threading.Thread(
            target=press,
            args=(paired, response_urls),
            kwargs={
                "user": user,
                "action_id": ids.CLOSE_CONFIRM,
                "value": value,
                "name": str(n),
                "timestamp": signed_at,
            },
        )
        for n, user in enumerate((MENTEE, MENTEE, MENTEE, COORDINATOR))
    ]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join()
    press(paired, response_urls, user=MENTEE, action_id=ids.CLOSE_CONFIRM, value=value)  # a retry
    assert status(sessions) is PairStatus.CLOSED
    answers = [blocks_text(posted["blocks"]) for posted in response_urls.posted]
    assert len(answers) == 5
    assert len([a for a in answers if "is closed" in a]) == 1
    assert len([a for a in answers if "is already closed" in a]) == 4
    for instant in ("2026-10-06T16:00:00Z", "2026-10-07T08:00:00Z", "2026-10-07T17:00:00Z"):
        walk.tick(instant)
    assert sorted(keys_sent(paired)) == [f"closed:1:{MENTEE}", f"closed:1:{MENTOR}"]
    assert len(kind_messages(paired, MENTEE)) == len(kind_messages(paired, MENTOR)) == 1
    with sessions() as session:
        owed = session.scalars(sa.select(OutboxMessage.key).where(OutboxMessage.kind == "closed"))
        assert sorted(owed) == [f"closed:1:{MENTEE}", f"closed:1:{MENTOR}"]


def test_two_processes_closing_at_once_close_once(paired, walk, sessions):
    """Two web processes both read the pair as open; only one of them closes it."""
    walk.to("2026-10-06T08:00:00Z")
    with sessions() as first, sessions() as second:
        mine, theirs = first.get_one(Pair, 1), second.get_one(Pair, 1)
        assert mine.status is theirs.status is PairStatus.ACTIVE
        keys = closing_flow.close(first, paired.deps, mine)
        first.commit()
        with pytest.raises(UserError) as refused:
            closing_flow.close(second, paired.deps, theirs)
        second.rollback()
    assert refused.value.code == "pair_already_closed"
    assert sorted(keys) == [f"closed:1:{MENTEE}", f"closed:1:{MENTOR}"]
    with sessions() as session:
        closing_rows = sa.select(sa.func.count()).where(OutboxMessage.kind == "closed")
        assert session.scalar(closing_rows) == 2


def test_a_closed_pair_hears_nothing_more(paired, walk, sessions, response_urls):
    walk.tick()  # Monday: the first nudge
    walk.to("2026-10-08T10:00:00Z")  # Thursday: noon in Berlin, 03:00 in Los Angeles
    paired.command("/mentor-log", "today", user=MENTEE)
    value = buttons(paired.command("/mentor-close", user=MENTEE).json)[ids.CLOSE_CONFIRM]["value"]
    press(paired, response_urls, user=MENTEE, action_id=ids.CLOSE_CONFIRM, value=value)
    sent_by_now = keys_sent(paired)
    assert f"reflection_prompt:1:{MENTEE}" in sent_by_now and f"closed:1:{MENTEE}" in sent_by_now
    with sessions() as session:  # the mentor's prompt, owed for his morning, is dropped
        prompt = session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.key == f"reflection_prompt:1:{MENTOR}")
        ).one()
        assert (prompt.status, prompt.error) == (OutboxStatus.CANCELLED, "pair_closed")

    start = dt.datetime(2026, 10, 8, 11, tzinfo=dt.UTC)
    for hour in range(21 * 24):  # three weeks of hourly passes
        walk.tick(start + dt.timedelta(hours=hour))
    to_the_pair = [
        key for key in keys_sent(paired)[len(sent_by_now) :] if not key.startswith("digest")
    ]
    assert to_the_pair == [f"closed:1:{MENTOR}"]  # in his working hours, and nothing else


def close_and_deliver(bot, walk, response_urls) -> None:
    """The mentee closes on Tuesday evening (Berlin); by Wednesday morning both have heard."""
    walk.to("2026-10-06T16:30:00Z")
    value = buttons(bot.command("/mentor-close", user=MENTEE).json)[ids.CLOSE_CONFIRM]["value"]
    press(bot, response_urls, user=MENTEE, action_id=ids.CLOSE_CONFIRM, value=value)
    walk.tick("2026-10-07T08:00:00Z")


def open_last_reflection(bot, user: str) -> dict[str, Any]:
    [kind] = kind_messages(bot, user)
    payload = {
        "type": "block_actions",
        "user": {"id": user, "team_id": TEAM_ID},
        "container": {"type": "message", "message_ts": "1.1", "channel_id": "D" + user[1:]},
        "trigger_id": "1.2.reflect",
        "message": {"ts": "1.1", "blocks": kind["blocks"]},
        "actions": [
            {
                "action_id": ids.LAST_REFLECTION_OPEN,
                "block_id": "x",
                "type": "button",
                "value": "1",
            }
        ],
    }
    assert bot.interaction(payload).status == 200
    view = bot.slack.calls_to("views.open")[-1].args["view"]
    return json.loads(view) if isinstance(view, str) else view


def submit_last_reflection(bot, user: str, view: dict[str, Any], *, worked: str, share: bool):
    state = reflection_values(worked=worked, did_not_work="we never found a day", share=share)
    payload = {
        "type": "view_submission",
        "user": {"id": user, "team_id": TEAM_ID},
        "view": {**view, "id": "V0001", "state": {"values": state}},
    }
    return bot.interaction(payload)


def coordinator_visible(bot) -> str:
    """Everything coordinators could read: their channel, their DMs, the digest on demand."""
    seen = [
        json.dumps(call.args)
        for method in ("chat.postMessage", "chat.postEphemeral", "views.publish", "chat.update")
        for call in bot.slack.calls_to(method)
        if call.args.get("channel") in (COORDINATOR_CHANNEL, COORDINATOR)
        or call.args.get("user") == COORDINATOR
        or call.args.get("user_id") == COORDINATOR
    ]
    seen.append(bot.command("/mentor-digest", user=COORDINATOR).body)
    seen.append(bot.command("/mentor-pairs", "all", user=COORDINATOR).body)
    return "\n".join(seen)


def test_the_last_reflection_is_private_unless_shared_and_shared_once(
    paired, walk, sessions, response_urls
):
    close_and_deliver(paired, walk, response_urls)  # a pair that never met

    view = open_last_reflection(paired, MENTEE)
    seen = blocks_text(view["blocks"])
    assert view["callback_id"] == ids.LAST_REFLECTION_MODAL
    assert "What worked well?" in seen and "What didn't work well?" in seen
    assert "What would you do differently next time?" in seen
    assert "coordinators never do" in seen
    [share] = [b for b in view["blocks"] if b.get("block_id") == ids.SHARE]
    assert "initial_options" not in share["element"]  # off by default

    conversation = paired.slack.conversation_id(MENTOR, MENTEE)
    before = len(paired.slack.messages_in(conversation))
    assert (
        submit_last_reflection(paired, MENTEE, view, worked=f"{SECRET} one", share=False).body == ""
    )
    assert len(paired.slack.messages_in(conversation)) == before
    assert "just for you" in paired.slack.messages_in(MENTEE)[-1]["text"]
    with sessions() as session:
        [row] = session.scalars(sa.select(Reflection)).all()
        assert (row.pair_id, row.meeting_id, row.worked, row.shared) == (
            1,
            None,
            f"{SECRET} one",
            False,
        )

    again = open_last_reflection(paired, MENTEE)  # the earlier answers, to change
    assert f"{SECRET} one" in json.dumps(again)
    submit_last_reflection(paired, MENTEE, again, worked=f"{SECRET} two", share=True)
    submit_last_reflection(paired, MENTEE, again, worked=f"{SECRET} three", share=True)
    posted = paired.slack.messages_in(conversation)[before:]
    assert len(posted) == 1
    assert f"<@{MENTEE}> shared a last reflection" in blocks_text(posted[0]["blocks"])
    assert f"{SECRET} two" in blocks_text(posted[0]["blocks"])
    with sessions() as session:
        [row] = session.scalars(sa.select(Reflection)).all()  # rewritten, never a second one
        assert (row.worked, row.shared) == (f"{SECRET} three", True)

    assert SECRET not in coordinator_visible(paired)


def test_only_a_member_writes_a_last_reflection(paired, walk, sessions, response_urls):
    close_and_deliver(paired, walk, response_urls)
    view = open_last_reflection(paired, MENTEE)
    before = snapshot(sessions)
    refused = submit_last_reflection(paired, STRANGER, view, worked=SECRET, share=True)
    assert "belongs to another pair" in refused.json["errors"][ids.WORKED]
    assert snapshot(sessions) == before


def test_a_last_reflection_with_no_answer_asks_for_one_and_writes_nothing(
    paired, walk, sessions, response_urls
):
    close_and_deliver(paired, walk, response_urls)
    view = open_last_reflection(paired, MENTEE)
    before = snapshot(sessions)
    paired.slack.reset_calls()
    state = reflection_values(worked="  ", did_not_work=None, share=True)
    payload = {
        "type": "view_submission",
        "user": {"id": MENTEE, "team_id": TEAM_ID},
        "view": {**view, "id": "V0001", "state": {"values": state}},
    }
    empty = paired.interaction(payload)
    assert "Write at least one answer" in empty.json["errors"][ids.WORKED]
    assert snapshot(sessions) == before
    assert paired.slack.calls_to("chat.postMessage") == []


def test_the_digest_counts_last_reflections(paired, walk, sessions, response_urls):
    close_and_deliver(paired, walk, response_urls)
    assert "*Reflections written* · 0" in paired.command("/mentor-digest", user=COORDINATOR).text
    for user in (MENTEE, MENTOR):
        view = open_last_reflection(paired, user)
        submit_last_reflection(paired, user, view, worked=SECRET, share=False)
        submit_last_reflection(paired, user, view, worked=SECRET, share=False)  # one each
    digest = paired.command("/mentor-digest", user=COORDINATOR).text
    assert "*Reflections written* · 2" in digest
    assert "closed this week" in digest.lower()
    assert SECRET not in digest
