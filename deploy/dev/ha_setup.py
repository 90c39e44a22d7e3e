"""Prepares a freshly started development Home Assistant for ha-diag's tests.

Runs inside HA's own venv (it uses HA's aiohttp). Completes onboarding through HA's API, mints a
long-lived access token over the WebSocket API, creates the MQTT config entry for the local broker,
publishes the retained MQTT messages the test entities read, and waits until HA is RUNNING.
"""
import argparse
import asyncio
import json
import sys
import time

import aiohttp

CLIENT_NAME = "ha-diag-tests"
USERNAME = "ha-diag"
PASSWORD = "ha-diag-dev-only"  # a throwaway instance on loopback; never a real HA


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--mqtt-port", type=int, required=True)
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--wait-only", action="store_true",
                        help="HA was set up before: just wait until it answers RUNNING with the saved token")
    parser.add_argument("--expect-mqtt", action="store_true",
                        help="with --wait-only: also wait until the MQTT entities have their retained values")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    deadline = time.monotonic() + args.timeout

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
        await create_mqtt_entry(http, base, headers, args.mqtt_port)
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


async def create_mqtt_entry(http, base, headers, port: int) -> None:
    async with http.post(f"{base}/api/config/config_entries/flow", headers=headers,
                         json={"handler": "mqtt", "show_advanced_options": False}) as response:
        flow = await response.json()
    async with http.post(f"{base}/api/config/config_entries/flow/{flow['flow_id']}", headers=headers,
                         json={"broker": "127.0.0.1", "port": port}) as response:
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


async def wait_for(probe, expected, deadline, what) -> None:
    last = None
    while time.monotonic() < deadline:
        try:
            last = await probe()
        except (aiohttp.ClientError, OSError) as error:
            last = repr(error)
        if last == expected:
            return
        await asyncio.sleep(0.25)
    raise SystemExit(f"timed out waiting for {what} (last seen: {last})")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
