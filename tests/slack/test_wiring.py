"""``attach_slack``: the settings choose Socket Mode, HTTP or nothing, on the one web application."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.slack import StoreSlackState, attach_slack
from bot.adapters.store import Store
from bot.config import Settings

from .rig import SECRET, org_names, payload, real_service
from .standin import APP_TOKEN, BOT_TOKEN, SlackStandIn


def has_events_route(app: web.Application) -> bool:
    return any(r.method == "POST" and r.resource is not None and r.resource.canonical == "/slack/events"
               for r in app.router.routes())


async def test_off_without_a_bot_token(slack_store: Store) -> None:
    app = web.Application()
    mode = attach_slack(app, service=real_service(slack_store), state=StoreSlackState(slack_store),
                        settings=Settings(slack_signing_secret=SECRET))
    assert mode == "off" and not has_events_route(app)


async def test_off_with_a_bot_token_only(slack_store: Store) -> None:
    app = web.Application()
    mode = attach_slack(app, service=real_service(slack_store), state=StoreSlackState(slack_store),
                        settings=Settings(slack_bot_token=BOT_TOKEN))
    assert mode == "off" and not has_events_route(app)


async def test_http_with_token_and_signing_secret(slack_store: Store, standin: SlackStandIn) -> None:
    app = web.Application()
    settings = Settings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET, slack_api_url=standin.api_url)
    mode = attach_slack(app, service=real_service(slack_store), state=StoreSlackState(slack_store),
                        settings=settings, orgs=org_names())
    assert mode == "http" and has_events_route(app)


async def test_socket_mode_runs_and_stops_with_the_web_app(slack_store: Store, standin: SlackStandIn) -> None:
    app = web.Application()
    settings = Settings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET, slack_app_token=APP_TOKEN,
                        slack_api_url=standin.api_url, slack_default_org="infentre")
    mode = attach_slack(app, service=real_service(slack_store), state=StoreSlackState(slack_store),
                        settings=settings, orgs=org_names())
    assert mode == "socket" and not has_events_route(app)
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(app, host="127.0.0.1", port=0))
    await client.start_server()
    try:
        await standin.wait_for("apps.connections.open")
        await standin.push("events_api", payload("message_im"), envelope_id="e1")
        await standin.wait_ack("e1")
        [reply] = await standin.wait_for("chat.postMessage")
        assert reply.params["channel"] == "D0ALICEDM"
    finally:
        await client.close()
    [ticket] = (await slack_store.list_tickets()).items
    assert ticket.right == "erasure"


async def test_http_with_oauth_and_no_bot_token(slack_store: Store, standin: SlackStandIn) -> None:
    app = web.Application()
    settings = Settings(slack_signing_secret=SECRET, slack_client_id="1.2", slack_client_secret="s",
                        slack_api_url=standin.api_url)
    mode = attach_slack(app, service=real_service(slack_store), state=StoreSlackState(slack_store),
                        settings=settings, orgs=org_names())
    assert mode == "http" and has_events_route(app)
    assert any(r.resource is not None and r.resource.canonical == "/slack/install" for r in app.router.routes())
