"""`/mentor-programme`: the programmes a coordinator may see, and for admins (the
installation's `MENTORBOT_COORDINATORS`) and each programme's coordinators, what is set
on them. Admins create programmes; a programme's coordinators change their own."""

from __future__ import annotations

import datetime as dt

from bot.db import transaction
from bot.deps import Deps
from bot.errors import UserError
from bot.messages import programmes as messages
from bot.messages.blocks import Message
from bot.models import Cadence
from bot.services import programmes


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
