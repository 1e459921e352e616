"""The pair's agreement: a member proposes (with `/mentor-rhythm` or the form) and the
partner agrees with one click or suggests a change; a coordinator sets the rhythm
directly. Either way the pair's conversation is told, and the new terms run from the
first period not yet nudged (bot.services.agreements)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import orm as so

from bot.calendar import zone
from bot.db import transaction
from bot.deps import Deps
from bot.errors import UserError
from bot.messages import rhythms as messages
from bot.messages import terms as wording
from bot.messages.blocks import Message
from bot.messages.calendars import CalendarEvent
from bot.models import Cadence, MeetingWay, Pair, Person, ReplySpeed
from bot.models.agreements import MAX_HOPE, MAX_WAY_WORDS
from bot.periods import first_weekday_on_or_after
from bot.rhythm.meeting_days import day_event
from bot.rhythm.outbox import Owed, enqueue
from bot.services import agreements, lifecycle
from bot.services.pairs import member_of, open_pair_of_two, pair_for
from bot.services.people import find_person
from bot.terms import MEETING_LENGTHS, Terms

TIMEPICKER = re.compile(r"[0-9]{2}:[0-9]{2}")  # what Slack's timepicker sends: "15:00"


@dataclass(frozen=True)
class FormAnswers:
    """The rhythm form as submitted: option values and words, not yet checked."""

    cadence: str
    weekday: str
    meets_at: str  # "HH:MM" or ""
    meets_for: str  # minutes, one of MEETING_LENGTHS, or ""
    meets_by: str
    meets_by_words: str
    answers_within: str
    hope: str


def rhythm(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    people: tuple[str, ...],
    cadence: Cadence,
    weekday: int | None,
    meets_at: dt.time | None = None,
    meets_for: int | None = None,
) -> Message:
    """With both members named, a coordinator's setting; else a member's proposal, which
    keeps whatever else the pair agreed."""
    if len(people) == 2:
        return _set(deps, team_id, user_id, people, cadence, weekday, meets_at, meets_for)
    now = deps.now()
    with transaction(deps.sessions) as session:
        pair, person = _members_pair(session, team_id, user_id, people[0] if people else None)
        current = agreements.latest_terms(session, pair)
        day = current.weekday if weekday is None else weekday
        first = first_weekday_on_or_after(agreements.first_day_of_change(session, pair, now), day)
        typed = _in_mentee_zone(pair, person.tz, first, meets_at)
        terms = current.rhythm(cadence, day, typed, meets_for)
        key, confirmation = _propose(session, pair, person, terms, None, now)
    deps.deliver([key] if key else [])
    return confirmation


def propose_form(
    deps: Deps, *, team_id: str, user_id: str, pair_id: int, form: FormAnswers
) -> Message | None:
    """The rhythm form of pair `pair_id`, submitted: everything on it proposed at once
    (None: the proposal is in the pair's conversation), or only the member's hope saved
    (the note that says so)."""
    terms, hope = _checked(form)
    now = deps.now()
    with transaction(deps.sessions) as session:
        pair, person = member_of(session, pair_id=pair_id, user_id=user_id)
        key, confirmation = _propose(session, pair, person, terms, hope, now)
    if key is None:
        return confirmation
    deps.deliver([key])
    return None


def _propose(
    session: so.Session,
    pair: Pair,
    person: Person,
    terms: Terms,
    hope: str | None,
    now: dt.datetime,
) -> tuple[str | None, Message]:
    partner = pair.partner_of(person).slack_user_id
    row, starts_on = agreements.propose(
        session, pair=pair, person=person, terms=terms, hope=hope, now=now
    )
    if row is None:
        return None, messages.hope_saved(partner=partner)
    posted, confirmation = messages.proposal(
        proposal_id=row.id,
        proposer=person.slack_user_id,
        partner=partner,
        terms=_for_everyone(pair, terms, starts_on),
        starts_on=starts_on,
        hope=agreements.hopes_of(session, pair).get(person.id),
    )
    key = f"rhythm_proposed:{row.id}"
    enqueue(session, [Owed(key, "rhythm", pair.conversation_id or "", posted, now, pair.id)])
    return key, confirmation


def _set(
    deps: Deps,
    team_id: str,
    user_id: str,
    people: tuple[str, ...],
    cadence: Cadence,
    weekday: int | None,
    meets_at: dt.time | None,
    meets_for: int | None,
) -> Message:
    if not deps.is_coordinator(user_id):
        raise UserError("not_coordinator")
    now = deps.now()
    with transaction(deps.sessions) as session:
        pair = open_pair_of_two(
            session,
            programme_ids=deps.coordinated(session, user_id),
            team_id=team_id,
            first=people[0],
            second=people[1],
        )
        settled = agreements.set_terms(
            session,
            pair=pair,
            coordinator=user_id,
            cadence=cadence,
            weekday=pair.weekday if weekday is None else weekday,
            meets_at=meets_at,
            meets_for=meets_for,
            now=now,
        )
        posted, confirmation = messages.set_by_coordinator(
            coordinator=user_id,
            mentor=pair.mentor.slack_user_id,
            mentee=pair.mentee.slack_user_id,
            terms=_for_everyone(pair, settled.terms, settled.starts_on),
            coordinators_terms=_for_everyone(
                pair, replace(settled.terms, meets_by_words=None), settled.starts_on
            ),
            starts_on=settled.starts_on,
            event=_first_meeting(session, pair, settled),
        )
        key = f"rhythm_set:{settled.row.id}"
        enqueue(session, [Owed(key, "rhythm", pair.conversation_id or "", posted, now, pair.id)])
    deps.deliver([key])
    return confirmation


def rhythm_form(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    partner: str | None = None,
    pair_id: int | None = None,
) -> dict[str, Any]:
    """The rhythm form for a member's pair, filled in with what the pair has agreed."""
    with deps.sessions() as session:
        if pair_id is not None:
            pair, person = member_of(session, pair_id=pair_id, user_id=user_id)
        else:
            pair, person = _members_pair(session, team_id, user_id, partner)
        return _form(session, pair, person, agreements.latest_terms(session, pair))


def change_form(deps: Deps, *, user_id: str, value: str) -> dict[str, Any]:
    """*Suggest a change*: the form again, filled in with the suggestion it answers."""
    with deps.sessions() as session:
        row = agreements.proposal_for(session, _proposal_id(value))
        pair, person = member_of(session, pair_id=row.pair_id, user_id=user_id)
        return _form(session, pair, person, agreements.terms_of(row))


def _form(session: so.Session, pair: Pair, person: Person, terms: Terms) -> dict[str, Any]:
    return messages.rhythm_modal(
        pair_id=pair.id,
        partner=pair.partner_of(person).slack_user_id,
        mentee_tz=pair.mentee.tz,
        terms=terms,
        hope=agreements.hopes_of(session, pair).get(person.id),
    )


def _members_pair(
    session: so.Session, team_id: str, user_id: str, partner: str | None
) -> tuple[Pair, Person]:
    """The open pair a member means: theirs (with `partner` if they have several)."""
    person = find_person(session, team_id=team_id, user_id=user_id)
    pair = pair_for(session, person=person, partner_user_id=partner)
    assert person is not None  # pair_for refuses a person it does not know
    return lifecycle.ensure_open(pair), person


def agree(deps: Deps, *, user_id: str, value: str) -> Message:
    """*Agree* on a proposal: the partner of whoever proposed it makes it the pair's
    agreement. Returns the note shown under the proposal."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        row = agreements.proposal_for(session, _proposal_id(value))
        pair, _ = member_of(session, pair_id=row.pair_id, user_id=user_id)
        settled = agreements.agree(session, pair=pair, row=row, user_id=user_id, now=now)
        posted, note = messages.agreed(
            user=user_id,
            terms=_for_everyone(pair, settled.terms, settled.starts_on),
            starts_on=settled.starts_on,
            event=_first_meeting(session, pair, settled),
        )
        key = f"rhythm_agreed:{row.id}"
        enqueue(session, [Owed(key, "rhythm", pair.conversation_id or "", posted, now, pair.id)])
    deps.deliver([key])
    return note


def _first_meeting(
    session: so.Session, pair: Pair, settled: agreements.Settled
) -> CalendarEvent | None:
    """The first meeting under agreed terms that name a time, for the calendar links."""
    if settled.terms.meets_at is None:
        return None
    day = first_weekday_on_or_after(settled.starts_on, settled.terms.weekday)
    return day_event(session, pair, settled.starts_on, day, settled.terms)


def _in_mentee_zone(pair: Pair, tz: str, day: dt.date, at: dt.time | None) -> dt.time | None:
    """A time a member typed in their own zone, as the mentee's clock reads it on `day`
    (the first meeting under the change; the agreement keeps times in the mentee's
    zone); refused if it would fall on another day there."""
    if at is None or tz == pair.mentee.tz:
        return at
    theirs = dt.datetime.combine(day, at, tzinfo=zone(tz)).astimezone(zone(pair.mentee.tz))
    if theirs.date() != day:
        raise UserError("rhythm_time_other_day", time=f"{at:%H:%M}")
    return theirs.time()


def _for_everyone(pair: Pair, terms: Terms, starts_on: dt.date) -> str:
    """The terms in the pair's conversation, the time as each member's Slack shows it
    (on the first meeting day under them)."""
    day = first_weekday_on_or_after(starts_on, terms.weekday)
    time = wording.time_for_everyone(pair.mentee.tz, day, terms.meets_at)
    return wording.summary(terms, time=time)


def _proposal_id(value: str) -> int:
    """The proposal a button names; anything else is a forged or stale value."""
    if not value.isascii() or not value.isdigit() or not 0 < int(value) < 2**31:
        raise UserError("stale_button")
    return int(value)


def _checked(form: FormAnswers) -> tuple[Terms, str]:
    """The form's answers as terms and a hope; options not on the form are a stale form."""
    if form.cadence not in Cadence._value2member_map_ or form.weekday not in set("01234"):
        raise UserError("stale_button")
    if form.meets_by and form.meets_by not in MeetingWay._value2member_map_:
        raise UserError("stale_button")
    if form.answers_within and form.answers_within not in ReplySpeed._value2member_map_:
        raise UserError("stale_button")
    if form.meets_for and form.meets_for not in {str(m) for m in MEETING_LENGTHS}:
        raise UserError("stale_button")
    meets_at = None
    if form.meets_at:
        if not TIMEPICKER.fullmatch(form.meets_at):
            raise UserError("stale_button")
        hours, minutes = int(form.meets_at[:2]), int(form.meets_at[3:])
        if hours > 23 or minutes > 59:
            raise UserError("stale_button")
        meets_at = dt.time(hours, minutes)
    words, hope = " ".join(form.meets_by_words.split()), form.hope.strip()
    if len(words) > MAX_WAY_WORDS or len(hope) > MAX_HOPE:
        raise UserError("rhythm_too_long")
    terms = Terms(
        Cadence(form.cadence),
        int(form.weekday),
        meets_at,
        MeetingWay(form.meets_by) if form.meets_by and not words else None,
        words or None,
        ReplySpeed(form.answers_within) if form.answers_within else None,
        int(form.meets_for) if form.meets_for else None,
    )
    return terms, hope
