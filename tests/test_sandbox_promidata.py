"""The emulated Promidata feed: Import.txt, CAT.csv, family files shaped like the real sample, and PNG images."""

import json
import re
import struct
import zlib
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
# Keys of the real family file A23-100804.json (shared/reference/upstreams), in file order.
SAMPLE_ROOT_KEYS = [
    "ChildProducts", "ChildHasErrors", "DefaultProducts", "ImprintReferences", "ProductDetails", "ProductCosts",
    "ProductPriceRegionBased", "ProductPriceCountryBased", "SamplePriceCountryBased",
    "NonLanguageDependedProductDetails", "BatteryInformation", "ImprintPositions", "Ean", "VideoUrl", "Sku",
    "SupplierSku", "ANumber", "UnstructuredInformation", "ForbiddenRegions", "RequiredCertificates",
    "ProductCertificates", "Errors", "Warnings",
]  # fmt: skip
SAMPLE_CHILD_KEYS = [key for key in SAMPLE_ROOT_KEYS if key not in SAMPLE_ROOT_KEYS[:4]]
SAMPLE_DETAIL_KEYS = [
    "Name", "Description", "ShortDescription", "MetaName", "MetaDescription", "MetaKeywords", "Image",
    "MediaGalleryImages", "InformationFiles", "IsActive", "ConfigurationFields", "UnstructuredInformation",
    "WebShopInformation", "PIMV1Information", "ImportantInformation",
]  # fmt: skip
SAMPLE_ROOT_NON_LANGUAGE_KEYS = [
    "LogoToolImageDefined", "SearchColor", "HexColor", "Fragile", "Category", "SecondaryCategories",
    "CountryOfOrigin", "ProductFiltersByGroup", "Weight", "DimensionsLength", "DimensionsHeight",
    "DimensionsDiameter", "DimensionsWidth", "DimensionsDepth", "Brand", "USBItem", "CustomsTariffNumber",
]  # fmt: skip
SAMPLE_CHILD_NON_LANGUAGE_KEYS = [
    *SAMPLE_ROOT_NON_LANGUAGE_KEYS, "OuterCartonLengthCM", "OuterCartonWidthCM", "OuterCartonHeightCM",
    "OuterCartonWeightNetKG", "OuterCartonWeightGrossKG", "OuterCartonQuantityPerCarton", "WebShopInformation",
]  # fmt: skip
LINE = re.compile(r"^(http://[^|\s]+/promidata/demo/(A\d+)/(A\d+-[^/|]+)\.json)\|([0-9A-F]{40})$")


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with TestClient(TestServer(create_sandbox_app(SandboxSettings()))) as test_client:
        response = await test_client.post("/_sandbox/promidata/feeds", json={"feed": FEED, "seed": 1, "families": 40})
        assert response.status == 201
        yield test_client


async def feed_state(client: Client) -> dict[str, Any]:
    body: dict[str, Any] = await (await client.get(f"/_sandbox/promidata/feeds/{FEED}")).json()
    return body


async def import_lines(client: Client, headers: dict[str, str] | None = None) -> list[str]:
    response = await client.get(f"/promidata/{FEED}/Import/Import.txt", headers=headers)
    assert response.status == 200 and response.content_type == "text/plain"
    return (await response.text()).splitlines()


async def family_document(client: Client, url: str) -> Any:
    response = await client.get(URL(url).path)
    assert response.status == 200 and response.content_type == "application/json"
    return json.loads(await response.read())


def png_size_and_pixels(body: bytes) -> tuple[int, int, bytes]:
    """Parse a PNG as a decoder would: signature, chunk CRCs, IHDR, and the inflated IDAT stream."""
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks = 8, {}
    while offset < len(body):
        (length,) = struct.unpack(">I", body[offset : offset + 4])
        kind, data = body[offset + 4 : offset + 8], body[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", body[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF
        chunks[kind] = data
        offset += 12 + length
    assert list(chunks) == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour_type) == (8, 2)
    pixels = zlib.decompress(chunks[b"IDAT"])
    assert len(pixels) == height * (1 + 3 * width)
    return width, height, pixels


async def test_registration_answers_the_import_url_on_the_request_host(client: Client) -> None:
    response = await client.post("/_sandbox/promidata/feeds", json={"feed": "other", "families": 3})
    body = await response.json()
    assert response.status == 201
    assert body == {
        "feed": "other",
        "import_url": f"http://{client.host}:{client.port}/promidata/other/Import/Import.txt",
        "families": 3,
    }
    assert (await (await client.get("/_sandbox/promidata/feeds")).json())["feeds"] == ["demo", "other"]


@pytest.mark.parametrize(
    "body",
    [
        {"feed": ""},
        {"feed": "a/b"},
        {"feed": "x", "children": [3, 2]},
        {"feed": "x", "children": [0, 2]},
        {"feed": "x", "languages": ["de", "es"]},
        {"feed": "x", "languages": []},
        {"feed": "x", "regions": ["deu"]},
        {"feed": "x", "families": -1},
    ],
)
async def test_invalid_registrations_are_422(client: Client, body: dict[str, Any]) -> None:
    assert (await client.post("/_sandbox/promidata/feeds", json=body)).status == 422


async def test_import_txt_lists_the_category_file_then_one_hashed_line_per_family(client: Client) -> None:
    lines = await import_lines(client)
    origin = f"http://{client.host}:{client.port}"
    assert lines[0] == f"{origin}/promidata/{FEED}/CAT.csv"
    state = await feed_state(client)
    assert len(lines) == 1 + len(state["families"]) == 41
    for line, family in zip(lines[1:], state["families"], strict=True):
        match = LINE.match(line)
        assert match, line
        assert match.group(1) == family["url"] and match.group(2) == family["anumber"]
        assert match.group(3) == family["sku"] and match.group(4) == family["hash"]
        assert family["sku"] == f"{family['anumber']}-{family['supplier_sku']}"
    assert len({line.split("|")[1] for line in lines[1:]}) == 40


async def test_urls_follow_the_host_but_hashes_do_not(client: Client) -> None:
    here = await import_lines(client)
    there = await import_lines(client, headers={"Host": "feeds.example:8443"})
    assert there[0] == "http://feeds.example:8443/promidata/demo/CAT.csv"
    assert [line.split("|")[1] for line in here[1:]] == [line.split("|")[1] for line in there[1:]]
    url = there[1].split("|")[0]
    response = await client.get(URL(url).path, headers={"Host": "feeds.example:8443"})
    document = json.loads(await response.read())
    assert document["ChildProducts"][0]["ProductDetails"]
    image = next(iter(document["ProductDetails"].values()))["Image"]["Url"]
    assert image.startswith("http://feeds.example:8443/promidata/demo/images/") and image.endswith(".png")


async def test_category_line_can_carry_a_hash_and_lines_can_end_in_crlf(client: Client) -> None:
    body = {"feed": "hashed", "families": 2, "category_hash": True, "crlf": True}
    assert (await client.post("/_sandbox/promidata/feeds", json=body)).status == 201
    text = await (await client.get("/promidata/hashed/Import/Import.txt")).text()
    assert text.endswith("\r\n") and text.count("\r\n") == 3
    assert re.match(r"^http://[^|]+/promidata/hashed/CAT\.csv\|[0-9A-F]{40}$", text.split("\r\n")[0])


async def test_cat_csv_has_a_header_and_key_german_english_dutch_paths(client: Client) -> None:
    response = await client.get(f"/promidata/{FEED}/CAT.csv")
    assert response.status == 200 and response.content_type == "text/csv"
    rows = [line.split(";") for line in (await response.text()).splitlines()]
    assert rows[0] == ["CategoryCode", "CategoryNameDE", "CategoryNameEN", "CategoryNameNL"]
    by_key = {row[0]: row for row in rows[1:]}
    assert by_key["BAGS/SHOPPING_BAGS"][2] == "Bags & Travel/Shopping bags"
    assert by_key["BAGS"][3] == "Tassen & Reizen"
    for row in rows[1:]:
        assert len(row) == 4 and all(len(column.split("/")) == len(row[0].split("/")) for column in row)
    categories = {family["category"] for family in (await feed_state(client))["families"]}
    assert categories <= set(by_key)


async def test_family_files_have_the_real_samples_keys_and_nesting(client: Client) -> None:
    state = await feed_state(client)
    document = await family_document(client, state["families"][0]["url"])
    assert list(document) == SAMPLE_ROOT_KEYS
    for details in document["ProductDetails"].values():
        assert list(details) == SAMPLE_DETAIL_KEYS
        assert details["ConfigurationFields"] is None and details["MediaGalleryImages"] is None
    for child in document["ChildProducts"]:
        assert list(child) == SAMPLE_CHILD_KEYS
        assert list(child["NonLanguageDependedProductDetails"]) == SAMPLE_CHILD_NON_LANGUAGE_KEYS
        assert child["NonLanguageDependedProductDetails"]["Weight"] > 0
        for details in child["ProductDetails"].values():
            assert list(details) == SAMPLE_DETAIL_KEYS
            assert set(details["Image"]) == {"Url", "Description", "FileName"}
            assert isinstance(details["MediaGalleryImages"], list)
        position = child["ImprintPositions"][0]
        assert {"PositionCode", "ImprintLocationTexts", "ImprintOptions"} <= set(position)
    non_language = document["NonLanguageDependedProductDetails"]
    assert list(non_language) == SAMPLE_ROOT_NON_LANGUAGE_KEYS
    assert non_language["SearchColor"] == "Undefined" and non_language["Weight"] == 0
    assert document["Ean"] is None and document["Errors"] == {} and document["ImprintPositions"] is None
    assert set(document["DefaultProducts"]) == {"BENELUX", "DEU"}


async def test_root_has_one_price_tier_and_children_the_full_ladder(client: Client) -> None:
    state = await feed_state(client)
    ladders = 0
    for family in state["families"]:
        document = await family_document(client, family["url"])
        default = document["ChildProducts"][0]
        for region in ("BENELUX", "DEU"):
            root = document["ProductPriceCountryBased"][region]["RecommendedSellingPrice"]
            child = default["ProductPriceCountryBased"][region]["RecommendedSellingPrice"]
            assert len(root) == 1 and root[0] == child[-1]
            assert set(child[0]) == {"Price", "Quantity", "OnRequest", "Valuta"}
            assert [tier["Quantity"] for tier in child] == sorted(tier["Quantity"] for tier in child)
            ladders += len(child) > 1
        expected = family["children"][0]["prices"]["BENELUX"]["selling"]
        assert [tier["price"] for tier in expected] == [
            tier["Price"] for tier in default["ProductPriceCountryBased"]["BENELUX"]["RecommendedSellingPrice"]
        ]
    assert ladders > 0


async def test_languages_configuration_and_patterns_vary_between_families(client: Client) -> None:
    state = await feed_state(client)
    families = state["families"]
    assert any("en" not in family["languages"] for family in families)
    assert all(family["languages"] and set(family["languages"]) <= {"de", "en", "fr", "nl"} for family in families)
    field_counts = set()
    for family in families:
        document = await family_document(client, family["url"])
        assert set(document["ProductDetails"]) == set(family["languages"])
        assert {lang: d["Name"] for lang, d in document["ProductDetails"].items()} == family["titles"]
        assert document["ProductDetails"][family["languages"][0]]["ConfigurationFields"] is None
        combinations = set()
        for child, expected in zip(document["ChildProducts"], family["children"], strict=True):
            assert child["Sku"] == expected["sku"] and child["ANumber"] == family["anumber"]
            for language in family["languages"]:
                fields = child["ProductDetails"][language]["ConfigurationFields"]
                assert (fields or []) == expected["configuration"][language]
            fields = child["ProductDetails"][family["languages"][0]]["ConfigurationFields"] or []
            field_counts.add(len(fields))
            for field in fields:
                assert set(field) == {"ConfigurationName", "ConfigurationNameTranslated", "ConfigurationValue"}
            combinations.add(tuple(field["ConfigurationValue"] for field in fields) or child["Sku"])
        assert len(combinations) == len(document["ChildProducts"])
    assert field_counts == {0, 1, 2, 3}
    single = await client.post(
        "/_sandbox/promidata/feeds", json={"feed": "singles", "families": 20, "children": [1, 1]}
    )
    assert single.status == 201
    singles = (await (await client.get("/_sandbox/promidata/feeds/singles")).json())["families"]
    pattern_a = [family for family in singles if family["children"][0]["sku"] == family["sku"]]
    assert pattern_a and len(pattern_a) < len(singles)


async def test_images_are_real_pngs_and_unknown_ones_are_404(client: Client) -> None:
    state = await feed_state(client)
    urls = [url for family in state["families"][:3] for child in family["children"] for url in child["image_urls"]]
    colours = set()
    for url in urls[:10]:
        response = await client.get(URL(url).path)
        assert response.status == 200 and response.content_type == "image/png"
        width, height, pixels = png_size_and_pixels(await response.read())
        assert (width, height) == (32, 32)
        colours.add(pixels[1:4])
    assert len(colours) > 1
    missing = await client.get(f"/promidata/{FEED}/images/{'0' * 64}.png")
    assert missing.status == 404
    assert (await client.get(f"/promidata/{FEED}/images/whatever.jpg")).status == 404
    assert (await client.get("/promidata/nofeed/Import/Import.txt")).status == 404
    assert (await client.get(f"/promidata/{FEED}/A1/A1-nothing.json")).status == 404


async def test_the_same_seed_gives_the_same_feed(client: Client) -> None:
    for name in ("again-1", "again-2"):
        body = {"feed": name, "seed": 1, "families": 40}
        assert (await client.post("/_sandbox/promidata/feeds", json=body)).status == 201
    first = await (await client.get("/_sandbox/promidata/feeds/again-1")).json()
    second = await (await client.get("/_sandbox/promidata/feeds/again-2")).json()
    original = await feed_state(client)
    assert [f["hash"] for f in first["families"]] == [f["hash"] for f in second["families"]]
    assert [f["sku"] for f in first["families"]] == [f["sku"] for f in original["families"]]
