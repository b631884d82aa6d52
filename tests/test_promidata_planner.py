"""Promidata, pure: Import.txt lines, a family file (the real sample and hostile ones) to a product with
variants and images, the product and media plans. No I/O."""

from typing import Any

from producer.pipeline.mirror import MirrorEntry
from producer.resources.products.plan import ShopifyProduct, plan_product_changes
from producer.resources.promidata.desired import Preferences, build_desired_families, preferences
from producer.resources.promidata.media import images_hash, plan_media_changes
from producer.sources.promidata import parse_import_txt
from shared.models import EntityKind, MutationAction
from shared.queues import Queue
from tests.promidata_records import child, family, sample_record

NL = preferences(None, "en,de,nl,fr", "NL", "EURO,DEU,BENELUX")


def test_preferences_put_the_tenants_country_region_first_then_the_fallback_order() -> None:
    assert preferences("nl, de", "en", "nl", "EURO,DEU").languages == ("nl", "de")
    assert NL.regions == ("BENELUX", "NLD", "NL", "EURO", "DEU")
    assert preferences(None, "en", "DE", "EURO").regions == ("DEU", "DE", "EURO")
    assert preferences(None, "en", None, "EURO,DEU").regions == ("EURO", "DEU")


def test_import_txt_skips_the_category_line_and_reports_lines_it_cannot_use() -> None:
    text = "\n".join([
        "https://promi-dl.de/Profiles/Live/g/Import/CAT.csv",
        "https://promi-dl.de/Profiles/Live/g/A23/A23-100804.json|751159b8b70a7230ba6701227c1c5c63f9f2d108",
        "https://promi-dl.de/Profiles/Live/g/A23/A23-NOHASH.json",
        "ftp://promi-dl.de/A23/A23-FTP.json|ABC",
        "",
        "https://promi-dl.de/Profiles/Live/g/A23/A23-100804.json|0000000000000000000000000000000000000000",
        "https://promi-dl.de/Profiles/Live/g/A36/A36-MO1001%20b.json|1111111111111111111111111111111111111111\r",
    ])  # fmt: skip
    index = parse_import_txt(text)
    assert [(line.sku, line.hash[:6]) for line in index.lines] == [("A23-100804", "751159"), ("A36-MO1001 b", "111111")]
    reasons = " | ".join(f"{p.reference}: {p.reason}" for p in index.problems)
    assert "line 3" in reasons and "no hash" in reasons
    assert "not an http(s) URL" in reasons and "listed twice" in reasons


def test_the_real_sample_family_becomes_one_product_with_a_variant_per_child() -> None:
    result = build_desired_families([sample_record()], NL)
    assert not result.skipped and not result.warnings
    (product,) = result.products
    assert product.key == "family:A23-100804"
    assert product.title == "Renew AWARE™ rPET Zippered Tote"
    assert product.vendor == "XD Collection" and product.product_type == "BAGS/SHOPPING_BAGS"
    assert product.description_html and product.description_html.startswith("A modern and sustainable")
    assert product.option_names == ("Colour",)
    assert [(v.sku, v.option_values, v.price, v.barcode, v.weight_grams) for v in product.variants] == [
        ("A23-100804-001", ("black (± PMS Black)",), "8.98", "8714612178119", 175.0),
        ("A23-100804-410", ("navy (± PMS navy)",), "8.98", "8714612178126", 175.0),
    ]
    images = result.images[product.key]
    assert images and len({image.url for image in images}) == len(images)
    assert all(image.url.startswith("https://images.promi-dl.de/") and image.alt for image in images)

    dutch = build_desired_families([sample_record()], preferences("xx,nl", "en", "NL", "EURO")).products[0]
    assert dutch.title != product.title and dutch.option_names != ("Colour",)


def test_price_comes_from_the_first_region_that_prices_a_child_and_a_child_on_request_is_left_out() -> None:
    on_request = child("F-2", regions=("DEU",))
    on_request["ProductPriceCountryBased"]["DEU"]["RecommendedSellingPrice"][0]["OnRequest"] = True
    record = family("F", [child("F-1", 12.345, regions=("DEU",), config={"size": "S"}), on_request,
                          child("F-3", 7, regions=("EURO", "DEU"), config={"size": "L"})])  # fmt: skip
    result = build_desired_families([record], preferences(None, "en", "DE", "EURO"))
    (product,) = result.products
    assert [(v.sku, v.price) for v in product.variants] == [("F-1", "12.35"), ("F-3", "7.00")]
    assert [w.reference for w in result.warnings] == ["family 'F' child 'F-2'"]
    assert "on request" in result.warnings[0].reason


def test_hostile_families_are_skipped_and_reported_and_the_rest_maps() -> None:
    records: list[Any] = [
        family("EMPTY", []),
        family("BADPRICE", [child("BP-1", "twelve")]),
        family("NOPRICE", [child("NP-1", regions=("MARS",))]),
        family("GOOD", [child("G-1", config={"colour": "red"}), child("G-2", config={"colour": "red"})]),
        family(
            "MANY",
            [
                child("M-1", config={"a": "1", "b": "1", "c": "1", "d": "1"}),
                child("M-2", config={"a": "2", "b": "1", "c": "1", "d": "1"}),
            ],
        ),
        family("DUP", [child("G-1")]),
        "not even an object",
    ]
    result = build_desired_families(records, NL)
    reasons = {s.reference: s.reason for s in result.skipped}
    assert "no ChildProducts" in reasons["family 'EMPTY'"]
    assert "not a number" in reasons["family 'BADPRICE' child 'BP-1'"]
    assert "could be sold" in reasons["family 'NOPRICE'"] and "could be sold" in reasons["family 'DUP'"]
    assert "family ?" in reasons
    by_key = {product.key: product for product in result.products}
    assert set(by_key) == {"family:GOOD", "family:MANY"}
    assert by_key["family:GOOD"].option_names == ("SKU",), "repeated values: the SKU tells the variants apart"
    assert by_key["family:MANY"].option_names == ("A", "B", "C")
    warned = " | ".join(f"{w.reference}: {w.reason}" for w in result.warnings)
    assert "d left out" in warned and "use their SKU" in warned and "another variant" in warned


def test_images_are_the_familys_then_each_childs_once_each_and_private_hosts_are_left_out() -> None:
    record = family("IMG", [child("I-1", image="https://cdn.example/a.jpg", config={"c": "red"}),
                            child("I-2", image="https://cdn.example/b.png", config={"c": "blue"}),
                            child("I-3", image="http://10.0.0.8/c.png", config={"c": "green"})],
                    image="https://cdn.example/a.jpg")  # fmt: skip
    result = build_desired_families([record], NL, frozenset({"10.0.0.8"}))
    images = result.images["family:IMG"]
    assert [(image.url.rsplit("/", 1)[1], image.alt) for image in images] == [("a.jpg", "front"),
                                                                             ("b.png", "Family IMG (I-2)")]  # fmt: skip
    assert any("private" in w.reason for w in result.warnings)
    assert images[0].filename().startswith("promidata-") and images[0].filename().endswith(".jpg")


def _product_row(key: str, product_id: str, skus: tuple[str, ...], content_hash: str) -> MirrorEntry:
    return MirrorEntry(entity_key=key, shopify_id=product_id, content_hash=content_hash, status="ACTIVE", skus=skus,
                       details={"source": "promidata"})  # fmt: skip


def test_products_are_planned_by_sku_a_listed_family_that_broke_is_kept_and_one_that_left_is_archived() -> None:
    prefs = Preferences(("en",), ("BENELUX",))
    families = build_desired_families([family("A", [child("A-1")]), family("B", [child("B-1")])], prefs)
    first = plan_product_changes(families.products, [], [], source="promidata")
    assert [(c.action, c.entity_key) for c in first.changes] == [(MutationAction.CREATE, "family:A"),
                                                                  (MutationAction.CREATE, "family:B")]  # fmt: skip
    assert first.placements["family:A"].handle and first.placements["family:A"].shopify_id is None

    by_key = {p.key: p for p in families.products}
    shop = [ShopifyProduct(id=f"gid://shopify/Product/{n}", status="ACTIVE", skus=(f"{k}-1",))
            for n, k in ((1, "A"), (2, "B"), (3, "C"))]  # fmt: skip
    mirror = [_product_row("family:A", "gid://shopify/Product/1", ("A-1",), by_key["family:A"].content_hash()),
              _product_row("family:B", "gid://shopify/Product/2", ("B-1",), "old"),
              _product_row("family:C", "gid://shopify/Product/3", ("C-1",), "old")]  # fmt: skip
    only_a = [by_key["family:A"]]
    again = plan_product_changes(only_a, shop, mirror, source="promidata", keep=frozenset({"family:A", "family:B"}))
    assert [(c.action, c.entity_key) for c in again.changes] == [(MutationAction.ARCHIVE, "family:C")]
    assert again.placements["family:A"].shopify_id == "gid://shopify/Product/1"


def test_media_jobs_attach_new_images_by_url_keep_known_ones_by_id_and_wait_for_their_product() -> None:
    prefs = Preferences(("en",), ("BENELUX",))
    record = family("M", [child("M-1", image="https://cdn.example/2.jpg")], image="https://cdn.example/1.jpg")
    families = build_desired_families([record], prefs)
    placements = plan_product_changes(families.products, [], [], source="promidata").placements
    (created,) = plan_media_changes(families.images, placements, [])
    assert created.entity_kind is EntityKind.PRODUCT_MEDIA and created.queue is Queue.MEDIA and created.wave == 2
    assert created.variables["identifier"] == {"handle": placements["family:M"].handle}
    assert [f["originalSource"] for f in created.variables["files"]] == ["https://cdn.example/1.jpg",
                                                                         "https://cdn.example/2.jpg"]  # fmt: skip
    product = "gid://shopify/Product/7"
    attached = MirrorEntry(entity_key="family:M", shopify_id=product, content_hash=created.content_hash,
                           details={"files": {"https://cdn.example/1.jpg": "gid://shopify/MediaImage/1",
                                              "https://cdn.example/2.jpg": "gid://shopify/MediaImage/2"}})  # fmt: skip
    placed = {"family:M": placements["family:M"].model_copy(update={"shopify_id": product, "handle": None})}
    assert plan_media_changes(families.images, placed, [attached]) == [], "unchanged images: no job"

    changed = build_desired_families([family("M", [child("M-1", image="https://cdn.example/3.jpg")],
                                             image="https://cdn.example/1.jpg")], prefs)  # fmt: skip
    (update,) = plan_media_changes(changed.images, placed, [attached])
    assert update.variables["identifier"] == {"id": product}
    assert update.variables["files"][0] == {"id": "gid://shopify/MediaImage/1", "alt": "front"}
    assert (
        update.variables["files"][1]["originalSource"] == "https://cdn.example/3.jpg"
        and len(update.variables["files"]) == 2
    )
    assert update.content_hash == images_hash(changed.images["family:M"])


def test_a_sku_another_source_of_ours_holds_is_reported_not_fought_over() -> None:
    prefs = Preferences(("en",), ("BENELUX",))
    families = build_desired_families([family("A", [child("A-1"), child("SHARED")])], prefs)
    unleashed = MirrorEntry(entity_key="sku:SHARED", shopify_id="gid://shopify/Product/5", content_hash="h",
                            status="ACTIVE", skus=("SHARED",), details={"source": "unleashed"})  # fmt: skip
    shop = [ShopifyProduct(id="gid://shopify/Product/5", status="ACTIVE", skus=("SHARED",))]
    plan = plan_product_changes(families.products, shop, [], source="promidata", others=[unleashed])
    (create,) = plan.changes
    assert create.action is MutationAction.CREATE and create.writes[0].skus == ("A-1",)
    (skipped,) = plan.skipped
    assert skipped.reference == "product 'SHARED'" and "does not manage" in skipped.reason
