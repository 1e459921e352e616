"""`/mentor-programme`: the programmes a coordinator may see, and for admins (the
installation's `MENTORBOT_COORDINATORS`) and each programme's coordinators, what is set
on them. Admins create programmes; a programme's coordinators change their own."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bot.db import transaction
from bot.deps import Deps
from bot.errors import UserError
from bot.messages import programmes as messages
from bot.messages.blocks import Message
from bot.models import Cadence
from bot.services import programmes

PERSON = re.compile(r"[UW][A-Z0-9]{2,31}")
CONVERSATION = re.compile(r"[CG][A-Z0-9]{2,31}")
CLOCK = re.compile(r"[0-2][0-9]:[0-5][0-9]")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def list_programmes(deps: Deps, *, user_id: str) -> Message:
    with deps.sessions() as session:
        seen = programmes.visible_to(session, user_id, deps.settings.coordinators)
        if not seen:
            raise UserError("not_coordinator")
        counts = programmes.open_pair_counts(session, [p.id for p in seen])
        return messages.programme_list(seen, counts)


def new_programme(deps: Deps, *, user_id: str, handle: str, name: str) -> Message:
    if user_id not in deps.settings.coordinators:
        raise UserError("programme_admins_only")
    with transaction(deps.sessions) as session:
        created = programmes.create(
            session,
            handle=handle,
            name=name,
            defaults=deps.programme(session),
            now=deps.now(),
        )
        return messages.programme_created(created)


def show_programme(deps: Deps, *, user_id: str, handle: str) -> Message:
    with deps.sessions() as session:
        programme = programmes.coordinated(session, handle, user_id, deps.settings.coordinators)
        counts = programmes.open_pair_counts(session, [programme.id])
        return messages.programme_shown(programme, open_pairs=counts.get(programme.id, 0))


def set_programme(
    deps: Deps,
    *,
    user_id: str,
    handle: str,
    setting: str,
    name: str = "",
    people: tuple[str, ...] = (),
    channel: str | None = None,
    cadence: Cadence | None = None,
    weekday: int | None = None,
    numbers: tuple[int, ...] = (),
    at: dt.time | None = None,
    zone: str = "",
) -> Message:
    """One setting of a programme the person coordinates; the confirmation shows them all."""
    with transaction(deps.sessions) as session:
        programme = programmes.coordinated(session, handle, user_id, deps.settings.coordinators)
        if setting == "name":
            programmes.rename(session, programme, name)
        elif setting == "coordinators":
            programmes.set_coordinators(session, programme, list(people))
        elif setting == "channel":
            programmes.set_channel(programme, channel)
        elif setting == "rhythm":
            assert cadence is not None  # parsed together with the weekday
            assert weekday is not None
            programmes.set_rhythm(programme, cadence, weekday)
        elif setting == "digest":
            assert at is not None  # parsed with the day and the zone
            programmes.set_digest(programme, numbers[0], at, zone)
        elif setting == "at-risk":
            programmes.set_at_risk(programme, numbers[0])
        else:
            programmes.set_dormant(programme, *numbers)
        session.flush()
        counts = programmes.open_pair_counts(session, [programme.id])
        return messages.programme_shown(
            programme, open_pairs=counts.get(programme.id, 0), changed=setting
        )


def end_programme(deps: Deps, *, user_id: str, handle: str, ends_on: dt.date) -> Message:
    """Set the day a programme ends: its pairs get a heads-up two weeks before and the
    wrap-up on the day (bot.rhythm.planning)."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        programme = programmes.coordinated(session, handle, user_id, deps.settings.coordinators)
        programmes.set_end(programme, ends_on, today=now.date())
        programmes.recheck_pairs(session, programme, now)
        counts = programmes.open_pair_counts(session, [programme.id])
        return messages.programme_shown(
            programme, open_pairs=counts.get(programme.id, 0), changed="end"
        )


@dataclass(frozen=True)
class FormAnswers:
    """The programme form as submitted: values as Slack sends them, not yet checked."""

    name: str
    coordinators: tuple[str, ...]
    channel: str  # "" for none
    cadence: str
    weekday: str
    at_risk: str
    dormant_periods: str
    dormant_days: str
    digest_day: str
    digest_time: str  # "HH:MM"
    digest_zone: str
    starts_on: str = ""  # "YYYY-MM-DD" or ""
    ends_on: str = ""


def edit_form(deps: Deps, *, user_id: str, handle: str) -> dict[str, Any]:
    """The form with everything set on a programme the person coordinates."""
    with deps.sessions() as session:
        programme = programmes.coordinated(session, handle, user_id, deps.settings.coordinators)
        return messages.edit_modal(programme)


def save_form(deps: Deps, *, user_id: str, programme_id: int, form: FormAnswers) -> None:
    """The form submitted: every setting changed at once, or none (a UserError says why)."""
    if form.cadence not in Cadence._value2member_map_ or form.weekday not in set("01234"):
        raise UserError("stale_button")
    if not all(PERSON.fullmatch(user) for user in form.coordinators):
        raise UserError("stale_button")
    if form.channel and not CONVERSATION.fullmatch(form.channel):
        raise UserError("stale_button")
    numbers = (form.at_risk, form.dormant_periods, form.dormant_days, form.digest_day)
    if not all(n.isascii() and n.isdigit() and len(n) < 4 for n in numbers):
        raise UserError("programme_thresholds")
    if not CLOCK.fullmatch(form.digest_time) or form.digest_time > "23:59":
        raise UserError("programme_digest_malformed")
    starts_on, ends_on = _day(form.starts_on), _day(form.ends_on)
    if starts_on and ends_on and ends_on <= starts_on:
        raise UserError("programme_end_before_start")
    now = deps.now()
    with transaction(deps.sessions) as session:
        programme = programmes.coordinated_by_id(
            session, programme_id, user_id, deps.settings.coordinators
        )
        programmes.rename(session, programme, form.name)
        programmes.set_coordinators(session, programme, list(form.coordinators))
        programmes.set_channel(programme, form.channel or None)
        programmes.set_rhythm(programme, Cadence(form.cadence), int(form.weekday))
        programmes.set_thresholds(
            programme, int(form.at_risk), int(form.dormant_periods), int(form.dormant_days)
        )
        programmes.set_digest(
            programme,
            int(form.digest_day),
            dt.time.fromisoformat(form.digest_time),
            form.digest_zone.strip(),
        )
        programme.starts_on = starts_on
        if ends_on != programme.ends_on:
            programmes.set_end(programme, ends_on, today=now.date())
            programmes.recheck_pairs(session, programme, now)


def _day(text: str) -> dt.date | None:
    """A date picker's value, or None when left empty; anything else is a forged form."""
    if not text:
        return None
    if not DAY.fullmatch(text):
        raise UserError("stale_button")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError("stale_button") from None
