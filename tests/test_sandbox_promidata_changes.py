"""The emulated Promidata feed between runs: change sets, added and removed families, faults, request counters."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from sandbox.app import create_sandbox_app
from sandbox.settings import SandboxSettings

Client = TestClient[web.Request, web.Application]
FEED = "demo"
ADMIN = f"/_sandbox/promidata/feeds/{FEED}"


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with TestClient(TestServer(create_sandbox_app(SandboxSettings()))) as test_client:
        response = await test_client.post("/_sandbox/promidata/feeds", json={"feed": FEED, "seed": 1, "families": 12})
        assert response.status == 201
        yield test_client


async def families(client: Client) -> list[dict[str, Any]]:
    state = await (await client.get(ADMIN)).json()
    result: list[dict[str, Any]] = state["families"]
    return result


async def import_entries(client: Client) -> dict[str, str]:
    """SKU → the hash on its Import.txt line ("" when the line has no `|HASH`)."""
    text = await (await client.get(f"/promidata/{FEED}/Import/Import.txt")).text()
    entries = {}
    for line in text.splitlines()[1:]:
        url, _, hash_part = line.partition("|")
        entries[URL(url).name.removesuffix(".json")] = hash_part
    return entries


async def fetch_family(client: Client, family: dict[str, Any]) -> Any:
    return await client.get(URL(family["url"]).path)


async def test_changes_change_exactly_the_named_families_hashes(client: Client) -> None:
    before = await import_entries(client)
    response = await client.post(f"{ADMIN}/changes", json={"families": 2})
    changed = (await response.json())["changed"]
    assert response.status == 200 and [c["change"] for c in changed] == ["price", "title"]
    after = await import_entries(client)
    changed_skus = {c["sku"] for c in changed}
    assert {sku for sku in before if before[sku] != after[sku]} == changed_skus
    for change in changed:
        assert before[change["sku"]] == change["hash_before"] and after[change["sku"]] == change["hash_after"]
    assert await import_entries(client) == after, "hashes are stable while nothing changes"


async def test_each_change_kind_shows_in_the_family_file(client: Client) -> None:
    state = {family["sku"]: family for family in await families(client)}
    sku = next(sku for sku, family in state.items() if len(family["children"]) > 1)
    old = state[sku]
    kinds = ["price", "title", "image", "add_child", "remove_child"]
    for kind in kinds:
        response = await client.post(f"{ADMIN}/changes", json={"skus": [sku], "kinds": [kind]})
        assert (await response.json())["changed"][0]["change"] == kind
    new = {family["sku"]: family for family in await families(client)}[sku]
    assert new["titles"] != old["titles"]
    old_price = old["children"][0]["prices"]["BENELUX"]["selling"][0]["price"]
    assert new["children"][0]["prices"]["BENELUX"]["selling"][0]["price"] > old_price
    assert new["children"][0]["image_urls"][0] != old["children"][0]["image_urls"][0]
    assert len(new["children"]) == len(old["children"])  # one added, then the last one removed
    document = json.loads(await (await fetch_family(client, new)).read())
    assert next(iter(document["ProductDetails"].values()))["Name"] == next(iter(new["titles"].values()))
    image = await client.get(URL(new["children"][0]["image_urls"][0]).path)
    assert image.status == 200 and image.content_type == "image/png"
    unknown = await client.post(f"{ADMIN}/changes", json={"skus": ["A1-nope"]})
    assert unknown.status == 404


async def test_added_families_are_listed_and_deleted_ones_are_not(client: Client) -> None:
    response = await client.post(f"{ADMIN}/families", json={"families": 3})
    added = (await response.json())["added"]
    assert response.status == 201 and len(added) == 3
    entries = await import_entries(client)
    assert len(entries) == 15 and all(entries[family["sku"]] == family["hash"] for family in added)
    gone = added[0]["sku"]
    assert (await client.delete(f"{ADMIN}/families/{gone}")).status == 204
    assert gone not in await import_entries(client)
    assert (await client.delete(f"{ADMIN}/families/{gone}")).status == 404
    delisted = {family["sku"]: family for family in await families(client)}[gone]
    assert delisted["listed"] is False
    assert (await fetch_family(client, delisted)).status == 200, "the stale file stays on the storage"


async def test_import_modes_empty_and_truncated(client: Client) -> None:
    assert (await client.put(f"{ADMIN}/import", json={"mode": "empty"})).status == 200
    empty = await client.get(f"/promidata/{FEED}/Import/Import.txt")
    assert empty.status == 200 and await empty.text() == ""
    await client.put(f"{ADMIN}/import", json={"mode": "truncated", "lines": 4})
    truncated = (await (await client.get(f"/promidata/{FEED}/Import/Import.txt")).text()).splitlines()
    assert len(truncated) == 4 and truncated[0].endswith("/CAT.csv")
    await client.put(f"{ADMIN}/import", json={"mode": "normal"})
    assert len(await import_entries(client)) == 12
    assert (await client.put(f"{ADMIN}/import", json={"mode": "partial"})).status == 422


async def plan(client: Client, sku: str, kind: str, seconds: float | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"family": sku, "kind": kind}
    if seconds is not None:
        body["seconds"] = seconds
    response = await client.post(f"{ADMIN}/faults", json=body)
    assert response.status == 200
    result: dict[str, Any] = await response.json()
    return result


async def test_content_faults_change_the_file_and_its_hash(client: Client) -> None:
    state = await families(client)
    for family, kind in zip(state, ["invalid_json", "no_children", "bad_price"], strict=False):
        planned = await plan(client, family["sku"], kind)
        assert planned["hash"] != family["hash"]
        assert (await import_entries(client))[family["sku"]] == planned["hash"]
        response = await fetch_family(client, family)
        assert response.status == 200
        text = await response.text()
        if kind == "invalid_json":
            with pytest.raises(json.JSONDecodeError):
                json.loads(text)
            continue
        document = json.loads(text)
        if kind == "no_children":
            assert document["ChildProducts"] == []
        else:
            tier = document["ChildProducts"][0]["ProductPriceCountryBased"]["BENELUX"]["RecommendedSellingPrice"][0]
            assert tier["Price"] == "abc"
        assert (await client.delete(f"{ADMIN}/faults/{family['sku']}")).status == 204
        assert (await import_entries(client))[family["sku"]] == family["hash"]


async def test_huge_file_is_over_ten_megabytes_of_valid_json(client: Client) -> None:
    family = (await families(client))[0]
    await plan(client, family["sku"], "huge")
    body = await (await fetch_family(client, family)).read()
    assert 11 * 1024 * 1024 < len(body) < 14 * 1024 * 1024
    assert json.loads(body)["Sku"] == family["sku"]


async def test_404_timeout_and_missing_hash_keep_the_hash(client: Client) -> None:
    first, second, third = (await families(client))[:3]
    assert (await plan(client, first["sku"], "404"))["hash"] == first["hash"]
    assert (await fetch_family(client, first)).status == 404
    await plan(client, second["sku"], "timeout", seconds=0.4)
    started = time.monotonic()
    response = await fetch_family(client, second)
    assert response.status == 200 and time.monotonic() - started >= 0.4
    await plan(client, third["sku"], "no_hash_line")
    entries = await import_entries(client)
    assert entries[third["sku"]] == "" and entries[second["sku"]] == second["hash"]
    assert (await client.post(f"{ADMIN}/faults", json={"family": "A1-nope", "kind": "404"})).status == 404
    assert (await client.post(f"{ADMIN}/faults", json={"family": first["sku"], "kind": "slow"})).status == 422


async def test_a_client_giving_up_on_a_timeout_sees_no_answer(client: Client) -> None:
    family = (await families(client))[0]
    await plan(client, family["sku"], "timeout", seconds=5)
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(fetch_family(client, family), timeout=0.3)


async def test_image_faults(client: Client) -> None:
    urls = [URL(url).path for url in (await families(client))[0]["children"][0]["image_urls"]]
    name = URL(urls[0]).name.removesuffix(".png")
    await client.put(f"{ADMIN}/image-faults", json={"name": name, "status": 503})
    assert (await client.get(urls[0])).status == 503
    await client.put(f"{ADMIN}/image-faults", json={"name": name, "status": 200, "content_type": "text/html"})
    html = await client.get(urls[0])
    assert html.status == 200 and html.content_type == "text/html"
    assert (await client.delete(f"{ADMIN}/image-faults/{name}")).status == 204
    assert (await client.get(urls[0])).content_type == "image/png"
    await client.put(f"{ADMIN}/image-faults", json={"name": name})
    assert (await client.get(urls[0])).status == 404
    assert (await (await client.get(ADMIN)).json())["image_faults"] == {name: {"status": 404, "content_type": None}}


async def test_request_counters_prove_what_was_fetched(client: Client) -> None:
    state = await families(client)
    await client.get(f"/promidata/{FEED}/Import/Import.txt")
    await client.get(f"/promidata/{FEED}/CAT.csv")
    await fetch_family(client, state[0])
    await fetch_family(client, state[0])
    await plan(client, state[1]["sku"], "404")
    await fetch_family(client, state[1])
    image = URL(state[0]["children"][0]["image_urls"][0])
    await client.get(image.path)
    counts = await (await client.get(f"{ADMIN}/requests")).json()
    assert counts == {
        "Import.txt": 1,
        "CAT.csv": 1,
        "families": {state[0]["sku"]: 2, state[1]["sku"]: 1},
        "images": {image.name.removesuffix(".png"): 1},
    }
    assert (await (await client.get(ADMIN)).json())["requests"] == counts
    reset = await client.delete(f"{ADMIN}/requests")
    assert (await reset.json()) == {"Import.txt": 0, "CAT.csv": 0, "families": {}, "images": {}}
    assert (await client.get("/_sandbox/promidata/feeds/nope/requests")).status == 404
