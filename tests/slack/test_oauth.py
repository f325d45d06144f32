"""Multi-workspace OAuth: install through the redirect, answer each workspace with its own token, uninstall."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.slack import SLACK_BOT, StoreSlackState, mount_slack
from bot.adapters.store import Store
from bot.config import Settings
from bot.errors import ConfigError

from .rig import SECRET, Rig, org_names, payload, real_service
from .standin import SlackStandIn

CLIENT_ID, CLIENT_SECRET = "1111.2222", "oauth-client-secret"
# slack_sdk's token exchange still uses aiohttp.BasicAuth, deprecated in aiohttp 3.14 (a warning, not a fault).
pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")


@pytest.fixture
async def oauth_rig(slack_store: Store, standin: SlackStandIn) -> AsyncIterator[Rig]:
    standin.oauth_clients[CLIENT_ID] = CLIENT_SECRET
    settings = Settings(slack_signing_secret=SECRET, slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET,
                        slack_api_url=standin.api_url, public_url="https://bot.example.org",
                        slack_default_org="infentre")
    app = web.Application()
    mount_slack(app, service=real_service(slack_store), state=StoreSlackState(slack_store), settings=settings,
                orgs=org_names())
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(app, host="127.0.0.1", port=0))
    await client.start_server()
    yield Rig(client=client, standin=standin, store=slack_store, bot=app[SLACK_BOT])
    await client.close()


async def install(rig: Rig, team: str, *, code: str = "code-1") -> tuple[int, str]:
    rig.standin.oauth_codes[code] = team
    page = await rig.client.get("/slack/install", allow_redirects=False)
    assert page.status in {200, 302}
    cookie = page.headers["Set-Cookie"].split(";")[0]
    state = cookie.split("=", 1)[1]
    link = page.headers.get("Location") or await page.text()
    assert f"client_id={CLIENT_ID}" in link and f"state={state}" in link
    assert "redirect_uri=https://bot.example.org/slack/oauth_redirect" in link
    done = await rig.client.get(f"/slack/oauth_redirect?code={code}&state={state}", headers={"Cookie": cookie})
    return done.status, state


def mention_from(team: str, ts: str) -> dict[str, object]:
    data = copy.deepcopy(payload("app_mention"))
    data["team_id"] = team
    data["event"] |= {"team": team, "ts": ts, "event_ts": ts, "text": f"<@UBOT{team}> How long do you keep my data?"}
    data["event_id"] = f"Ev{team}{ts.replace('.', '')}"
    data["authorizations"] = [{"team_id": team, "user_id": f"UBOT{team}", "is_bot": True}]
    return data


async def test_install_then_each_workspace_is_answered_with_its_own_token(oauth_rig: Rig) -> None:
    status, _ = await install(oauth_rig, "T0002")
    assert status == 200
    [exchange] = [c for c in oauth_rig.standin.calls if c.method == "oauth.v2.access"]
    assert exchange.params["code"] == "code-1"
    response = await oauth_rig.event(mention_from("T0002", "1732262400.000777"))
    assert response.status == 200
    [reply] = await oauth_rig.standin.wait_for("chat.postMessage")
    assert reply.token == "xoxb-t0002-token"
    assert "How long do you keep my information?" in json.dumps(reply.params["blocks"])


async def test_a_replayed_or_forged_state_installs_nothing(oauth_rig: Rig) -> None:
    status, state = await install(oauth_rig, "T0002")
    assert status == 200
    oauth_rig.standin.oauth_codes["code-2"] = "T0003"
    replay = await oauth_rig.client.get(f"/slack/oauth_redirect?code=code-2&state={state}",
                                        headers={"Cookie": f"slack-app-oauth-state={state}"})
    forged = await oauth_rig.client.get("/slack/oauth_redirect?code=code-2&state=forged",
                                        headers={"Cookie": "slack-app-oauth-state=forged"})
    assert replay.status >= 400 and forged.status >= 400
    assert len([c for c in oauth_rig.standin.calls if c.method == "oauth.v2.access"]) == 1


async def test_a_workspace_that_never_installed_or_uninstalled_gets_nothing(oauth_rig: Rig) -> None:
    await oauth_rig.event(mention_from("T0009", "1732262400.000001"))
    await oauth_rig.settle()
    assert oauth_rig.standin.of("chat.postMessage") == []
    status, _ = await install(oauth_rig, "T0002")
    assert status == 200
    uninstall = {"type": "event_callback", "team_id": "T0002", "api_app_id": "A0PRIVACY", "event_id": "EvUninst",
                 "event_time": 1732262400, "event": {"type": "app_uninstalled", "event_ts": "1732262400.1"},
                 "authorizations": [{"team_id": "T0002", "user_id": "UBOTT0002", "is_bot": True}]}
    assert (await oauth_rig.event(uninstall)).status == 200
    await oauth_rig.settle()
    await oauth_rig.event(mention_from("T0002", "1732262400.000002"))
    await oauth_rig.settle()
    assert oauth_rig.standin.of("chat.postMessage") == []


def test_half_an_oauth_configuration_is_a_clear_error(slack_store: Store) -> None:
    settings = Settings(slack_signing_secret=SECRET, slack_client_id=CLIENT_ID)
    with pytest.raises(ConfigError, match=re.escape("SLACK_CLIENT_SECRET")):
        mount_slack(web.Application(), service=real_service(slack_store), state=StoreSlackState(slack_store),
                    settings=settings)
