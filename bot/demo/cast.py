"""Who is in the demo programme, where they live, and what each pair will do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)  # Monday 09:00 in London
COORDINATOR_CHANNEL = "C0COORDS"
CHANNEL_NAME = "#mentoring-coordinators"
PROGRAMME = "Demo mentoring programme"
DIGEST_WEEKDAY, DIGEST_AT = 0, dt.time(9, 0)  # the weekly digest: Mondays 09:00, Cora's time


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    tz: str

    @property
    def city(self) -> str:
        return self.tz.rsplit("/", 1)[-1].replace("_", " ")


@dataclass(frozen=True)
class PairPlan:
    """A pair as the coordinator registers it, and the way it behaves afterwards."""

    name: str
    mentor: Person
    mentee: Person
    rhythm: str  # what follows the two mentions in /mentor-pair
    story: str
    goals: tuple[str, ...] = ()


CORA = Person("U0CORA", "Cora", "Europe/London")

STEADY = PairPlan(
    "steady",
    Person("U0ANA", "Ana", "America/New_York"),
    Person("U0BEN", "Ben", "Europe/London"),
    "weekly tue",
    "meets most weeks, moves one meeting, shares a reflection, skips one and then agrees"
    " to meet every other week",
    goals=("Lead a design review on my own", "Speak up more in planning meetings"),
)
UNSURE = PairPlan(
    "unsure",
    Person("U0RAJ", "Raj", "Asia/Kolkata"),
    Person("U0DEV", "Devi", "Europe/Berlin"),
    "biweekly thu",
    "meets every other week; at 30 days the mentee says it could be better",
    goals=("Prepare for the senior engineer promotion",),
)
QUIET = PairPlan(
    "quiet",
    Person("U0ELI", "Eli", "America/Los_Angeles"),
    Person("U0FAY", "Fay", "America/Chicago"),
    "biweekly wed",
    "never finds the time: at risk, then dormant, then closed by the coordinator",
)
MONTHLY = PairPlan(
    "monthly",
    Person("U0GUS", "Gus", "Australia/Sydney"),
    Person("U0HAN", "Hana", "Asia/Tokyo"),
    "monthly thu",
    "agrees in week 1 to meet once a month on Wednesdays by video call instead, and logs"
    " each meeting with /mentor-log",
    goals=("Write my first conference talk proposal",),
)
PAIRS = (STEADY, UNSURE, QUIET, MONTHLY)
PEOPLE = (CORA, *(p for pair in PAIRS for p in (pair.mentor, pair.mentee)))

# What members write privately. Coordinators must never see any of it: tests look for it.
PRIVATE_REFLECTION = {
    "worked": "Walking through my draft design doc line by line",
    "did_not_work": "We ran out of time before the estimates",
    "differently": "Send the doc a day ahead",
}
SHARED_REFLECTION = {
    "worked": "Role-playing the review with Ana pushing back",
    "did_not_work": "",
    "differently": "Bring two options, not one",
}
PULSE_NOTE = "We keep talking past each other about what promotion needs"
# The monthly pair's rhythm form, as the mentee fills it in during week 1 (the time is in
# her zone); her hope is for the two of them only.
MONTHLY_FORM = {
    "cadence": "monthly",
    "weekday": "2",  # Wednesdays, where the coordinator pencilled in Thursdays
    "time": "10:00",
    "way": "video",
    "speed": "two_days",
    "hope": "Enough courage to give my first talk at a meetup before the summer",
}
# What the steady pair's mentee types after skipping a week (the time is his).
STEADY_CHANGE = "biweekly tue 16:00"
PRIVATE_WORDS = (
    *(v for v in PRIVATE_REFLECTION.values() if v),
    *(v for v in SHARED_REFLECTION.values() if v),
    PULSE_NOTE,
    MONTHLY_FORM["hope"],
)
