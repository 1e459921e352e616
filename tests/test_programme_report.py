"""The end report's figures against a hand-counted programme: who met in each of their
first three months, meetings per pair, pulses at 30 and 90 days, closed early, on their
own."""

from __future__ import annotations

import datetime as dt

from bot.models import Meeting, MeetingSource, Pair, PairStatus, Pulse, PulseAnswer
from bot.programme_defaults import DefaultValues
from bot.services.people import get_or_create_person
from bot.services.programme_reports import end_figures
from bot.services.programmes import default_programme

ENDS_ON = dt.date(2026, 6, 30)
START = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)  # 176 days before the end


def test_the_figures_are_the_hand_count(sessions):
    with sessions.begin() as session:
        programme = default_programme(session, DefaultValues())
        programme.ends_on = ENDS_ON
        pairs = []
        for n, (created, status, on_own) in enumerate(
            [
                (START, PairStatus.ACTIVE, None),  # met in each month: regular
                (START, PairStatus.ACTIVE, ENDS_ON),  # skipped its second month
                (START, PairStatus.CLOSED, None),  # closed in March: early
                (dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC), PairStatus.ACTIVE, None),  # young
            ]
        ):
            mentor = get_or_create_person(session, team_id="T1", user_id=f"UM{n}", tz="UTC")
            mentee = get_or_create_person(session, team_id="T1", user_id=f"UE{n}", tz="UTC")
            pair = Pair(programme=programme, mentor=mentor, mentee=mentee, cadence="weekly",
                        weekday=1, status=status, status_changed_at=created, created_by="U",
                        created_at=created, on_own_since=on_own,
                        closed_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
                        if status is PairStatus.CLOSED else None)  # fmt: skip
            session.add(pair)
            pairs.append(pair)
        session.flush()
        meetings = {
            0: ["2026-01-10", "2026-02-10", "2026-03-20", "2026-05-05"],
            1: ["2026-01-10", "2026-03-20"],
            2: ["2026-01-12"],
            3: [],
        }
        for index, days in meetings.items():
            for day in days:
                session.add(Meeting(pair_id=pairs[index].id, held_on=dt.date.fromisoformat(day),
                                    source=MeetingSource.COMMAND, recorded_by="U"))  # fmt: skip
        for index, day, answer in (
            (0, 30, PulseAnswer.GOING_WELL),
            (1, 30, PulseAnswer.COULD_BE_BETTER),
            (0, 90, PulseAnswer.GOING_WELL),
            (1, 90, PulseAnswer.NOT_WORKING),
        ):
            session.add(Pulse(pair_id=pairs[index].id, person_id=pairs[index].mentee_id,
                              day=day, answer=answer))  # fmt: skip

    with sessions() as session:
        programme = default_programme(session)
        figures = end_figures(session, programme)

    assert (figures.pairs_started, figures.old_enough, figures.met_regularly) == (4, 3, 1)
    assert figures.meetings_per_pair == (4, 2, 1, 0)
    assert (figures.median_meetings, figures.fewest_meetings, figures.most_meetings) == (
        1.5,
        0,
        4,
    )
    assert figures.pulses == {
        30: {"going_well": 1, "could_be_better": 1},
        90: {"going_well": 1, "not_working": 1},
    }
    assert (figures.closed_early, figures.on_their_own, figures.goals_done) == (1, 1, 0)
