"""The demo's people acting the way Slack delivers it: signed slash commands, reactions,
button clicks and modal submissions, each printed as it happens with what came back."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.demo.cast import CHANNEL_NAME, COORDINATOR_CHANNEL, CORA, PAIRS, PairPlan, Person
from bot.demo.slack_requests import mention
from bot.demo.stage import Stage
from bot.demo.stand_in import BOT_USER_ID, TEAM_ID, SlackStandIn
from bot.demo.transcript import Entry, Names, Transcript, stamp
from bot.messages import ids

REACTIONS = {"white_check_mark": "✅", "x": "❌"}
UNSEEN = {"users.info", "conversations.open", "conversations.history", "auth.test"}
# What a person's action sets off runs on the app's background threads, in whatever order
# they finish; the transcript shows it in one order, the same at every run: the note
# under the message clicked, then the form it opened, then the rest as it reached Slack
# (messages in the order the outbox sent them).
AFTER_ACTION = {"chat.update": 0, "views.open": 1}
# A pair's agreement is its own: each pair's proposal and agreement are shown in full, and
# so is the first nudge under terms just agreed (the day, time and way they chose).
EACH_PAIR = {"rhythm_proposed", "rhythm_agreed"}


def key_of(args: dict[str, Any]) -> str:
    metadata = args.get("metadata")
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    return str((metadata or {}).get("event_payload", {}).get("key", ""))


def blocks_of(args: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = args.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


class People:
    """Sends what people do to the app and writes what everyone saw to the transcript.

    Repeated kinds of message (the tenth nudge, say) are shown by their one-line
    notification text; the first of each kind is shown in full.
    """

    def __init__(self, stage: Stage, names: Names, transcript: Transcript) -> None:
        self.stage, self.names, self.transcript = stage, names, transcript
        self.read = 0  # stand-in calls already written out
        self.arrived: list[tuple[str, str]] = []  # (key, channel) of scheduled messages posted
        self.seen: set[str] = set()
        self.agreed: set[str] = set()  # pairs whose first nudge since agreeing is still due
        self.actor: Person = CORA
        self.conversations = {
            SlackStandIn.conversation_id(p.mentor.user_id, p.mentee.user_id): p for p in PAIRS
        }
        self.circles = {m.user_id: p.name for p in PAIRS for m in (p.mentor, p.mentee)}

    @property
    def now(self) -> dt.datetime:
        return self.stage.clock.now

    # --- what people do ------------------------------------------------------------------

    def command(self, who: Person, name: str, text: str) -> None:
        self._did(who, f"types {name} {self.names.plain(text)}".rstrip())
        reply = self.stage.sender.command(name, text, user=who.user_id)
        self.flush(action=True)
        data = reply.json if reply.body else {}
        lines = self.names.blocks(data.get("blocks"), data.get("text", ""), [who])
        self._entry([who], f"→ {who.name}, privately", lines, kind=f"reply to {name}")

    def pair(self, plan: PairPlan) -> None:
        text = f"{mention(plan.mentor.user_id)} {mention(plan.mentee.user_id)} {plan.rhythm}"
        self.command(CORA, "/mentor-pair", text)

    def react(self, who: Person, key: str, reaction: str) -> None:
        channel, ts, args = self._posted(key)
        notification = self.names.plain(args.get("text", ""))
        self._did(who, f"reacts {REACTIONS.get(reaction, reaction)} to “{notification}”")
        event = {
            "type": "reaction_added",
            "user": who.user_id,
            "reaction": reaction,
            "item": {"type": "message", "channel": channel, "ts": ts},
            "item_user": BOT_USER_ID,
            "event_ts": f"{self.now.timestamp():.6f}",
        }
        self.stage.sender.event(event, event_id=f"Ev{len(self.stage.slack.calls):06d}")
        self.flush(action=True)

    def click(self, who: Person, key: str, action_id: str, **action: Any) -> None:
        channel, ts, args = self._posted(key)
        blocks = blocks_of(args)
        block = next(b for b in blocks if b["type"] == "actions")
        element = next(e for e in block["elements"] if e["action_id"] == action_id)
        if "selected_date" in action:
            picked = dt.date.fromisoformat(action["selected_date"])
            self._did(who, f"picks {picked:%A} {picked.day} {picked:%B} in [📅 …]")
        else:
            self._did(who, f"clicks [{element['text']['text']}]")
        payload = {
            "type": "block_actions",
            "user": {"id": who.user_id, "team_id": TEAM_ID},
            "trigger_id": f"{len(self.stage.slack.calls)}.demo",
            "container": {"type": "message", "channel_id": channel, "message_ts": ts},
            "channel": {"id": channel},
            "message": {"ts": ts, "blocks": blocks},
            "actions": [{"block_id": block.get("block_id", ""), **element, **action}],
        }
        self.actor = who
        self.stage.sender.interaction(payload)
        self.flush(action=True)

    def submit(self, who: Person, values: dict[str, dict[str, Any]], said: str) -> None:
        """Fill in and submit the modal the last click opened."""
        view = _view(self.stage.slack.calls_to("views.open")[-1].args)
        self._did(who, said)
        state = {block: {block: value} for block, value in values.items()}
        payload = {
            "type": "view_submission",
            "user": {"id": who.user_id, "team_id": TEAM_ID},
            "view": {**view, "id": "V0DEMO", "state": {"values": state}},
        }
        self.stage.sender.interaction(payload)
        self.flush(action=True)

    def reflect(self, who: Person, key: str, answers: dict[str, str], *, share: bool) -> None:
        self.click(who, key, ids.REFLECT_OPEN)
        values: dict[str, dict[str, Any]] = {
            name: {"type": "plain_text_input", "value": text or None}
            for name, text in answers.items()
        }
        values[ids.SHARE] = {
            "type": "checkboxes",
            "selected_options": [{"value": "share"}] if share else [],
        }
        written = " / ".join(f"“{text}”" for text in answers.values() if text)
        said = f"answers {written}, " + ("and shares it" if share else "and keeps it private")
        self.submit(who, values, said)

    def agree_rhythm(self, who: Person, key: str, answers: dict[str, str]) -> None:
        """*Agree our rhythm* on the message under `key`, then the form filled in with
        `answers` (cadence, weekday, time, way, speed, hope: the values the form offers)."""
        self.click(who, key, ids.RHYTHM_OPEN)
        view = _view(self.stage.slack.calls_to("views.open")[-1].args)
        values: dict[str, dict[str, Any]] = {
            block: {"type": "static_select", "selected_option": {"value": answers[name]}}
            for block, name in (
                (ids.RHYTHM_CADENCE, "cadence"),
                (ids.RHYTHM_WEEKDAY, "weekday"),
                (ids.RHYTHM_WAY, "way"),
                (ids.RHYTHM_SPEED, "speed"),
            )
        }
        values[ids.RHYTHM_TIME] = {"type": "timepicker", "selected_time": answers["time"]}
        values[ids.RHYTHM_WAY_WORDS] = {"type": "plain_text_input", "value": None}
        values[ids.RHYTHM_HOPE] = {"type": "plain_text_input", "value": answers["hope"]}
        picked = [
            _option_text(view, block, answers[name])
            for block, name in ((ids.RHYTHM_CADENCE, "cadence"), (ids.RHYTHM_WEEKDAY, "weekday"))
        ]
        picked.append(answers["time"])
        picked += [
            _option_text(view, block, answers[name])
            for block, name in ((ids.RHYTHM_WAY, "way"), (ids.RHYTHM_SPEED, "speed"))
        ]
        said = (
            f"picks {' / '.join(picked)}, writes the hope “{answers['hope']}”"
            f" and clicks [{view['submit']['text']}]"
        )
        self.submit(who, values, said)

    # --- what everyone saw -----------------------------------------------------------------

    def flush(self, *, action: bool = False) -> None:
        """Write out what reached Slack since the last flush, in the order it happened; or,
        after an `action`, in the order of AFTER_ACTION (see there)."""
        calls = self.stage.slack.calls[self.read :]
        self.read += len(calls)
        if action:
            calls = sorted(calls, key=lambda call: AFTER_ACTION.get(call.method, len(AFTER_ACTION)))
        for call in calls:
            if call.method not in UNSEEN:
                self._show(call.method, call.args)
            if call.method == "chat.postMessage" and key_of(call.args):
                self.arrived.append((key_of(call.args), call.args["channel"]))

    def _show(self, method: str, args: dict[str, Any]) -> None:
        names = self.names
        if method == "chat.postMessage":
            people, place = self._place(args["channel"])
            lines = names.blocks(args.get("blocks"), args.get("text", ""), people)
            kind = self._kind(key_of(args).split(":")[0], people) or args.get("text")
            short = names.plain(args.get("text", ""), people)
            self._entry(people, place, lines, kind, short=short)
        elif method == "chat.postEphemeral":
            who = names.person(args["user"])
            lines = names.blocks(args.get("blocks"), args.get("text", ""), [who])
            self._entry([who], f"→ {who.name}, privately", lines, kind=None)
        elif method == "chat.update":
            people, place = self._place(args["channel"])
            note = names.plain(args.get("text", ""), people)
            self._entry(people, f"{place}, under the message: {note}", [], kind=None)
        elif method == "views.open":
            view = _view(args)
            lines = names.blocks(view.get("blocks"), readers=[self.actor])
            title = view.get("title", {}).get("text", "")
            self._entry([self.actor], f"→ {self.actor.name}, a form: “{title}”", lines, title)
        elif method == "files.completeUploadExternal":
            files = args["files"]
            files = json.loads(files) if isinstance(files, str) else files
            people, place = self._place(args.get("channel_id", ""))
            lines = [f"[image: {f.get('title') or f.get('id')}]" for f in files]
            if args.get("initial_comment"):
                lines.insert(0, names.plain(args["initial_comment"]))
            self._entry(people, place, lines, kind=method, short="[image]")
        elif method not in {"files.getUploadURLExternal"}:
            self._entry([self.actor], f"(mentorbot called {method})", [], kind=None)

    def _kind(self, kind: str, people: list[Person]) -> str:
        """What repeats of a scheduled message are recognised by (see EACH_PAIR)."""
        circle = self.circles.get(people[0].user_id, "")
        if kind == "rhythm_agreed":
            self.agreed.add(circle)
        if kind == "nudge" and circle in self.agreed:
            self.agreed.discard(circle)
            return f"nudge agreed by {circle}"
        return f"{kind} of {circle}" if kind in EACH_PAIR else kind

    def _place(self, channel: str) -> tuple[list[Person], str]:
        if channel == COORDINATOR_CHANNEL:
            return [CORA], f"→ {CHANNEL_NAME}"
        if channel in self.conversations:
            plan = self.conversations[channel]
            return [plan.mentee, plan.mentor], f"→ {plan.mentor.name} & {plan.mentee.name}"
        person = self.names.person("U" + channel[1:] if channel.startswith("D") else channel)
        return [person], f"→ {person.name}"

    def _entry(
        self,
        people: list[Person],
        place: str,
        lines: list[str],
        kind: str | None,
        short: str = "",
    ) -> None:
        """Write one entry; a `kind` seen before is cut to the first sentence of `short`
        (its notification text) or of its first line."""
        brief = len(lines) <= 1
        if kind is not None and kind in self.seen:
            lines, brief = [_first_sentence(short or lines[0])], True
        elif kind is not None:
            self.seen.add(kind)
        circle = self.circles.get(people[0].user_id, "")
        self.transcript.add(
            Entry(self.now, stamp(self.now, people), place, lines, brief=brief, circle=circle)
        )

    def _did(self, who: Person, what: str) -> None:
        self.actor = who
        when = stamp(self.now, [who])
        self.transcript.add(Entry(self.now, when, f"▸ {who.name} {what}", brief=True))

    def _posted(self, key: str) -> tuple[str, str, dict[str, Any]]:
        """Where and as which ts the message owed under `key` was posted, and its arguments."""
        slack = self.stage.slack
        args = next(c.args for c in slack.calls_to("chat.postMessage") if key_of(c.args) == key)
        for channel, messages in slack.history.items():
            for message in messages:
                if key_of(message) == key:
                    return channel, message["ts"], args
        raise LookupError(f"{key} was never posted")


def _first_sentence(text: str) -> str:
    first, stop, rest = text.partition(". ")
    return f"{first}{stop.strip()}" if rest else text


def _option_text(view: dict[str, Any], block_id: str, value: str) -> str:
    """The label of the option `value` in the select of block `block_id`, as shown."""
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    option = next(o for o in block["element"]["options"] if o["value"] == value)
    return str(option["text"]["text"])


def _view(args: dict[str, Any]) -> dict[str, Any]:
    view = args["view"]
    return json.loads(view) if isinstance(view, str) else view
