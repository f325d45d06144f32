"""A stand-in for the Slack Web API on 127.0.0.1:0: real HTTP, Bearer tokens, recorded calls, faults on demand."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-standin-token"
APP_TOKEN = "xapp-standin-token"
BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM = "T0001"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int
    at: float = field(default_factory=time.perf_counter)
    token: str = ""


@dataclass
class _Fault:
    status: int
    remaining: int
    retry_after: int | None
    method: str | None


class SlackStandIn:
    """Speaks ``POST /api/<method>`` (form or JSON), answers ``{"ok": true, ...}``, records every call.

    ``fail_next(n, status=429, retry_after=1)`` makes the next ``n`` calls answer 429 (or 500); the
    ``/hooks/<name>`` path stands in for ``response_url``; ``/socket`` for Socket Mode's WebSocket.
    """

    def __init__(self, *, users: dict[str, dict[str, Any]] | None = None) -> None:
        self.calls: list[Call] = []
        self.hooks: list[Call] = []
        self.users = copy.deepcopy(users or {})
        # bot token -> (team, bot user, bot id); oauth.v2.access adds one per workspace installed
        self.tokens: dict[str, tuple[str, str, str]] = {BOT_TOKEN: (TEAM, BOT_USER, BOT_ID)}
        self.oauth_clients: dict[str, str] = {}  # client_id -> client_secret
        self.oauth_codes: dict[str, str] = {}  # code -> team it installs into
        self._faults: list[_Fault] = []
        self._changed = asyncio.Condition()
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self.socket_acks: list[dict[str, Any]] = []
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/hooks/{name}", self._hook)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.api_url

    async def close(self) -> None:
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def hook_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/hooks/{name}"

    # -- faults and inspection ----------------------------------------------------------------------
    def fail_next(self, count: int, *, status: int = 429, retry_after: int | None = None,
                  method: str | None = None) -> None:
        self._faults.append(_Fault(status, count, retry_after, method))

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.status == 200]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait until ``count`` successful calls of ``method`` (``hook`` for response_url posts) arrived."""
        def seen() -> list[Call]:
            return list(self.hooks) if method == "hook" else self.of(method)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(seen()) >= count), timeout)
        return seen()

    async def _record(self, call: Call, into: list[Call]) -> None:
        into.append(call)
        async with self._changed:
            self._changed.notify_all()

    def _fault_for(self, method: str) -> _Fault | None:
        for fault in self._faults:
            if fault.remaining > 0 and fault.method in (None, method):
                fault.remaining -= 1
                return fault
        return None

    # -- handlers --------------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST":
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(dict(await request.post()))
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        fault = self._fault_for(method)
        if fault is not None:
            await self._record(Call(method, params, fault.status), self.calls)
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            return web.json_response({"ok": False, "error": "ratelimited" if fault.status == 429 else "fatal"},
                                     status=fault.status, headers=headers)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if method == "oauth.v2.access":
            return await self._oauth_access(request, params)
        known = token == APP_TOKEN if method == "apps.connections.open" else token in self.tokens
        if not known:
            await self._record(Call(method, params, 401, token=token), self.calls)
            return web.json_response({"ok": False, "error": "invalid_auth"})
        await self._record(Call(method, params, 200, token=token), self.calls)
        return web.json_response(self._answer(method, params, token))

    async def _oauth_access(self, request: web.Request, params: dict[str, Any]) -> web.Response:
        """Slack's token exchange: client credentials (Basic auth or form) and a one-time code."""
        import base64

        client_id, client_secret = params.get("client_id"), params.get("client_secret")
        basic = request.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
        team = self.oauth_codes.pop(str(params.get("code")), None)
        if self.oauth_clients.get(str(client_id)) != client_secret or team is None:
            await self._record(Call("oauth.v2.access", params, 200), self.calls)
            return web.json_response({"ok": False, "error": "invalid_code"})
        token = f"xoxb-{team.lower()}-token"
        self.tokens[token] = (team, f"UBOT{team}", f"BBOT{team}")
        await self._record(Call("oauth.v2.access", params, 200), self.calls)
        return web.json_response({
            "ok": True, "app_id": "A0PRIVACY", "authed_user": {"id": "U0INSTALLER"}, "token_type": "bot",
            "scope": "app_mentions:read,chat:write,commands", "access_token": token, "bot_user_id": f"UBOT{team}",
            "team": {"id": team, "name": f"Team {team}"}, "enterprise": None, "is_enterprise_install": False})

    def _answer(self, method: str, params: dict[str, Any], token: str) -> dict[str, Any]:
        if method == "auth.test":
            team, user, bot = self.tokens[token]
            return {"ok": True, "url": "https://standin.slack.com/", "team": "Stand-in", "user": "privacybot",
                    "team_id": team, "user_id": user, "bot_id": bot, "is_enterprise_install": False}
        if method == "users.info":
            user = params.get("user", "")
            if user not in self.users:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": {"id": user, "team_id": TEAM, **self.users[user]}}
        if method in {"chat.postMessage", "chat.update"}:
            ts = params.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": params.get("channel"), "ts": ts,
                    "message": {"text": params.get("text"), "ts": ts}}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        return {"ok": True}

    async def _hook(self, request: web.Request) -> web.Response:
        fault = self._fault_for("hook")
        params = await request.json()
        if fault is not None:
            await self._record(Call("hook", params, fault.status), [])
            return web.Response(status=fault.status, text="error")
        await self._record(Call("hook", {**params, "_hook": request.match_info["name"]}, 200), self.hooks)
        return web.Response(text="ok")

    # -- Socket Mode -----------------------------------------------------------------------------
    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(msg.data))
                async with self._changed:
                    self._changed.notify_all()
        return ws

    async def push(self, envelope_type: str, payload: dict[str, Any], envelope_id: str) -> None:
        """Send one Socket Mode envelope (``events_api``, ``slash_commands``, ``interactive``)."""
        while not self._sockets:
            await asyncio.sleep(0.01)
        await self._sockets[-1].send_json({"envelope_id": envelope_id, "type": envelope_type,
                                           "payload": payload, "accepts_response_payload": False})

    async def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(
                lambda: any(a.get("envelope_id") == envelope_id for a in self.socket_acks)), timeout)
