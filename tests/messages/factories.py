"""Models built in memory, without a database, for the pure message builders.

Ids are set by hand because `Pair.partner_of` and `Pair.role_of` compare ids.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from bot.models import Cadence, Goal, GoalStatus, Pair, PairStatus, Person
from bot.services.goals import MAX_GOAL_LENGTH

MENTOR_ID, MENTEE_ID = "U0MENTOR1", "U0MENTEE1"
CONVERSATION_ID = "D0PAIR001"


def person(slack_user_id: str, *, id: int) -> Person:
    member = Person(slack_user_id=slack_user_id, team_id="T1", tz="UTC")
    member.id = id
    return member


def pair(
    *,
    cadence: Cadence = Cadence.WEEKLY,
    weekday: int = 1,
    status: PairStatus = PairStatus.ACTIVE,
    mentee_user_id: str = MENTEE_ID,
    mentee_id: int = 2,
) -> Pair:
    mentor, mentee = person(MENTOR_ID, id=1), person(mentee_user_id, id=mentee_id)
    made = Pair(mentor=mentor, mentee=mentee, cadence=cadence, weekday=weekday, status=status)
    made.mentor_id, made.mentee_id = mentor.id, mentee.id
    made.conversation_id = CONVERSATION_ID
    return made


def goal(number: int, text: str, target_date: dt.date | None = None) -> Goal:
    return Goal(number=number, text=text, status=GoalStatus.OPEN, target_date=target_date)


def goals(texts: list[str], dates: list[dt.date | None] | None = None) -> list[Goal]:
    dates = dates or [None] * len(texts)
    return [
        goal(n, text, day) for n, (text, day) in enumerate(zip(texts, dates, strict=True), start=1)
    ]


# What people type that means something to Slack if it is not escaped.
HOSTILE = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123>",
    # The pair's own members: a typed mention of them must not pass for one the bot made.
    f"<@{MENTOR_ID}>",
    f"<@{MENTEE_ID}>",
    "<#C123>",
    "<https://evil|x>",
    "<mailto:a@b.c|mail>",
    "<!subteam^S123>",
    "&lt;",
    "&gt;",
    "&amp;",
    "&",
    "<",
    ">",
    "*",
    "_",
    "~",
    "`",
    "```",
    "\n",
    " ",
    ">quote",
)

user_text = st.one_of(
    st.text(min_size=1, max_size=MAX_GOAL_LENGTH),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), min_size=1, max_size=40).map(
        lambda pieces: "".join(pieces)[:MAX_GOAL_LENGTH]
    ),
    # As long as the service allows, escaping made longer: the worst case for length limits.
    st.sampled_from(HOSTILE).map(lambda piece: (piece * MAX_GOAL_LENGTH)[:MAX_GOAL_LENGTH]),
).filter(bool)

target_dates = st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))


# Drawn as (text, target date) so a failing example prints readably; `goals_from` builds them.
goal_specs = st.lists(st.tuples(user_text, target_dates), max_size=60)


def goals_from(specs: list[tuple[str, dt.date | None]]) -> list[Goal]:
    return [goal(n, text, day) for n, (text, day) in enumerate(specs, start=1)]


# Values like the ones the services and parsers raise each error with (see `UserError(` in bot/).
ERROR_CONTEXTS: dict[str, dict[str, object]] = {
    "bot_user": {"user": "U0BOTUSER"},
    "date_in_past": {"date": "2024-01-31"},
    "deactivated_user": {"user": "U0GONE001"},
    "goal_not_open": {"number": 3, "status": "done"},
    "goal_number_missing": {"action": "done", "token": "two"},
    "goal_text_missing": {},
    "goal_too_long": {"length": 412, "limit": MAX_GOAL_LENGTH},
    "goals_extra_words": {"action": "drop", "extra": "because it's stale"},
    "goals_unknown_action": {"action": "finish"},
    "is_me": {},
    "mention_malformed": {"which": "mentee", "token": "@ben"},
    "mention_missing": {"which": "mentor"},
    "no_pair": {},
    "no_such_goal": {"number": 7, "numbers": [1, 2, 5]},
    "not_a_date": {"token": "2026-13-45"},
    "not_coordinator": {},
    "not_your_partner": {"partner": "U0STRANGE"},
    "pair_exists": {"mentor": MENTOR_ID, "mentee": MENTEE_ID, "status": "at_risk"},
    "pair_option_unknown": {"token": "fortnightly"},
    "same_person": {},
    "slack_refused": {"error": "channel_not_found"},
    "slack_unavailable": {},
    "not_a_pair": {"first": "UANA", "second": "UBEN"},
    "rhythm_option_unknown": {"token": "fortnightly"},
    "rhythm_cadence_missing": {},
    "rhythm_unchanged": {},
    "rhythm_proposer": {},
    "rhythm_superseded": {},
    "rhythm_already_agreed": {},
    "rhythm_too_long": {},
    "rhythm_time_unknown": {"token": "25:00"},
    "rhythm_length_unknown": {"token": "50m"},
    "rhythm_time_other_day": {"time": "23:30"},
    "rhythm_already_suggested": {},
    "programme_handle_bad": {"handle": "Eng_Mentoring"},
    "programme_unknown": {"handle": "eng-mentoring"},
    "programme_exists": {"handle": "eng-mentoring"},
    "programme_name_taken": {"taken": "Engineering mentoring"},
    "programme_name_missing": {},
    "programme_name_too_long": {"most": 80},
    "programme_too_many_coordinators": {"most": 20},
    "programme_thresholds": {},
    "programme_admins_only": {},
    "programme_extra_words": {"extra": "please"},
    "programme_unknown_action": {"action": "rename"},
    "programme_handle_missing": {},
    "programme_setting_unknown": {"setting": "colour"},
    "programme_channel_malformed": {},
    "programme_rhythm_malformed": {},
    "programme_threshold_malformed": {"setting": "at-risk"},
    "programme_which": {"handles": ["eng-mentoring", "buddies"]},
    "programme_digest_malformed": {},
    "programme_end_malformed": {},
    "programme_end_before_start": {},
    "programme_end_past": {"day": dt.date(2026, 1, 5)},
    "programme_zone_unknown": {"zone": "Mars/Olympus"},
    "unknown_user": {"user": "U0NOBODY1"},
    "which_pair": {"partners": [MENTEE_ID, "U0MENTEE2", "U0MENTEE3"]},
    "meeting_in_future": {"date": "2027-01-05"},
    "meeting_before_pair": {"date": "2025-01-05"},
    "log_date_malformed": {"token": "last-tuesday"},
    "new_day_past": {"date": "2024-01-31"},
    "new_day_too_late": {"date": "2027-03-01", "latest": "2027-02-15"},
    "pair_changed": {},
    "pair_closed": {"mentor": MENTOR_ID, "mentee": MENTEE_ID, "closed_on": "2026-11-03"},
    "pause_past": {"date": "2024-01-31"},
    "pause_too_long": {},
    "pause_malformed": {"token": "forever"},
    "not_paused": {},
    "not_your_pair": {},
    "not_your_meeting": {},
    "stale_button": {},
    "resume_extra_words": {"extra": "please"},
    "calendar_extra_words": {"extra": "now please"},
    "coordinator_only": {},
    "pairs_unknown_filter": {"word": "sleepy"},
    "close_which_pair": {"partners": [MENTEE_ID, "U0MENTEE2"]},
    "close_no_pair": {"coordinator": True},
    "close_not_a_pair": {"first": MENTOR_ID, "second": "U0STRANGE"},
    "close_not_coordinator": {},
    "close_extra_words": {"extra": "right now please"},
    "pair_already_closed": {"mentor": MENTOR_ID, "mentee": MENTEE_ID},
}

# Values that are whatever the person typed, printed back to them.
ECHOED = [
    ("goal_number_missing", "token"),
    ("goals_extra_words", "extra"),
    ("goals_unknown_action", "action"),
    ("mention_malformed", "token"),
    ("not_a_date", "token"),
    ("pair_option_unknown", "token"),
    ("log_date_malformed", "token"),
    ("pause_malformed", "token"),
    ("resume_extra_words", "extra"),
    ("calendar_extra_words", "extra"),
    ("pairs_unknown_filter", "word"),
    ("close_extra_words", "extra"),
]
