"""Product media in the Shopify emulator: `productSet(files:)`, background downloads, filenames and replacement."""

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from yarl import URL

from shared.shopify_documents import ALL_DOCUMENTS
from tests.sandbox_shopify_helpers import (
    SHOP,
    Client,
    apparel_input,
    gql,
    inspected_products,
    product_set,
    sandbox_client,
)

MEDIA_SET = """
mutation ProductMediaSet($id: ID!, $files: [FileSetInput!]!) {
  productSet(identifier: { id: $id }, input: { files: $files }, synchronous: true) {
    product {
      id
      media(first: 100) { nodes { id alt mediaContentType status ... on MediaImage { originalSource { url } } } }
    }
    userErrors { field message code }
  }
}
"""
PRODUCT_MEDIA = """
query ProductMedia($id: ID!, $first: Int!, $after: String, $sortKey: ProductMediaSortKeys) {
  product(id: $id) {
    mediaCount { count precision }
    featuredMedia { id }
    media(first: $first, after: $after, sortKey: $sortKey) {
      nodes { id alt status mediaContentType ... on MediaImage {
        image { url } originalSource { url } mediaErrors { code message } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
FEED_ADMIN = "/_sandbox/promidata/feeds/media"


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with sandbox_client() as test_client:
        feed = await test_client.post("/_sandbox/promidata/feeds", json={"feed": "media", "families": 4})
        assert feed.status == 201
        yield test_client


async def image_urls(client: Client, count: int) -> list[str]:
    families = (await (await client.get(FEED_ADMIN)).json())["families"]
    urls = [url for family in families for child in family["children"] for url in child["image_urls"]]
    assert len(urls) >= count
    return urls[:count]


async def new_product(client: Client, title: str = "Tote") -> str:
    created = await product_set(client, {"title": title})
    product_id: str = created["product"]["id"]
    return product_id


async def set_media(client: Client, product_id: str, files: list[dict[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = (await gql(client, MEDIA_SET, {"id": product_id, "files": files}))["data"]["productSet"]
    return result


async def settled_media(client: Client, product_id: str) -> list[dict[str, Any]]:
    """The product's media once no download is pending (Shopify processes them after answering)."""
    for _ in range(100):
        body = await gql(client, PRODUCT_MEDIA, {"id": product_id, "first": 100})
        nodes: list[dict[str, Any]] = body["data"]["product"]["media"]["nodes"]
        if all(node["status"] in ("READY", "FAILED") for node in nodes):
            return nodes
        await asyncio.sleep(0.05)
    raise AssertionError("media never settled")


async def shop_files(client: Client) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = (await (await client.get(f"/_sandbox/shops/{SHOP}/files")).json())["files"]
    return files


async def test_new_media_are_uploaded_then_downloaded_in_the_background(client: Client) -> None:
    product_id = await new_product(client)
    urls = await image_urls(client, 3)
    files = [{"originalSource": url, "alt": f"view {i}", "contentType": "IMAGE"} for i, url in enumerate(urls)]
    result = await set_media(client, product_id, files)
    assert result["userErrors"] == []
    answered = result["product"]["media"]["nodes"]
    assert [node["status"] for node in answered] == ["UPLOADED"] * 3
    assert [node["originalSource"]["url"] for node in answered] == urls
    assert {node["mediaContentType"] for node in answered} == {"IMAGE"}
    settled = await settled_media(client, product_id)
    assert [node["status"] for node in settled] == ["READY"] * 3
    assert [node["alt"] for node in settled] == ["view 0", "view 1", "view 2"]
    assert all(node["image"]["url"].startswith("https://cdn.shopify.com/") for node in settled)
    inspected = (await inspected_products(client))[0]["media"]
    assert [(m["position"], m["filename"], m["originalSource"]) for m in inspected] == [
        (i + 1, URL(url).name, url) for i, url in enumerate(urls)
    ]
    counts = await (await client.get(f"{FEED_ADMIN}/requests")).json()
    assert counts["images"] == {URL(url).name.removesuffix(".png"): 1 for url in urls}


async def test_sources_that_do_not_answer_an_image_fail(client: Client) -> None:
    product_id = await new_product(client)
    missing, html, fine = await image_urls(client, 3)
    await client.put(f"{FEED_ADMIN}/image-faults", json={"name": URL(missing).name.removesuffix(".png")})
    html_fault = {"name": URL(html).name.removesuffix(".png"), "status": 200, "content_type": "text/html"}
    await client.put(f"{FEED_ADMIN}/image-faults", json=html_fault)
    unreachable = "http://127.0.0.1:9/gone.png"
    files = [{"originalSource": url} for url in (missing, html, fine, unreachable)]
    assert (await set_media(client, product_id, files))["userErrors"] == []
    settled = await settled_media(client, product_id)
    assert [node["status"] for node in settled] == ["FAILED", "FAILED", "READY", "FAILED"]
    codes = [[error["code"] for error in node["mediaErrors"]] for node in settled]
    assert codes == [["IMAGE_DOWNLOAD_FAILURE"], ["UNSUPPORTED_IMAGE_FILE_TYPE"], [], ["IMAGE_DOWNLOAD_FAILURE"]]
    assert settled[0]["image"] is None


async def test_the_list_replaces_the_media_in_order_and_detaches_the_rest(client: Client) -> None:
    product_id = await new_product(client)
    urls = await image_urls(client, 3)
    first = await set_media(client, product_id, [{"originalSource": url} for url in urls])
    a, b, c = [node["id"] for node in first["product"]["media"]["nodes"]]
    again = await set_media(client, product_id, [{"id": c, "alt": "front"}, {"id": a}])
    assert [node["id"] for node in again["product"]["media"]["nodes"]] == [c, a]
    assert again["product"]["media"]["nodes"][0]["alt"] == "front"
    detached = {file["id"]: file["products"] for file in await shop_files(client)}
    assert detached == {a: [product_id], b: [], c: [product_id]}
    assert (await set_media(client, product_id, []))["product"]["media"]["nodes"] == []
    assert len(await shop_files(client)) == 3


async def test_replace_by_filename_makes_a_retry_idempotent(client: Client) -> None:
    product_id = await new_product(client)
    urls = await image_urls(client, 2)
    files = [
        {"originalSource": url, "filename": f"tote-{i}.png", "duplicateResolutionMode": "REPLACE"}
        for i, url in enumerate(urls)
    ]
    first = await set_media(client, product_id, files)
    await settled_media(client, product_id)
    stats_before = await (await client.get(f"/_sandbox/shops/{SHOP}/stats")).json()
    second = await set_media(client, product_id, files)
    assert second["userErrors"] == []
    assert [n["id"] for n in second["product"]["media"]["nodes"]] == [
        n["id"] for n in first["product"]["media"]["nodes"]
    ]
    assert [n["status"] for n in second["product"]["media"]["nodes"]] == ["UPLOADED", "UPLOADED"]
    assert [node["status"] for node in await settled_media(client, product_id)] == ["READY", "READY"]
    assert sorted(file["filename"] for file in await shop_files(client)) == ["tote-0.png", "tote-1.png"]
    stats_after = await (await client.get(f"/_sandbox/shops/{SHOP}/stats")).json()
    assert stats_after["mutations_applied"] == stats_before["mutations_applied"] + 1


async def test_raise_error_refuses_a_taken_name_and_append_uuid_makes_it_unique(client: Client) -> None:
    product_id = await new_product(client)
    (url,) = await image_urls(client, 1)
    await set_media(client, product_id, [{"originalSource": url, "filename": "logo.png"}])
    refused = await set_media(
        client, product_id, [{"originalSource": url, "filename": "logo.png", "duplicateResolutionMode": "RAISE_ERROR"}]
    )
    assert refused["product"] is None
    assert refused["userErrors"] == [
        {
            "field": ["input", "files", "0", "filename"],
            "message": "The provided filename already exists.",
            "code": "DUPLICATED_VALUE",
        }
    ]
    assert len((await inspected_products(client))[0]["media"]) == 1
    appended = await set_media(client, product_id, [{"originalSource": url, "filename": "logo.png"}])
    assert appended["userErrors"] == []
    names = sorted(file["filename"] for file in await shop_files(client))
    assert names[0] == "logo.png" and re.fullmatch(r"logo_[0-9a-f-]{36}\.png", names[1])


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        ({"id": "gid://shopify/MediaImage/999"}, "id", "File does not exist."),
        ({"originalSource": "ftp://example.com/a.png"}, "originalSource", "Invalid image source url value provided."),
        ({"originalSource": "not a url"}, "originalSource", "Invalid image source url value provided."),
        ({"alt": "only alt"}, "originalSource", "An originalSource is required to create a file."),
        (
            {"originalSource": "https://example.com/a.png", "duplicateResolutionMode": "REPLACE"},
            "filename",
            "Duplicate resolution mode REPLACE cannot be used without specifying filename.",
        ),
        (
            {"originalSource": "https://example.com/a.png", "filename": "a.jpg"},
            "filename",
            "Cannot create file with custom filename which does not match original source extension.",
        ),
        ({"originalSource": "https://example.com/a.png", "alt": "x" * 513}, "alt", None),
        ({"originalSource": "https://example.com/v.mp4", "contentType": "VIDEO"}, "contentType", None),
    ],
)
async def test_invalid_entries_are_user_errors_and_change_nothing(
    client: Client, entry: dict[str, Any], field: str, message: str | None
) -> None:
    product_id = await new_product(client)
    (url,) = await image_urls(client, 1)
    await set_media(client, product_id, [{"originalSource": url}])
    await settled_media(client, product_id)
    files_before = await shop_files(client)
    result = await set_media(client, product_id, [{"originalSource": url, "filename": "second.png"}, entry])
    assert result["product"] is None
    (error,) = result["userErrors"]
    assert error["field"] == ["input", "files", "1", field] and error["code"] == "INVALID_INPUT"
    assert message is None or error["message"] == message
    assert await shop_files(client) == files_before


async def test_the_same_file_twice_is_refused(client: Client) -> None:
    product_id = await new_product(client)
    (url,) = await image_urls(client, 1)
    media_id = (await set_media(client, product_id, [{"originalSource": url}]))["product"]["media"]["nodes"][0]["id"]
    twice = await set_media(client, product_id, [{"id": media_id}, {"id": media_id}])
    assert [error["code"] for error in twice["userErrors"]] == ["DUPLICATED_VALUE"]


async def test_files_leave_variants_and_options_alone(client: Client) -> None:
    created = await product_set(client, apparel_input(sizes=("S", "M", "L")))
    before = (await inspected_products(client))[0]
    urls = await image_urls(client, 2)
    assert (await set_media(client, created["product"]["id"], [{"originalSource": u} for u in urls]))[
        "userErrors"
    ] == []
    after = (await inspected_products(client))[0]
    assert after["variants"] == before["variants"] and after["options"] == before["options"]
    assert len(after["media"]) == 2


async def test_a_product_can_be_created_with_its_media_and_errors_keep_it_unborn(client: Client) -> None:
    (url,) = await image_urls(client, 1)
    refused = await product_set(client, {"title": "", "files": [{"originalSource": url}]})
    assert refused["product"] is None and await shop_files(client) == []
    created = await product_set(client, {"title": "Bottle", "files": [{"originalSource": url, "alt": "side"}]})
    nodes = await settled_media(client, created["product"]["id"])
    assert [(node["alt"], node["status"]) for node in nodes] == [("side", "READY")]


async def test_a_new_source_for_a_kept_file_is_downloaded_again(client: Client) -> None:
    product_id = await new_product(client)
    first, second = await image_urls(client, 2)
    media_id = (await set_media(client, product_id, [{"originalSource": first}]))["product"]["media"]["nodes"][0]["id"]
    await settled_media(client, product_id)
    changed = await set_media(client, product_id, [{"id": media_id, "originalSource": second}])
    assert changed["product"]["media"]["nodes"][0]["status"] == "UPLOADED"
    (node,) = await settled_media(client, product_id)
    assert node["id"] == media_id and node["originalSource"]["url"] == second and node["status"] == "READY"


async def test_media_pages_count_and_featured_media(client: Client) -> None:
    product_id = await new_product(client)
    urls = await image_urls(client, 5)
    ids = [
        n["id"]
        for n in (await set_media(client, product_id, [{"originalSource": u} for u in urls]))["product"]["media"][
            "nodes"
        ]
    ]
    await set_media(client, product_id, [{"id": media_id} for media_id in reversed(ids)])
    page = (await gql(client, PRODUCT_MEDIA, {"id": product_id, "first": 2}))["data"]["product"]
    assert page["mediaCount"] == {"count": 5, "precision": "EXACT"}
    assert page["featuredMedia"] == {"id": ids[-1]}
    assert [node["id"] for node in page["media"]["nodes"]] == ids[::-1][:2]
    cursor = page["media"]["pageInfo"]["endCursor"]
    rest = await gql(client, PRODUCT_MEDIA, {"id": product_id, "first": 10, "after": cursor})
    assert [node["id"] for node in rest["data"]["product"]["media"]["nodes"]] == ids[::-1][2:]
    by_id = await gql(client, PRODUCT_MEDIA, {"id": product_id, "first": 10, "sortKey": "ID"})
    assert [node["id"] for node in by_id["data"]["product"]["media"]["nodes"]] == ids


async def test_the_products_own_document_runs(client: Client) -> None:
    document = ALL_DOCUMENTS["ProductMediaSet"]
    product_id = await new_product(client)
    (url,) = await image_urls(client, 1)
    files = [{"originalSource": url, "filename": "own.png", "duplicateResolutionMode": "REPLACE"}]
    target: dict[str, Any] = {"identifier": {"id": product_id}} if "$identifier" in document else {"id": product_id}
    body = await gql(client, document, {**target, "files": files})
    assert "errors" not in body and body["data"]["productSet"]["userErrors"] == []
    assert [node["alt"] for node in await settled_media(client, product_id)] == [None]
