"""`/mentor-help`: the commands, told to each person as they stand."""

from __future__ import annotations

from bot.deps import Deps
from bot.messages.blocks import Message
from bot.messages.help import help_message
from bot.services.pairs import open_pairs_of
from bot.services.people import find_person
from bot.services.programmes import who_pairs


def help_for(deps: Deps, *, team_id: str, user_id: str) -> Message:
    """Every command, and a coordinator's for a coordinator. Someone in no open pair (and no
    coordinator) is told that first, and who can pair them: the default programme's
    coordinators, mentioned."""
    with deps.sessions() as session:
        if deps.coordinated(session, user_id):
            return help_message(is_coordinator=True)
        person = find_person(session, team_id=team_id, user_id=user_id)
        if person is not None and open_pairs_of(session, person):
            return help_message(is_coordinator=False)
        pairers = who_pairs(deps.programme(session), deps.settings.coordinators)
    return help_message(is_coordinator=False, unpaired=True, pairers=pairers)
