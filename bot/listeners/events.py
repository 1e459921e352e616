"""Events API events. Every event this app handles is registered in `register`."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.flows import home, meetings, pairs
from bot.slack import shown_name


def register(app: App, deps: Deps) -> None:
    app.event("app_home_opened")(_home_opened(deps))
    app.event("reaction_added")(_reaction_added(deps))
    app.event("user_change")(_user_change(deps))


def _home_opened(deps: Deps):
    def app_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        team_id = str(body.get("team_id", ""))
        deps.after(home.publish, deps, client, team_id=team_id, user_id=event["user"])

    return app_home_opened


def _reaction_added(deps: Deps):
    """✅ or ❌ from a member on a check-in answers it; anything else changes nothing."""

    def reaction_added(event: dict[str, Any]) -> None:
        item = event.get("item") or {}
        if item.get("type") != "message":
            return
        meetings.reaction_added(
            deps,
            user_id=str(event.get("user", "")),
            reaction=str(event.get("reaction", "")),
            channel=str(item.get("channel", "")),
            ts=str(item.get("ts", "")),
        )

    return reaction_added


def _user_change(deps: Deps):
    """A new zone and name are kept; a member deleted or deactivated pauses their pairs and
    alerts the coordinators."""

    def user_change(event: dict[str, Any], body: dict[str, Any]) -> None:
        user = event.get("user") or {}
        pairs.user_changed(
            deps,
            team_id=str(user.get("team_id") or body.get("team_id", "")),
            user_id=str(user.get("id", "")),
            tz=user.get("tz") if isinstance(user.get("tz"), str) else None,
            name=shown_name(user),
            deleted=bool(user.get("deleted")),
        )

    return user_change
