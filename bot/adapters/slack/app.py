"""The slack-bolt AsyncApp: listeners that acknowledge at once and queue the work on ``Jobs``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import ACTION_CHOOSE_ORG, ACTION_FILE
from bot.adapters.slack.client import Clients
from bot.adapters.slack.conversation import PENDING_PREFIX, Conversation, Options
from bot.adapters.slack.events import BotIdentity, answerable_mention, answerable_message
from bot.adapters.slack.interactions import Interactions, text_at
from bot.adapters.slack.jobs import Admit, Jobs, Work
from bot.adapters.slack.state import SlackState
from bot.errors import BotError
from bot.service import Service

logger = logging.getLogger(__name__)
Ack = Callable[..., Awaitable[Any]]


# A question still unanswered this long after it was taken lost its process; a live one answers in seconds.
STALE_AFTER = timedelta(minutes=5)
SWEEP_EVERY = 60.0
# A question that offered a button or a menu keeps the asker's words this long, then nobody can click it.
KEEP_PENDING = timedelta(days=30)


@dataclass(slots=True)
class SlackBot:
    """Everything one Slack connection needs: ``start()`` before serving, ``stop()`` after."""

    bolt: AsyncApp
    interactions: Interactions
    jobs: Jobs
    client: AsyncWebClient
    home: AsyncWebClient | None = None
    stale_after: timedelta = STALE_AFTER
    keep_pending: timedelta = KEEP_PENDING
    sweep_every: float = SWEEP_EVERY
    _sweeper: asyncio.Task[None] | None = None
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> None:
        """Open one pooled HTTP session (slack_sdk opens one per call otherwise); start the sweeper."""
        if self.client.session is None or self.client.session.closed:
            self.client.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        if self.home is not None:
            self.home.session = self.client.session
        if self._sweeper is None:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep(), name="slack-sweeper")

    async def _sweep(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.interactions.resume(self.stale_after)
                await self.interactions.state.expire(PENDING_PREFIX, self.keep_pending)
            except Exception:
                logger.exception("Slack: resuming unanswered questions failed; trying again later")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.sweep_every)

    async def stop(self, timeout: float = 30.0) -> None:
        """Finish the work in flight (it still needs the session), then close the session."""
        # The sweeper finishes its round rather than being cancelled inside a database call.
        self._stopping.set()
        if self._sweeper is not None:
            await asyncio.gather(self._sweeper, return_exceptions=True)
            self._sweeper = None
        await self.jobs.drain(timeout)
        session, self.client.session = self.client.session, None
        if self.home is not None:
            self.home.session = None
        if session is not None:
            await session.close()


class _EnvTokenNotice(logging.Filter):
    """bolt reads SLACK_BOT_TOKEN from the environment itself and warns that our client wins: it should."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_BOLT_LOGGER = logging.getLogger("slack_bolt")
if not any(isinstance(f, _EnvTokenNotice) for f in _BOLT_LOGGER.filters):
    _BOLT_LOGGER.addFilter(_EnvTokenNotice())


def build_bot(*, service: Service, state: SlackState, clients: Clients, signing_secret: str | None,
              orgs: Mapping[str, str], options: Options, concurrency: int = 16,
              oauth: AsyncOAuthSettings | None = None) -> SlackBot:
    """The bolt app with our listeners; HTTP requests need ``signing_secret``, Socket Mode does not.

    With ``oauth`` the app installs into many workspaces, each request authorised by its workspace's token.
    """
    conversation = Conversation(service=service, state=state, clients=clients, orgs=orgs, options=options)
    interactions = Interactions(conversation)
    jobs = Jobs(concurrency=concurrency)
    # process_before_response=True: the listener itself is quick (it only queues), so the HTTP response
    # leaves once it returns, and the queued work is ours to await on shutdown (bolt's own lazy tasks are not).
    bolt = AsyncApp(client=clients.base, signing_secret=signing_secret, process_before_response=True,
                    request_verification_enabled=signing_secret is not None, oauth_settings=oauth,
                    raise_error_for_unhandled_request=False, logger=_BOLT_LOGGER)
    if oauth is not None:
        # app_uninstalled / tokens_revoked remove the workspace's token from our database.
        bolt.enable_token_revocation_listeners()
    _register(bolt, interactions, jobs)
    return SlackBot(bolt=bolt, interactions=interactions, jobs=jobs, client=clients.base, home=clients.home)


def _identity(context: AsyncBoltContext) -> BotIdentity:
    return BotIdentity(user_id=context.bot_user_id, bot_id=context.bot_id)


def _team(body: Mapping[str, Any], event: Mapping[str, Any]) -> str | None:
    return text_at(body, "team_id") or text_at(event, "team")


class ShuttingDown(BotError):
    """Work arrived after shutdown began: Slack gets a 500 and re-sends it (to this or another process)."""


def _queue(jobs: Jobs, name: str, work: Work, admit: Admit | None = None) -> None:
    if not jobs.spawn(name, work, admit=admit):
        raise ShuttingDown("shutting down; Slack will re-send this")


def _register(bolt: AsyncApp, interactions: Interactions, jobs: Jobs) -> None:
    # Queue first, acknowledge after: work refused during shutdown is a 500, which Slack re-sends.
    async def take(ack: Ack, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext,
                   answerable: Callable[[Mapping[str, Any], BotIdentity], bool]) -> None:
        me = _identity(context)
        question = interactions.question_from(event, team=_team(body, event), me=me)
        if answerable(event, me) and question is not None:
            _queue(jobs, f"slack-{event.get('type')}-{body.get('event_id')}", partial(interactions.answer, question),
                   admit=partial(interactions.admit, question))
        await ack()

    @bolt.event("app_mention")
    async def on_mention(ack: Ack, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
        await take(ack, event, body, context, answerable_mention)

    @bolt.event("message")
    async def on_message(ack: Ack, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
        await take(ack, event, body, context, answerable_message)

    @bolt.event(re.compile(".*"))
    async def on_other(ack: Ack, body: dict[str, Any]) -> None:
        # Acknowledge events we do not act on, or Slack keeps re-sending them.
        await ack()

    @bolt.command(re.compile(r"^/privacy"))
    async def on_command(ack: Ack, body: dict[str, Any]) -> None:
        _queue(jobs, "slack-command", partial(interactions.safely, interactions.on_command, body))
        await ack()

    @bolt.action(ACTION_FILE)
    async def on_file(ack: Ack, body: dict[str, Any]) -> None:
        _queue(jobs, "slack-file-click", partial(interactions.safely, interactions.on_file_click, body))
        await ack()

    @bolt.action(ACTION_CHOOSE_ORG)
    async def on_choice(ack: Ack, body: dict[str, Any]) -> None:
        _queue(jobs, "slack-org-choice", partial(interactions.safely, interactions.on_org_choice, body))
        await ack()
