"""Turning a listener's result, or a UserError, into the ephemeral reply Slack shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.messages.blocks import Message
from bot.messages.errors import user_error
from bot.services.errors import UserError


def ephemeral(ack: Ack, reply: Message) -> None:
    ack(response_type="ephemeral", **reply.as_kwargs())


def command_reply(name: str) -> Callable[[Callable[..., Message]], Callable[..., None]]:
    """Wrap a command handler that returns a Message: ack it, or ack the explanation of a UserError.

    A Slack API error inside the handler (which has rolled its transaction back) is shown as
    `slack_refused`, so the person knows nothing was saved.
    """

    def decorate(handler: Callable[..., Message]) -> Callable[..., None]:
        # Bolt passes arguments by the names in the signature, so spell them out.
        def wrapper(
            ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext
        ) -> None:
            try:
                reply = handler(command=command, client=client, context=context)
            except UserError as error:
                reply = user_error(error, command=name)
            except SlackApiError as error:
                code = error.response.get("error", "unknown_error")
                reply = user_error(UserError("slack_refused", error=code), command=name)
            ephemeral(ack, reply)

        wrapper.__name__ = handler.__name__
        return wrapper

    return decorate


def action_reply(handler: Callable[..., None]) -> Callable[..., None]:
    """Wrap a block-action handler: ack first, and show a UserError to the person who clicked
    as an ephemeral message where they clicked (nothing was changed)."""

    def wrapper(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        try:
            handler(body=body, action=action, client=client)
        except UserError as error:
            reply = user_error(error, command=None)
            channel = (body.get("container") or {}).get("channel_id") or body["user"]["id"]
            client.chat_postEphemeral(channel=channel, user=body["user"]["id"], **reply.as_kwargs())

    wrapper.__name__ = getattr(handler, "__name__", "action")
    return wrapper


def replace_reply(handler: Callable[..., Message]) -> Callable[..., None]:
    """Wrap the handler of a button on an ephemeral reply (which chat.update cannot touch):
    ack, then replace that reply through the action's response_url with the handler's
    Message, or with the explanation of a UserError (nothing was changed)."""

    def wrapper(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        try:
            reply = handler(body=body, action=action, client=client)
        except UserError as error:
            reply = user_error(error, command=None)
        respond(replace_original=True, **reply.as_kwargs())

    wrapper.__name__ = getattr(handler, "__name__", "action")
    return wrapper
