"""Prepares a freshly started development Home Assistant for ha-diag's tests.

Runs inside HA's own venv (it uses HA's aiohttp). Completes onboarding through HA's API, mints a
long-lived access token over the WebSocket API, waits until HA is RUNNING, confirms the HTTP settings
that HA 2026.11+ migrated from the YAML, creates the MQTT config entry for the local broker and
publishes the retained MQTT messages the test entities read. Works on every supported HA version: it
asks HA what it supports instead of branching on version numbers.
"""
import argparse
import asyncio
import json
import os
import sys
import time

import aiohttp

CLIENT_NAME = "ha-diag-tests"
USERNAME = "ha-diag"
PASSWORD = "ha-diag-dev-only"  # a throwaway instance on loopback; never a real HA
HASS_PID = None  # set from --pid


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--mqtt-port", type=int, required=True)
    parser.add_argument("--mqtt-host", default="127.0.0.1", help="the broker as HA reaches it")
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--config", required=True, help="the instance's configuration.yaml")
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--pid", type=int, help="HA's pid: stop waiting as soon as it has exited")
    parser.add_argument("--wait-only", action="store_true",
                        help="HA was set up before: just wait until it answers RUNNING with the saved token")
    parser.add_argument("--expect-mqtt", action="store_true",
                        help="with --wait-only: also wait until the MQTT entities have their retained values")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    deadline = time.monotonic() + args.timeout
    global HASS_PID
    HASS_PID = args.pid

    async with aiohttp.ClientSession() as http:
        await wait_for(lambda: http_status(http, f"{base}/api/onboarding"), 200, deadline, f"{base} to answer")
        if args.wait_only:
            with open(args.token_file, encoding="utf-8") as saved:
                headers = {"Authorization": f"Bearer {saved.read().strip()}"}
            await wait_for(lambda: core_state(http, base, headers), "RUNNING", deadline, "core state RUNNING")
            if args.expect_mqtt:
                await wait_for(lambda: entity_state(http, base, headers, "update.garden_station_firmware"), "on",
                               deadline, "update.garden_station_firmware to be on")
            return 0
        token = await onboard(http, base)
        headers = {"Authorization": f"Bearer {token}"}
        await wait_for(lambda: core_state(http, base, headers), "RUNNING", deadline, "core state RUNNING")
        if await promote_http_config(http, base, token):
            drop_http_yaml(args.config)
        await create_mqtt_entry(http, base, headers, args.mqtt_host, args.mqtt_port)
        for topic, payload in (
            ("ha-diag-test/garden/temperature", "18.5"),
            ("ha-diag-test/garden/humidity", "60"),
            ("ha-diag-test/garden/firmware/installed", "1.0.0"),
            ("ha-diag-test/garden/firmware/latest", "1.1.0"),
        ):
            await call_service(http, base, headers, "mqtt", "publish",
                               {"topic": topic, "payload": payload, "retain": True})
        await wait_for(lambda: entity_state(http, base, headers, "update.garden_station_firmware"), "on",
                       deadline, "update.garden_station_firmware to be on")
    with open(args.token_file, "w", encoding="utf-8") as out:
        out.write(token)
    return 0


async def onboard(http: aiohttp.ClientSession, base: str) -> str:
    client_id = base + "/"
    async with http.post(f"{base}/api/onboarding/users", json={
        "client_id": client_id, "name": "ha-diag", "username": USERNAME, "password": PASSWORD, "language": "en",
    }) as response:
        if response.status != 200:
            raise SystemExit(f"onboarding failed: HTTP {response.status} {await response.text()}")
        auth_code = (await response.json())["auth_code"]
    async with http.post(f"{base}/auth/token", data={
        "grant_type": "authorization_code", "code": auth_code, "client_id": client_id,
    }) as response:
        if response.status != 200:
            raise SystemExit(f"token exchange failed: HTTP {response.status}")
        access_token = (await response.json())["access_token"]
    async with http.ws_connect(f"{base}/api/websocket") as ws:
        await ws.receive_json()  # auth_required
        await ws.send_json({"type": "auth", "access_token": access_token})
        reply = await ws.receive_json()
        if reply.get("type") != "auth_ok":
            raise SystemExit(f"websocket auth failed: {reply.get('type')}")
        await ws.send_json({"id": 1, "type": "auth/long_lived_access_token",
                            "client_name": CLIENT_NAME, "lifespan": 3650})
        reply = await ws.receive_json()
        if not reply.get("success"):
            raise SystemExit(f"long-lived token refused: {reply.get('error')}")
        return reply["result"]


async def websocket_command(http, base: str, token: str, command: dict) -> dict:
    async with http.ws_connect(f"{base}/api/websocket") as ws:
        await ws.receive_json()  # auth_required
        await ws.send_json({"type": "auth", "access_token": token})
        reply = await ws.receive_json()
        if reply.get("type") != "auth_ok":
            raise SystemExit(f"websocket auth failed: {reply.get('type')}")
        await ws.send_json({"id": 1, **command})
        return await ws.receive_json()


async def promote_http_config(http, base: str, token: str) -> bool:
    """HA 2026.11+ moves the YAML's http: section into its storage as a *pending* config that it reverts,
    restarting itself (a bare hass just exits), five minutes later unless confirmed. Confirms it; False
    where HA has no such command (2024.3 reads http: from the YAML on every start)."""
    reply = await websocket_command(http, base, token, {"type": "http/config/promote"})
    if reply.get("success"):
        return True
    # unknown_command: 2024.3; not_allowed: nothing pending, as when the YAML has no http: section.
    if reply.get("error", {}).get("code") in ("unknown_command", "not_allowed"):
        return False
    raise SystemExit(f"http/config/promote failed: {reply.get('error')}")


def drop_http_yaml(path: str) -> None:
    """Once HA keeps the HTTP settings in its storage, an http: section left in the YAML raises a repair on
    every start (http/yaml_still_present_after_migration): remove it, up to the next top-level key."""
    with open(path, encoding="utf-8") as source:
        lines = source.readlines()
    kept, skipping = [], False
    for line in lines:
        if line.startswith("http:"):
            skipping = True
            continue
        if skipping and line.strip() and not line[0].isspace():
            skipping = False
        if not skipping:
            kept.append(line)
    with open(path + ".partial", "w", encoding="utf-8") as out:
        out.writelines(kept)
    os.replace(path + ".partial", path)


async def create_mqtt_entry(http, base, headers, host: str, port: int) -> None:
    async with http.post(f"{base}/api/config/config_entries/flow", headers=headers,
                         json={"handler": "mqtt", "show_advanced_options": False}) as response:
        flow = await response.json()
    broker = {"broker": host, "port": port}
    # HA 2026.11's broker step requires this section (HTTP 400 without it); 2024.3's form has none.
    if any(field.get("name") == "other_settings" for field in flow.get("data_schema", [])):
        broker["other_settings"] = {"set_client_cert": False, "set_ca_cert": "off", "transport": "tcp"}
    async with http.post(f"{base}/api/config/config_entries/flow/{flow['flow_id']}", headers=headers,
                         json=broker) as response:
        result = await response.json()
    if result.get("type") != "create_entry":
        raise SystemExit(f"MQTT config entry not created: {json.dumps(result)[:500]}")


async def call_service(http, base, headers, domain, service, data) -> None:
    async with http.post(f"{base}/api/services/{domain}/{service}", headers=headers, json=data) as response:
        if response.status != 200:
            raise SystemExit(f"service {domain}.{service} failed: HTTP {response.status} {await response.text()}")


async def http_status(http, url):
    async with http.get(url) as response:
        return response.status


async def core_state(http, base, headers):
    async with http.get(f"{base}/api/config", headers=headers) as response:
        return (await response.json()).get("state") if response.status == 200 else None


async def entity_state(http, base, headers, entity_id):
    async with http.get(f"{base}/api/states/{entity_id}", headers=headers) as response:
        return (await response.json()).get("state") if response.status == 200 else None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


async def wait_for(probe, expected, deadline, what) -> None:
    last = None
    while time.monotonic() < deadline:
        try:
            last = await probe()
        except (aiohttp.ClientError, OSError) as error:
            last = repr(error)
        if last == expected:
            return
        if HASS_PID is not None and not alive(HASS_PID):
            raise SystemExit(f"Home Assistant exited while waiting for {what} (last seen: {last})")
        await asyncio.sleep(0.25)
    raise SystemExit(f"timed out waiting for {what} (last seen: {last})")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
