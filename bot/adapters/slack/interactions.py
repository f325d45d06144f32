"""The work behind each Slack listener: events, the /privacy command, button clicks and menu choices."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.adapters.slack import blocks
from bot.adapters.slack.conversation import PENDING_PREFIX, SORRY, Conversation, Question, sorry
from bot.adapters.slack.events import BotIdentity, message_key, parse_command, reply_thread, strip_mentions
from bot.adapters.slack.replies import InPlace, ResponseUrl, Target, Thread
from bot.core.models import Channel, Inquiry
from bot.errors import BotError

logger = logging.getLogger(__name__)
EXPIRED = "This question is no longer on record; please ask it again."
NOT_YOURS = "Only the person who asked can do this."


def text_at(data: Any, *path: str) -> str | None:
    """``data[path[0]][path[1]]...`` when every step is a mapping and the end is a non-empty string."""
    for step in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(step)
    return data if isinstance(data, str) and data else None


def first_action(body: Mapping[str, Any]) -> Mapping[str, Any]:
    actions = body.get("actions")
    if isinstance(actions, list) and actions and isinstance(actions[0], Mapping):
        return actions[0]
    return {}


class Interactions:
    """Each method runs after Slack has its acknowledgement, claims its work once, and never raises."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation
        self.state = conversation.state
        self.clients = conversation.clients

    def question_from(self, event: Mapping[str, Any], *, team: str | None, me: BotIdentity) -> Question | None:
        """The question in a mention or a DM (already judged answerable), or None when fields are missing."""
        channel, ts, user = text_at(event, "channel"), text_at(event, "ts"), text_at(event, "user")
        if channel is None or ts is None or user is None:
            return None
        # Keyed on the message, not the event: a retry and a mention's twin ``message`` event share it.
        return Question(text=strip_mentions(text_at(event, "text") or "", me.user_id), user=user, team=team,
                        channel=channel, key=message_key(team, channel, ts), thread_ts=reply_thread(event))

    async def admit(self, question: Question) -> bool:
        """Claim the question once across retries and processes, recording it until it is answered."""
        try:
            if await self.state.begin_job(question.key, question.dumps()):
                return True
        except Exception:
            # Slack has its acknowledgement and will not re-send: tell the asker rather than stay silent.
            logger.exception("Slack question %s could not be recorded", question.key)
            with contextlib.suppress(Exception):
                message = sorry(question.text)
                await (await self.target_for(question)).send(message, [blocks.section(message)])
            return False
        logger.info("Slack question %s already taken; ignoring the repeat", question.key)
        return False

    async def answer(self, question: Question) -> None:
        """Answer an admitted question where it was asked, then mark its record done."""
        await self.conversation.ask(question, await self.target_for(question))
        await self.state.finish_job(question.key)

    async def target_for(self, question: Question) -> Target:
        if question.response_url:
            return ResponseUrl(question.response_url, session=self.clients.base.session)
        return Thread(await self.clients.for_team(question.team), question.channel, question.thread_ts)

    async def resume(self, older_than: timedelta) -> int:
        """Answer questions admitted by a process that stopped before answering them."""
        stale = await self.state.take_stale_jobs(older_than)
        for key, raw in stale:
            question = Question.loads(raw)
            if question is None:
                logger.error("Slack question record %s is unreadable; dropped", key)
                await self.state.finish_job(key)
                continue
            logger.warning("Slack question %s resumed: the process that took it stopped", key)
            await self.answer(question)
        return len(stale)

    async def on_command(self, body: Mapping[str, Any]) -> None:
        """``/privacy [org] question``, ``/privacy set-org ID|none``, ``/privacy org``, ``/privacy help``."""
        channel, user = text_at(body, "channel_id"), text_at(body, "user_id")
        if channel is None or user is None:
            logger.warning("Slack command without channel or user ignored")
            return
        url = text_at(body, "response_url")
        team = text_at(body, "team_id")
        target: Target = (ResponseUrl(url, session=self.clients.base.session) if url
                          else Thread(await self.clients.for_team(team), channel, None))
        orgs = self.conversation.orgs
        command = parse_command(text_at(body, "text") or "", orgs)
        if command.action == "help":
            await target.send(blocks.HELP_SV if command.swedish else blocks.HELP,
                              blocks.help_blocks(orgs, swedish=command.swedish))
        elif command.action == "show-org":
            org = await self.state.channel_org(channel)
            shown = f"`{org}` ({orgs.get(org, org)})" if org else "none"
            await target.send(f"This channel's organisation: {shown}", [blocks.section(
                f"This channel's organisation: {blocks.escape(shown)}")])
        elif command.action == "set-org":
            await self._set_org(channel, team, command.org, target)
        else:
            key = f"slack:cmd:{text_at(body, 'trigger_id') or text_at(body, 'command_ts') or channel}"
            question = Question(text=command.text, user=user, team=team, channel=channel, key=key,
                                org=command.org, response_url=url)
            if await self.admit(question):
                await self.answer(question)

    async def _set_org(self, channel: str, team: str | None, org: str | None, target: Target) -> None:
        orgs = self.conversation.orgs
        if org is not None and orgs and org not in orgs:
            known = ", ".join(sorted(orgs))
            message = f"I don't know the organisation `{org}`. Known: {known}."
            await target.send(message, [blocks.section(blocks.escape(message))])
            return
        await self.state.set_channel_org(channel, team, org)
        logger.info("Slack channel organisation set to %s", org)
        message = (f"Questions in this channel are now about `{org}` ({orgs.get(org, org)})." if org
                   else "This channel no longer has an organisation of its own.")
        await target.send(message, [blocks.section(blocks.escape(message))])

    async def _pending(self, body: Mapping[str, Any], value: str) -> tuple[Question | None, Target]:
        """The question a click refers to, and where to rewrite the clicked message."""
        url = text_at(body, "response_url")
        channel = text_at(body, "container", "channel_id") or text_at(body, "channel", "id")
        ts = text_at(body, "container", "message_ts") or text_at(body, "message", "ts")
        ephemeral = isinstance(body.get("container"), Mapping) and body["container"].get("is_ephemeral") is True
        client = await self.clients.for_team(text_at(body, "team", "id") or text_at(body, "user", "team_id"))
        target: Target
        if channel and ts and not ephemeral:
            target = InPlace(client, channel, ts)
        elif url:
            target = ResponseUrl(url, replace_original=True, session=self.clients.base.session)
        else:
            return None, Thread(client, channel or "", None)
        raw = await self.state.recall(value) if value.startswith(PENDING_PREFIX) else None
        question = Question.loads(raw) if raw else None
        if question is None:
            await self._tell(body, EXPIRED)
            return None, target
        if question.user != text_at(body, "user", "id"):
            await self._tell(body, NOT_YOURS)
            return None, target
        return question, target

    async def on_file_click(self, body: Mapping[str, Any]) -> None:
        """"File this as a request": file once, then rewrite the message with the ticket."""
        value = text_at(first_action(body), "value") or ""
        question, target = await self._pending(body, value)
        if question is None or not await self.state.claim_event(f"{value}:filed", "slack"):
            return
        inquiry = Inquiry(question.text, Channel.SLACK, question.org, external_id=question.key)
        try:
            outcome = await self.conversation.file(question, inquiry)
        except BotError as exc:
            await target.send(str(exc), [blocks.section(blocks.escape(str(exc)))])
            return
        except Exception:
            logger.exception("Slack request %s could not be filed", question.key)
            await self._tell(body, sorry(question.text))
            return
        await target.send(blocks.fallback_text(outcome), blocks.answer_blocks(outcome, names=self.conversation.orgs))
        await self.state.forget(value)
        await self.conversation.announce(outcome, question.team)

    async def on_org_choice(self, body: Mapping[str, Any]) -> None:
        """An organisation picked from the menu: answer again for it, in place of the menu."""
        chosen = text_at(first_action(body), "selected_option", "value") or ""
        value, _, org = chosen.rpartition("|")
        question, target = await self._pending(body, value)
        if question is None or not org or not await self.state.claim_event(f"{value}:org", "slack"):
            return
        await self.state.forget(value)  # before answering: the answer may keep a new question under this key
        await self.conversation.ask(replace(question, org=org), target)

    async def safely(self, work: Callable[[Mapping[str, Any]], Awaitable[None]], body: Mapping[str, Any]) -> None:
        """Run a command or click handler; if it fails (the database is down...), say so to the person."""
        try:
            await work(body)
        except Exception:
            logger.exception("Slack %s failed", getattr(work, "__name__", "handler"))
            await self._tell(body, SORRY)

    async def _tell(self, body: Mapping[str, Any], message: str) -> None:
        """A short note to the clicking person only (their response_url), never to the channel."""
        url = text_at(body, "response_url")
        if url:
            note = ResponseUrl(url, session=self.clients.base.session)
            await note.send(message, [blocks.section(blocks.escape(message))])
        else:
            logger.info("Slack click could not be answered: no response_url")
