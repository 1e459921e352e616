"""What the app registers: every command, action_id, callback_id and event it answers,
read by running each listener module's `register` against a recorder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.listeners import actions, commands, events, views


@dataclass
class Registrations:
    """The ids each listener module registers, read by running its `register`."""

    seen: dict[str, list[Any]] = field(default_factory=dict)

    def __getattr__(self, kind: str) -> Callable[..., Callable[[Any], Any]]:
        def register(matcher: Any, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
            self.seen.setdefault(kind, []).append(matcher)
            return lambda handler: handler

        return register


def registered(deps) -> dict[str, list[Any]]:
    found = Registrations()
    for module in (commands, actions, views, events):
        module.register(found, deps)  # type: ignore[arg-type]
    for kind in ("command", "action", "view", "event"):
        assert found.seen.get(kind), f"no app.{kind}(...) registered"
        assert all(isinstance(m, str) for m in found.seen[kind]), found.seen[kind]
    return found.seen
