"""A programme of three pairs walked through sixteen weeks with a pass every hour.

- A steady pair (Berlin mentor, London mentee, weekly on Tuesdays) meets every week,
  writes private reflections, completes a goal and answers both pulse check-ins.
- A drifting pair (New York mentor, London mentee, weekly on Wednesdays) meets twice,
  then goes quiet: at risk, then dormant; a coordinator closes it from the alert.
- A third pair (Kolkata mentor, Los Angeles mentee, every two weeks on Thursdays) is
  paused when its mentee is deactivated.

Every message is sent exactly once, at the right time, and nothing private that the
people wrote reaches anything a coordinator sees.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bot.demo.slack_requests import blocks_text, mention
from bot.messages import ids
from bot.models import (
    Goal,
    Meeting,
    OutboxMessage,
    OutboxStatus,
    Pair,
    PairStatus,
    Pulse,
    Reflection,
)
from bot.services import roster
from tests.channels import COORDINATOR_CHANNEL, is_digest
from tests.conftest import COORDINATOR
from tests.rhythm.people import People, posted, reflection_values

START = dt.datetime(2026, 9, 7, 7, 0, tzinfo=dt.UTC)  # Monday
END = dt.datetime(2026, 12, 28, 12, 0, tzinfo=dt.UTC)  # sixteen Mondays later, after 09:00
LONDON, BERLIN = ZoneInfo("Europe/London"), ZoneInfo("Europe/Berlin")
NEW_YORK, KOLKATA = ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")

STEADY, DRIFTING, LEAVING = 1, 2, 3
PEOPLE = {
    STEADY: (("UMENTOR01", BERLIN), ("UMENTEE01", LONDON), "weekly tue"),
    DRIFTING: (("UMENTOR02", NEW_YORK), ("UMENTEE02", LONDON), "weekly wed"),
    LEAVING: (("UMENTOR03", KOLKATA), ("UMENTEE03", LOS_ANGELES), "biweekly thu"),
}
ZONES = {user: zone for mentor, mentee, _ in PEOPLE.values() for user, zone in (mentor, mentee)}
DRIFTING_MEETS = (dt.date(2026, 9, 9), dt.date(2026, 9, 16))  # then never again
LEAVES_AT = dt.datetime(2026, 10, 20, 12, 0, tzinfo=dt.UTC)

# Everything people write that only they (and, if they share it, their partner) may read.
PRIVATE_GOAL = "PRIVATE-GOAL Give a talk at the guild"
PRIVATE_GOAL_DRIFT = "PRIVATE-GOAL-DRIFT Learn the billing system"
PRIVATE_REFLECTION = "PRIVATE-REFLECTION"
SHARED_REFLECTION = "SHARED-REFLECTION between the two of us"
PRIVATE_NOTE = "PRIVATE-PULSE-NOTE"
SECRETS = (
    PRIVATE_GOAL,
    PRIVATE_GOAL_DRIFT,
    PRIVATE_REFLECTION,
    SHARED_REFLECTION,
    PRIVATE_NOTE,
    "ran out of time",
)


def user(pair: int, role: str) -> str:
    mentor, mentee, _ = PEOPLE[pair]
    return (mentor if role == "mentor" else mentee)[0]


def pair_of(key: str) -> int:
    return int(key.split(":")[1])


class Programme:
    """The people of the three pairs answering what the bot sends, as they would."""

    def __init__(self, bot, sessions) -> None:
        self.bot, self.sessions = bot, sessions
        self.people = People(bot)
        self.answered: set[str] = set()
        self.reflections = 0
        self.closed_at: dt.datetime | None = None

    def answer_new_messages(self) -> None:
        for key, _, _ in posted(self.bot):
            if key not in self.answered:
                self.answered.add(key)
                self.answer(key)

    def answer(self, key: str) -> None:
        kind = key.split(":")[0]
        if kind == "checkin":
            self.checkin(key)
        elif kind == "reflection_prompt":
            self.reflect(key)
        elif kind == "pulse":
            self.pulse(key)
        elif kind == "dormant":
            self.people.click(COORDINATOR, key, ids.DORMANT_CLOSE)
            self.closed_at = dt.datetime.now(dt.UTC)

    def checkin(self, key: str) -> None:
        pair, day = pair_of(key), dt.date.fromisoformat(key.split(":")[3])
        if pair == STEADY:
            self.people.click(user(STEADY, "mentee"), key, ids.CHECKIN_MET)
        elif pair == DRIFTING and day in DRIFTING_MEETS:
            self.people.click(user(DRIFTING, "mentor"), key, ids.CHECKIN_MET)
        elif pair == LEAVING:
            self.people.react(
                user(LEAVING, "mentor"), self.people.ts(key), channel=self.channel(key)
            )

    def channel(self, key: str) -> str:
        return self.people.message(key)["channel"]

    def reflect(self, key: str) -> None:
        """The steady pair's members reflect on every meeting; the mentor shares once."""
        author = key.split(":")[2]
        if author not in (user(STEADY, "mentor"), user(STEADY, "mentee")):
            return
        self.people.click(author, key, ids.REFLECT_OPEN)
        share = author == user(STEADY, "mentor") and self.reflections == 0
        self.reflections += 1
        worked = SHARED_REFLECTION if share else f"{PRIVATE_REFLECTION} {self.reflections}"
        self.people.submit(
            author,
            self.people.opened_view(),
            reflection_values(worked=worked, did_not_work="ran out of time", share=share),
        )

    def pulse(self, key: str) -> None:
        _, pair, days, who = key.split(":")
        answers = {
            (STEADY, 30, user(STEADY, "mentee")): ids.PULSE_GOING_WELL,
            (STEADY, 30, user(STEADY, "mentor")): ids.PULSE_COULD_BE_BETTER,
            (STEADY, 90, user(STEADY, "mentee")): ids.PULSE_GOING_WELL,
            (STEADY, 90, user(STEADY, "mentor")): ids.PULSE_GOING_WELL,
            (DRIFTING, 30, user(DRIFTING, "mentee")): ids.PULSE_NOT_WORKING,
            (LEAVING, 30, user(LEAVING, "mentor")): ids.PULSE_GOING_WELL,
        }
        answer = answers.get((int(pair), int(days), who))
        if answer is None:
            return  # some people never answer
        self.people.click(who, key, answer)
        note = f"{PRIVATE_NOTE} from {who} at {days} days"
        self.people.submit(
            who,
            self.people.opened_view(),
            {ids.PULSE_NOTE: {ids.PULSE_NOTE: {"type": "plain_text_input", "value": note}}},
        )


def test_sixteen_weeks_of_a_programme(bot, walk, sessions):
    for mentor, mentee, _ in PEOPLE.values():
        for who, zone in (mentor, mentee):
            bot.slack.add_user(who, tz=zone.key)
    walk.to(START)
    for (mentor, _), (mentee, _), rhythm in PEOPLE.values():
        reply = bot.command(
            "/mentor-pair", f"{mention(mentor)} {mention(mentee)} {rhythm}", user=COORDINATOR
        )
        assert "Paired" in reply.text
    bot.command("/mentor-goals", f"add {PRIVATE_GOAL}", user=user(STEADY, "mentee"))
    bot.command("/mentor-goals", f"add {PRIVATE_GOAL_DRIFT}", user=user(DRIFTING, "mentee"))
    programme = Programme(bot, sessions)

    instant = START
    while instant <= END:
        walk.tick(instant)
        programme.answer_new_messages()
        if instant == dt.datetime(2026, 9, 30, 12, tzinfo=dt.UTC):
            assert (
                "completed"
                in bot.command("/mentor-goals", "done 1", user=user(STEADY, "mentee")).text
            )
        if instant == LEAVES_AT:
            leaver = bot.slack.users[user(LEAVING, "mentee")]
            leaver["deleted"] = True
            event = {"type": "user_change", "user": leaver, "cache_ts": 1, "event_ts": "1.1"}
            for event_id in ("EvLEFT1", "EvLEFT1"):  # Slack retrying the event
                assert bot.event(event, event_id=event_id).status == 200
        instant += dt.timedelta(hours=1)

    sent = posted(bot)
    at = {key: when for key, _, when in sent}

    # --- exactly once ------------------------------------------------------------------
    keys = [key for key, _, _ in sent]
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    tried = Counter(
        json.loads(c.args["metadata"])["event_payload"]["key"]
        if isinstance(c.args.get("metadata"), str)
        else (c.args.get("metadata") or {}).get("event_payload", {}).get("key")
        for c in bot.slack.calls_to("chat.postMessage")
    )
    tried.pop(None, None)
    assert [k for k, n in tried.items() if n > 1] == []  # nothing was even attempted twice
    with sessions() as session:
        left = Counter(
            session.scalars(sa.select(OutboxMessage.status).where(OutboxMessage.not_before <= END))
        )
    assert (
        left[OutboxStatus.FAILED] == left[OutboxStatus.PENDING] == left[OutboxStatus.SENDING] == 0
    )

    # --- pulses at 30 and 90 days --------------------------------------------------------
    pulses = {k for k in keys if k.startswith("pulse:")}
    expected = {
        f"pulse:{STEADY}:{days}:{user(STEADY, r)}"
        for days in (30, 90)
        for r in ("mentor", "mentee")
    }
    expected |= {
        f"pulse:{p}:30:{user(p, r)}" for p in (DRIFTING, LEAVING) for r in ("mentor", "mentee")
    }
    assert pulses == expected  # the closed and the paused pair get no 90-day pulse
    for key in pulses:
        days, who = int(key.split(":")[2]), key.split(":")[3]
        local = at[key].astimezone(ZONES[who])
        # Day 30 is Wednesday 7 October; day 90 is Sunday 6 December, so Monday the 7th.
        assert local.date() == (dt.date(2026, 10, 7) if days == 30 else dt.date(2026, 12, 7)), key
        assert dt.time(9) <= local.time() < dt.time(17), key
    alerts = [m for m in bot.slack.messages_in(COORDINATOR_CHANNEL) if not is_digest(m)]
    pulse_alerts = [m["text"] for m in alerts if "check-in" in m["text"]]
    assert len(pulse_alerts) == 2  # "could be better" (steady mentor), "not working" (drifting)

    # --- at risk, then dormant, then a kind close -----------------------------------------
    drifting = {k: v for k, v in at.items() if pair_of(k) == DRIFTING}
    [at_risk] = [k for k in drifting if k.startswith("at_risk:")]
    [dormant] = [k for k in drifting if k.startswith("dormant:")]
    # Two missed Wednesdays (23 and 30 September): at risk the next morning in London.
    assert at[at_risk].astimezone(LONDON).date() == dt.date(2026, 10, 1)
    # Three missed and 45 days since 16 September: dormant from Saturday 31 October, found
    # by the next pass that looks at the pair, when Monday's nudge is due (10:00 London).
    assert at[dormant].astimezone(LONDON) == dt.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
    assert programme.closed_at is not None and programme.closed_at >= at[dormant]
    for role in ("mentor", "mentee"):
        who = user(DRIFTING, role)
        [kind] = [m for m in bot.slack.messages_in(who) if "is now closed" in m["text"]]
        words = blocks_text(kind["blocks"])
        assert "says nothing against either of you" in words and "free to try again" in words
    after_close = [
        k for k, v in drifting.items() if v > programme.closed_at and not k.startswith("closed:")
    ]
    assert after_close == []

    # --- a member who leaves ------------------------------------------------------------
    leaving = {k: v for k, v in at.items() if pair_of(k) == LEAVING}
    left_alerts = [m for m in alerts if "has left the workspace" in m["text"]]
    assert len(left_alerts) == 1
    after_leaving = sorted(k for k, v in leaving.items() if v > LEAVES_AT)
    assert [k.split(":")[0] for k in after_leaving] == ["partner_left"]  # the kind word only

    with sessions() as session:
        statuses = dict(session.execute(sa.select(Pair.id, Pair.status)).all())
        steady_meetings = session.scalar(
            sa.select(sa.func.count()).select_from(Meeting).where(Meeting.pair_id == STEADY)
        )
    assert statuses == {
        STEADY: PairStatus.ACTIVE,
        DRIFTING: PairStatus.CLOSED,
        LEAVING: PairStatus.PAUSED,
    }
    assert steady_meetings == 16  # every Tuesday from 8 September to 22 December

    # --- the weekly digest: every Monday, once, with its chart ----------------------------
    digests = [m for m in bot.slack.messages_in(COORDINATOR_CHANNEL) if is_digest(m)]
    charts = bot.slack.files_in(COORDINATOR_CHANNEL)
    assert len(digests) == len(charts) == 16  # 14 September to 28 December
    assert len({c["name"] for c in charts}) == 16
    last = blocks_text(digests[-1]["blocks"])
    assert (
        "1 active · :large_yellow_circle: 0 at risk · :red_circle: 0 dormant · :pause_button: 1 paused"
        in last
    )

    # --- privacy: nothing people wrote reaches anything a coordinator sees ---------------
    coordinator_saw = [
        json.dumps(c.args)
        for c in bot.slack.calls
        if COORDINATOR_CHANNEL in json.dumps(c.args) or COORDINATOR in json.dumps(c.args)
    ]
    coordinator_saw += [f"{c['name']} {c['title']} {c['alt_txt']}" for c in charts]
    for command, text in (
        ("/mentor-digest", ""),
        ("/mentor-pairs", "all"),
        ("/mentor-pairs", "dormant"),
    ):
        coordinator_saw.append(bot.command(command, text, user=COORDINATOR).body)
    assert (
        bot.event(
            {
                "type": "app_home_opened",
                "user": COORDINATOR,
                "channel": "D0HOME",
                "tab": "home",
                "event_ts": "1.1",
            }
        ).status
        == 200
    )
    coordinator_saw += [json.dumps(c.args) for c in bot.slack.calls_to("views.publish")]
    with sessions() as session:
        coordinator_saw += [json.dumps(row.csv_row()) for row in roster.pair_activity(session)]
        # The fixture's words are really stored, so this search could find them.
        stored = [
            *session.scalars(sa.select(Goal.text)),
            *session.scalars(sa.select(Reflection.worked)),
            *session.scalars(sa.select(Reflection.did_not_work)),
            *session.scalars(sa.select(Pulse.note)),
        ]
    for secret in SECRETS:
        assert any(secret in (text or "") for text in stored), secret
    seen = "\n".join(coordinator_saw)
    assert len(coordinator_saw) > 40
    leaked = [secret for secret in SECRETS if secret in seen]
    assert leaked == []
