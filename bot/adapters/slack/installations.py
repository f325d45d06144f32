"""Multi-workspace OAuth: installations and OAuth states kept in our database (kv_state), not in files."""

from __future__ import annotations

import json
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.adapters.store import Store
from bot.adapters.store import schema as tables

logger = logging.getLogger(__name__)
INSTALL_PREFIX = "slack:install:"
STATE_PREFIX = "slack:oauth-state:"
STATE_LIFETIME = timedelta(minutes=10)


def _key(kind: str, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None) -> str:
    team = "-" if is_enterprise_install else (team_id or "-")
    return f"{INSTALL_PREFIX}{kind}:{enterprise_id or '-'}:{team}"


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, datetime) else str(v))


class StoreInstallations(AsyncInstallationStore):
    """Each workspace's bot token, from the OAuth callback to ``app_uninstalled`` / ``tokens_revoked``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def logger(self) -> logging.Logger:
        return logger

    async def async_save(self, installation: Installation) -> None:
        ids = (installation.enterprise_id, installation.team_id, installation.is_enterprise_install)
        await self.store.set_state(_key("installation", *ids), _dumps(installation.to_dict_for_copying()))
        await self.async_save_bot(installation.to_bot())
        logger.info("Slack installed in workspace %s", installation.team_id or installation.enterprise_id)

    async def async_save_bot(self, bot: Bot) -> None:
        ids = (bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        await self.store.set_state(_key("bot", *ids), _dumps(bot.to_dict_for_copying()))

    async def _load(self, key: str) -> dict[str, Any] | None:
        found = await self.store.get_state(key)
        if found is None:
            return None
        try:
            data = json.loads(found[0])
        except ValueError:
            logger.error("Slack installation record %s is unreadable", key)
            return None
        return data if isinstance(data, dict) else None

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        data = await self._load(_key("bot", enterprise_id, team_id, is_enterprise_install))
        return None if data is None else Bot(**data)

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False) -> Installation | None:
        data = await self._load(_key("installation", enterprise_id, team_id, is_enterprise_install))
        return None if data is None else Installation(**data)

    async def _delete(self, key: str) -> None:
        table = tables.kv_state
        async with self.store.tx() as conn:
            await conn.execute(table.delete().where(table.c.key == key))

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._delete(_key("bot", enterprise_id, team_id, False))
        logger.info("Slack bot token removed for workspace %s", team_id or enterprise_id)

    async def async_delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                        user_id: str | None = None) -> None:
        await self._delete(_key("installation", enterprise_id, team_id, False))

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)


class StoreOAuthStates(AsyncOAuthStateStore):
    """One-time OAuth ``state`` values (CSRF protection of the install flow), valid for ten minutes."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def logger(self) -> logging.Logger:
        return logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        await self.store.set_state(STATE_PREFIX + state, "issued")
        return state

    async def async_consume(self, state: str) -> bool:
        """True once, within the lifetime; the delete is the consumption, so a replay finds nothing."""
        table = tables.kv_state
        async with self.store.tx() as conn:
            result = await conn.execute(table.delete().where(
                table.c.key == (STATE_PREFIX + state)[:200],
                table.c.updated_at > self.store.now() - STATE_LIFETIME))
        return bool(result.rowcount)
