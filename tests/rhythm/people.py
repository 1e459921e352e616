"""People in a walk: answering the bot's messages the way Slack delivers what they do."""

from __future__ import annotations

import datetime as dt
import json

from bot.demo.stand_in import BOT_USER_ID
from bot.messages import ids


def key_of(args: dict) -> str:
    metadata = args.get("metadata")
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    return (metadata or {}).get("event_payload", {}).get("key", "")


def reflection_values(
    *, worked: str | None, did_not_work: str | None, differently: str | None = None, share: bool
) -> dict:
    """A reflection modal's state.values as Slack sends them (None for a question left empty)."""

    def answer(value: str | None) -> dict:
        return {"type": "plain_text_input", "value": value}

    return {
        ids.WORKED: {ids.WORKED: answer(worked)},
        ids.DID_NOT_WORK: {ids.DID_NOT_WORK: answer(did_not_work)},
        ids.DIFFERENTLY: {ids.DIFFERENTLY: answer(differently)},
        ids.SHARE: {
            ids.SHARE: {
                "type": "checkboxes",
                "selected_options": [{"value": "share"}] if share else [],
            }
        },
    }


def posted(bot) -> list[tuple[str, str, dt.datetime]]:
    """(key, channel, instant) of every scheduled message the stand-in accepted."""
    out = []
    for channel, messages in bot.slack.history.items():
        for message in messages:
            key = (message.get("metadata") or {}).get("event_payload", {}).get("key")
            if key:
                instant = dt.datetime.fromtimestamp(int(message["ts"].split(".")[0]), dt.UTC)
                out.append((key, channel, instant))
    return out


class People:
    """Answers on behalf of the people in the walk, as Slack would deliver them."""

    def __init__(self, bot, conversation: str = "") -> None:
        self.bot = bot
        self.events = 0
        self.conversation = conversation  # where react() reacts unless told otherwise

    def react(
        self,
        user: str,
        ts: str,
        reaction: str = "white_check_mark",
        event_id: str | None = None,
        channel: str | None = None,
    ):
        self.events += 1
        event = {
            "type": "reaction_added",
            "user": user,
            "reaction": reaction,
            "item": {"type": "message", "channel": channel or self.conversation, "ts": ts},
            "item_user": BOT_USER_ID,
            "event_ts": f"{dt.datetime.now(dt.UTC).timestamp():.6f}",
        }
        reply = self.bot.event(event, event_id=event_id or f"Ev{self.events:04d}")
        assert reply.status == 200

    def click(self, user: str, key: str, action_id: str, **action):
        message = self.message(key)
        block, element = next(
            (b, e)
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == action_id
        )
        payload = {
            "type": "block_actions",
            "user": {"id": user, "team_id": "T0MENTOR"},
            "trigger_id": "1.2.trigger",
            "container": {
                "type": "message",
                "channel_id": message["channel"],
                "message_ts": message["ts"],
            },
            "channel": {"id": message["channel"]},
            "message": {"ts": message["ts"], "blocks": message["blocks"]},
            "actions": [
                {
                    "block_id": block.get("block_id", "actions"),
                    "type": element["type"],
                    **element,
                    **action,
                }
            ],
        }
        reply = self.bot.interaction(payload)
        assert reply.status == 200

    def submit(self, user: str, view: dict, values: dict):
        """Submit a modal the bot opened, with `values` as Slack's state.values."""
        payload = {
            "type": "view_submission",
            "user": {"id": user, "team_id": "T0MENTOR"},
            "view": {**view, "id": "V0001", "state": {"values": values}},
        }
        reply = self.bot.interaction(payload)
        assert reply.status == 200
        return reply

    def opened_view(self) -> dict:
        """The last modal the bot opened."""
        view = self.bot.slack.calls_to("views.open")[-1].args["view"]
        return json.loads(view) if isinstance(view, str) else view

    def message(self, key: str) -> dict:
        """The message posted under `key`, as it reads now (after any chat.update)."""
        for call in self.bot.slack.calls_to("chat.postMessage"):
            if key_of(call.args) == key:
                channel, ts, blocks = call.args["channel"], self.ts(key), call.args["blocks"]
                for update in self.bot.slack.calls_to("chat.update"):
                    if (update.args["channel"], update.args["ts"]) == (channel, ts):
                        blocks = update.args["blocks"]
                blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
                return {"channel": channel, "ts": ts, "blocks": blocks}
        raise AssertionError(f"{key} was never posted")

    def ts(self, key: str) -> str:
        for messages in self.bot.slack.history.values():
            for message in messages:
                if (message.get("metadata") or {}).get("event_payload", {}).get("key") == key:
                    return message["ts"]
        raise AssertionError(f"{key} is not in any conversation")


def home_of(bot, user: str) -> str:
    """What `user` reads on the bot's Home tab, opened now."""
    from bot.demo.slack_requests import blocks_text

    bot.event({"type": "app_home_opened", "user": user, "tab": "home"}, event_id=f"Ev{user}")
    assert bot.deps.background.wait(timeout=30)
    return blocks_text(bot.slack.calls_to("views.publish")[-1].args["view"]["blocks"])
