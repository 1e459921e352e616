"""What is due for a pair at an instant, walked through weeks of simulated time.

`plan_pair` is pure, so these tests call it directly with a hand-built `PairState` at
every hour of a walk (the "hourly walker"), and again only at the instants it asks to
be woken at (the "lazy walker", which is what the scheduler does with next_check_at).
A `Story` makes answers and meetings known part-way through a walk; each is a "touch"
(the bot sets next_check_at to now), so the lazy walker wakes for it too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from bot.calendar import (
    WorkingHours,
    local_date,
    next_period_start,
    period_start,
    usual_meeting_day,
)
from bot.models.enums import Cadence, PairStatus, PeriodAnswer
from bot.periods import Rhythm
from bot.rhythm.planning import Due, Member, PairState, PeriodNote, Plan
from bot.rhythm.planning import plan_pair as _plan_pair

HOURS = WorkingHours()
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
# Every message is due for at least a working day (8 hours), so a walker that looks every
# six hours sees each of them; the hourly walker is kept for the first-seen checks.
COARSE = 6 * HOUR

ZONES = ["America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "Pacific/Auckland", "UTC"]
MENTOR = Member(1, "U0MENTOR", "UTC")
MENTEE = Member(2, "U0MENTEE", "UTC")

zones = st.sampled_from(ZONES)
cadences = st.sampled_from(Cadence)
weekdays = st.integers(0, 4)
start_days = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 10, 31))


def rhythm_plan(state: PairState, now: dt.datetime, hours: WorkingHours) -> Plan:
    """The plan with the 30/90-day pulses left out: these tests are about the periods'
    rhythm; the pulses have their own test below."""
    plan = _plan_pair(state, now, hours)
    return dataclasses.replace(plan, due=[d for d in plan.due if d.kind != "pulse"])


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def pair(
    cadence: Cadence = Cadence.WEEKLY,
    weekday: int = 1,
    started_on: dt.date = dt.date(2026, 9, 28),
    mentee_tz: str = "America/Los_Angeles",
    mentor_tz: str = "Europe/Berlin",
    **changes,
) -> PairState:
    state = PairState(
        pair_id=7,
        rhythm=Rhythm.single(started_on, cadence, weekday),
        status=PairStatus.ACTIVE,
        paused_until=None,
        started_on=started_on,
        conversation_id="C0PAIR",
        mentor=dataclasses.replace(MENTOR, tz=mentor_tz),
        mentee=dataclasses.replace(MENTEE, tz=mentee_tz),
    )
    return dataclasses.replace(state, **changes)


def midnight(tz: str, day: dt.date) -> dt.datetime:
    """The first instant of `day` in zone `tz`, in UTC."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(tz)).astimezone(dt.UTC)


def recipient_tz(state: PairState, due: Due) -> str:
    return due.recipient.tz if due.recipient else state.mentee.tz


def usual_day(state: PairState, period: dt.date) -> dt.date:
    return state.rhythm.usual_meeting_day(period)


def periods_from(state: PairState, first: dt.date, last: dt.date) -> list[dt.date]:
    """The pair's periods that contain a day in [first, last]."""
    out, period = [], state.rhythm.period_start(first)
    while period <= last:
        out.append(period)
        period = state.rhythm.next_period_start(period)
    return out


def working_days(after: dt.date, upto: dt.date) -> list[dt.date]:
    """The working days in (after, upto]."""
    days, day = [], after + DAY
    while day <= upto:
        if HOURS.is_working_day(day):
            days.append(day)
        day += DAY
    return days


@dataclasses.dataclass
class Walked:
    plans: list[tuple[dt.datetime, Plan]] = dataclasses.field(default_factory=list)
    dues: dict[str, Due] = dataclasses.field(default_factory=dict)
    first_seen: dict[str, dt.datetime] = dataclasses.field(default_factory=dict)

    def see(self, now: dt.datetime, plan: Plan) -> None:
        self.plans.append((now, plan))
        for due in plan.due:
            assert due.not_before <= now < due.expires_at, (due, now)
            # A key always names the same message, whenever it is planned.
            assert self.dues.setdefault(due.key, due) == due, (due, self.dues[due.key])
            self.first_seen.setdefault(due.key, now)
        assert len({d.key for d in plan.due}) == len(plan.due)

    def keys(self, **where) -> set[str]:
        return {
            key
            for key, due in self.dues.items()
            if all(getattr(due, name) == value for name, value in where.items())
        }

    def of_period(self, period: dt.date) -> dict[str, Due]:
        return {key: due for key, due in self.dues.items() if due.period == period}

    def except_period(self, period: dt.date) -> dict[str, Due]:
        return {key: due for key, due in self.dues.items() if due.period != period}


@dataclasses.dataclass(frozen=True)
class Story:
    """A pair whose answers and meetings become known as time goes by.

    Each becomes known at an instant (a touch, which in the bot sets next_check_at to now).
    """

    base: PairState
    notes: tuple[tuple[dt.datetime, dt.date, PeriodNote], ...] = ()
    meetings: tuple[tuple[dt.datetime, dt.date], ...] = ()

    def at(self, now: dt.datetime) -> PairState:
        if not (self.notes or self.meetings):
            return self.base
        told = {period: note for known, period, note in self.notes if known <= now}
        held = {day for known, day in self.meetings if known <= now}
        return dataclasses.replace(
            self.base,
            periods={**self.base.periods, **told},
            meeting_days=self.base.meeting_days | held,
        )

    def next_touch(self, now: dt.datetime) -> dt.datetime | None:
        touches = [known for known, *_ in (*self.notes, *self.meetings) if known > now]
        return min(touches, default=None)


def walk_every(
    state: PairState | Story, start: dt.datetime, end: dt.datetime, step: dt.timedelta = HOUR
) -> Walked:
    """Plan at every `step` in [start, end)."""
    story = state if isinstance(state, Story) else Story(state)
    walked, now = Walked(), start
    while now < end:
        walked.see(now, rhythm_plan(story.at(now), now, HOURS))
        now += step
    return walked


def walk_lazily(state: PairState | Story, start: dt.datetime, until: dt.datetime) -> Walked:
    """Plan at `start`, then only at each plan's next_check_at (or a touch), up to `until`.

    A plan that resumes a paused pair makes the pair active, as the scheduler pass does.
    """
    story = state if isinstance(state, Story) else Story(state)
    walked, now = Walked(), start
    for _ in range(10_000):
        if now > until:
            return walked
        plan = rhythm_plan(story.at(now), now, HOURS)
        walked.see(now, plan)
        if plan.resume:
            resumed = dataclasses.replace(story.base, status=PairStatus.ACTIVE, paused_until=None)
            story = dataclasses.replace(story, base=resumed)
        if plan.next_check_at is not None:
            assert plan.next_check_at > now, (
                f"at {now} the plan asks to look again at {plan.next_check_at}"
            )
        wake = [t for t in (plan.next_check_at, story.next_touch(now)) if t is not None]
        if not wake:
            return walked
        now = min(wake)
    raise AssertionError("the lazy walker never got to the end")


def assert_well_placed(state: PairState, due: Due) -> None:
    """Inside the recipient's working hours, on the right local day for its kind."""
    tz = recipient_tz(state, due)
    assert HOURS.contains(tz, due.not_before), due
    assert due.not_before < due.expires_at, due
    day = local_date(tz, due.not_before)
    assert HOURS.is_working_day(day), due
    meeting = due.meeting_day
    if due.kind == "nudge":
        assert due.recipient is None, due
        # Two days ahead, or the working day before that.
        assert day <= meeting - 2 * DAY, due
        assert working_days(day, meeting - 2 * DAY) == [], due
    elif due.kind == "reminder":
        assert due.recipient in (state.mentee, state.mentor), due
        # On the meeting day, or the last working day before it.
        assert day <= meeting, due
        assert working_days(day, meeting) == [], due
    elif due.kind == "checkin":
        assert due.recipient is None, due
        # The first working day after the meeting day.
        assert day > meeting, due
        assert working_days(meeting, day - DAY) == [], due
    else:
        raise AssertionError(f"unexpected kind {due.kind}")


def assert_complete(
    walked: Walked,
    state: PairState,
    period: dt.date,
    meeting: dt.date,
    since: dt.datetime | None = None,
) -> None:
    """One nudge, a reminder for each member and one check-in, all about `meeting`.

    With `since` (when the pair was made), a member whose working hours on the meeting
    day were over by then gets no reminder: that day has already ended for them."""
    members = {state.mentee, state.mentor}
    if since is not None:
        members = {m for m in members if HOURS.day_end(m.tz, meeting) > since}
    dues = walked.of_period(period).values()
    expected = {"nudge": 1, "reminder": len(members), "checkin": 1}
    assert +Counter(d.kind for d in dues) == +Counter(expected), dues
    assert {d.recipient for d in dues if d.kind == "reminder"} == members
    assert {d.meeting_day for d in dues} == {meeting}


def by_kind(dues: Iterable[Due]) -> Counter[str]:
    return Counter(d.kind for d in dues)


# --- the long walk: plain pairs, hour by hour ------------------------------------------

WALK = {
    Cadence.WEEKLY: dt.timedelta(weeks=3),
    Cadence.BIWEEKLY: dt.timedelta(weeks=5),
    Cadence.MONTHLY: dt.timedelta(weeks=7),
}
WALK_BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
MINUTES_2026_2027 = 2 * 365 * 24 * 60
OCT_5_2026 = int((dt.datetime(2026, 10, 5, 8, tzinfo=dt.UTC) - WALK_BASE) / dt.timedelta(minutes=1))


# Each example plans at every hour of three to seven weeks (500 to 1,200 plans), so fewer
# examples than elsewhere; the explicit ones cross the 2026 autumn clock changes.
@settings(max_examples=8, deadline=None)
@given(
    cadence=cadences,
    weekday=weekdays,
    mentee_tz=zones,
    mentor_tz=zones,
    minutes=st.integers(0, MINUTES_2026_2027),
)
@example(
    cadence=Cadence.WEEKLY,
    weekday=1,
    mentee_tz="America/Los_Angeles",
    mentor_tz="Europe/Berlin",
    minutes=OCT_5_2026,
)
@example(
    cadence=Cadence.BIWEEKLY,
    weekday=1,
    mentee_tz="Europe/Berlin",
    mentor_tz="America/Los_Angeles",
    minutes=OCT_5_2026,
)
@example(
    cadence=Cadence.MONTHLY,
    weekday=0,
    mentee_tz="America/Los_Angeles",
    mentor_tz="Pacific/Auckland",
    minutes=OCT_5_2026,
)
@example(
    cadence=Cadence.WEEKLY,
    weekday=4,
    mentee_tz="Pacific/Auckland",
    mentor_tz="Asia/Kolkata",
    minutes=OCT_5_2026,
)
def test_a_walk_hour_by_hour(cadence, weekday, mentee_tz, mentor_tz, minutes):
    # The examples start on 2026-10-05 and cross both 2026 autumn changes.
    start = WALK_BASE + dt.timedelta(minutes=minutes)
    started_on = local_date(mentee_tz, start)
    state = pair(cadence, weekday, started_on, mentee_tz, mentor_tz)
    end = start + WALK[cadence]

    walked = walk_every(state, start, end)

    # Each message: inside its recipient's hours, on the right day, seen as soon as due.
    for key, due in walked.dues.items():
        assert_well_placed(state, due)
        assert due.period == period_start(cadence, started_on, due.period)
        assert due.meeting_day == usual_day(state, due.period)
        assert due.meeting_day > started_on, due
        seen = walked.first_seen[key]
        if due.not_before > start:
            assert seen - HOUR < due.not_before <= seen, (due, seen)
        else:  # owed when the walk starts: then, or once the recipient is at work
            opens = HOURS.next_open(recipient_tz(state, due), start)
            assert seen == start or seen - HOUR < opens <= seen, (due, seen)

    # Every period whose messages all fall inside the walk gets each exactly once.
    last_day = local_date(mentee_tz, end) - 8 * DAY
    periods = periods_from(state, started_on, last_day)
    complete = [p for p in periods if started_on < usual_day(state, p) <= last_day]
    assert complete, "the walk is too short to see a whole period"
    for period in complete:
        assert_complete(walked, state, period, usual_day(state, period))
    for period in {d.period for d in walked.dues.values()}:
        kinds = by_kind(walked.of_period(period).values())
        assert kinds["nudge"] <= 1 and kinds["reminder"] <= 2 and kinds["checkin"] <= 1

    # next_check_at: always later than now, never later than a message not yet due.
    not_before = sorted(d.not_before for d in walked.dues.values())
    for now, plan in walked.plans:
        assert plan.next_check_at is not None
        assert plan.next_check_at > now
        upcoming = [t for t in not_before if t > now]
        if upcoming:
            assert plan.next_check_at <= upcoming[0], (now, plan.next_check_at, upcoming[0])

    # A scheduler that only wakes when asked sees exactly the same messages.
    last_step = walked.plans[-1][0]
    lazy = walk_lazily(state, start, last_step)
    assert set(lazy.dues) == set(walked.dues)
    assert lazy.dues == walked.dues
    for key, due in lazy.dues.items():
        if due.not_before > start:  # it wakes exactly when a message becomes due
            assert lazy.first_seen[key] == due.not_before


def test_ten_weeks_across_both_daylight_saving_changes():
    """LA mentee, Berlin mentor, Tuesdays: Berlin changes on Oct 25, LA on Nov 1 2026."""
    state = pair(Cadence.WEEKLY, 1, dt.date(2026, 9, 28), "America/Los_Angeles", "Europe/Berlin")
    start, end = utc("2026-09-28T07:00:00Z"), utc("2026-12-07T08:00:00Z")

    walked = walk_every(state, start, end)
    lazy = walk_lazily(state, start, walked.plans[-1][0])

    assert lazy.dues == walked.dues
    tuesdays = [dt.date(2026, 9, 29) + dt.timedelta(weeks=n) for n in range(10)]
    # And the nudge for the eleventh, on Friday Dec 4.
    assert sorted({d.meeting_day for d in walked.dues.values()}) == [
        *tuesdays,
        dt.date(2026, 12, 8),
    ]
    for tuesday in tuesdays:
        assert_complete(
            walked, state, period_start(Cadence.WEEKLY, state.started_on, tuesday), tuesday
        )
    for due in walked.dues.values():
        assert_well_placed(state, due)

    def sent(kind: str, meeting: dt.date, member: Member | None = None) -> dt.datetime:
        (due,) = [
            d
            for d in walked.dues.values()
            if d.kind == kind and d.meeting_day == meeting and d.recipient == member
        ]
        return due.not_before

    mentee, mentor = state.mentee, state.mentor
    # Both on summer time.
    assert sent("nudge", dt.date(2026, 10, 20)) == utc("2026-10-16T17:00:00Z")  # Fri 10:00 PDT
    assert sent("reminder", dt.date(2026, 10, 20), mentor) == utc("2026-10-20T07:00:00Z")
    assert sent("reminder", dt.date(2026, 10, 20), mentee) == utc("2026-10-20T16:00:00Z")
    assert sent("checkin", dt.date(2026, 10, 20)) == utc("2026-10-21T17:00:00Z")
    # Berlin has changed, LA has not.
    assert sent("reminder", dt.date(2026, 10, 27), mentor) == utc("2026-10-27T08:00:00Z")
    assert sent("reminder", dt.date(2026, 10, 27), mentee) == utc("2026-10-27T16:00:00Z")
    # LA's nudge for Nov 3 goes on Friday Oct 30, still on summer time; its check-in after.
    assert sent("nudge", dt.date(2026, 11, 3)) == utc("2026-10-30T17:00:00Z")
    assert sent("reminder", dt.date(2026, 11, 3), mentor) == utc("2026-11-03T08:00:00Z")
    assert sent("reminder", dt.date(2026, 11, 3), mentee) == utc("2026-11-03T17:00:00Z")
    assert sent("checkin", dt.date(2026, 11, 3)) == utc("2026-11-04T18:00:00Z")


# --- what the pair said about a period ------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Scenario:
    """A pair, one of its periods well after it started, and the days around that period."""

    state: PairState
    period: dt.date
    meeting: dt.date  # the period's usual meeting day
    start: dt.datetime  # five days before its earliest possible nudge
    end: dt.datetime  # well after its check-in

    @property
    def following(self) -> dt.date:
        return self.state.rhythm.next_period_start(self.period)

    @property
    def latest(self) -> dt.date:
        """The last day `check_new_day` lets the pair move this period's meeting to."""
        return usual_day(self.state, self.following) - DAY

    def walk(self, until: dt.date | None = None, **changes) -> Walked:
        end = midnight(self.state.mentee.tz, until) if until else self.end
        return walk_every(dataclasses.replace(self.state, **changes), self.start, end, COARSE)


def scenario_for(state: PairState) -> Scenario:
    period = state.rhythm.period_start(state.started_on)
    while usual_day(state, period) < state.started_on + 10 * DAY:
        period = state.rhythm.next_period_start(period)
    meeting = usual_day(state, period)
    tz = state.mentee.tz
    return Scenario(
        state, period, meeting, midnight(tz, meeting - 9 * DAY), midnight(tz, meeting + 9 * DAY)
    )


@st.composite
def scenarios(draw) -> Scenario:
    return scenario_for(
        pair(draw(cadences), draw(weekdays), draw(start_days), draw(zones), draw(zones))
    )


# Weekly on Tuesdays, LA mentee and Berlin mentor; the period is the week of Oct 19 2026.
TUESDAYS = scenario_for(pair(Cadence.WEEKLY, 1, dt.date(2026, 10, 5)))
assert TUESDAYS.period == dt.date(2026, 10, 19)

NOTES = settings(max_examples=10, deadline=None)


@NOTES
@given(scenario=scenarios())
def test_a_period_with_nothing_said_gets_the_full_rhythm(scenario):
    walked = scenario.walk()
    assert_complete(walked, scenario.state, scenario.period, scenario.meeting)
    for due in walked.dues.values():
        assert_well_placed(scenario.state, due)


@NOTES
@given(scenario=scenarios())
def test_a_skipped_period_gets_nothing_more(scenario):
    baseline = scenario.walk()
    skipped = scenario.walk(periods={scenario.period: PeriodNote(None, PeriodAnswer.SKIPPED)})

    assert skipped.of_period(scenario.period) == {}
    assert skipped.dues == baseline.except_period(scenario.period)


@NOTES
@given(scenario=scenarios(), offset=st.integers(0, 30))
def test_a_meeting_in_the_period_stops_its_reminders_and_checkin(scenario, offset):
    held_on = scenario.period + offset % (scenario.following - scenario.period).days * DAY
    baseline = scenario.walk()
    met = scenario.walk(meeting_days=frozenset({held_on}))

    left = by_kind(met.of_period(scenario.period).values())
    assert left["reminder"] == 0
    assert left["checkin"] == 0
    assert met.keys(kind="nudge") <= baseline.keys(kind="nudge")
    assert met.except_period(scenario.period) == baseline.except_period(scenario.period)


@NOTES
@given(scenario=scenarios())
def test_a_confirmed_day_is_not_nudged_again_but_reminded_and_checked(scenario):
    baseline = scenario.walk()
    note = PeriodNote(scenario.meeting, PeriodAnswer.CONFIRMED)
    confirmed = scenario.walk(periods={scenario.period: note})

    assert by_kind(confirmed.of_period(scenario.period).values()) == {"reminder": 2, "checkin": 1}
    assert confirmed.dues == {
        key: due
        for key, due in baseline.dues.items()
        if not (due.period == scenario.period and due.kind == "nudge")
    }


@NOTES
@given(scenario=scenarios())
def test_a_missed_meeting_gets_no_checkin(scenario):
    baseline = scenario.walk()
    missed = scenario.walk(periods={scenario.period: PeriodNote(None, PeriodAnswer.MISSED)})

    assert by_kind(missed.of_period(scenario.period).values())["checkin"] == 0
    assert missed.except_period(scenario.period) == baseline.except_period(scenario.period)


@NOTES
@given(scenario=scenarios(), offset=st.integers(0, 60))
@example(scenario=TUESDAYS, offset=3)  # to Friday Oct 23
@example(scenario=TUESDAYS, offset=5)  # to Saturday Oct 24: reminded on Friday
@example(scenario=TUESDAYS, offset=7)  # to Monday Oct 26, in the next week
def test_a_rescheduled_period_is_reminded_and_checked_on_the_new_day(scenario, offset):
    new_day = scenario.period + offset % ((scenario.latest - scenario.period).days + 1) * DAY
    until = scenario.latest + 6 * DAY
    baseline = scenario.walk(until)
    note = PeriodNote(new_day, PeriodAnswer.RESCHEDULED)
    moved = scenario.walk(until, periods={scenario.period: note})

    dues = list(moved.of_period(scenario.period).values())
    assert by_kind(dues) == {"reminder": 2, "checkin": 1}, dues  # and no nudge
    assert {d.recipient for d in dues if d.kind == "reminder"} == {
        scenario.state.mentee,
        scenario.state.mentor,
    }
    for due in dues:
        assert due.meeting_day == new_day
        assert new_day.isoformat() in due.key
        assert_well_placed(scenario.state, due)
    if new_day != scenario.meeting:
        assert not set(moved.of_period(scenario.period)) & set(baseline.dues)
    assert moved.except_period(scenario.period) == baseline.except_period(scenario.period)


@NOTES
@given(scenario=scenarios(), offset=st.integers(0, 30))
# Weekly on Tuesdays: the week of Oct 19 is moved to Monday Oct 26, and they meet then.
@example(scenario=TUESDAYS, offset=0)
def test_a_meeting_on_a_day_moved_into_the_next_period_counts_for_its_own(scenario, offset):
    """check_new_day allows a new day up to the day before the next period's usual day."""
    following, latest = scenario.following, scenario.latest
    assume(following <= latest)
    new_day = following + offset % ((latest - following).days + 1) * DAY
    moved = {scenario.period: PeriodNote(new_day, PeriodAnswer.RESCHEDULED)}
    until = usual_day(scenario.state, following) + 8 * DAY
    only_moved = scenario.walk(until, periods=moved)
    moved_and_met = scenario.walk(until, periods=moved, meeting_days=frozenset({new_day}))

    # They met on the agreed day: nobody asks them whether they met.
    assert by_kind(moved_and_met.of_period(scenario.period).values())["checkin"] == 0
    # And the next period is not taken for met: it gets its nudge, reminders and check-in.
    assert moved_and_met.of_period(following) == only_moved.of_period(following)
    assert_complete(moved_and_met, scenario.state, following, usual_day(scenario.state, following))


def test_a_pair_that_met_and_skipped_the_next_period_is_looked_at_again_in_time():
    """Met this week, skipping next week: the week after still comes, on time."""
    tuesday = dt.date(2026, 10, 20)
    state = dataclasses.replace(
        TUESDAYS.state,
        meeting_days=frozenset({tuesday}),
        periods={dt.date(2026, 10, 26): PeriodNote(None, PeriodAnswer.SKIPPED)},
    )
    now = utc("2026-10-21T12:00:00Z")

    plan = rhythm_plan(state, now, HOURS)

    assert plan.due == []
    nudge_for_nov_3 = utc("2026-10-30T17:00:00Z")  # Friday 10:00 in LA
    assert plan.next_check_at is not None
    assert now < plan.next_check_at <= nudge_for_nov_3
    lazy = walk_lazily(state, now, utc("2026-11-05T00:00:00Z"))
    assert lazy.keys(meeting_day=dt.date(2026, 11, 3)) == {
        "nudge:7:2026-11-02",
        "reminder:7:2026-11-02:2026-11-03:U0MENTEE",
        "reminder:7:2026-11-02:2026-11-03:U0MENTOR",
        "checkin:7:2026-11-02:2026-11-03",
    }
    assert lazy.keys(period=dt.date(2026, 10, 19)) == set()
    assert lazy.keys(period=dt.date(2026, 10, 26)) == set()


# --- pausing, closing and starting ------------------------------------------------------

PAUSES = settings(max_examples=100, deadline=None)


@PAUSES
@given(
    scenario=scenarios(),
    days_ahead=st.integers(1, 60),
    minutes_before=st.integers(1, 5 * 24 * 60),
)
# 22:30 in LA on the eve of the day the pause ends.
@example(scenario=TUESDAYS, days_ahead=14, minutes_before=90)
def test_a_paused_pair_hears_nothing_and_is_looked_at_again_before_its_day(
    scenario, days_ahead, minutes_before
):
    until = scenario.state.started_on + days_ahead * DAY
    tz = scenario.state.mentee.tz
    state = dataclasses.replace(scenario.state, status=PairStatus.PAUSED, paused_until=until)
    now = midnight(tz, until) - dt.timedelta(minutes=minutes_before)
    assert local_date(tz, now) < until

    plan = rhythm_plan(state, now, HOURS)

    assert plan.due == []
    assert not plan.resume
    assert plan.next_check_at is not None
    assert now < plan.next_check_at < HOURS.day_start(tz, until)


@PAUSES
@given(scenario=scenarios(), days_back=st.integers(0, 30), minute=st.integers(0, 24 * 60 - 1))
def test_a_paused_pair_resumes_on_its_date(scenario, days_back, minute):
    tz = scenario.state.mentee.tz
    now = scenario.start + dt.timedelta(minutes=minute)
    today = local_date(tz, now)
    until = today - days_back * DAY
    paused = dataclasses.replace(scenario.state, status=PairStatus.PAUSED, paused_until=until)

    plan = rhythm_plan(paused, now, HOURS)
    active = rhythm_plan(scenario.state, now, HOURS)

    assert plan.resume
    assert plan.next_check_at is not None
    assert plan.next_check_at > now
    # What an active pair would hear, less (at most) what is about days already past.
    resumed = {due.key: due for due in plan.due}
    assert resumed.items() <= {due.key: due for due in active.due}.items()
    assert all(due.meeting_day < today for due in active.due if due.key not in resumed)


@NOTES
@given(scenario=scenarios(), days_ahead=st.integers(1, 30))
@example(scenario=TUESDAYS, days_ahead=7)
def test_a_scheduler_waking_only_when_asked_resumes_a_pause_on_its_date(scenario, days_ahead):
    tz = scenario.state.mentee.tz
    until = local_date(tz, scenario.start) + days_ahead * DAY
    paused = dataclasses.replace(scenario.state, status=PairStatus.PAUSED, paused_until=until)

    walked = walk_lazily(paused, scenario.start, midnight(tz, until) + 3 * DAY)

    resumed = [now for now, plan in walked.plans if plan.resume]
    assert len(resumed) == 1
    assert local_date(tz, resumed[0]) == until
    assert all(now >= resumed[0] for now, plan in walked.plans if plan.due)


@PAUSES
@given(scenario=scenarios(), minute=st.integers(0, 60 * 24 * 60))
def test_an_indefinite_pause_waits_to_be_resumed(scenario, minute):
    paused = dataclasses.replace(scenario.state, status=PairStatus.PAUSED, paused_until=None)
    assert rhythm_plan(paused, scenario.start + dt.timedelta(minutes=minute), HOURS) == Plan(
        [], None
    )


@PAUSES
@given(
    scenario=scenarios(),
    minute=st.integers(0, 60 * 24 * 60),
    paused_until=st.none() | start_days,
    answer=st.sampled_from(PeriodAnswer),
)
def test_a_closed_pair_hears_nothing_ever_again(scenario, minute, paused_until, answer):
    closed = dataclasses.replace(
        scenario.state,
        status=PairStatus.CLOSED,
        paused_until=paused_until,
        periods={scenario.period: PeriodNote(scenario.meeting, answer)},
    )
    assert rhythm_plan(closed, scenario.start + dt.timedelta(minutes=minute), HOURS) == Plan(
        [], None
    )


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@NOTES
@given(
    cadence=cadences,
    weekday=weekdays,
    mentee_tz=zones,
    mentor_tz=zones,
    day=start_days,
    eve=st.booleans(),
    minute=st.integers(0, 24 * 60 - 1),
)
# Made at 20:00 on a Sunday in Los Angeles for a Monday meeting: in Auckland that Monday
# is already at 17:00, so the mentor's reminder for it can no longer be sent.
@example(
    cadence=Cadence.WEEKLY,
    weekday=0,
    mentee_tz="America/Los_Angeles",
    mentor_tz="Pacific/Auckland",
    day=dt.date(2026, 1, 1),
    eve=True,
    minute=1200,
)
def test_a_new_pair_hears_nothing_about_meeting_days_up_to_its_start(
    cadence, weekday, mentee_tz, mentor_tz, day, eve, minute
):
    # Started on a day of the pair's weekday (monthly: the first in its month), or its eve.
    if cadence is Cadence.MONTHLY:
        candidate = usual_meeting_day(cadence, day.replace(day=1), weekday)
    else:
        candidate = monday_of(day) + weekday * DAY
    started_on = candidate - DAY if eve else candidate
    state = pair(cadence, weekday, started_on, mentee_tz, mentor_tz)
    created = midnight(mentee_tz, started_on) + dt.timedelta(minutes=minute)
    assert local_date(mentee_tz, created) == started_on
    first = period_start(cadence, started_on, started_on)
    while usual_day(state, first) <= started_on:
        first = next_period_start(cadence, first)
    meeting = usual_day(state, first)

    walked = walk_every(state, created, midnight(mentee_tz, meeting + 9 * DAY), COARSE)

    assert all(due.meeting_day > started_on for due in walked.dues.values())
    assert_complete(walked, state, first, meeting, since=created)


@NOTES
@given(
    cadence=cadences,
    weekday=weekdays,
    mentee_tz=zones,
    mentor_tz=zones,
    day=start_days,
    minute=st.integers(0, 24 * 60 - 1),
)
# Created at 20:00 in LA on Monday Oct 19 2026, the eve of a Tuesday meeting.
@example(
    cadence=Cadence.WEEKLY,
    weekday=1,
    mentee_tz="America/Los_Angeles",
    mentor_tz="Europe/Berlin",
    day=dt.date(2026, 10, 19),
    minute=20 * 60,
)
def test_a_new_pair_is_only_messaged_inside_working_hours(
    cadence, weekday, mentee_tz, mentor_tz, day, minute
):
    """Every scheduled message lands inside its recipient's working hours (issue 3)."""
    state = pair(cadence, weekday, day, mentee_tz, mentor_tz)
    created = midnight(mentee_tz, day) + dt.timedelta(minutes=minute)

    walked = walk_every(state, created, created + 3 * DAY)

    for key, due in walked.dues.items():
        seen = walked.first_seen[key]
        assert HOURS.contains(recipient_tz(state, due), seen), (due, seen)


# --- the lazy walker is right with answers and meetings too --------------------------------

notes = st.builds(PeriodNote, st.none(), st.sampled_from(PeriodAnswer))


@settings(max_examples=8, deadline=None)
@given(scenario=scenarios(), data=st.data())
def test_the_lazy_walker_matches_a_frequent_one_with_answers_and_meetings(scenario, data):
    """Answers come in the days before a meeting day, meetings are recorded after them."""
    state, tz = scenario.state, scenario.state.mentee.tz

    def hour_from(instant: dt.datetime, hours: int) -> dt.datetime:
        # On the frequent walker's steps, so that both walkers plan at each touch.
        whole = scenario.start + (max(instant, scenario.start) - scenario.start) // HOUR * HOUR
        return whole + hours * HOUR

    answers = []
    for period in periods_from(state, scenario.start.date(), scenario.end.date()):
        note = data.draw(st.none() | notes, label=f"note for {period}")
        if note is None:
            continue
        if note.answer is PeriodAnswer.RESCHEDULED:
            latest = dataclasses.replace(scenario, period=period).latest
            moved = period + data.draw(st.integers(0, (latest - period).days)) * DAY
            note = PeriodNote(moved, note.answer)
        told = midnight(tz, usual_day(state, period) - 4 * DAY)
        answers.append((hour_from(told, data.draw(st.integers(0, 95))), period, note))
    held = data.draw(
        st.lists(st.dates(scenario.start.date(), scenario.end.date()), max_size=2),
        label="met on",
    )
    meetings = [(hour_from(midnight(tz, day), data.draw(st.integers(12, 35))), day) for day in held]
    story = Story(state, tuple(answers), tuple(meetings))

    # Every half hour: every zone here is whole or half hours from UTC, so this walker also
    # plans the moment any message becomes due, and at every touch; a message that a touch
    # cancels half an hour after it became due is seen by both walkers.
    often = walk_every(story, scenario.start, scenario.end, HOUR / 2)
    lazy = walk_lazily(story, scenario.start, often.plans[-1][0])

    assert lazy.dues == often.dues
    for due in often.dues.values():
        assert_well_placed(state, due)


def test_pulses_come_at_30_and_90_days_mid_morning_for_each_member():
    start = dt.date(2026, 10, 5)
    state = PairState(
        pair_id=7,
        rhythm=Rhythm.single(start, Cadence.WEEKLY, 1),
        status=PairStatus.ACTIVE,
        paused_until=None,
        started_on=start,
        conversation_id="G1",
        mentor=Member(1, "UMENTOR", "America/Los_Angeles"),
        mentee=Member(2, "UMENTEE", "Europe/Berlin"),
    )
    seen: dict[str, dt.datetime] = {}
    now = dt.datetime(2026, 10, 5, 0, tzinfo=dt.UTC)
    while now < dt.datetime(2027, 1, 20, tzinfo=dt.UTC):
        for due in _plan_pair(state, now, HOURS).due:
            if due.kind == "pulse":
                seen.setdefault(due.key, now)
        now += dt.timedelta(hours=1)
    # Day 30 is Wednesday 4 November; day 90 is Sunday 3 January, so Monday 4 January.
    assert {k: v.isoformat() for k, v in seen.items()} == {
        "pulse:7:30:UMENTEE": "2026-11-04T09:00:00+00:00",
        "pulse:7:30:UMENTOR": "2026-11-04T18:00:00+00:00",
        "pulse:7:90:UMENTEE": "2027-01-04T09:00:00+00:00",
        "pulse:7:90:UMENTOR": "2027-01-04T18:00:00+00:00",
    }
