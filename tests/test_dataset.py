"""The seeded Unleashed dataset: deterministic, in the wire shape, with the advertised mix."""

import json
import re
import time
from collections import Counter, defaultdict
from typing import Any

import pytest

from sandbox.dataset import generate_unleashed_dataset


def titled(product: dict[str, Any]) -> str | None:
    attributes = product.get("AttributeSet") or {}
    title = attributes.get("ProductTitle")
    return title if isinstance(title, str) else None


def test_same_seed_same_dataset_other_seed_other_dataset() -> None:
    first = generate_unleashed_dataset(seed=42, size=500)
    again = generate_unleashed_dataset(seed=42, size=500)
    other = generate_unleashed_dataset(seed=43, size=500)
    assert json.dumps(first.__dict__, sort_keys=True) == json.dumps(again.__dict__, sort_keys=True)
    assert json.dumps(first.products) != json.dumps(other.products)


@pytest.mark.parametrize("size", [9, 20_001])
def test_size_outside_bounds_is_refused(size: int) -> None:
    with pytest.raises(ValueError):
        generate_unleashed_dataset(seed=1, size=size)


def test_product_fields_are_in_the_wire_shape() -> None:
    products = generate_unleashed_dataset(seed=3, size=200).products
    assert len(products) == 200
    codes = [p["ProductCode"] for p in products]
    assert len(set(codes)) == len(codes)
    assert len({p["Guid"] for p in products}) == len(products)
    for product in products:
        assert re.fullmatch(r"SKU-\d{6}", product["ProductCode"])
        assert product["Barcode"] is None or re.fullmatch(r"\d{13}", product["Barcode"])
        assert product["Weight"] is None or isinstance(product["Weight"], float)
        assert isinstance(product["DefaultSellPrice"], int | float)
        assert re.fullmatch(r"/Date\(\d+\)/", product["LastModifiedOn"])
        assert set(product["ProductGroup"]) == {"GroupName", "Guid"}
        assert product["ProductBrand"] is None or "BrandName" in product["ProductBrand"]
        for tier in range(1, 11):
            value = product[f"SellPriceTier{tier}"]
            assert value["Name"] == f"Sell Price Tier {tier}"
            assert value["Value"] is None or re.fullmatch(r"\d+\.\d{4}", value["Value"])
    assert any(round(p["DefaultSellPrice"] * 1000) % 10 == 5 for p in products), "half-up rounding case"


def test_proportions_of_groups_singles_and_flags() -> None:
    products = generate_unleashed_dataset(seed=11, size=5000).products
    grouped = [p for p in products if titled(p)]
    assert 0.5 <= len(grouped) / len(products) <= 0.7
    flags: Counter[str] = Counter()
    for product in products:
        flags["obsolete"] += product["Obsolete"] is True
        flags["component"] += product["IsComponent"] is True
        flags["unsellable"] += product["IsSellable"] is False
    assert 0.01 <= flags["obsolete"] / len(products) <= 0.03
    assert 0.004 <= flags["component"] / len(products) <= 0.02
    assert 0.004 <= flags["unsellable"] / len(products) <= 0.02
    assert not any(p["Obsolete"] for p in grouped), "only singles are obsolete"


def test_groups_share_a_title_and_differ_in_option_values() -> None:
    products = generate_unleashed_dataset(seed=5, size=2000).products
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for product in products:
        title = titled(product)
        if title:
            groups[title].append(product)
    assert groups
    separators: set[str] = set()
    for members in groups.values():
        assert 2 <= len(members) <= 4
        names_text = members[0]["AttributeSet"]["Option Names"]
        separators.update(ch for ch in names_text if ch in ",|")
        names = re.split(r"[,|]", names_text)
        assert 1 <= len(names) <= 3
        combos = set()
        for member in members:
            attributes = member["AttributeSet"]
            assert attributes["Option Names"] == names_text
            combos.add(tuple(attributes[f"Option {n} Value"] for n in range(1, len(names) + 1)))
        assert len(combos) == len(members)
    assert separators == {",", "|"}


def test_one_group_has_a_title_longer_than_255_with_a_space_near_the_cut() -> None:
    products = generate_unleashed_dataset(seed=8, size=100).products
    long_titles = {t for p in products if (t := titled(p)) and len(t) > 255}
    assert len(long_titles) == 1
    title = long_titles.pop()
    assert " " in title[245:256]
    assert title[:255] != title[:255].rstrip()


def test_warehouses_customers_and_stock_rows() -> None:
    dataset = generate_unleashed_dataset(seed=2, size=120)
    codes = {w["WarehouseCode"]: w for w in dataset.warehouses}
    assert set(codes) >= {"MAIN", "AKL", "SYD"} and len(codes) == 4
    assert [w["Obsolete"] for w in dataset.warehouses].count(True) == 1
    assert all(w["Country"] in ("New Zealand", "Australia") and w["City"] for w in dataset.warehouses)
    assert len(dataset.customers) == 12
    assert len({c["CustomerCode"] for c in dataset.customers}) == 12
    for customer in dataset.customers:
        assert {"Addresses", "Email", "PhoneNumber", "ContactFirstName", "ContactLastName"} <= set(customer)
        assert all(address["Country"] and address["AddressType"] for address in customer["Addresses"])
    stocked = [p for p in dataset.products if p["IsSellable"] and not p["IsComponent"]]
    assert len(dataset.stock_on_hand) == len(stocked) * 3
    assert {row["ProductCode"] for row in dataset.stock_on_hand} == {p["ProductCode"] for p in stocked}
    assert len(generate_unleashed_dataset(seed=2, size=10).customers) == 5


def test_ten_thousand_products_generate() -> None:
    dataset = generate_unleashed_dataset(seed=99, size=10_000)
    assert len(dataset.products) == 10_000
    assert len({p["ProductCode"] for p in dataset.products}) == 10_000


def flag_shares(products: list[dict[str, Any]]) -> dict[str, float]:
    return {
        "obsolete": sum(p["Obsolete"] is True for p in products) / len(products),
        "component": sum(p["IsComponent"] is True for p in products) / len(products),
        "unsellable": sum(p["IsSellable"] is False for p in products) / len(products),
    }


def test_grouped_share_zero_makes_every_product_a_single_with_the_usual_flags() -> None:
    products = generate_unleashed_dataset(seed=11, size=5000, grouped_share=0).products
    assert len(products) == 5000
    assert not any(titled(p) for p in products)
    shares = flag_shares(products)
    assert 0.01 <= shares["obsolete"] <= 0.03
    assert 0.004 <= shares["component"] <= 0.02
    assert 0.004 <= shares["unsellable"] <= 0.02


@pytest.mark.parametrize("share", [0.3, 0.9])
def test_grouped_share_sets_the_share_of_grouped_products(share: float) -> None:
    products = generate_unleashed_dataset(seed=4, size=5000, grouped_share=share).products
    grouped = [p for p in products if titled(p)]
    assert share - 0.05 <= len(grouped) / len(products) <= share + 0.05
    assert 0.01 <= flag_shares(products)["obsolete"] <= 0.03


def test_default_grouped_share_is_the_explicit_one() -> None:
    default = generate_unleashed_dataset(seed=6, size=300)
    explicit = generate_unleashed_dataset(seed=6, size=300, grouped_share=0.6)
    assert json.dumps(default.__dict__, sort_keys=True) == json.dumps(explicit.__dict__, sort_keys=True)


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_grouped_share_outside_zero_to_one_is_refused(share: float) -> None:
    with pytest.raises(ValueError):
        generate_unleashed_dataset(seed=1, size=10, grouped_share=share)


def test_twenty_thousand_singles_generate_fast() -> None:
    started = time.perf_counter()
    dataset = generate_unleashed_dataset(seed=5, size=20_000, grouped_share=0)
    assert time.perf_counter() - started < 5
    assert len({p["ProductCode"] for p in dataset.products}) == 20_000


def test_more_warehouses_are_generated_after_the_fixed_sites() -> None:
    default = generate_unleashed_dataset(seed=4, size=50)
    many = generate_unleashed_dataset(seed=4, size=50, warehouses=40)
    assert many.warehouses[:4] == default.warehouses
    assert len(many.warehouses) == 40
    codes = [w["WarehouseCode"] for w in many.warehouses]
    names = [w["WarehouseName"].casefold() for w in many.warehouses]
    assert len(set(c.casefold() for c in codes)) == 40 and all(1 <= len(code) <= 15 for code in codes)
    assert len(set(names)) == 40
    extras = many.warehouses[4:]
    assert sum(w["Obsolete"] for w in extras) == len(extras) // 8 + (len(extras) % 8 > 5)
    countries = {w["Country"] for w in extras}
    assert {"New Zealand", "Australia"} <= countries and len(countries) > 2
    assert all(w["City"] and w["AddressLine1"] and w["PostCode"] and w["IsDefault"] is False for w in extras)
    assert [w["WarehouseCode"] for w in generate_unleashed_dataset(seed=4, size=50, warehouses=2).warehouses] == [
        "MAIN",
        "AKL",
    ]


def test_customer_count_and_stock_share() -> None:
    assert len(generate_unleashed_dataset(seed=1, size=300).customers) == 30
    assert len(generate_unleashed_dataset(seed=1, size=300, customers=0).customers) == 0
    assert len(generate_unleashed_dataset(seed=1, size=300, customers=77).customers) == 77
    full = generate_unleashed_dataset(seed=9, size=2000, warehouses=20)
    active = sum(not w["Obsolete"] for w in full.warehouses)
    stocked = sum(p["IsSellable"] and not p["IsComponent"] for p in full.products)
    assert len(full.stock_on_hand) == stocked * active
    shared = generate_unleashed_dataset(seed=9, size=2000, warehouses=20, stock_share=0.27)
    assert abs(len(shared.stock_on_hand) - 0.27 * stocked * active) < 0.03 * stocked * active
    assert len({(r["ProductCode"], r["WarehouseCode"]) for r in shared.stock_on_hand}) == len(shared.stock_on_hand)
    assert not generate_unleashed_dataset(seed=9, size=100, stock_share=0).stock_on_hand
    more_customers = generate_unleashed_dataset(seed=9, size=2000, warehouses=20, customers=500)
    assert more_customers.stock_on_hand == full.stock_on_hand
    assert more_customers.warehouses == full.warehouses


@pytest.mark.parametrize("arguments", [{"warehouses": 0}, {"warehouses": 501}, {"customers": -1}, {"stock_share": 1.5}])
def test_new_arguments_outside_bounds_are_refused(arguments: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        generate_unleashed_dataset(seed=1, size=10, **arguments)


VALID_PHONE = re.compile(
    r"^(0[34679] \d{3} \d{4}|\(0[34679]\) \d{3} \d{4}|\+64 [34679] \d{3} \d{4}"  # NZ landlines
    r"|02[127][ -]\d{3}[ -]\d{4}|\+64 2[127] \d{3} \d{4}"  # NZ mobiles
    r"|\(0[2378]\) \d{4} \d{4}|0[2378] \d{4} \d{4}|\+61 [2378] \d{4} \d{4}|04\d\d \d{3} \d{3}|\+61 4\d\d \d{3} \d{3}"
    r"|\(\d{3}\) \d{3}-\d{4}|\+1 \d{3} \d{3} \d{4}|020 7\d{3} \d{4}|\+44 20 7\d{3} \d{4}|(\+65 )?[689]\d{3} \d{4})$"
)


def test_customers_cover_the_awkward_cases() -> None:
    customers = generate_unleashed_dataset(seed=12, size=10_000).customers
    assert len(customers) == 1000
    names = " ".join(f"{c['ContactFirstName']} {c['ContactLastName']} {c['CustomerName']}" for c in customers)
    assert any(ch in names for ch in "āēīōū"), "Māori macrons"
    assert any(ch in names for ch in "éëçøü"), "accented Latin"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in names), "CJK"
    with_email = sum(c["Email"] is not None for c in customers) / len(customers)
    assert 0.75 <= with_email <= 0.95
    assert any(c["PhoneNumber"] is None for c in customers)
    counts = Counter(len(c["Addresses"]) for c in customers)
    assert set(counts) == {0, 1, 2, 3}
    kinds = {a["AddressType"] for c in customers for a in c["Addresses"]}
    assert kinds == {"Postal", "Physical", "Delivery"}
    assert any(
        len(c["Addresses"]) >= 2
        and {k: v for k, v in c["Addresses"][0].items() if k != "AddressType"}
        == {k: v for k, v in c["Addresses"][1].items() if k != "AddressType"}
        for c in customers
    ), "a Physical address identical to the Postal one"
    phones = [c["PhoneNumber"] for c in customers if c["PhoneNumber"]] + [
        c["MobileNumber"] for c in customers if c["MobileNumber"]
    ]
    bad = [p for p in phones if not VALID_PHONE.match(p)]
    assert 0.03 <= len(bad) / len(customers) <= 0.08
    assert all(len(re.sub(r"\D", "", p)) < 7 or re.search(r"[A-Za-z]", p) for p in bad)
    written = {p.split(" ")[0] for p in phones if VALID_PHONE.match(p)}
    assert (
        {"+64", "+61"} <= written
        and any(p.startswith("(0") for p in phones)
        and any(p.startswith("09") for p in phones)
    )
    assert any(c["Obsolete"] for c in customers)
    assert all(re.fullmatch(r"CUST-\d{5}", c["CustomerCode"]) for c in customers)
