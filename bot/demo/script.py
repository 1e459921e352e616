"""The story: the coordinator registers four pairs, members add goals, and then each pair
answers (or doesn't) what the bot sends it, a little while after it arrives.

Time jumps from one instant to the next that matters: the next time the database says
a pair is due a look or an outbox row is due to be sent, the next weekly digest time,
and the next scripted answer. At each, due answers go through the app and a scheduler
pass runs at that instant, as `mentorbot tick --at` would; so twelve weeks take a few
hundred passes instead of two thousand hourly ones, and print the same.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections import Counter
from collections.abc import Callable
from zoneinfo import ZoneInfo

from bot.demo.cast import (
    CORA,
    DIGEST_AT,
    DIGEST_WEEKDAY,
    MONTHLY,
    MONTHLY_FORM,
    PAIRS,
    PRIVATE_REFLECTION,
    PULSE_NOTE,
    QUIET,
    SHARED_REFLECTION,
    STEADY,
    STEADY_CHANGE,
    UNSURE,
    PairPlan,
    Person,
)
from bot.demo.people import People
from bot.messages import ids

HOUR = dt.timedelta(hours=1)
MINUTES = dt.timedelta(minutes=1)


class Script:
    """Runs the clock and answers for the people, as ANSWERS says each pair answers."""

    def __init__(self, people: People) -> None:
        self.people = people
        self.queue: list[tuple[dt.datetime, int, Callable[[], None]]] = []
        self.order = itertools.count()
        self.counts: Counter[tuple[str, str]] = Counter()
        self.members = {p.user_id: plan for plan in PAIRS for p in (plan.mentor, plan.mentee)}

    @property
    def now(self) -> dt.datetime:
        return self.people.now

    def at(self, instant: dt.datetime, action: Callable[[], None]) -> None:
        heapq.heappush(self.queue, (instant, next(self.order), action))

    def later(self, delay: dt.timedelta, action: Callable[[], None]) -> None:
        self.at(self.now + delay, action)

    # --- running -----------------------------------------------------------------------------

    def run(self, start: dt.datetime, end: dt.datetime) -> None:
        self.opening(start)
        clock = self.people.stage.clock
        while clock.now < end:
            while self.queue and self.queue[0][0] <= clock.now:
                heapq.heappop(self.queue)[2]()
                self.answer_new()
            self.people.stage.tick()
            self.answer_new()
            clock.now = min(self.next_instant(), end)

    def next_instant(self) -> dt.datetime:
        now = self.now
        candidates = [next_digest(now), self.people.stage.next_due() or next_digest(now)]
        if self.queue:
            candidates.append(max(self.queue[0][0], now + MINUTES))
        return min(candidates)

    def answer_new(self) -> None:
        """Print what arrived and decide who answers it."""
        self.people.flush()
        arrived, self.people.arrived = self.people.arrived, []
        for key, channel in arrived:
            self.posted(key, channel)

    # --- the story -----------------------------------------------------------------------------

    def opening(self, start: dt.datetime) -> None:
        people = self.people
        for minutes, plan in enumerate(PAIRS):
            self.at(start + minutes * 5 * MINUTES, lambda plan=plan: people.pair(plan))
            for number, goal in enumerate(plan.goals):
                self.at(
                    start + (2 + minutes + number / 4) * HOUR,
                    lambda plan=plan, goal=goal: people.command(
                        plan.mentee, "/mentor-goals", f"add {goal}"
                    ),
                )
        # In week 6, after her digest, the coordinator looks over the pairs and their rhythms
        # (agreed or pencilled in; never what a pair hopes for).
        self.at(
            start + dt.timedelta(weeks=5, minutes=30),
            lambda: people.command(CORA, "/mentor-pairs", ""),
        )

    def posted(self, key: str, channel: str) -> None:
        kind = key.split(":")[0]
        if kind == "dormant":
            self.later(2 * HOUR, lambda: self.people.click(CORA, key, ids.DORMANT_CLOSE))
            return
        plan = self._plan_of(channel)
        if plan is None:
            return
        recipient = self._recipient(plan, key)
        self.counts[(plan.name, kind)] += 1
        answer = ANSWERS.get((plan.name, kind))
        if answer is not None:
            answer(self, plan, key, self.counts[(plan.name, kind)], recipient)

    def _plan_of(self, channel: str) -> PairPlan | None:
        if channel in self.people.conversations:
            return self.people.conversations[channel]
        user = "U" + channel[1:] if channel.startswith("D") else channel
        return self.members.get(user)

    def _recipient(self, plan: PairPlan, key: str) -> Person | None:
        user = key.rsplit(":", 1)[-1]
        return next((p for p in (plan.mentor, plan.mentee) if p.user_id == user), None)


def next_digest(now: dt.datetime) -> dt.datetime:
    """The first weekly digest time after `now` (a pass must run then for it to be posted)."""
    zone = ZoneInfo(CORA.tz)
    today = now.astimezone(zone).date()
    day = today + dt.timedelta(days=(DIGEST_WEEKDAY - today.weekday()) % 7)
    instant = dt.datetime.combine(day, DIGEST_AT, zone)
    if instant <= now:
        instant += dt.timedelta(weeks=1)
    return instant.astimezone(dt.UTC)


Answer = Callable[[Script, PairPlan, str, int, Person | None], None]


def steady_nudge(script: Script, plan: PairPlan, key: str, n: int, to: Person | None) -> None:
    """The mentee confirms the first meeting day and skips the eighth week; then he
    suggests meeting every other week (the mentor agrees: see `agree`)."""
    people = script.people
    if n in (1, 8):
        button = ids.NUDGE_CONFIRM if n == 1 else ids.NUDGE_SKIP
        script.later(HOUR, lambda: people.click(plan.mentee, key, button))
    if n == 8:
        script.later(
            90 * MINUTES, lambda: people.command(plan.mentee, "/mentor-rhythm", STEADY_CHANGE)
        )


def steady_checkin(script: Script, plan: PairPlan, key: str, n: int, to: Person | None) -> None:
    people = script.people
    if n == 2:
        script.later(3 * HOUR, lambda: people.click(plan.mentor, key, ids.CHECKIN_MET))
    elif n == 4:
        script.later(HOUR, lambda: people.react(plan.mentee, key, "x"))
    else:
        script.later(HOUR, lambda: people.react(plan.mentee, key, "white_check_mark"))


def steady_reschedule(script: Script, plan: PairPlan, key: str, n: int, to: Person | None) -> None:
    """The mentee moves the missed meeting to tomorrow, their time."""
    tomorrow = script.now.astimezone(ZoneInfo(plan.mentee.tz)).date() + dt.timedelta(days=1)
    script.later(
        30 * MINUTES,
        lambda: script.people.click(
            plan.mentee, key, ids.PICK_DAY, selected_date=tomorrow.isoformat()
        ),
    )


def steady_reflection(script: Script, plan: PairPlan, key: str, n: int, to: Person | None) -> None:
    """The mentee reflects on the first meeting privately, and shares the third."""
    if to != plan.mentee:
        return
    script.counts[(to.user_id, "reflection")] += 1
    mine = script.counts[(to.user_id, "reflection")]
    if mine in (1, 3):
        answers, share = (PRIVATE_REFLECTION, False) if mine == 1 else (SHARED_REFLECTION, True)
        script.later(2 * HOUR, lambda: script.people.reflect(to, key, answers, share=share))


def pulse(answer_for: dict[str, str]) -> Answer:
    def answer(script: Script, plan: PairPlan, key: str, n: int, to: Person | None) -> None:
        if to is None:
            return
        action_id = answer_for.get(to.user_id, ids.PULSE_GOING_WELL)
        script.later(HOUR, lambda: script.people.click(to, key, action_id))
        if action_id != ids.PULSE_GOING_WELL:
            note = {ids.PULSE_NOTE: {"type": "plain_text_input", "value": PULSE_NOTE}}
            script.later(
                HOUR + 5 * MINUTES,
                lambda: script.people.submit(to, note, f"writes “{PULSE_NOTE}” and saves it"),
            )

    return answer


def react_met(who: Callable[[PairPlan], Person], delay: dt.timedelta) -> Answer:
    def answer(script: Script, plan: PairPlan, key: str, n: int, to: Person | None) -> None:
        script.later(delay, lambda: script.people.react(who(plan), key, "white_check_mark"))

    return answer


def monthly_welcome(script: Script, plan: PairPlan, key: str, n: int, to: Person | None) -> None:
    """The next morning, her time, the mentee opens the rhythm form from the welcome and
    suggests her own rhythm (the mentor agrees: see `agree`)."""
    zone = ZoneInfo(plan.mentee.tz)
    tomorrow = script.now.astimezone(zone).date() + dt.timedelta(days=1)
    morning = dt.datetime.combine(tomorrow, dt.time(9, 30), zone).astimezone(dt.UTC)
    script.at(morning, lambda: script.people.agree_rhythm(plan.mentee, key, MONTHLY_FORM))


def agree(who: Callable[[PairPlan], Person], delay: dt.timedelta) -> Answer:
    """The partner agrees to the rhythm suggested, with one click."""

    def answer(script: Script, plan: PairPlan, key: str, n: int, to: Person | None) -> None:
        script.later(delay, lambda: script.people.click(who(plan), key, ids.RHYTHM_AGREE))

    return answer


def log_after_meeting(script: Script, plan: PairPlan, key: str, n: int, to: Person | None) -> None:
    if to == plan.mentee:
        script.later(8 * HOUR, lambda: script.people.command(plan.mentee, "/mentor-log", "today"))


ANSWERS: dict[tuple[str, str], Answer] = {
    (STEADY.name, "nudge"): steady_nudge,
    (STEADY.name, "checkin"): steady_checkin,
    (STEADY.name, "reschedule"): steady_reschedule,
    (STEADY.name, "reflection_prompt"): steady_reflection,
    (STEADY.name, "pulse"): pulse({}),
    (STEADY.name, "rhythm_proposed"): agree(lambda plan: plan.mentor, 3 * HOUR),
    (UNSURE.name, "checkin"): react_met(lambda plan: plan.mentee, 2 * HOUR),
    (UNSURE.name, "pulse"): pulse({UNSURE.mentee.user_id: ids.PULSE_COULD_BE_BETTER}),
    (MONTHLY.name, "welcome"): monthly_welcome,
    (MONTHLY.name, "rhythm_proposed"): agree(lambda plan: plan.mentor, 2 * HOUR),
    (MONTHLY.name, "reminder"): log_after_meeting,
}
assert QUIET.name not in {name for name, _ in ANSWERS}  # the quiet pair never answers
