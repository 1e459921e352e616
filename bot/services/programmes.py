"""Programmes: the default one the settings keep in step, the ones admins create, who may
coordinate which, and everything set on them. The one owner of `Programme` rows after
they are created and of their coordinators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.calendar import DigestSchedule, known_zone
from bot.errors import UserError
from bot.models import Cadence, Pair, PairStatus, Programme, ProgrammeCoordinator
from bot.programme_defaults import DefaultValues, is_handle

MAX_COORDINATORS = 20
MAX_NAME = 80


def check_handle(text: str) -> str:
    """A handle as typed, or a UserError saying what a handle looks like."""
    handle = text.strip().lower()
    if not is_handle(handle):
        raise UserError("programme_handle_bad", handle=text)
    return handle


def default_programme(session: so.Session, values: DefaultValues | None = None) -> Programme:
    """The default programme: created on first use, and kept in step with the settings
    given in the environment."""
    values = values or DefaultValues()
    programme = session.scalar(sa.select(Programme).where(Programme.is_default.is_(True)))
    if programme is None:
        programme = Programme(
            handle=values.handle,
            name=values.name,
            is_default=True,
            coordinator_channel_id=values.coordinator_channel_id,
            default_cadence=Cadence.BIWEEKLY,
            default_weekday=1,
            digest_weekday=values.digest_weekday,
            digest_time=values.digest_time,
            digest_tz=values.digest_tz,
        )
        session.add(programme)
        session.flush()
        return programme
    for field in values.given:
        setattr(programme, field, getattr(values, field))
    session.flush()
    return programme


def default_of(session: so.Session) -> Programme:
    return session.scalars(sa.select(Programme).where(Programme.is_default.is_(True))).one()


def schedule_of(programme: Programme) -> DigestSchedule:
    """When the programme's weekly digest is posted, and the weeks it counts."""
    return DigestSchedule(
        weekday=programme.digest_weekday, at=programme.digest_time, zone=programme.digest_tz
    )


# --- who may see and change what ---------------------------------------------------------


def coordinates(programme: Programme, user_id: str, admins: Iterable[str]) -> bool:
    """Admins coordinate every programme; anyone else the ones that name them."""
    return user_id in admins or any(c.slack_user_id == user_id for c in programme.coordinators)


def who_pairs(programme: Programme, admins: Iterable[str]) -> list[str]:
    """Who can pair someone in `programme`: its own coordinators, or the admins (who
    coordinate every programme) when it names none."""
    return [c.slack_user_id for c in programme.coordinators] or sorted(admins)


def coordinated_ids(session: so.Session, user_id: str, admins: Iterable[str]) -> list[int]:
    """The programmes `user_id` may act on as a coordinator: every one for an admin."""
    if user_id in admins:
        return list(session.scalars(sa.select(Programme.id).order_by(Programme.id)))
    return list(
        session.scalars(
            sa.select(ProgrammeCoordinator.programme_id)
            .where(ProgrammeCoordinator.slack_user_id == user_id)
            .order_by(ProgrammeCoordinator.programme_id)
        )
    )


def visible_to(session: so.Session, user_id: str, admins: Iterable[str]) -> list[Programme]:
    """The programmes `user_id` coordinates (all of them for an admin), default first."""
    programmes = session.scalars(
        sa.select(Programme)
        .options(so.selectinload(Programme.coordinators))
        .order_by(Programme.is_default.desc(), Programme.handle)
    ).all()
    return [p for p in programmes if coordinates(p, user_id, admins)]


def find(session: so.Session, handle: str) -> Programme | None:
    return session.scalar(sa.select(Programme).where(Programme.handle == handle.lower()))


def coordinated(session: so.Session, handle: str, user_id: str, admins: Iterable[str]) -> Programme:
    """The programme `handle` names, if `user_id` may act on it; refused alike when it does
    not exist and when it is another's, so nobody learns of programmes that aren't theirs."""
    programme = find(session, handle)
    if programme is None or not coordinates(programme, user_id, admins):
        raise UserError("programme_unknown", handle=handle)
    return programme


def chosen(
    session: so.Session,
    user_id: str,
    admins: Iterable[str],
    handle: str | None,
    mistyped: UserError | None = None,
) -> Programme:
    """The programme a coordinator's command means: the one named, or else the default
    one for an admin, or the only one they coordinate (several: they must say which).
    A handle that names none of theirs raises `mistyped` if given: in a command where a
    handle shares its place with other words, it is more likely one of those mistyped."""
    if handle:
        try:
            return coordinated(session, handle, user_id, admins)
        except UserError:
            raise (mistyped or UserError("programme_unknown", handle=handle)) from None
    if user_id in admins:
        return default_of(session)
    ids = coordinated_ids(session, user_id, admins)
    if not ids:
        raise UserError("not_coordinator")
    if len(ids) > 1:
        handles = session.scalars(
            sa.select(Programme.handle).where(Programme.id.in_(ids)).order_by(Programme.handle)
        ).all()
        raise UserError("programme_which", handles=list(handles))
    return session.get_one(Programme, ids[0])


def coordinated_by_id(
    session: so.Session, programme_id: int, user_id: str, admins: Iterable[str]
) -> Programme:
    """The programme a form names, if `user_id` may act on it."""
    programme = session.get(Programme, programme_id) if 0 < programme_id < 2**31 else None
    if programme is None or not coordinates(programme, user_id, admins):
        raise UserError("stale_button")
    return programme


def open_pair_counts(session: so.Session, programme_ids: list[int]) -> dict[int, int]:
    return dict(
        session.execute(
            sa.select(Pair.programme_id, sa.func.count())
            .where(Pair.programme_id.in_(programme_ids), Pair.status != PairStatus.CLOSED)
            .group_by(Pair.programme_id)
        ).all()
    )


# --- changing ------------------------------------------------------------------------------


def create(
    session: so.Session, *, handle: str, name: str, defaults: Programme, now: dt.datetime
) -> Programme:
    """A new programme with the default one's rhythm, thresholds and digest schedule."""
    handle = check_handle(handle)
    name = _name(name)
    taken = session.scalar(
        sa.select(Programme.id).where(sa.or_(Programme.handle == handle, Programme.name == name))
    )
    if taken is not None:
        raise UserError("programme_exists", handle=handle)
    programme = Programme(
        handle=handle,
        name=name,
        default_cadence=defaults.default_cadence,
        default_weekday=defaults.default_weekday,
        at_risk_periods=defaults.at_risk_periods,
        dormant_periods=defaults.dormant_periods,
        dormant_days=defaults.dormant_days,
        digest_weekday=defaults.digest_weekday,
        digest_time=defaults.digest_time,
        digest_tz=defaults.digest_tz,
        created_at=now,
    )
    session.add(programme)
    session.flush()
    return programme


def rename(session: so.Session, programme: Programme, name: str) -> None:
    name = _name(name)
    taken = session.scalar(
        sa.select(Programme.id).where(Programme.name == name, Programme.id != programme.id)
    )
    if taken is not None:
        raise UserError("programme_name_taken", taken=name)
    programme.name = name
    session.flush()


def set_coordinators(session: so.Session, programme: Programme, user_ids: list[str]) -> None:
    if len(set(user_ids)) > MAX_COORDINATORS:
        raise UserError("programme_too_many_coordinators", most=MAX_COORDINATORS)
    programme.coordinators = [
        ProgrammeCoordinator(slack_user_id=user_id) for user_id in dict.fromkeys(user_ids)
    ]
    session.flush()


def set_channel(programme: Programme, channel_id: str | None) -> None:
    """Where its digest and alerts go; None: nowhere (no digest)."""
    programme.coordinator_channel_id = channel_id


def set_rhythm(programme: Programme, cadence: Cadence, weekday: int) -> None:
    programme.default_cadence, programme.default_weekday = cadence, weekday


def set_at_risk(programme: Programme, periods: int) -> None:
    set_thresholds(programme, periods, programme.dormant_periods, programme.dormant_days)


def set_dormant(programme: Programme, periods: int, days: int) -> None:
    set_thresholds(programme, programme.at_risk_periods, periods, days)


def set_thresholds(programme: Programme, at_risk: int, dormant: int, days: int) -> None:
    """At risk after 1 to 12 periods without a meeting; dormant after more (up to 24) and
    7 to 365 days."""
    if not (1 <= at_risk <= 12 and at_risk < dormant <= 24 and 7 <= days <= 365):
        raise UserError("programme_thresholds")
    programme.at_risk_periods = at_risk
    programme.dormant_periods, programme.dormant_days = dormant, days


def set_digest(programme: Programme, weekday: int, at: dt.time, zone: str) -> None:
    if not 0 <= weekday <= 6:
        raise UserError("programme_digest_malformed")
    if not known_zone(zone):
        raise UserError("programme_zone_unknown", zone=zone)
    programme.digest_weekday, programme.digest_time, programme.digest_tz = weekday, at, zone


def set_end(programme: Programme, ends_on: dt.date | None, *, today: dt.date) -> None:
    """The day the programme ends (None: no end); a new end must be after today."""
    if ends_on is not None and ends_on <= today:
        raise UserError("programme_end_past", day=ends_on)
    programme.ends_on = ends_on


def recheck_pairs(session: so.Session, programme: Programme, now: dt.datetime) -> None:
    """Have the scheduler look at every open pair of the programme again (its end changed
    what is due)."""
    session.execute(
        sa.update(Pair)
        .where(
            Pair.programme_id == programme.id,
            Pair.status != PairStatus.CLOSED,
            Pair.on_own_since.is_(None),
        )
        .values(next_check_at=now)
        .execution_options(synchronize_session=False)
    )


def _name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise UserError("programme_name_missing")
    if len(name) > MAX_NAME:
        raise UserError("programme_name_too_long", most=MAX_NAME)
    return name
