"""Events API events. Every event this app handles is registered in `register`."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.db import transaction
from bot.deps import Deps
from bot.listeners.home import publish_home
from bot.models import MeetingSource
from bot.rhythm import flows
from bot.services.errors import UserError


def register(app: App, deps: Deps) -> None:
    app.event("app_home_opened")(_home_opened(deps))
    app.event("reaction_added")(_reaction_added(deps))
    app.event("user_change")(_user_change(deps))


def _home_opened(deps: Deps):
    def app_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(deps, client, team_id=body.get("team_id", ""), user_id=event["user"])

    return app_home_opened


def _reaction_added(deps: Deps):
    """✅ or ❌ from a member on a check-in answers it; anything else changes nothing."""

    def reaction_added(event: dict[str, Any], client: WebClient) -> None:
        reaction = event.get("reaction", "").split("::")[0]
        met = reaction in flows.MET_REACTIONS
        item = event.get("item") or {}
        if not (met or reaction in flows.MISSED_REACTIONS) or item.get("type") != "message":
            return
        now = deps.now()
        with transaction(deps.sessions) as session:
            ref = flows.checkin_ref(session, channel=item.get("channel", ""), ts=item.get("ts", ""))
            if ref is None:
                return
            try:
                keys = flows.answer_checkin(
                    session,
                    ref=ref,
                    user_id=event.get("user", ""),
                    met=met,
                    source=MeetingSource.REACTION,
                    now=now,
                    hours=deps.settings.hours,
                )
            except UserError:  # someone outside the pair reacted
                return
        deps.deliver(keys)

    return reaction_added


def _user_change(deps: Deps):
    """A member deleted or deactivated pauses their pairs and alerts the coordinators."""

    def user_change(event: dict[str, Any], body: dict[str, Any]) -> None:
        user = event.get("user") or {}
        if not user.get("deleted"):
            return
        team = user.get("team_id") or body.get("team_id", "")
        with transaction(deps.sessions) as session:
            keys = flows.member_left(
                session, team_id=team, user_id=user.get("id", ""), now=deps.now()
            )
        deps.deliver(keys)

    return user_change
