"""One question asked in Slack, answered: organisation, answer or menu, ticket, staff announcement."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.adapters.slack import blocks
from bot.adapters.slack.client import Clients
from bot.adapters.slack.replies import Target, Thread
from bot.adapters.slack.state import SlackState
from bot.core.models import Answer, Channel, Inquiry, Language, Requester
from bot.core.text import detect_language
from bot.errors import BotError
from bot.service import Outcome, Service

logger = logging.getLogger(__name__)

# Below this confidence a recognised request is ambiguous: answer, and offer a button to file it.
AMBIGUOUS_BELOW = 0.7
PENDING_PREFIX = "slack:pending:"
SORRY = "Sorry, something went wrong on my side and nothing was filed. Please try again in a moment."
SORRY_SV = "Förlåt, något gick fel hos mig och inget registrerades. Försök igen om en stund."


def sorry(question_text: str) -> str:
    """The apology in the language of the question."""
    return SORRY_SV if detect_language(question_text) is Language.SV else SORRY


@dataclass(frozen=True, slots=True)
class Question:
    """A question as Slack gave it; ``key`` is its dedupe key and the ticket's external id."""

    text: str
    user: str
    team: str | None
    channel: str
    key: str
    org: str | None = None
    thread_ts: str | None = None
    response_url: str | None = None

    def dumps(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def loads(cls, raw: str) -> Question | None:
        try:
            data = json.loads(raw)
            return cls(**{k: data.get(k) for k in cls.__slots__})
        except (ValueError, TypeError, AttributeError):
            return None


@dataclass(frozen=True, slots=True)
class Options:
    default_org: str | None = None
    staff_channel: str | None = None
    public_url: str | None = None


class Conversation:
    """Answers questions and files requests on behalf of the Slack listeners (after their ack)."""

    def __init__(self, *, service: Service, state: SlackState, clients: Clients,
                 orgs: Mapping[str, str], options: Options) -> None:
        self.service = service
        self.state = state
        self.clients = clients
        self.orgs = orgs  # a live view in a server: follows knowledge reloads
        self.options = options

    async def ask(self, question: Question, target: Target) -> None:
        """Resolve the organisation, answer (or ask with a menu), file a clear request, reply."""
        try:
            await self._ask(question, target)
        except BotError as exc:
            await target.send(str(exc), [blocks.section(blocks.escape(str(exc)))])
        except Exception:
            logger.exception("Slack question %s could not be answered", question.key)
            message = sorry(question.text)
            await target.send(message, [blocks.section(message)])

    async def _ask(self, question: Question, target: Target) -> None:
        org = question.org or await self.state.channel_org(question.channel)
        inquiry = Inquiry(question.text, Channel.SLACK, org, Requester(Channel.SLACK, address=question.user),
                          external_id=question.key)
        answer = self.service.answer(inquiry)
        if org is None and answer.choices:
            if self.options.default_org is None:
                await self._offer_orgs(question, answer, target)
                return
            inquiry = replace(inquiry, org=self.options.default_org)
            answer = self.service.answer(inquiry)
        request = answer.request
        if request is not None and request.confidence < AMBIGUOUS_BELOW:
            pending = PENDING_PREFIX + question.key
            await self.state.remember(pending, replace(question, org=answer.org or inquiry.org).dumps())
            outcome = Outcome(answer)
            await target.send(blocks.fallback_text(outcome),
                              blocks.answer_blocks(outcome, names=self.orgs, file_value=pending))
            return
        if request is None:
            outcome = Outcome(answer)
        else:
            outcome = await self.file(question, replace(inquiry, org=answer.org or inquiry.org))
        await target.send(blocks.fallback_text(outcome), blocks.answer_blocks(outcome, names=self.orgs))
        await self.announce(outcome, question.team)

    async def file(self, question: Question, inquiry: Inquiry) -> Outcome:
        """File the request with the requester's identity evidence from ``users.info``."""
        requester = await self.requester(question.user, question.team)
        return await self.service.handle(replace(inquiry, requester=requester), file=True)

    async def _offer_orgs(self, question: Question, answer: Answer, target: Target) -> None:
        pending = PENDING_PREFIX + question.key
        await self.state.remember(pending, question.dumps())
        choices = answer.choices or tuple(self.orgs)
        await target.send(answer.reply or "Which organisation do you mean?",
                          blocks.org_menu_blocks(answer, choices=choices, names=self.orgs, value=pending))

    async def requester(self, user: str, team: str | None) -> Requester:
        """The asker with the evidence Slack vouches for: user and team ids, verified e-mail, name."""
        evidence: list[tuple[str, str]] = [("slack_user", user)]
        if team:
            evidence.append(("slack_team", team))
        name: str | None = None
        try:
            client = await self.clients.for_team(team)
            response = await client.users_info(user=user)
        except (SlackApiError, SlackClientError, OSError, TimeoutError) as exc:
            logger.warning("Slack users.info failed (%s); filing without the verified e-mail", type(exc).__name__)
        else:
            found = response.get("user")
            person: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
            details = person.get("profile")
            profile: Mapping[str, Any] = details if isinstance(details, Mapping) else {}
            email = profile.get("email")
            if isinstance(email, str) and "@" in email:
                # Slack confirms addresses at sign-up; an explicitly unconfirmed one is kept apart.
                confirmed = person.get("is_email_confirmed") is not False
                evidence.append(("slack_verified_email" if confirmed else "slack_unconfirmed_email", email))
            name = profile.get("real_name") or person.get("real_name") or None
        return Requester(Channel.SLACK, address=user, name=name if isinstance(name, str) else None,
                         evidence=tuple(evidence))

    async def announce(self, outcome: Outcome, team: str | None) -> None:
        """Tell the staff channel about a new ticket (not a duplicate); failures are logged only."""
        ticket, request = outcome.ticket, outcome.answer.request
        channel = self.options.staff_channel
        if channel is None or ticket is None or ticket.duplicate or request is None:
            return
        text, body = blocks.staff_notice(ticket=ticket, right=request.right.value, org=outcome.answer.org or "?",
                                         names=self.orgs, public_url=self.options.public_url)
        client = self.clients.home or await self.clients.for_team(team)
        await Thread(client, channel, None).send(text, body)
